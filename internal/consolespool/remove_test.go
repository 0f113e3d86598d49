package consolespool

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRemove(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run-1")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	w := NewWriter(dir, Stdout, 1<<20)
	w.Write([]byte("a line\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := WriteCheckpoint(dir, Stdout, 7); err != nil {
		t.Fatal(err)
	}
	if err := WriteExit(dir, Exit{Command: "job", Started: time.Now(), Ended: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := Remove(dir); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the spool is still there: %v", err)
	}
	if err := Remove(dir); err != nil {
		t.Fatalf("Remove of a spool already removed: %v", err)
	}
}
