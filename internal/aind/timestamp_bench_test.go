package aind

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

func BenchmarkParseTimestamp(b *testing.B) {
	v := pcommon.NewValueStr("2026-03-01T08:15:02.123456Z")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := ParseTimestamp(v); !ok {
			b.Fatal("not parsed")
		}
	}
}
