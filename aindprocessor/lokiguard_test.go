package aindprocessor

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// guardNow is the pinned clock of these tests.
var guardNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// guardBatch is a batch as the aind processor emits it: one resource with
// service.name (an index label) and rig_id (structured metadata), one scope.
func guardBatch() (plog.Logs, plog.LogRecord) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "waterlog")
	rl.Resource().Attributes().PutStr("rig_id", "frg_1_a")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("aind_data_schema.loader")
	lr := sl.LogRecords().AppendEmpty()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(guardNow.Add(-time.Minute)))
	lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(guardNow))
	lr.SetSeverityNumber(plog.SeverityNumberError)
	lr.SetSeverityText("ERROR")
	lr.Body().SetStr("Loaded 42 sessions")
	lr.Attributes().PutStr("subject_id", "123456")
	lr.Attributes().PutInt("code.line.number", 118)
	return ld, lr
}

// fitBatch runs the guard alone, as processLogs does after the mapping.
func fitBatch(t *testing.T, cfg *Config, ld plog.Logs) *fitter {
	t.Helper()
	require.NoError(t, cfg.Validate())
	f := newFitter(compileLokiLimits(cfg))
	f.fitLogs(ld, guardNow)
	return f
}

// requireLokiAccepts checks the batch against the reference port of Loki.
func requireLokiAccepts(t *testing.T, c LokiLimitsConfig, ld plog.Logs) []refEntry {
	t.Helper()
	entries, err := refPush(ld, c.IndexLabels, guardNow)
	require.NoError(t, err, "Loki would refuse the whole request")
	for i, e := range entries {
		require.Empty(t, refValidate(e, c, guardNow), "record %d", i)
	}
	return entries
}

func smallLimits() *Config {
	cfg := createDefaultConfig()
	cfg.LokiLimits.MaxLineSize = 4 << 10
	cfg.LokiLimits.MaxStructuredMetadataSize = 2 << 10
	cfg.LokiLimits.MaxStructuredMetadataEntriesCount = 20
	return cfg
}

func TestLokiGuardLineSize(t *testing.T) {
	cfg := createDefaultConfig()
	ld, lr := guardBatch()
	// 3-byte runes, so the limit falls inside one.
	long := strings.Repeat("€", 100_000)
	lr.Body().SetStr(long)
	f := fitBatch(t, cfg, ld)

	line := lr.Body().Str()
	assert.LessOrEqual(t, len(line), 256<<10)
	assert.Greater(t, len(line), 256<<10-utf8.UTFMax)
	assert.True(t, utf8.ValidString(line))
	assert.True(t, strings.HasPrefix(long, line))
	assertAttr(t, lr, aind.AttrTruncated, true)
	assert.Equal(t, int64(1), f.fixes[limitLineSize])
	requireLokiAccepts(t, cfg.LokiLimits, ld)
}

func TestLokiGuardLineSizeMapBody(t *testing.T) {
	cfg := smallLimits()
	ld, lr := guardBatch()
	body := lr.Body().SetEmptyMap()
	for i := range 100 {
		body.PutStr(fmt.Sprintf("key%03d", i), strings.Repeat("v", 100))
	}
	want := lr.Body().AsString()
	fitBatch(t, cfg, ld)

	require.Equal(t, pcommon.ValueTypeStr, lr.Body().Type(), "a cut map body is the start of its JSON text")
	assert.Equal(t, want[:4<<10], lr.Body().Str())
	assertAttr(t, lr, aind.AttrTruncated, true)
	requireLokiAccepts(t, cfg.LokiLimits, ld)
}

func TestLokiGuardStacktraceMovesToBody(t *testing.T) {
	cfg := createDefaultConfig()
	ld, lr := guardBatch()
	stack := "Traceback (most recent call last):\n" + strings.Repeat("  File \"run.py\", line 1, in <module>\n", 2800) + "ValueError: bad"
	require.Greater(t, len(stack), 100_000)
	lr.Attributes().PutStr(aind.AttrExceptionStack, stack)
	lr.Attributes().PutStr(aind.AttrExceptionType, "ValueError")
	f := fitBatch(t, cfg, ld)

	assert.Equal(t, "Loaded 42 sessions\n"+stack, lr.Body().Str())
	assertNoAttr(t, lr, aind.AttrExceptionStack)
	assertAttr(t, lr, aind.AttrExceptionType, "ValueError")
	assertNoAttr(t, lr, aind.AttrTruncated)
	assertNoAttr(t, lr, aind.AttrFoldedCount)
	assert.Equal(t, int64(1), f.fixes[limitSMSize])
	requireLokiAccepts(t, cfg.LokiLimits, ld)
}

