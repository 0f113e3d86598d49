package consolespool

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Reader reads one stream of the spool from an offset, following the
// segments as the writer adds them. It is used by one goroutine.
type Reader struct {
	dir, stream string
	off         int64 // offset of the next byte to read
	f           *os.File
	segStart    int64
}

// NewReader returns a reader of stream in dir from offset from (a
// checkpoint).
func NewReader(dir, stream string, from int64) *Reader {
	return &Reader{dir: dir, stream: stream, off: from}
}

// Offset is the offset of the next byte Read returns.
func (r *Reader) Offset() int64 { return r.off }

// Read reads the next bytes of the stream into p. It returns 0 and no
// error when nothing more has been written yet.
func (r *Reader) Read(p []byte) (int, error) {
	for {
		if r.f == nil {
			if err := r.open(); err != nil || r.f == nil {
				return 0, err
			}
		}
		n, err := r.f.Read(p)
		r.off += int64(n)
		if n > 0 {
			return n, nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		// At the end of the segment: the stream goes on in the next one,
		// if the writer started it; else this one may still grow.
		starts, err := r.segmentStarts()
		if err != nil {
			return 0, err
		}
		if i := slices.Index(starts, r.segStart); i < 0 || i == len(starts)-1 || starts[i+1] != r.off {
			return 0, nil
		}
		r.f.Close()
		r.f = nil
	}
}

// open opens the segment holding the offset to read, if it was written.
func (r *Reader) open() error {
	starts, err := r.segmentStarts()
	if err != nil {
		return err
	}
	// The last segment starting at or before the offset holds it.
	i, found := slices.BinarySearch(starts, r.off)
	if !found {
		i--
	}
	if i < 0 {
		return nil
	}
	f, err := os.Open(filepath.Join(r.dir, segmentName(r.stream, starts[i])))
	if err != nil {
		return err
	}
	if _, err := f.Seek(r.off-starts[i], io.SeekStart); err != nil {
		f.Close()
		return err
	}
	r.f, r.segStart = f, starts[i]
	return nil
}

// segmentStarts lists the starts of the stream's segments on disk, in
// order.
func (r *Reader) segmentStarts() ([]int64, error) {
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		return nil, err
	}
	prefix := r.stream + "."
	var starts []int64
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || len(rest) != 16 {
			continue
		}
		if start, err := strconv.ParseInt(rest, 10, 64); err == nil {
			starts = append(starts, start)
		}
	}
	slices.Sort(starts)
	return starts, nil
}

// Release deletes the segments that end at or before offset, all of whose
// bytes were delivered, except the last one, which the writer may still be
// writing. Under Windows a segment still open cannot be deleted; it is
// tried again at the next Release.
func (r *Reader) Release(offset int64) {
	starts, err := r.segmentStarts()
	if err != nil {
		return
	}
	for i := 0; i+1 < len(starts) && starts[i+1] <= offset; i++ {
		if r.f != nil && r.segStart == starts[i] {
			continue
		}
		_ = os.Remove(filepath.Join(r.dir, segmentName(r.stream, starts[i])))
	}
}

// Close closes the segment being read.
func (r *Reader) Close() error {
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// CountLines counts the lines of stream spooled from offset on, a last
// line without its newline included: what is left to deliver.
func CountLines(dir, stream string, offset int64) (int64, error) {
	r := NewReader(dir, stream, offset)
	defer r.Close()
	buf := make([]byte, 64<<10)
	var lines int64
	partial := false
	for {
		n, err := r.Read(buf)
		if n == 0 || err != nil {
			if partial {
				lines++
			}
			return lines, err
		}
		lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		partial = buf[n-1] != '\n'
	}
}
