package procfs

import (
	"os"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	// A command name with a space and a parenthesis, as a process may set.
	stat := []byte("4242 (otel col) x) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 37 0 0 20 0 12 0 100 2000000 3000 18446744073709551615\n")
	got, err := ParseStatCPU(stat)
	if err != nil {
		t.Fatal(err)
	}
	if want := 287 * ClockTick; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := ParseStatCPU([]byte("4242 (x) S 1 2")); err == nil {
		t.Error("short stat: no error")
	}
}

func TestParseStatusKB(t *testing.T) {
	status := []byte("Name:\totelcol-aind\nVmPeak:\t 2000000 kB\nVmHWM:\t   91234 kB\nVmRSS:\t   80000 kB\n")
	got, err := ParseStatusKB(status, "VmHWM")
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(91234) << 10; got != want {
		t.Errorf("got %d, want %d", got, want)
	}
	if _, err := ParseStatusKB(status, "VmSwap"); err == nil {
		t.Error("missing field: no error")
	}
}

// TestSelf reads this test process's own entries: the live format parses.
func TestSelf(t *testing.T) {
	deadline := time.Now().Add(30 * time.Millisecond)
	for time.Now().Before(deadline) { // burn a little CPU
	}
	if _, err := CPUTime(os.Getpid()); err != nil {
		t.Fatal(err)
	}
	rss, err := PeakRSS(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if rss < 1<<20 {
		t.Errorf("peak RSS %d bytes: implausibly small", rss)
	}
}