func TestLokiGuardEntriesCapped(t *testing.T) {
	cfg := createDefaultConfig()
	ld, lr := guardBatch()
	for i := range 200 {
		lr.Attributes().PutInt(fmt.Sprintf("extra.%03d", i), int64(i))
	}
	lr.Attributes().PutStr(aind.AttrParseError, "not a JSON object")
	f := fitBatch(t, cfg, ld)

	entries := requireLokiAccepts(t, cfg.LokiLimits, ld)
	assert.Len(t, entries[0].StructuredMetadata, 128, "capped exactly to the limit, as Loki counts")
	assert.Equal(t, int64(1), f.fixes[limitSMEntries])
	// The standard's fields and the flags stay; the last extras moved.
	assertAttr(t, lr, "subject_id", "123456")
	assertAttr(t, lr, "code.line.number", int64(118))
	assertAttr(t, lr, aind.AttrParseError, "not a JSON object")
	assertAttr(t, lr, "extra.000", int64(0))
	assertNoAttr(t, lr, "extra.199")

	// Nothing is lost: the folded attributes are JSON after the message.
	folded, ok := lr.Attributes().Get(aind.AttrFoldedCount)
	require.True(t, ok)
	msg, text, ok := strings.Cut(lr.Body().Str(), "\n")
	require.True(t, ok)
	assert.Equal(t, "Loaded 42 sessions", msg)
	var moved map[string]int
	require.NoError(t, json.Unmarshal([]byte(text), &moved))
	assert.Len(t, moved, int(folded.Int()))
	for k, v := range moved {
		assertNoAttr(t, lr, k)
		assert.Equal(t, fmt.Sprintf("extra.%03d", v), k)
	}
	assert.Equal(t, 200, len(moved)+lr.Attributes().Len()-4, "every extra is either kept or folded")
}

func TestLokiGuardNestedMapsCountFlattened(t *testing.T) {
	cfg := createDefaultConfig()
	ld, lr := guardBatch()
	// Three attributes, but 2*75 leaves in Loki's eyes.
	nested := lr.Attributes().PutEmptyMap("extra")
	for _, branch := range []string{"probe.a", "probe.b"} {
		m := nested.PutEmptyMap(branch)
		for i := range 75 {
			m.PutInt(fmt.Sprintf("ch%d", i), int64(i))
		}
	}
	before := ld.LogRecordCount()
	f := fitBatch(t, cfg, ld)

	require.Equal(t, before, ld.LogRecordCount())
	assertNoAttr(t, lr, "extra")
	assertAttr(t, lr, aind.AttrFoldedCount, int64(1))
	assert.Contains(t, lr.Body().Str(), `{"extra":{"probe.a":{"ch0":0,`)
	assert.Equal(t, int64(1), f.fixes[limitSMEntries])
	requireLokiAccepts(t, cfg.LokiLimits, ld)
}

func TestLokiGuardLongValuesCut(t *testing.T) {
	cfg := createDefaultConfig()
	ld, lr := guardBatch()
	lr.Attributes().PutStr("request.body", strings.Repeat("a", 50_000))
	lr.Attributes().PutStr("response.body", strings.Repeat("ü", 20_000)) // 40000 bytes
	lr.Attributes().PutStr("short", "kept as is")
	fitBatch(t, cfg, ld)

	entries := requireLokiAccepts(t, cfg.LokiLimits, ld)
	size := refSMSize(entries[0].StructuredMetadata)
	assert.Greater(t, size, 64<<10-64, "cut no more than needed")
	assertAttr(t, lr, aind.AttrTruncated, true)
	assertAttr(t, lr, "short", "kept as is")
	a, _ := lr.Attributes().Get("request.body")
	b, _ := lr.Attributes().Get("response.body")
	assert.InDelta(t, len(a.Str()), len(b.Str()), 2, "both cut to one length")
	assert.True(t, utf8.ValidString(b.Str()))
	assert.Equal(t, "Loaded 42 sessions", lr.Body().Str())
}

