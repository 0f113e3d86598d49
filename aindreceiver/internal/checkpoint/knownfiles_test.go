package checkpoint

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// savedRecord runs a real fileconsumer over content and returns the
// known-files record it saved at the end of the poll after it had read the
// first upTo bytes, with the first batch it emitted.
func savedRecord(t *testing.T, content string, upTo int) (record []byte, tokens [][]byte, offsets []int64) {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.log"), []byte(content), 0o600))
	client := newMemClient(nil)
	store := newTestStore(t, client)
	var (
		mu    sync.Mutex
		first bool
		read  int64
	)
	m := startManager(t, dir, store, func(_ context.Context, toks [][]byte, attrs map[string]any, _ int64, offs []int64) error {
		FileID(attrs)
		mu.Lock()
		defer mu.Unlock()
		if !first {
			// fileconsumer reuses the slices once emit returned.
			first = true
			for _, tok := range toks {
				tokens = append(tokens, bytes.Clone(tok))
			}
			offsets = append([]int64(nil), offs[:len(toks)+1]...)
		}
		read = offs[len(toks)]
		return nil
	})
	defer func() { require.NoError(t, m.Stop()) }()
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return read >= int64(upTo)
	}, waitFor, time.Millisecond)
	poll := store.NextPoll()
	<-poll.Done()
	return client.get(KnownFilesKey), tokens, offsets
}

func TestKnownFilesRecordRoundTrip(t *testing.T) {
	content := strings.Repeat("a line of the log\n", 300)
	record, _, _ := savedRecord(t, content, len(content))
	files, err := parseKnownFiles(record)
	require.NoError(t, err)
	require.Len(t, files, 1)
	f := files[0]
	assert.Equal(t, Position{Offset: 18 * 300, RecordNum: 300}, f.pos)
	assert.NotEmpty(t, f.id)
	assert.False(t, f.pendingPartial)

	// Nothing to apply: the record is kept byte for byte.
	same, _, err := applyJournal(record, map[string]journalEntry{"other": {pos: Position{Offset: 1}}}, false)
	require.NoError(t, err)
	assert.Equal(t, record, same)

	// A further position changes the offset and record number only.
	moved, _, err := applyJournal(record, map[string]journalEntry{f.id: {pos: Position{Offset: 9000, RecordNum: 500}}}, false)
	require.NoError(t, err)
	files2, err := parseKnownFiles(moved)
	require.NoError(t, err)
	require.Len(t, files2, 1)
	assert.Equal(t, Position{Offset: 9000, RecordNum: 500}, files2[0].pos)
	assert.Equal(t, f.id, files2[0].id)
	assert.Equal(t, fingerprintOf(t, f), fingerprintOf(t, files2[0]))
	assert.Equal(t, stripPosition(t, f.raw), stripPosition(t, files2[0].raw))

	// A position behind the record's is not applied.
	behind, _, err := applyJournal(record, map[string]journalEntry{f.id: {pos: Position{Offset: 18, RecordNum: 1}}}, false)
	require.NoError(t, err)
	assert.Equal(t, record, behind)
}

func stripPosition(t *testing.T, raw []byte) []byte {
	t.Helper()
	return knownFile{raw: raw}.withPosition(Position{})
}

// A record says it holds a line still being written when, and only when,
// one of its files ends with a line without its newline: a drain waits a
// flush period for such a line (WaitDrained), and only for it. A poll end
// that merges the journal (applyJournal) says the same as one that does not
// (hasPartialLine).
func TestKnownFilesPartialLine(t *testing.T) {
	partial, _, _ := savedRecord(t, "a whole line\nthe start of the next", len("a whole line\n"))
	whole, _, _ := savedRecord(t, "a whole line\nanother whole line\n", len("a whole line\nanother whole line\n"))
	tests := map[string]struct {
		record []byte
		want   bool
	}{
		"a file ends with a line without newline":    {partial, true},
		"a file ends with a newline":                 {whole, false},
		"the second of two files has a partial line": {append(bytes.Clone(whole), partial...), true},
		"two files end with a newline":               {append(bytes.Clone(whole), whole...), false},
		"no file known yet":                          {nil, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, hasPartialLine(tt.record), "hasPartialLine")

			// The journal moves every file further, as at the end of a
			// poll that read and delivered more of them.
			files, err := parseKnownFiles(tt.record)
			require.NoError(t, err)
			j := map[string]journalEntry{}
			for _, f := range files {
				j[f.id] = journalEntry{pos: Position{Offset: f.pos.Offset + 1, RecordNum: f.pos.RecordNum + 1}}
			}
			_, merged, err := applyJournal(tt.record, j, false)
			require.NoError(t, err)
			assert.Equal(t, tt.want, merged, "applyJournal")
		})
	}
	assert.False(t, hasPartialLine([]byte("1\n{\"Offset\":3}\n")), "a record this package cannot read (an older fileconsumer's JSON)")
}

// FirstBytes gives back the bytes fileconsumer fingerprints, whatever the
// lines look like.
func TestFirstBytesIsTheFingerprint(t *testing.T) {
	long := strings.Repeat("x", 5000) // longer than the test's max_log_size
	tests := map[string]string{
		"short lines":                         strings.Repeat("0123456789\n", 200),
		"CRLF and empty lines":                strings.Repeat("windows line\r\n\r\n\n", 100),
		"a file shorter than the fingerprint": "one\ntwo\nthree\n",
		"a line cut at max_log_size first":    long + "\n" + strings.Repeat("after\n", 10),
		"a cut line after short ones":         "short\n" + long + "\nafter\n",
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			record, tokens, offsets := savedRecord(t, content, len(content))
			files, err := parseKnownFiles(record)
			require.NoError(t, err)
			require.Len(t, files, 1)
			fp := fingerprintOf(t, files[0])
			got := FirstBytes(tokens, offsets, 1000)
			require.NotEmpty(t, got)
			// fileconsumer's fingerprint may have grown past what the first
			// batch covered: the rebuilt bytes are a prefix of it.
			assert.True(t, bytes.HasPrefix(fp, got), "rebuilt %q, fingerprint %q", got, fp)
			assert.Equal(t, content[:len(got)], string(got))
		})
	}
}

func TestFirstBytes(t *testing.T) {
	toks := func(s ...string) [][]byte {
		out := make([][]byte, len(s))
		for i, v := range s {
			out[i] = []byte(v)
		}
		return out
	}
	assert.Equal(t, []byte("ab\ncd\n"), FirstBytes(toks("ab", "cd"), []int64{0, 3, 6}, 1000))
	assert.Equal(t, []byte("ab\ncd"), FirstBytes(toks("ab", "cd"), []int64{0, 3, 5}, 1000), "last line flushed without newline")
	assert.Equal(t, []byte("ab\nc"), FirstBytes(toks("ab", "cd"), []int64{0, 3, 6}, 4), "at most size bytes")
	assert.Equal(t, []byte("ab\ncd"), FirstBytes(toks("ab", "cd", "ef"), []int64{0, 3, 9, 12}, 1000), "a cut line ends them")
	assert.Nil(t, FirstBytes(toks("ab"), []int64{5, 8}, 1000), "not from the start of the file")
	assert.Nil(t, FirstBytes(toks("abcd"), []int64{0, 2}, 1000), "tokens longer than their span are not the file's bytes")
	assert.Nil(t, FirstBytes(toks("ab"), []int64{0}, 1000), "offsets missing")
}
