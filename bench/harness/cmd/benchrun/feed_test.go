package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

func TestFeedSendsEveryLine(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	if err := os.WriteFile(a, []byte("1\n2\n3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("4\n5"), 0o644); err != nil {
		t.Fatal(err)
	}
	var lines atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		for _, c := range body {
			if c == '\n' {
				lines.Add(1)
			}
		}
	}))
	defer srv.Close()
	c := ndjsonClient{client: srv.Client(), url: srv.URL, retries: new(atomic.Int64)}
	if err := feed(t.Context(), []string{a, b}, 2, 3, c); err != nil {
		t.Fatal(err)
	}
	if lines.Load() != 5 {
		t.Errorf("%d lines sent, want 5", lines.Load())
	}
}