// Structured metadata exactly at the limit and a line over it: the flag for
// the line must still fit.
func TestLokiGuardFlagFits(t *testing.T) {
	cfg := createDefaultConfig()
	ld, lr := guardBatch()
	entries, err := refPush(ld, cfg.LokiLimits.IndexLabels, guardNow)
	require.NoError(t, err)
	room := 64<<10 - refSMSize(entries[0].StructuredMetadata) - len("filler")
	lr.Attributes().PutStr("filler", strings.Repeat("x", room))
	entries, err = refPush(ld, cfg.LokiLimits.IndexLabels, guardNow)
	require.NoError(t, err)
	require.Equal(t, 64<<10, refSMSize(entries[0].StructuredMetadata))
	lr.Body().SetStr(strings.Repeat("y", 300_000))
	fitBatch(t, cfg, ld)

	assertAttr(t, lr, aind.AttrTruncated, true)
	requireLokiAccepts(t, cfg.LokiLimits, ld)
}

func TestLokiGuardInvalidNames(t *testing.T) {
	cfg := createDefaultConfig()
	ld, lr := guardBatch()
	lr.Attributes().PutStr("", "empty key")
	lr.Attributes().PutStr("...", "dots")
	lr.Attributes().PutStr("__", "underscores")
	lr.Attributes().PutStr("_ok", "valid: holds a letter")
	_, err := refPush(ld, cfg.LokiLimits.IndexLabels, guardNow)
	require.Error(t, err, "Loki refuses the request")
	f := fitBatch(t, cfg, ld)

	requireLokiAccepts(t, cfg.LokiLimits, ld)
	assertAttr(t, lr, "_ok", "valid: holds a letter")
	assertAttr(t, lr, aind.AttrFoldedCount, int64(3))
	assert.Equal(t, "Loaded 42 sessions\n"+`{"":"empty key","...":"dots","__":"underscores"}`, lr.Body().Str())
	assert.Equal(t, int64(1), f.fixes[limitAttributeName])
}

func TestLokiGuardTimestamps(t *testing.T) {
	day := 24 * time.Hour
	ts := func(d time.Duration) pcommon.Timestamp { return pcommon.NewTimestampFromTime(guardNow.Add(d)) }
	tests := []struct {
		name               string
		timestamp, observe pcommon.Timestamp
		want               pcommon.Timestamp
		original           string // aind.timestamp.original, "" for none
	}{
		{"recent stays", ts(-time.Hour), ts(0), ts(-time.Hour), ""},
		{"old gets observed time", ts(-8 * day), ts(-time.Minute), ts(-time.Minute), "2026-02-21T12:00:00Z"},
		{"old and observed old gets now", ts(-8 * day), ts(-8 * day), ts(0), "2026-02-21T12:00:00Z"},
		{"old without observed gets now", ts(-30*day + time.Millisecond), 0, ts(0), "2026-01-30T12:00:00.001Z"},
		{"within the delivery delay of the max age", ts(-7*day + 9*time.Minute), ts(0), ts(0), "2026-02-22T12:09:00Z"},
		{"just outside the delivery delay", ts(-7*day + 11*time.Minute), ts(0), ts(-7*day + 11*time.Minute), ""},
		{"future beyond the grace period", ts(time.Hour), ts(0), ts(0), "2026-03-01T13:00:00Z"},
		{"future within the grace period", ts(9 * time.Minute), ts(0), ts(9 * time.Minute), ""},
		{"no timestamp, observed recent", 0, ts(-time.Hour), 0, ""},
		{"no timestamp, observed old", 0, ts(-8 * day), ts(0), ""},
		{"no timestamps at all", 0, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig()
			ld, lr := guardBatch()
			lr.SetTimestamp(tt.timestamp)
			lr.SetObservedTimestamp(tt.observe)
			f := fitBatch(t, cfg, ld)

			assert.Equal(t, tt.want, lr.Timestamp())
			assert.Equal(t, tt.observe, lr.ObservedTimestamp(), "the observed time is never changed")
			if tt.original == "" {
				assertNoAttr(t, lr, aind.AttrTimestampOriginal)
			} else {
				assertAttr(t, lr, aind.AttrTimestampOriginal, tt.original)
			}
			assert.Equal(t, int64(b2i(tt.want != tt.timestamp)), f.fixes[limitTimestamp])
			requireLokiAccepts(t, cfg.LokiLimits, ld)
		})
	}
}

