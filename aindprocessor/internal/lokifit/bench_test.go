package lokifit

import (
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit/lokifittest"
)

// mappedBatch is n records as the aind processor emits the line of its
// benchmarks (processor_bench_test.go's benchLine) after the mapping.
func mappedBatch(n int) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	res.PutStr("co.capsule.id", "c1")
	res.PutStr("host.name", "co-capsule-7f3a")
	res.PutStr("service.name", "aind-data-schema")
	res.PutStr("service.version", "1.0.4.dev0")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("aind_data_schema.loader")
	at := pcommon.NewTimestampFromTime(time.Date(2026, 3, 1, 8, 15, 2, 123456000, time.UTC))
	for range n {
		lr := sl.LogRecords().AppendEmpty()
		lr.SetTimestamp(at)
		lr.SetObservedTimestamp(at)
		lr.SetSeverityNumber(plog.SeverityNumberDebug)
		lr.SetSeverityText("DEBUG")
		lr.Body().SetStr("Loaded 42 sessions")
		attrs := lr.Attributes()
		attrs.PutStr("subject_id", "123456")
		extra := attrs.PutEmptyMap("extra")
		extra.PutStr("probe", "ProbeA")
		channels := extra.PutEmptySlice("channels")
		for c := range 3 {
			channels.AppendEmpty().SetInt(int64(c + 1))
		}
		attrs.PutStr("code.file.path", "/opt/capsule/code/run.py")
		attrs.PutStr("code.function.name", "load")
		attrs.PutInt("code.line.number", 118)
		attrs.PutInt("process.pid", 1231)
		attrs.PutInt("thread.id", 140245)
	}
	return ld
}

// BenchmarkFit measures the guard on a batch of 100 records: "normal" is the
// processor's benchmark line after the mapping (the guard only checks
// bounds), "oversized" breaks every limit (the guard rewrites each record;
// the copy of the batch is outside the timer). It runs one fitter, as a busy
// pipeline does: the oversized batches' garbage would otherwise empty the
// Guard's pool at every collection.
func BenchmarkFit(b *testing.B) {
	lim := compile(defaults(), nil)

	b.Run("normal", func(b *testing.B) {
		normal := mappedBatch(100)
		f := newFitter(lim)
		b.ReportAllocs()
		var res Result
		for b.Loop() {
			res = f.fitLogs(normal, lokifittest.Now)
		}
		if res != (Result{}) {
			b.Fatal("the normal record was changed")
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*normal.LogRecordCount()), "ns/record")
	})

	b.Run("oversized", func(b *testing.B) {
		template, _ := lokifittest.Batch()
		lrs := template.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
		lokifittest.Oversized(lrs.At(0))
		for lrs.Len() < 100 {
			lrs.At(0).CopyTo(lrs.AppendEmpty())
		}
		batch := plog.NewLogs()
		f := newFitter(lim)
		b.ReportAllocs()
		var res Result
		for b.Loop() {
			b.StopTimer()
			template.CopyTo(batch)
			b.StartTimer()
			res = f.fitLogs(batch, lokifittest.Now)
		}
		if res.Fixes[StructuredMetadataEntries] != 100 {
			b.Fatal("the oversized records were not fitted")
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lrs.Len()), "ns/record")
	})
}
