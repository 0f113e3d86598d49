package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"sync"
)

// feed posts the lines of files, in batches of batchLines, through
// clients concurrent senders sharing c, and returns the first error.
// The files are read as the batches go out, so benchrun holds a few
// batches, not the corpus.
func feed(ctx context.Context, files []string, batchLines, clients int, c ndjsonClient) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	batches := make(chan []byte, clients)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for b := range batches {
				if err := c.post(ctx, b); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	err := readBatches(ctx, files, batchLines, batches)
	close(batches)
	if err != nil {
		cancel(err)
	}
	wg.Wait()
	return context.Cause(ctx)
}

// readBatches sends the lines of files to out, batchLines at a time, each
// line ending in a newline.
func readBatches(ctx context.Context, files []string, batchLines int, out chan<- []byte) error {
	var batch bytes.Buffer
	n := 0
	send := func() error {
		select {
		case out <- bytes.Clone(batch.Bytes()):
		case <-ctx.Done():
			return ctx.Err()
		}
		batch.Reset()
		n = 0
		return nil
	}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<30)
		for sc.Scan() {
			batch.Write(sc.Bytes())
			batch.WriteByte('\n')
			if n++; n == batchLines {
				if err := send(); err != nil {
					f.Close()
					return err
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return err
		}
	}
	if n > 0 {
		return send()
	}
	return nil
}
