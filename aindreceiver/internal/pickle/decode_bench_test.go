package pickle

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// BenchmarkDecodeDict decodes real SocketHandler frames (protocol 1, as
// makePickle sends them) into a fresh map each, with one reused decoder:
// a connection's steady state. unique_msgs is basic with a different
// message in each of 4096 frames, so that the message is never interned.
func BenchmarkDecodeDict(b *testing.B) {
	for _, name := range []string{"basic", "exc_info", "unicode", "unique_msgs"} {
		b.Run(name, func(b *testing.B) {
			frames := benchFrames(b, name)
			var d Decoder
			b.SetBytes(int64(len(frames[0])))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := d.DecodeDict(frames[i%len(frames)], pcommon.NewMap()); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

func benchFrames(b *testing.B, name string) [][]byte {
	file := name
	if name == "unique_msgs" {
		file = "basic"
	}
	frame, err := os.ReadFile("testdata/frames/" + file + ".p1.pickle")
	if err != nil {
		b.Fatal(err)
	}
	if name != "unique_msgs" {
		return [][]byte{frame}
	}
	frames := make([][]byte, 4096)
	for i := range frames {
		// Same length, so the BINUNICODE length still holds.
		frames[i] = bytes.Replace(frame, []byte("SPIM-7"), fmt.Appendf(nil, "%06d", i), 1)
	}
	return frames
}