func TestLokiGuardTimestampsOff(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.LokiLimits.RejectOldSamples = false
	ld, lr := guardBatch()
	old := pcommon.NewTimestampFromTime(guardNow.Add(-100 * 24 * time.Hour))
	lr.SetTimestamp(old)
	fitBatch(t, cfg, ld)
	assert.Equal(t, old, lr.Timestamp())
}

// oversized is a record that breaks every limit.
func oversized(lr plog.LogRecord) {
	lr.SetTimestamp(pcommon.NewTimestampFromTime(guardNow.Add(-30 * 24 * time.Hour)))
	lr.Body().SetStr(strings.Repeat("line ", 60_000))
	lr.Attributes().PutStr(aind.AttrExceptionStack, strings.Repeat("frame\n", 20_000))
	lr.Attributes().PutStr("", "invalid name")
	for i := range 150 {
		lr.Attributes().PutStr(fmt.Sprintf("extra.%03d", i), strings.Repeat("v", 600))
	}
}

func TestLokiGuardDisabledChangesNothing(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.LokiLimits.Enabled = false
	ld, lr := guardBatch()
	oversized(lr)
	want := marshalLogs(t, ld)

	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	require.NoError(t, err)
	p := newTestProcessor(t, cfg, tb)
	require.Nil(t, p.limits)
	out, err := p.processLogs(context.Background(), ld)
	require.NoError(t, err)
	assert.Equal(t, want, marshalLogs(t, out))
}

func TestLokiGuardSmallRecordUntouched(t *testing.T) {
	ld, lr := guardBatch()
	lr.Attributes().PutStr(aind.AttrExceptionStack, "Traceback (most recent call last):\nValueError: x")
	lr.Attributes().PutEmptyMap("extra").PutEmptySlice("channels").AppendEmpty().SetInt(1)
	lr.Body().SetStr(strings.Repeat("é", 1000))
	want := marshalLogs(t, ld)
	f := fitBatch(t, createDefaultConfig(), ld)
	assert.Equal(t, want, marshalLogs(t, ld), "byte-identical")
	assert.Equal(t, [numLimits]int64{}, f.fixes)
}

func TestLokiGuardResourceTooLarge(t *testing.T) {
	cfg := createDefaultConfig()
	ld, lr := guardBatch()
	ld.ResourceLogs().At(0).Resource().Attributes().PutStr("huge", strings.Repeat("r", 70_000))
	f := fitBatch(t, cfg, ld)
	assert.Equal(t, int64(1), f.unfixable[limitSMSize], "a resource alone over the limit is counted, not hidden")
	assertAttr(t, lr, "subject_id", "123456")
}

func TestLokiGuardTelemetry(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(tel.NewTelemetrySettings())
	require.NoError(t, err)
	p := newTestProcessor(t, createDefaultConfig(), tb)
	p.now = func() time.Time { return guardNow }

	ld, lr := guardBatch()
	oversized(lr)
	lr2 := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().AppendEmpty()
	lr2.Body().SetStr(strings.Repeat("x", 300_000))
	out, err := p.processLogs(context.Background(), ld)
	require.NoError(t, err)
	requireLokiAccepts(t, createDefaultConfig().LokiLimits, out)

	got, err := tel.GetMetric("otelcol_processor_aind_loki_limit_fixes")
	require.NoError(t, err)
	counts := map[string]int64{}
	for _, dp := range got.Data.(metricdata.Sum[int64]).DataPoints {
		v, _ := dp.Attributes.Value(attribute.Key("limit"))
		counts[v.AsString()] = dp.Value
	}
	assert.Equal(t, map[string]int64{
		"line_size":                   2,
		"structured_metadata_size":    1,
		"structured_metadata_entries": 1,
		"timestamp":                   1,
		"attribute_name":              1,
	}, counts)
	_, err = tel.GetMetric("otelcol_processor_aind_loki_limit_unfixable")
	assert.Error(t, err, "nothing unfixable")
}

