package lokifit

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit/lokifittest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

func TestFitLineSize(t *testing.T) {
	cfg := defaults()
	ld, lr := lokifittest.Batch()
	// 3-byte runes, so the limit falls inside one.
	long := strings.Repeat("€", 100_000)
	lr.Body().SetStr(long)
	res := fitBatch(t, cfg, ld)

	line := lr.Body().Str()
	assert.LessOrEqual(t, len(line), 256<<10)
	assert.Greater(t, len(line), 256<<10-utf8.UTFMax)
	assert.True(t, utf8.ValidString(line))
	assert.True(t, strings.HasPrefix(long, line))
	plogtest.AssertAttr(t, lr, aind.AttrTruncated, true)
	assert.Equal(t, int64(1), res.Fixes[LineSize])
	requireLokiAccepts(t, cfg, ld)
}

func TestFitLineSizeMapBody(t *testing.T) {
	cfg := smallLimits()
	ld, lr := lokifittest.Batch()
	body := lr.Body().SetEmptyMap()
	for i := range 100 {
		body.PutStr(fmt.Sprintf("key%03d", i), strings.Repeat("v", 100))
	}
	want := lr.Body().AsString()
	fitBatch(t, cfg, ld)

	require.Equal(t, pcommon.ValueTypeStr, lr.Body().Type(), "a cut map body is the start of its JSON text")
	assert.Equal(t, want[:4<<10], lr.Body().Str())
	plogtest.AssertAttr(t, lr, aind.AttrTruncated, true)
	requireLokiAccepts(t, cfg, ld)
}

func TestFitStacktraceMovesToBody(t *testing.T) {
	cfg := defaults()
	ld, lr := lokifittest.Batch()
	stack := "Traceback (most recent call last):\n" + strings.Repeat("  File \"run.py\", line 1, in <module>\n", 2800) + "ValueError: bad"
	require.Greater(t, len(stack), 100_000)
	lr.Attributes().PutStr(aind.AttrExceptionStack, stack)
	lr.Attributes().PutStr(aind.AttrExceptionType, "ValueError")
	res := fitBatch(t, cfg, ld)

	assert.Equal(t, "Loaded 42 sessions\n"+stack, lr.Body().Str())
	plogtest.AssertNoAttr(t, lr, aind.AttrExceptionStack)
	plogtest.AssertAttr(t, lr, aind.AttrExceptionType, "ValueError")
	plogtest.AssertNoAttr(t, lr, aind.AttrTruncated)
	plogtest.AssertNoAttr(t, lr, aind.AttrFoldedCount)
	assert.Equal(t, int64(1), res.Fixes[StructuredMetadataSize])
	requireLokiAccepts(t, cfg, ld)
}

func TestFitEntriesCapped(t *testing.T) {
	cfg := defaults()
	ld, lr := lokifittest.Batch()
	for i := range 200 {
		lr.Attributes().PutInt(fmt.Sprintf("extra.%03d", i), int64(i))
	}
	lr.Attributes().PutStr(aind.AttrParseError, "not a JSON object")
	res := fitBatch(t, cfg, ld)

	entries := requireLokiAccepts(t, cfg, ld)
	assert.Len(t, entries[0].StructuredMetadata, 128, "capped exactly to the limit, as Loki counts")
	assert.Equal(t, int64(1), res.Fixes[StructuredMetadataEntries])
	// The standard's fields and the flags stay; the last extras moved.
	plogtest.AssertAttr(t, lr, "subject_id", "123456")
	plogtest.AssertAttr(t, lr, "code.line.number", int64(118))
	plogtest.AssertAttr(t, lr, aind.AttrParseError, "not a JSON object")
	plogtest.AssertAttr(t, lr, "extra.000", int64(0))
	plogtest.AssertNoAttr(t, lr, "extra.199")

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
		plogtest.AssertNoAttr(t, lr, k)
		assert.Equal(t, fmt.Sprintf("extra.%03d", v), k)
	}
	assert.Equal(t, 200, len(moved)+lr.Attributes().Len()-4, "every extra is either kept or folded")
}

