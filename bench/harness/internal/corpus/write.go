package corpus

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options say what to write.
type Options struct {
	Lines int
	Seed  uint64
	// Base is the time the corpus ends at: lines span the hour before it,
	// recent enough that no Loki-style window (a week) re-times them.
	Base time.Time
	// Out is the file; with Files > 1, files <name>-NNNN<ext> beside it
	// get the lines round-robin.
	Out   string
	Files int
	// Secrets is the fraction of lines carrying a secret a redacting
	// pipeline must mask (DefaultSecrets in the realistic corpus).
	Secrets float64
	// LineBytes, when set, makes every line this long with its newline:
	// its message grows by a per-channel readout or is cut (to 8
	// characters at least; a message with a secret is never cut). A
	// traceback or a long field can keep a line over it.
	LineBytes int
	// Fields, when set (≥ 3), gives every JSON line exactly this many
	// fields: the standard's in their usual order (timestamp, level,
	// message, name, hostname, …), then the program's custom fields,
	// then numbered per-channel fields. Secrets then all go in the
	// message.
	Fields int
}

// Stats describe what was written.
type Stats struct {
	Paths      []string
	Lines      int
	Bytes      int64
	Malformed  int
	Secrets    int
	Tracebacks int
	Fields     int // total over the JSON lines
	Start, End time.Time
}

// Write generates the corpus.
func Write(opt Options) (Stats, error) {
	if opt.Lines < 0 || opt.Files < 1 {
		return Stats{}, fmt.Errorf("corpus: lines must be ≥ 0 and files ≥ 1")
	}
	sh, err := newShape(opt)
	if err != nil {
		return Stats{}, err
	}
	// Whole microseconds, as Python writes them, so a base and a seed
	// always give the same bytes.
	base := opt.Base.Truncate(time.Microsecond)
	st := Stats{Paths: OutputPaths(opt.Out, opt.Files), Lines: opt.Lines, Start: base.Add(-time.Hour), End: base}
	ws, err := create(st.Paths)
	if err != nil {
		return st, err
	}
	g := newGenerator(opt.Seed, base, opt.Lines, sh)
	var buf []byte
	for i := range opt.Lines {
		buf = append(g.line(buf[:0], i), '\n')
		st.Bytes += int64(len(buf))
		if _, err := ws[i%len(ws)].w.Write(buf); err != nil {
			closeAll(ws)
			return st, err
		}
	}
	st.Malformed, st.Secrets, st.Tracebacks, st.Fields = g.stats.malformed, g.stats.secrets, g.stats.tracebacks, g.stats.fields
	return st, closeAll(ws)
}

// OutputPaths names the files: out itself, or out's name with -NNNN
// before its extension when there are several.
func OutputPaths(out string, n int) []string {
	if n <= 1 {
		return []string{out}
	}
	ext := filepath.Ext(out)
	stem := strings.TrimSuffix(out, ext)
	paths := make([]string, n)
	for i := range paths {
		paths[i] = fmt.Sprintf("%s-%04d%s", stem, i, ext)
	}
	return paths
}

// Glob is the pattern matching the files of OutputPaths(out, n).
func Glob(out string, n int) string {
	if n <= 1 {
		return out
	}
	ext := filepath.Ext(out)
	return strings.TrimSuffix(out, ext) + "-[0-9][0-9][0-9][0-9]" + ext
}

type output struct {
	f *os.File
	w *bufio.Writer
}

func create(paths []string) ([]output, error) {
	// Smaller buffers when there are many files, so 1,000 files do not
	// take a GiB.
	size := 1 << 20
	if len(paths) > 16 {
		size = 32 << 10
	}
	ws := make([]output, 0, len(paths))
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			closeAll(ws)
			return nil, err
		}
		f, err := os.Create(p)
		if err != nil {
			closeAll(ws)
			return nil, err
		}
		ws = append(ws, output{f, bufio.NewWriterSize(f, size)})
	}
	return ws, nil
}

// closeAll flushes, syncs and closes the files. The sync makes the disk
// writes happen now, not in the kernel's writeback during the first
// measured run.
func closeAll(ws []output) error {
	var first error
	for _, o := range ws {
		if err := o.w.Flush(); err != nil && first == nil {
			first = err
		}
		if err := o.f.Sync(); err != nil && first == nil {
			first = err
		}
		if err := o.f.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
