package reload

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// parseNumber takes a file holding a number.
func parseNumber(data []byte) (*int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, errors.New("not a number")
	}
	return &n, nil
}

// reports records what File reports; "ok" stands for nil.
type reports struct {
	mu  sync.Mutex
	got []string
}

func (r *reports) report(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil {
		r.got = append(r.got, "ok")
	} else {
		r.got = append(r.got, err.Error())
	}
}

func (r *reports) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := r.got
	r.got = nil
	return got
}

// write replaces the file whole, by a rename, as the README asks: a check
// never sees it half written.
func write(t *testing.T, path, data string) {
	t.Helper()
	tmp := path + ".tmp"
	require.NoError(t, os.WriteFile(tmp, []byte(data), 0o600))
	require.NoError(t, os.Rename(tmp, path))
}

func TestLoadFails(t *testing.T) {
	dir := t.TempDir()
	var r reports
	f := New(filepath.Join(dir, "missing"), 64, parseNumber, r.report)
	require.ErrorIs(t, f.Load(), os.ErrNotExist)
	assert.Nil(t, f.Value())

	path := filepath.Join(dir, "n")
	write(t, path, "many")
	f = New(path, 64, parseNumber, r.report)
	require.EqualError(t, f.Load(), "not a number")
	assert.Nil(t, f.Value())

	write(t, path, strings.Repeat("1", 65))
	require.EqualError(t, f.Load(), path+" is larger than 64 bytes")
	assert.Empty(t, r.take(), "Load's errors are returned, not reported")
}

// A good change replaces the value; a bad or missing file keeps the last
// good one and is reported once, until it is good again.
func TestCheckKeepsTheLastGoodValue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n")
	write(t, path, "1")
	var r reports
	f := New(path, 64, parseNumber, r.report)
	require.NoError(t, f.Load())
	assert.Equal(t, 1, *f.Value())

	f.Check()
	assert.Empty(t, r.take(), "unchanged")

	write(t, path, "2\n")
	f.Check()
	assert.Equal(t, 2, *f.Value())
	assert.Equal(t, []string{"ok"}, r.take())

	write(t, path, "two")
	f.Check()
	f.Check()
	assert.Equal(t, 2, *f.Value())
	assert.Equal(t, []string{"not a number"}, r.take(), "reported once")

	require.NoError(t, os.Remove(path))
	f.Check()
	f.Check()
	assert.Equal(t, 2, *f.Value())
	got := r.take()
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "no such file or directory")

	write(t, path, "2\n")
	f.Check()
	assert.Equal(t, 2, *f.Value())
	assert.Equal(t, []string{"ok"}, r.take(), "the same good contents again are a recovery")

	write(t, path, "3")
	f.Check()
	assert.Equal(t, 3, *f.Value())
	assert.Equal(t, []string{"ok"}, r.take())
}

func TestWatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n")
	write(t, path, "1")
	var r reports
	f := New(path, 64, parseNumber, r.report)
	require.NoError(t, f.Load())
	f.Watch(time.Millisecond)
	defer f.Stop()
	write(t, path, "5")
	require.Eventually(t, func() bool { return *f.Value() == 5 }, 10*time.Second, time.Millisecond)
	f.Stop()
	f.Stop() // twice is fine
	assert.Equal(t, []string{"ok"}, r.take())
}

func TestStopWithoutWatch(t *testing.T) {
	New("", 1, parseNumber, func(error) {}).Stop()
}
