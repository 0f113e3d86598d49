package aindreceiver

import (
	"context"
	"testing"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
)

// BenchmarkFileInputEmit is the file input's work on one of fileconsumer's
// batches of 100 lines: cleaning, cutting, decoding and handing the records
// to a nop consumer. The copies of the lines that fileconsumer would make
// are made inside the timer too.
func BenchmarkFileInputEmit(b *testing.B) {
	set := receivertest.NewNopSettings(metadata.Type)
	obs, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{ReceiverID: set.ID, Transport: "file", ReceiverCreateSettings: set})
	if err != nil {
		b.Fatal(err)
	}
	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	if err != nil {
		b.Fatal(err)
	}
	in := newFileInput(zap.NewNop(), createDefaultConfig().(*Config), consumertest.NewNop(), obs, tb)
	lines := make([][]byte, 100)
	tokens := make([][]byte, len(lines))
	size := 0
	for i := range lines {
		lines[i] = []byte(benchLine(i))
		size += len(lines[i])
	}
	attrs := map[string]any{"log.file.name": "capsule.jsonl"}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for i, l := range lines {
			tokens[i] = append([]byte(nil), l...)
		}
		if err := in.emit(context.Background(), tokens, attrs, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
}
