package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// corpusInfo is what the runner knows of the input: the files the glob
// matches, their lines (the records every target must emit) and bytes.
type corpusInfo struct {
	glob  string
	files []string
	lines int64
	bytes int64
}

// scanCorpus counts the lines of the files glob matches. Reading them also
// brings them into the page cache before the first run, so no target pays
// for the disk alone.
func scanCorpus(glob string) (corpusInfo, error) {
	abs, err := filepath.Abs(glob)
	if err != nil {
		return corpusInfo{}, err
	}
	files, err := filepath.Glob(abs)
	if err != nil {
		return corpusInfo{}, err
	}
	if len(files) == 0 {
		return corpusInfo{}, fmt.Errorf("corpus %s: no such file", glob)
	}
	ci := corpusInfo{glob: abs, files: files}
	buf := make([]byte, 1<<20)
	for _, p := range files {
		n, b, err := countLines(p, buf)
		if err != nil {
			return ci, err
		}
		ci.lines += n
		ci.bytes += b
	}
	return ci, nil
}

// countLines counts newlines, plus a last line without one.
func countLines(path string, buf []byte) (lines, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var last byte = '\n'
	for {
		n, err := f.Read(buf)
		if n > 0 {
			lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
			size += int64(n)
			last = buf[n-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, 0, err
		}
	}
	if last != '\n' {
		lines++
	}
	return lines, size, nil
}
