// Package reload keeps what a file says while the file changes under a
// running collector: it reads the file at start and then at every
// interval, parses what changed, and keeps the last value that parsed when
// the file goes missing or wrong.
package reload // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/reload"

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// File is the last good value parsed from a file.
type File[T any] struct {
	path    string
	maxSize int64
	parse   func([]byte) (*T, error)
	report  func(error)

	current atomic.Pointer[T]
	// good is the digest of the contents current was parsed from; failing
	// is the error last reported, "" when the last check succeeded.
	good    [sha256.Size]byte
	failing string

	stop chan struct{}
	wg   sync.WaitGroup
}

// New watches the file at path; parse turns its contents, up to maxSize
// bytes, into a value. report is called from the watching goroutine when
// a value is taken after a change (nil), and when a check fails for a
// reason other than the one last reported: a failing file is reported
// once, not at every interval. Nothing is read before Load.
func New[T any](path string, maxSize int64, parse func([]byte) (*T, error), report func(error)) *File[T] {
	return &File[T]{path: path, maxSize: maxSize, parse: parse, report: report}
}

// Load reads and parses the file once; its error is the caller's to
// return, as nothing was loaded before.
func (f *File[T]) Load() error {
	data, err := f.read()
	if err != nil {
		return err
	}
	v, err := f.parse(data)
	if err != nil {
		return err
	}
	f.current.Store(v)
	f.good = sha256.Sum256(data)
	return nil
}

// Value is the last good value; nil before Load succeeded.
func (f *File[T]) Value() *T { return f.current.Load() }

// Watch checks the file every interval until Stop.
func (f *File[T]) Watch(interval time.Duration) {
	f.stop = make(chan struct{})
	f.wg.Go(func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-f.stop:
				return
			case <-ticker.C:
				f.Check()
			}
		}
	})
}

// Stop ends Watch and waits for it; it does nothing without Watch.
func (f *File[T]) Stop() {
	if f.stop != nil {
		close(f.stop)
		f.wg.Wait()
		f.stop = nil
	}
}

// Check reads the file once: contents that changed and parse replace the
// value, anything else keeps it. Watch calls it; it is not safe to call
// concurrently with itself.
func (f *File[T]) Check() {
	changed, err := f.check()
	switch {
	case err != nil:
		if err.Error() != f.failing {
			f.failing = err.Error()
			f.report(err)
		}
	case changed || f.failing != "":
		f.failing = ""
		f.report(nil)
	}
}

// check replaces the value if the contents changed and parse.
func (f *File[T]) check() (changed bool, err error) {
	data, err := f.read()
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(data)
	if sum == f.good {
		return false, nil
	}
	v, err := f.parse(data)
	if err != nil {
		return false, err
	}
	f.current.Store(v)
	f.good = sum
	return true, nil
}

func (f *File[T]) read() ([]byte, error) {
	file, err := os.Open(f.path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, f.maxSize+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > f.maxSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", f.path, f.maxSize)
	}
	return data, nil
}
