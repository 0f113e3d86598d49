package lokifit

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit/lokifittest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// randomRecord fills lr with attributes and a body of random shapes and
// sizes up to about scale bytes: names Loki rewrites or refuses, nested
// maps, slices, every value type, long strings of multi-byte runes, stack
// traces, and timestamps out of range.
func randomRecord(rng *rand.Rand, lr plog.LogRecord, scale int) {
	attrs := lr.Attributes()
	n := rng.IntN(4)
	switch rng.IntN(4) {
	case 0:
		n = rng.IntN(300)
	case 1:
		n = rng.IntN(40)
	}
	for range n {
		randomValue(rng, attrs.PutEmpty(randomKey(rng)), scale, 0)
	}
	if rng.IntN(3) == 0 {
		attrs.PutStr(aind.AttrExceptionStack, randomString(rng, rng.IntN(scale/2+1)))
	}
	if rng.IntN(4) == 0 {
		attrs.PutStr(aind.AttrParseError, "invalid JSON")
		attrs.PutEmptySlice(aind.AttrValidationErrors).AppendEmpty().SetStr("R1")
	}
	if rng.IntN(2) == 0 {
		lr.Body().SetStr(randomString(rng, rng.IntN(scale)))
	} else {
		randomValue(rng, lr.Body(), scale, 1)
	}
	if rng.IntN(3) == 0 {
		lr.SetTraceID(pcommon.TraceID{1, 2, 3})
		lr.SetSpanID(pcommon.SpanID{4})
		lr.SetFlags(plog.DefaultLogRecordFlags.WithIsSampled(true))
		lr.SetDroppedAttributesCount(uint32(rng.IntN(1000)))
	}
	day := int64(24 * time.Hour)
	at := func() pcommon.Timestamp {
		switch rng.IntN(5) {
		case 0:
			return 0
		case 1:
			return pcommon.Timestamp(lokifittest.Now.UnixNano() - rng.Int64N(30*day))
		case 2:
			return pcommon.Timestamp(lokifittest.Now.UnixNano() + rng.Int64N(day))
		}
		return pcommon.Timestamp(lokifittest.Now.UnixNano() - rng.Int64N(day))
	}
	lr.SetTimestamp(at())
	lr.SetObservedTimestamp(at())
}

var keyParts = []string{"a", "b.c", "_", "__", "9", "ü", "-", "x_y", "detected_level", "exception.stacktrace", ".", "Z"}

func randomKey(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(4) {
		b.WriteString(keyParts[rng.IntN(len(keyParts))])
	}
	if rng.IntN(3) > 0 {
		fmt.Fprintf(&b, "k%d", rng.IntN(1000))
	}
	return b.String()
}

// randomString is about n bytes of valid UTF-8: a random run of runes of
// one to four bytes, JSON escapes included, repeated.
func randomString(rng *rand.Rand, n int) string {
	runes := []string{"a", "b", " ", "\n", "é", "€", "😀", "\"", "<", "\x01"}
	var b strings.Builder
	for b.Len() < min(n, 64) {
		b.WriteString(runes[rng.IntN(len(runes))])
	}
	run := b.String()
	if len(run) >= n {
		return run
	}
	return strings.Repeat(run, n/len(run)+1)
}

func randomValue(rng *rand.Rand, v pcommon.Value, scale, depth int) {
	switch k := rng.IntN(10); {
	case k < 4:
		n := rng.IntN(40)
		if rng.IntN(24) == 0 {
			n = rng.IntN(scale/4 + 1)
		}
		v.SetStr(randomString(rng, n))
	case k == 4:
		v.SetInt(rng.Int64() - rng.Int64())
	case k == 5:
		v.SetDouble((rng.Float64() - 0.5) * float64(uint64(1)<<rng.IntN(80)))
	case k == 6:
		v.SetBool(rng.IntN(2) == 0)
	case k == 7:
		v.SetEmptyBytes().FromRaw([]byte(randomString(rng, rng.IntN(50))))
	case k == 8 && depth < 3:
		m := v.SetEmptyMap()
		for range rng.IntN(60 / (depth + 1)) {
			randomValue(rng, m.PutEmpty(randomKey(rng)), scale, depth+1)
		}
	case k == 9 && depth < 3:
		s := v.SetEmptySlice()
		for range rng.IntN(10) {
			randomValue(rng, s.AppendEmpty(), scale, depth+1)
		}
	}
}
