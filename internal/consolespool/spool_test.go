package consolespool

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAll reads what the reader has now.
func readAll(t *testing.T, r *Reader) []byte {
	t.Helper()
	var out []byte
	buf := make([]byte, 7) // small reads cross segment ends
	for {
		n, err := r.Read(buf)
		require.NoError(t, err)
		if n == 0 {
			return out
		}
		out = append(out, buf[:n]...)
	}
}

func TestWriterReaderAcrossSegments(t *testing.T) {
	dir := t.TempDir()
	w := NewWriter(dir, Stdout, 1<<20)
	w.SegmentSize = 10
	r := NewReader(dir, Stdout, 0)
	defer r.Close()

	assert.Empty(t, readAll(t, r), "nothing written yet")
	var want []byte
	for i := range 20 {
		chunk := []byte(strings.Repeat("x", i) + "\n")
		w.Write(chunk)
		want = append(want, chunk...)
		if i%5 == 0 {
			// The reader follows the writer, across new segments.
			got := readAll(t, r)
			require.Equal(t, want[:len(got)], got)
			want = want[len(got):]
		}
	}
	require.NoError(t, w.Close())
	assert.Equal(t, want, readAll(t, r))

	ended, ok, err := ReadEnded(dir, Stdout)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, r.Offset(), ended.Bytes)
	assert.Zero(t, ended.DroppedLines)
}

func TestReaderStartsAtCheckpoint(t *testing.T) {
	dir := t.TempDir()
	w := NewWriter(dir, Stderr, 1<<20)
	w.SegmentSize = 4
	w.Write([]byte("aaaa\nbbbb\ncccc\n"))
	require.NoError(t, w.Close())

	for _, from := range []int64{0, 3, 5, 11, 15} {
		r := NewReader(dir, Stderr, from)
		assert.Equal(t, "aaaa\nbbbb\ncccc\n"[from:], string(readAll(t, r)), "from %d", from)
		r.Close()
	}
}

func TestReleaseDeletesDeliveredSegmentsOnly(t *testing.T) {
	dir := t.TempDir()
	w := NewWriter(dir, Stdout, 1<<20)
	w.SegmentSize = 5
	w.Write([]byte("1234\n"))
	w.Write([]byte("5678\n"))
	w.Write([]byte("9abc\n"))
	r := NewReader(dir, Stdout, 0)
	defer r.Close()
	readAll(t, r)

	r.Release(7) // the first segment [0,5) only
	starts, err := r.segmentStarts()
	require.NoError(t, err)
	assert.Equal(t, []int64{5, 10}, starts)

	r.Release(15) // never the last: the writer may still write it
	starts, err = r.segmentStarts()
	require.NoError(t, err)
	assert.Equal(t, []int64{10}, starts)
	require.NoError(t, w.Close())
}

func TestWriterDropsWholeLinesPastLimit(t *testing.T) {
	dir := t.TempDir()
	w := NewWriter(dir, Stdout, 12)
	w.SegmentSize = 4
	// "aaaa\n" fits; "bbbbbbbb\n" does not: dropped whole, counted.
	w.Write([]byte("aaaa\nbbbbbbbb\n"))
	// A line begun within the bound and cut by it is ended there; its
	// rest, across writes, is skipped and counted once.
	w.Write([]byte("cc"))
	w.Write([]byte("ccccccccc"))
	w.Write([]byte("cc\ndd"))
	require.NoError(t, w.Close())

	r := NewReader(dir, Stdout, 0)
	defer r.Close()
	// dd, after the skipped rest, fit again.
	assert.Equal(t, "aaaa\ncc\ndd", string(readAll(t, r)))
	ended, _, err := ReadEnded(dir, Stdout)
	require.NoError(t, err)
	assert.Equal(t, int64(2), ended.DroppedLines, "bbbb…, the rest of cc…")
	assert.Equal(t, int64(2), w.DroppedLines())
}

func TestWriterSpoolsAgainOnceDelivered(t *testing.T) {
	dir := t.TempDir()
	w := NewWriter(dir, Stdout, 10)
	w.SegmentSize = 5
	w.Write([]byte("1234\n"))
	w.Write([]byte("5678\n")) // a second segment; the bound is reached
	w.Write([]byte("full\n")) // dropped
	r := NewReader(dir, Stdout, 0)
	defer r.Close()
	readAll(t, r)
	w.Write([]byte("more\n")) // dropped: nothing was released yet
	r.Release(10)             // the first segment is delivered and deleted
	w.Write([]byte("next\n"))
	require.NoError(t, w.Close())
	assert.Equal(t, "next\n", string(readAll(t, r)))
	assert.Equal(t, int64(2), w.DroppedLines())
}

func TestCountLines(t *testing.T) {
	dir := t.TempDir()
	w := NewWriter(dir, Stdout, 1<<20)
	w.SegmentSize = 3
	w.Write([]byte("a\nbb\nccc\npartial"))
	require.NoError(t, w.Close())
	for from, want := range map[int64]int64{0: 4, 2: 3, 5: 2, 9: 1, 16: 0} {
		n, err := CountLines(dir, Stdout, from)
		require.NoError(t, err)
		assert.Equal(t, want, n, "from %d", from)
	}
}

func TestRunFiles(t *testing.T) {
	dir := t.TempDir()
	_, ok, err := ReadExit(dir)
	require.NoError(t, err)
	assert.False(t, ok)
	off, err := ReadCheckpoint(dir, Stdout)
	require.NoError(t, err)
	assert.Zero(t, off)

	require.NoError(t, WriteCheckpoint(dir, Stdout, 42))
	off, err = ReadCheckpoint(dir, Stdout)
	require.NoError(t, err)
	assert.Equal(t, int64(42), off)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "stderr.pos"), []byte("-3"), 0o600))
	_, err = ReadCheckpoint(dir, Stderr)
	assert.ErrorContains(t, err, "not an offset")

	require.NoError(t, WriteExit(dir, Exit{Command: "python3", Code: 3}))
	e, ok, err := ReadExit(dir)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 3, e.Code)

	require.NoError(t, os.WriteFile(filepath.Join(dir, reportFile), []byte("{"), 0o600))
	_, _, err = ReadReport(dir)
	assert.ErrorContains(t, err, "report.json is not valid")
}

// The writer never blocks on a reader that does not read: it drops past
// its bound instead (the job's writes never wait on the pipeline).
func TestWriterNeverWaitsOnReader(t *testing.T) {
	dir := t.TempDir()
	w := NewWriter(dir, Stdout, 1<<16)
	line := bytes.Repeat([]byte("y"), 99)
	line = append(line, '\n')
	for range 10_000 { // 1 MB into a 64 KiB bound
		w.Write(line)
	}
	require.NoError(t, w.Close())
	assert.Equal(t, int64(10_000-(1<<16)/100), w.DroppedLines())
	r := NewReader(dir, Stdout, 0)
	defer r.Close()
	got, err := io.ReadAll(io.LimitReader(readerFunc(r.Read), 1<<20))
	require.NoError(t, err)
	assert.Len(t, got, (1<<16)/100*100)
}

type readerFunc func([]byte) (int, error)

// Read ends at the first empty read, which for a spool is its current end.
func (f readerFunc) Read(p []byte) (int, error) {
	n, err := f(p)
	if n == 0 && err == nil {
		return 0, io.EOF
	}
	return n, err
}
