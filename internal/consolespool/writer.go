package consolespool

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
)

// DefaultSegmentSize is the size past which the writer starts a new
// segment: the reader deletes a segment once all of it is delivered, so a
// long job's spool holds only what is not delivered yet, give or take a
// segment.
const DefaultSegmentSize = 8 << 20

// Writer appends one stream of a job to the spool. Write never blocks on
// the reader: past Limit bytes not yet delivered, lines are counted as
// dropped instead of spooled. A Writer is used by one goroutine.
type Writer struct {
	dir, stream string
	// Limit bounds the bytes on disk: the segments the reader has not
	// deleted yet, the one being written included.
	Limit int64
	// SegmentSize is where a new segment starts.
	SegmentSize int64

	f        *os.File
	segStart int64 // offset of the current segment's first byte
	written  int64 // bytes spooled
	// segments are the starts of the finished segments that may still be
	// on disk, oldest first, and onDisk their bytes with the current one.
	segments []int64
	onDisk   int64
	// midLine is set when the last byte spooled was not a newline.
	midLine bool
	// skipping is set while the rest of a dropped line comes in.
	skipping bool
	dropped  int64
	// err is the first error writing the spool: past it nothing is spooled.
	err error
}

// NewWriter creates the spool of stream in dir, which must exist.
func NewWriter(dir, stream string, limit int64) *Writer {
	return &Writer{dir: dir, stream: stream, Limit: limit, SegmentSize: DefaultSegmentSize}
}

// Write spools p, the next bytes of the stream. Lines that do not fit
// under Limit are dropped whole and counted; a line of which a part was
// already spooled is ended there, so that the reader never joins two lines.
func (w *Writer) Write(p []byte) {
	for len(p) > 0 {
		if w.skipping {
			i := bytes.IndexByte(p, '\n')
			if i < 0 {
				return
			}
			p, w.skipping = p[i+1:], false
			continue
		}
		if w.err == nil && w.onDisk+int64(len(p)) > w.Limit {
			w.reclaim()
		}
		room := w.Limit - w.onDisk
		if w.err != nil {
			room = 0
		}
		if int64(len(p)) <= room {
			w.append(p)
			return
		}
		// Spool the lines that fit whole, and drop the rest of p.
		fit := bytes.LastIndexByte(p[:max(room, 0)], '\n') + 1
		w.append(p[:fit])
		p = p[fit:]
		if w.midLine && w.err == nil {
			w.append([]byte{'\n'})
		}
		w.dropped += int64(bytes.Count(p, []byte{'\n'}))
		if p[len(p)-1] != '\n' {
			w.dropped++
			w.skipping = true
		}
		return
	}
}

// append writes b to the current segment, starting a new one first when
// the current one is full.
func (w *Writer) append(b []byte) {
	if len(b) == 0 || w.err != nil {
		return
	}
	if w.f != nil && w.written-w.segStart >= w.SegmentSize {
		if w.err = w.f.Close(); w.err != nil {
			return
		}
		w.f = nil
		w.segments = append(w.segments, w.segStart)
	}
	if w.f == nil {
		w.segStart = w.written
		w.f, w.err = os.OpenFile(filepath.Join(w.dir, segmentName(w.stream, w.segStart)), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if w.err != nil {
			return
		}
	}
	n, err := w.f.Write(b)
	w.written += int64(n)
	w.onDisk += int64(n)
	if n > 0 {
		w.midLine = b[n-1] != '\n'
	}
	if err != nil {
		w.err = err
	}
}

// reclaim forgets the finished segments the reader deleted: their bytes
// were delivered.
func (w *Writer) reclaim() {
	kept := w.segments[:0]
	for i, start := range w.segments {
		end := w.segStart
		if i+1 < len(w.segments) {
			end = w.segments[i+1]
		}
		if _, err := os.Stat(filepath.Join(w.dir, segmentName(w.stream, start))); errors.Is(err, os.ErrNotExist) {
			w.onDisk -= end - start
			continue
		}
		kept = append(kept, start)
	}
	w.segments = kept
}

// Close ends the stream: it closes the segment and writes the .end file,
// which tells the reader that nothing more will come. It returns the first
// error met spooling, if any.
func (w *Writer) Close() error {
	if w.skipping {
		w.skipping = false
	}
	var errs []error
	if w.f != nil {
		errs = append(errs, w.f.Close())
		w.f = nil
	}
	errs = append(errs, w.err)
	errs = append(errs, writeJSON(filepath.Join(w.dir, w.stream+".end"), Ended{Bytes: w.written, DroppedLines: w.dropped}))
	return errors.Join(errs...)
}

// DroppedLines counts the lines not spooled so far.
func (w *Writer) DroppedLines() int64 { return w.dropped }