// The exact accounting must equal Loki's, names and flattening included.
func TestLokiAccountingMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cfg := createDefaultConfig()
	f := newFitter(compileLokiLimits(cfg))
	for i := range 500 {
		ld, lr := guardBatch()
		randomRecord(rng, lr, 2_000)
		entries, err := refPush(ld, cfg.LokiLimits.IndexLabels, guardNow)
		var invalid bool
		lr.Attributes().Range(func(k string, _ pcommon.Value) bool {
			invalid = invalid || !validLabelName(k)
			return true
		})
		if invalid {
			require.Error(t, err, "record %d", i)
			continue
		}
		require.NoError(t, err, "record %d", i)
		rl := ld.ResourceLogs().At(0)
		fixed := f.acct.resourceCost(rl.Resource(), f.lim.indexLabels)
		fixed.add(f.acct.scopeCost(rl.ScopeLogs().At(0).Scope()))
		got := f.collect(lr, fixed)
		want := smCost{len(entries[0].StructuredMetadata), refSMSize(entries[0].StructuredMetadata)}
		require.Equal(t, want, got, "record %d", i)
		bound := fixed
		bound.add(recordFieldsBound(lr))
		lr.Attributes().Range(func(k string, v pcommon.Value) bool {
			bound.add(attrBound(k, v))
			return true
		})
		require.GreaterOrEqual(t, bound.size, got.size, "record %d: the cheap bound must bound", i)
		require.GreaterOrEqual(t, bound.entries, got.entries, "record %d", i)
		require.GreaterOrEqual(t, lineBound(lr.Body()), len(entries[0].Line), "record %d", i)
	}
}

// Property: whatever the record, after the guard Loki accepts it, and the
// aind.* flags it had are still there.
func TestLokiGuardProperty(t *testing.T) {
	configs := map[string]*Config{"defaults": createDefaultConfig(), "small": smallLimits()}
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, uint64(len(name))))
			scale := 400_000
			if name == "small" {
				scale = 8_000
			}
			var fixed [numLimits]int64
			for i := range 120 {
				ld, lr := guardBatch()
				randomRecord(rng, lr, scale)
				flags := map[string]any{}
				lr.Attributes().Range(func(k string, v pcommon.Value) bool {
					if strings.HasPrefix(k, "aind.") {
						flags[k] = v.AsRaw()
					}
					return true
				})
				f := fitBatch(t, cfg, ld)
				for l, n := range f.fixes {
					fixed[l] += n
				}
				require.Equal(t, [numLimits]int64{}, f.unfixable, "record %d", i)
				entries, err := refPush(ld, cfg.LokiLimits.IndexLabels, guardNow)
				require.NoError(t, err, "record %d: Loki would refuse the request", i)
				require.Empty(t, refValidate(entries[0], cfg.LokiLimits, guardNow), "record %d", i)
				for k, v := range flags {
					got, ok := lr.Attributes().Get(k)
					require.True(t, ok, "record %d lost %s", i, k)
					if k != aind.AttrFoldedCount && k != aind.AttrTruncated && k != aind.AttrTimestampOriginal {
						require.Equal(t, v, got.AsRaw(), "record %d changed %s", i, k)
					}
				}
				require.True(t, utf8.ValidString(lr.Body().AsString()), "record %d: body cut inside a rune", i)
			}
			t.Logf("records fixed, by limit: %v", fixed)
			for l, n := range fixed {
				assert.Positive(t, n, "no record needed a %s fix: the generator is too tame", limitNames[l])
			}
		})
	}
}

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
			return pcommon.Timestamp(guardNow.UnixNano() - rng.Int64N(30*day))
		case 2:
			return pcommon.Timestamp(guardNow.UnixNano() + rng.Int64N(day))
		}
		return pcommon.Timestamp(guardNow.UnixNano() - rng.Int64N(day))
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

func marshalLogs(t *testing.T, ld plog.Logs) []byte {
	t.Helper()
	b, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	return b
}

// Through the whole processor: an AIND record with a long traceback.
func TestLokiGuardAfterMapping(t *testing.T) {
	stack := "Traceback (most recent call last):\n" + strings.Repeat("  File \"run.py\", line 1, in <module>\n", 2800) + "ValueError: bad value"
	line, err := json.Marshal(map[string]any{"timestamp": "2026-02-09T21:19:24Z", "level": "ERROR", "message": "failed", "exc_info": stack, "software_name": "waterlog"})
	require.NoError(t, err)
	out := process(t, createDefaultConfig(), linesToLogs(nil, string(line)))
	_, _, lr := only(t, out)
	assert.Equal(t, "failed\n"+stack, lr.Body().Str())
	assertNoAttr(t, lr, aind.AttrExceptionStack)
	assertAttr(t, lr, aind.AttrExceptionType, "ValueError")
	assertAttr(t, lr, aind.AttrExceptionMessage, "bad value")
}
