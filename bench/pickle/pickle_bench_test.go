// Package pickle_test compares the aindreceiver's restricted unpickler with
// og-rek and gopickle on real SocketHandler frames: decode + conversion to
// pcommon.Map. A separate module, so the collector never depends on them.
package pickle_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"

	ours "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/pickle"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
)

const frames = "../../aindreceiver/internal/pickle/testdata/frames/"

// The protocol 1 frames of three fixtures, and unique_msgs: basic with a
// different message in each of 4096 frames (so that no string cache helps
// with the message).
var benchFrames = []string{"basic", "exc_info", "unicode", "unique_msgs"}

func framesOf(tb testing.TB, name string) [][]byte {
	if name != "unique_msgs" {
		return [][]byte{readFrame(tb, name+".p1.pickle")}
	}
	frame := readFrame(tb, "basic.p1.pickle")
	out := make([][]byte, 4096)
	for i := range out {
		out[i] = bytes.Replace(frame, []byte("SPIM-7"), fmt.Appendf(nil, "%06d", i), 1)
	}
	return out
}

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
		"ogrek": func() decoder { return decodeOgrek },
		// Not a pickle decoder: the same record as a JSON line, decoded
		// as the file input decodes lines, for scale.
		"json-reference": func() decoder {
			return func(b []byte, m pcommon.Map) error { return pdatajson.ParseObject(b, m) }
		},
		"gopickle": func() decoder { return decodeGopickle },
	}
}

// BenchmarkDecode: sub-benchmarks frame/library, so that benchstat's
// columns compare the libraries frame by frame (-count interleaves them).
func BenchmarkDecode(b *testing.B) {
	for _, name := range benchFrames {
		frames := framesOf(b, name)
		for _, lib := range []string{"ours", "ogrek", "gopickle", "json-reference"} {
			in := frames
			if lib == "json-reference" {
				in = asJSON(b, frames)
			}
			b.Run(name+"/lib="+lib, func(b *testing.B) {
				dec := decoders()[lib]()
				b.SetBytes(int64(len(in[0])))
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if err := dec(in[i%len(in)], pcommon.NewMap()); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
			})
		}
	}
}

// asJSON is each frame's record as a JSON line (ours decodes it).
func asJSON(tb testing.TB, frames [][]byte) [][]byte {
	var d ours.Decoder
	out := make([][]byte, len(frames))
	for i, f := range frames {
		m := pcommon.NewMap()
		if _, err := d.DecodeDict(f, m); err != nil {
			tb.Fatal(err)
		}
		j, err := json.Marshal(m.AsRaw())
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = j
	}
	return out
}