func TestFitNestedMapsCountFlattened(t *testing.T) {
	cfg := defaults()
	ld, lr := lokifittest.Batch()
	// Three attributes, but 2*75 leaves in Loki's eyes.
	nested := lr.Attributes().PutEmptyMap("extra")
	for _, branch := range []string{"probe.a", "probe.b"} {
		m := nested.PutEmptyMap(branch)
		for i := range 75 {
			m.PutInt(fmt.Sprintf("ch%d", i), int64(i))
		}
	}
	before := ld.LogRecordCount()
	res := fitBatch(t, cfg, ld)

	require.Equal(t, before, ld.LogRecordCount())
	plogtest.AssertNoAttr(t, lr, "extra")
	plogtest.AssertAttr(t, lr, aind.AttrFoldedCount, int64(1))
	assert.Contains(t, lr.Body().Str(), `{"extra":{"probe.a":{"ch0":0,`)
	assert.Equal(t, int64(1), res.Fixes[StructuredMetadataEntries])
	requireLokiAccepts(t, cfg, ld)
}

func TestFitLongValuesCut(t *testing.T) {
	cfg := defaults()
	ld, lr := lokifittest.Batch()
	lr.Attributes().PutStr("request.body", strings.Repeat("a", 50_000))
	lr.Attributes().PutStr("response.body", strings.Repeat("ü", 20_000)) // 40000 bytes
	lr.Attributes().PutStr("short", "kept as is")
	fitBatch(t, cfg, ld)

	entries := requireLokiAccepts(t, cfg, ld)
	size := refSMSize(entries[0].StructuredMetadata)
	assert.Greater(t, size, 64<<10-64, "cut no more than needed")
	plogtest.AssertAttr(t, lr, aind.AttrTruncated, true)
	plogtest.AssertAttr(t, lr, "short", "kept as is")
	a, _ := lr.Attributes().Get("request.body")
	b, _ := lr.Attributes().Get("response.body")
	assert.InDelta(t, len(a.Str()), len(b.Str()), 2, "both cut to one length")
	assert.True(t, utf8.ValidString(b.Str()))
	assert.Equal(t, "Loaded 42 sessions", lr.Body().Str())
}

// Structured metadata exactly at the limit and a line over it: the flag for
// the line must still fit.
func TestFitFlagFits(t *testing.T) {
	cfg := defaults()
	ld, lr := lokifittest.Batch()
	entries, err := refPush(ld, cfg.IndexLabels, lokifittest.Now)
	require.NoError(t, err)
	room := 64<<10 - refSMSize(entries[0].StructuredMetadata) - len("filler")
	lr.Attributes().PutStr("filler", strings.Repeat("x", room))
	entries, err = refPush(ld, cfg.IndexLabels, lokifittest.Now)
	require.NoError(t, err)
	require.Equal(t, 64<<10, refSMSize(entries[0].StructuredMetadata))
	lr.Body().SetStr(strings.Repeat("y", 300_000))
	fitBatch(t, cfg, ld)

	plogtest.AssertAttr(t, lr, aind.AttrTruncated, true)
	requireLokiAccepts(t, cfg, ld)
}

func TestFitInvalidNames(t *testing.T) {
	cfg := defaults()
	ld, lr := lokifittest.Batch()
	lr.Attributes().PutStr("", "empty key")
	lr.Attributes().PutStr("...", "dots")
	lr.Attributes().PutStr("__", "underscores")
	lr.Attributes().PutStr("_ok", "valid: holds a letter")
	_, err := refPush(ld, cfg.IndexLabels, lokifittest.Now)
	require.Error(t, err, "Loki refuses the request")
	res := fitBatch(t, cfg, ld)

	requireLokiAccepts(t, cfg, ld)
	plogtest.AssertAttr(t, lr, "_ok", "valid: holds a letter")
	plogtest.AssertAttr(t, lr, aind.AttrFoldedCount, int64(3))
	assert.Equal(t, "Loaded 42 sessions\n"+`{"":"empty key","...":"dots","__":"underscores"}`, lr.Body().Str())
	assert.Equal(t, int64(1), res.Fixes[AttributeName])
}

