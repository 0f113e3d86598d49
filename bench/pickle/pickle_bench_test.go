// Package pickle_test compares the aindreceiver's restricted unpickler with
// og-rek and gopickle on real SocketHandler frames: decode + conversion to
// pcommon.Map. A separate module, so the collector never depends on them.
package pickle_test

import (
	"os"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"

	ours "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/pickle"
)

const frames = "../../aindreceiver/internal/pickle/testdata/frames/"

var benchFrames = []string{"basic", "exc_info", "unicode"}

func readFrame(tb testing.TB, name string) []byte {
	b, err := os.ReadFile(frames + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

type decoder func([]byte, pcommon.Map) error

func decoders() map[string]func() decoder {
	return map[string]func() decoder{
		"ours": func() decoder {
			var d ours.Decoder // reused per connection
			return func(b []byte, m pcommon.Map) error { _, err := d.DecodeDict(b, m); return err }
		},
		"ogrek":    func() decoder { return decodeOgrek },
		"gopickle": func() decoder { return decodeGopickle },
	}
}

// BenchmarkDecode: sub-benchmarks frame/library, so that benchstat's
// columns compare the libraries frame by frame (-count interleaves them).
func BenchmarkDecode(b *testing.B) {
	for _, name := range benchFrames {
		frame := readFrame(b, name+".p1.pickle")
		for _, lib := range []string{"ours", "ogrek", "gopickle"} {
			b.Run(name+"/lib="+lib, func(b *testing.B) {
				dec := decoders()[lib]()
				b.SetBytes(int64(len(frame)))
				b.ReportAllocs()
				for b.Loop() {
					if err := dec(frame, pcommon.NewMap()); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
			})
		}
	}
}
