package main

import (
	"bytes"
	"testing"
	"time"
)

func TestAppendLine(t *testing.T) {
	base := time.Date(2026, 12, 8, 4, 54, 2, 1e6, time.UTC)
	for _, size := range []int{64, 100, 101, 4096} {
		for _, i := range []int{0, 42, 9999999} {
			b := appendLine(nil, base, i, size)
			if len(b) != size || b[len(b)-1] != '\n' || bytes.Count(b, []byte{'\n'}) != 1 {
				t.Errorf("line %d of %d bytes: %d bytes %q", i, size, len(b), b)
			}
			if !bytes.HasPrefix(b, []byte("2026-12-08 04:54:")) {
				t.Errorf("line %d: %q", i, b)
			}
		}
	}
}