func TestFitTimestamps(t *testing.T) {
	day := 24 * time.Hour
	ts := func(d time.Duration) pcommon.Timestamp { return pcommon.NewTimestampFromTime(lokifittest.Now.Add(d)) }
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
			cfg := defaults()
			ld, lr := lokifittest.Batch()
			lr.SetTimestamp(tt.timestamp)
			lr.SetObservedTimestamp(tt.observe)
			res := fitBatch(t, cfg, ld)

			assert.Equal(t, tt.want, lr.Timestamp())
			assert.Equal(t, tt.observe, lr.ObservedTimestamp(), "the observed time is never changed")
			if tt.original == "" {
				plogtest.AssertNoAttr(t, lr, aind.AttrTimestampOriginal)
			} else {
				plogtest.AssertAttr(t, lr, aind.AttrTimestampOriginal, tt.original)
			}
			assert.Equal(t, int64(b2i(tt.want != tt.timestamp)), res.Fixes[Timestamp])
			requireLokiAccepts(t, cfg, ld)
		})
	}
}

func TestFitTimestampsOff(t *testing.T) {
	cfg := defaults()
	cfg.RejectOldSamples = false
	ld, lr := lokifittest.Batch()
	old := pcommon.NewTimestampFromTime(lokifittest.Now.Add(-100 * 24 * time.Hour))
	lr.SetTimestamp(old)
	fitBatch(t, cfg, ld)
	assert.Equal(t, old, lr.Timestamp())
}

func TestFitSmallRecordUntouched(t *testing.T) {
	ld, lr := lokifittest.Batch()
	lr.Attributes().PutStr(aind.AttrExceptionStack, "Traceback (most recent call last):\nValueError: x")
	lr.Attributes().PutEmptyMap("extra").PutEmptySlice("channels").AppendEmpty().SetInt(1)
	lr.Body().SetStr(strings.Repeat("é", 1000))
	want := plogtest.Marshal(t, ld)
	res := fitBatch(t, defaults(), ld)
	assert.Equal(t, want, plogtest.Marshal(t, ld), "byte-identical")
	assert.Equal(t, [NumLimits]int64{}, res.Fixes)
}

func TestFitResourceTooLarge(t *testing.T) {
	cfg := defaults()
	ld, lr := lokifittest.Batch()
	ld.ResourceLogs().At(0).Resource().Attributes().PutStr("huge", strings.Repeat("r", 70_000))
	res := fitBatch(t, cfg, ld)
	assert.Equal(t, int64(1), res.Unfixable[StructuredMetadataSize], "a resource alone over the limit is counted, not hidden")
	plogtest.AssertAttr(t, lr, "subject_id", "123456")
}

// The exact accounting must equal Loki's, names and flattening included.
func TestAccountingMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cfg := defaults()
	f := newFitter(compile(cfg, nil))
	for i := range 500 {
		ld, lr := lokifittest.Batch()
		randomRecord(rng, lr, 2_000)
		entries, err := refPush(ld, cfg.IndexLabels, lokifittest.Now)
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
func TestFitProperty(t *testing.T) {
	configs := map[string]*Config{"defaults": defaults(), "small": smallLimits()}
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, uint64(len(name))))
			scale := 400_000
			if name == "small" {
				scale = 8_000
			}
			var fixed [NumLimits]int64
			for i := range 120 {
				ld, lr := lokifittest.Batch()
				randomRecord(rng, lr, scale)
				flags := map[string]any{}
				lr.Attributes().Range(func(k string, v pcommon.Value) bool {
					if strings.HasPrefix(k, "aind.") {
						flags[k] = v.AsRaw()
					}
					return true
				})
				res := fitBatch(t, cfg, ld)
				for l, n := range res.Fixes {
					fixed[l] += n
				}
				require.Equal(t, [NumLimits]int64{}, res.Unfixable, "record %d", i)
				entries, err := refPush(ld, cfg.IndexLabels, lokifittest.Now)
				require.NoError(t, err, "record %d: Loki would refuse the request", i)
				require.Empty(t, refValidate(entries[0], cfg, lokifittest.Now), "record %d", i)
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
				assert.Positive(t, n, "no record needed a %s fix: the generator is too tame", Limit(l))
			}
		})
	}
}

