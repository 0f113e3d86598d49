package consoletext

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkDecoder decodes 64 KiB Writes of lines as a job prints them;
// ns/line and allocs/line are per line.
func BenchmarkDecoder(b *testing.B) {
	plain := strings.Repeat("x", 99) + "\n"
	inputs := []struct{ name, line string }{
		{"plain100", plain},
		{"pythonLogging", "INFO:acquisition.camera:frame 12345 grabbed in 3.2 ms, exposure 10 ms, gain 2.0 dB\n"},
		{"asctime", "2024-05-01 10:00:00,123 - acquisition.camera - WARNING - frame 12345 dropped\n"},
		{"crlf", strings.Repeat("x", 98) + "\r\n"},
		{"colour", "\x1b[32mINFO\x1b[0m:root:" + strings.Repeat("x", 80) + "\n"},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			chunk := bytes.Repeat([]byte(in.line), 64<<10/len(in.line))
			lines := bytes.Count(chunk, []byte{'\n'})
			d := NewDecoder(Config{MaxLogSize: 1 << 20})
			out := make([]Record, 0, lines)
			b.SetBytes(int64(len(chunk)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				out = d.Write(chunk, t0, out[:0])
				if len(out) != lines {
					b.Fatal(fmt.Sprint("records: ", len(out)))
				}
			}
			b.StopTimer()
			n := float64(b.N) * float64(lines)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/line")
			allocs := testing.AllocsPerRun(1, func() { out = d.Write(chunk, t0, out[:0]) })
			b.ReportMetric(allocs/float64(lines), "allocs/line")
		})
	}
}
