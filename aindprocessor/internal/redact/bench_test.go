package redact

import (
	"testing"
)

// BenchmarkRedactString measures the string redactor on single values.
func BenchmarkRedactString(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"clean-short", "aind_data_schema.loader"},
		{"clean-message", "Failed to save session: could not connect to database dataverse after 3 retries (status=fail)"},
		{"clean-url", "https://github.com/AllenNeuralDynamics/aind-data-schema/issues/1020?tab=comments"},
		{"clean-1KiB", string(make1KiB())},
		{"secret-kv", "login password=hunter2 user=bobby.b"},
		{"secret-jwt", "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIz"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := testWalker(b, DefaultConfig())
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.s)))
			for b.Loop() {
				w.redact(bc.s)
			}
		})
	}
}

func make1KiB() []byte {
	const text = "Acquisition 713491_2026-02-09_21-00-00 on rig frg_1_a: 384 channels, sha256 9f86d081884c7d659a2feaa0c55ad015, status=ok; "
	var out []byte
	for len(out) < 1024 {
		out = append(out, text...)
	}
	return out[:1024]
}