// The counts of a batch of two records: one breaks every limit, one only
// the line size. The processor records them as its telemetry.
func TestFitResult(t *testing.T) {
	ld, lr := lokifittest.Batch()
	lokifittest.Oversized(lr)
	lr2 := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().AppendEmpty()
	lr2.Body().SetStr(strings.Repeat("x", 300_000))
	res := fitBatch(t, defaults(), ld)
	requireLokiAccepts(t, defaults(), ld)

	want := Result{}
	want.Fixes[LineSize] = 2
	want.Fixes[StructuredMetadataSize] = 1
	want.Fixes[StructuredMetadataEntries] = 1
	want.Fixes[Timestamp] = 1
	want.Fixes[AttributeName] = 1
	assert.Equal(t, want, res, "nothing unfixable")
	names := make([]string, 0, NumLimits)
	for l := range NumLimits {
		names = append(names, l.String())
	}
	assert.Equal(t, []string{"line_size", "structured_metadata_size", "structured_metadata_entries", "timestamp", "attribute_name"}, names,
		"the values of the telemetry's limit attribute")
}

func TestNew(t *testing.T) {
	off := defaults()
	off.Enabled = false
	off.MaxStructuredMetadataSize = 1 // not checked when off
	g, err := New(off, nil)
	require.NoError(t, err)
	assert.Nil(t, g, "off, there is no guard to run")

	bad := defaults()
	bad.MaxLineSize = -1
	_, err = New(bad, nil)
	assert.ErrorContains(t, err, "max_line_size must not be negative")
}

// SkipTimestamps leaves a record's time alone, and still fits its sizes.
func TestSkipTimestamps(t *testing.T) {
	ld, lr := lokifittest.Batch()
	lokifittest.Oversized(lr)
	old := lr.Timestamp()
	g, err := New(defaults(), nil)
	require.NoError(t, err)
	g.SkipTimestamps()
	res := g.Fit(ld, lokifittest.Now)
	assert.Equal(t, old, lr.Timestamp())
	assert.Zero(t, res.Fixes[Timestamp])
	assert.Equal(t, int64(1), res.Fixes[LineSize])
}

// The renames' targets are the standard's fields too: folded last.
func TestFitAlsoKnown(t *testing.T) {
	build := func() (plog.Logs, plog.LogRecord) {
		ld, lr := lokifittest.Batch()
		for i := range 200 {
			lr.Attributes().PutInt(fmt.Sprintf("extra.%03d", i), int64(i))
		}
		return ld, lr
	}
	g, err := New(defaults(), []string{"extra.199"})
	require.NoError(t, err)
	ld, lr := build()
	g.Fit(ld, lokifittest.Now)
	plogtest.AssertAttr(t, lr, "extra.199", int64(199))

	ld, lr = build()
	fitBatch(t, defaults(), ld)
	plogtest.AssertNoAttr(t, lr, "extra.199")
}

// One Guard serves concurrent batches (a pipeline may call the processor
// concurrently): each gets the same result as alone.
func TestFitConcurrent(t *testing.T) {
	g, err := New(defaults(), nil)
	require.NoError(t, err)
	batch := func() plog.Logs {
		ld, lr := lokifittest.Batch()
		lokifittest.Oversized(lr)
		return ld
	}
	want := batch()
	wantRes := g.Fit(want, lokifittest.Now)

	var wg sync.WaitGroup
	got := make([]plog.Logs, 4)
	results := make([]Result, len(got))
	for i := range got {
		got[i] = batch()
		wg.Go(func() { results[i] = g.Fit(got[i], lokifittest.Now) })
	}
	wg.Wait()
	for i := range got {
		assert.Equal(t, wantRes, results[i])
		assert.Equal(t, plogtest.Marshal(t, want), plogtest.Marshal(t, got[i]))
	}
}
