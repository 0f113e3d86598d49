package pickle

import (
	"os"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// BenchmarkDecodeDict decodes real SocketHandler frames (protocol 1, as
// makePickle sends them) into a fresh map each, with one reused decoder:
// a connection's steady state.
func BenchmarkDecodeDict(b *testing.B) {
	for _, name := range []string{"basic", "exc_info", "unicode"} {
		b.Run(name, func(b *testing.B) {
			frame, err := os.ReadFile("testdata/frames/" + name + ".p1.pickle")
			if err != nil {
				b.Fatal(err)
			}
			var d Decoder
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.DecodeDict(frame, pcommon.NewMap()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
