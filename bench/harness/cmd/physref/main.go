// Command physref is the benchmarks' physical reference: the least work
// any collector of these logs must do. It reads the corpus files line by
// line and decodes each line into a map[string]any, on one core
// (GOMAXPROCS 1), with the fastest well-kept Go JSON decoder
// (goccy/go-json) or, with -decoder std, encoding/json for comparison.
//
//	physref -decoder goccy build/bench/corpus.jsonl
//
// It prints the lines read, the lines that failed to decode, and the rate.
// The decoded maps are dropped at once, as a collector drops them after
// building its records; the garbage collector's work is part of the cost.
package main

import (
	"bufio"
	stdjson "encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	gojson "github.com/goccy/go-json"
)

type decodeFunc func(line []byte, v any) error

var decoders = map[string]decodeFunc{
	"goccy": gojson.Unmarshal,
	"std":   stdjson.Unmarshal,
}

func main() {
	decoder := flag.String("decoder", "goccy", "JSON decoder: goccy (goccy/go-json) or std (encoding/json)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: physref [-decoder goccy|std] file-or-glob...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	decode, ok := decoders[*decoder]
	if !ok || flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	runtime.GOMAXPROCS(1)

	files, err := expand(flag.Args())
	if err != nil {
		fatalf("%v", err)
	}
	start := time.Now()
	var lines, errs int64
	for _, f := range files {
		n, e, err := decodeFile(f, decode)
		if err != nil {
			fatalf("%s: %v", f, err)
		}
		lines, errs = lines+n, errs+e
	}
	took := time.Since(start)
	fmt.Printf("physref: decoder %s: %d lines, %d errors, %d files in %s: %.0f lines/s\n",
		*decoder, lines, errs, len(files), took.Round(time.Millisecond), float64(lines)/took.Seconds())
}

// decodeFile decodes every line of one file and returns the numbers of
// lines and of lines that were not a JSON object.
func decodeFile(path string, decode decodeFunc) (lines, errs int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	// A collector reads in large chunks too; lines up to 64 MiB (the aind
	// receiver's largest max_log_size) are decoded whole.
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		lines++
		var m map[string]any
		if decode(sc.Bytes(), &m) != nil {
			errs++
		}
	}
	return lines, errs, sc.Err()
}

// expand turns arguments that are globs into the files they match.
func expand(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		m, err := filepath.Glob(a)
		if err != nil {
			return nil, err
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("%s: no such file", a)
		}
		files = append(files, m...)
	}
	return files, nil
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "physref: "+format+"\n", args...)
	os.Exit(1)
}
