package fileinput

import (
	"bytes"
	"errors"
	"io"
	"os"
	"sort"
	"sync"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/matcher"
)

// deliveredFiles knows, for each file the file input is reading, where its
// delivered lines end. When a drain runs out of time, the lines after
// those ends are the ones not delivered, and the checkpoints stay there.
type deliveredFiles struct {
	mu   sync.Mutex
	seq  int64
	ends map[string]deliveredFile // by checkpoint ID
}

type deliveredFile struct {
	path   string
	offset int64
	seq    int64 // when it was last read, to tell a renamed file's entry from the live one's
}

// reading records that the file id, now at path, is being read from
// offset on; its first batch starts there.
func (d *deliveredFiles) reading(id, path string, offset int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seq++
	f, ok := d.ends[id]
	if !ok {
		f.offset = offset
	}
	f.path, f.seq = path, d.seq
	d.ends[id] = f
}

// delivered records that the lines of file id before offset were
// accepted.
func (d *deliveredFiles) delivered(id string, offset int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.ends[id]
	f.offset = max(f.offset, offset)
	d.ends[id] = f
}

// undeliveredFile is a file with lines that were not delivered.
type undeliveredFile struct {
	path  string
	from  int64 // the checkpoint: where the first line not delivered begins
	lines int64
}

// undelivered counts, in each file read, the lines after its delivered
// end, as the files are now. A path read under two identities (a file
// renamed, and a new one in its place) counts once, for the one read last.
func (d *deliveredFiles) undelivered() ([]undeliveredFile, error) {
	latest := d.byPath()

	var (
		out  []undeliveredFile
		errs []error
	)
	for path, f := range latest {
		n, err := linesAfter(path, f.offset)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if n > 0 {
			out = append(out, undeliveredFile{path: path, from: f.offset, lines: n})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, errors.Join(errs...)
}

// byPath returns, for each path, the file read last under it.
func (d *deliveredFiles) byPath() map[string]deliveredFile {
	d.mu.Lock()
	defer d.mu.Unlock()
	latest := make(map[string]deliveredFile, len(d.ends))
	for _, f := range d.ends {
		if cur, ok := latest[f.path]; f.path != "" && (!ok || f.seq > cur.seq) {
			latest[f.path] = f
		}
	}
	return latest
}

// reached reports whether each file was delivered up to its size in sizes.
func (d *deliveredFiles) reached(sizes map[string]int64) bool {
	latest := d.byPath()
	for path, size := range sizes {
		if size > 0 && latest[path].offset < size {
			return false
		}
	}
	return true
}

// sizes returns the size of each file that criteria match now.
func sizes(criteria matcher.Criteria) (map[string]int64, error) {
	m, err := matcher.New(criteria)
	if err != nil {
		return nil, err
	}
	paths, err := m.MatchFiles()
	out := make(map[string]int64, len(paths))
	for _, path := range paths {
		if info, statErr := os.Stat(path); statErr == nil {
			out[path] = info.Size()
		}
	}
	if len(paths) == 0 {
		return out, nil // nothing to deliver: MatchFiles says so with an error
	}
	return out, err
}

// linesAfter counts the lines of the file at path from offset to its end,
// a last line without its newline included.
func linesAfter(path string, offset int64) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, err
	}
	var (
		lines int64
		last  byte = '\n'
		buf        = make([]byte, 64<<10)
	)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
			last = buf[n-1]
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if last != '\n' {
		lines++
	}
	return lines, nil
}
