// Package export measures what the otlp_http exporter spends on a batch of
// the shipped agent's records: the protobuf marshal, then each compression
// confighttp v1.71 offers that Loki 3.7's /otlp accepts (gzip, zstd, lz4),
// with the libraries and writer options of confighttp's compressor.go. It
// chooses the shipped configs' `compression` (bench/RESULTS.md). A module
// of its own, like bench/redaction, so that the distribution's module
// does not grow a benchmark dependency.
//
// The records are the first lines of the benchmark corpus (BENCH_CORPUS,
// default ../../build/bench/corpus.jsonl: `make bench-corpus`), decoded and
// mapped by the aind processor as the agent does.
package export

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

// batchSizes: the file input's batch (fileconsumer's 100 lines), and the
// gateway's queue batches (min_size 1000, max_size 5000).
var batchSizes = []int{100, 1000, 5000}

// corpusBatch returns the first n corpus lines as the aind processor's
// output.
func corpusBatch(b *testing.B, n int) plog.Logs {
	b.Helper()
	path := os.Getenv("BENCH_CORPUS")
	if path == "" {
		path = "../../build/bench/corpus.jsonl"
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatalf("the benchmark corpus (run `make bench-corpus`, or set BENCH_CORPUS): %v", err)
	}
	defer f.Close()
	in := plog.NewLogs()
	records := in.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for records.Len() < n && sc.Scan() {
		jsonlines.DecodeLine(jsonlines.CleanLine(append([]byte(nil), sc.Bytes()...)), records.AppendEmpty())
	}
	if records.Len() < n {
		b.Fatalf("the corpus has %d lines, want %d", records.Len(), n)
	}
	sink := new(consumertest.LogsSink)
	factory := aindprocessor.NewFactory()
	p, err := factory.CreateLogs(context.Background(), processortest.NewNopSettings(factory.Type()), factory.CreateDefaultConfig(), sink)
	if err != nil {
		b.Fatal(err)
	}
	if err := p.ConsumeLogs(context.Background(), in); err != nil {
		b.Fatal(err)
	}
	return sink.AllLogs()[0]
}

func BenchmarkMarshal(b *testing.B) {
	for _, n := range batchSizes {
		ld := corpusBatch(b, n)
		var m plog.ProtoMarshaler
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var size int
			for b.Loop() {
				buf, err := m.MarshalLogs(ld)
				if err != nil {
					b.Fatal(err)
				}
				size = len(buf)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
			b.ReportMetric(float64(size)/float64(n), "B/record")
		})
	}
}

// codecs are the writers confighttp's compressor.go makes, at the levels
// one would set with compression_params.level.
var codecs = []struct {
	name      string
	newWriter func() io.WriteCloser
}{
	{"gzip-1", func() io.WriteCloser { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }},
	{"gzip-6-default", func() io.WriteCloser { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }},
	{"zstd-1-fastest", func() io.WriteCloser { return zstdWriter(1) }},
	{"zstd-3-default", func() io.WriteCloser { return zstdWriter(3) }},
	{"lz4", func() io.WriteCloser {
		w := lz4.NewWriter(nil)
		_ = w.Apply(lz4.ConcurrencyOption(1))
		return w
	}},
}

func zstdWriter(level int) io.WriteCloser {
	w, _ := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(level)))
	return w
}

// resetter is what every codec's writer can do: write into a new buffer,
// as confighttp's pooled writers do for each request.
type resetter interface {
	io.WriteCloser
	Reset(io.Writer)
}

func BenchmarkCompress(b *testing.B) {
	for _, n := range batchSizes {
		raw, err := (&plog.ProtoMarshaler{}).MarshalLogs(corpusBatch(b, n))
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range codecs {
			b.Run(strconv.Itoa(n)+"/"+c.name, func(b *testing.B) {
				w := c.newWriter().(resetter)
				var out bytes.Buffer
				for b.Loop() {
					out.Reset()
					w.Reset(&out)
					if _, err := w.Write(raw); err != nil {
						b.Fatal(err)
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
				b.ReportMetric(float64(out.Len())/float64(n), "B/record")
				b.ReportMetric(float64(len(raw))/float64(out.Len()), "ratio")
			})
		}
	}
}
