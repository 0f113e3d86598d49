package fileinput

import (
	"context"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
)

// BenchmarkFileInputEmit is the file input's work on one of fileconsumer's
// batches of 100 lines: cleaning, cutting, decoding and handing the records
// to a nop consumer, and, with file_storage, the checkpoint of the batch
// (written by the journal writer on its own goroutine, so its cost shows in
// CPU rather than in ns/op; compare the runs' user+system time). The copies
// of the lines that fileconsumer would make are made inside the timer too.
func BenchmarkFileInputEmit(b *testing.B) {
	for _, durable := range []bool{false, true} {
		b.Run(map[bool]string{false: "offsets_in_memory", true: "checkpoints_in_file_storage"}[durable], func(b *testing.B) {
			in, err := New(inputtest.Settings(b, consumertest.NewNop(), nil), NewDefaultConfig())
			if err != nil {
				b.Fatal(err)
			}
			if durable {
				in.checkpoints = checkpoint.NewStore(benchStorageClient(b), zap.NewNop(), nil)
				b.Cleanup(func() { _ = in.checkpoints.Close(context.Background()) })
			}
			lines := make([][]byte, 100)
			tokens := make([][]byte, len(lines))
			size := 0
			for i := range lines {
				lines[i] = []byte(inputtest.BenchLine(i))
				size += len(lines[i])
			}
			offsets := make([]int64, len(lines)+1)
			attrs := map[string]any{"log.file.name": "capsule.jsonl"}
			var pos, records int64
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for i, l := range lines {
					tokens[i] = append([]byte(nil), l...)
					offsets[i] = pos
					pos += int64(len(l)) + 1
				}
				offsets[len(lines)] = pos
				records += int64(len(lines))
				if err := in.emit(context.Background(), tokens, attrs, records, offsets); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
		})
	}
}

// benchStorageClient is a client of contrib's file_storage on a temporary
// directory.
func benchStorageClient(b *testing.B) storage.Client {
	b.Helper()
	dir := b.TempDir()
	factory := filestorage.NewFactory()
	cfg := factory.CreateDefaultConfig().(*filestorage.Config)
	cfg.Directory, cfg.Compaction.Directory = dir, dir
	ext, err := factory.Create(context.Background(), extensiontest.NewNopSettings(factory.Type()), cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := ext.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ext.Shutdown(context.Background()) })
	client, err := ext.(storage.Extension).GetClient(context.Background(), component.KindReceiver, component.NewID(metadata.Type), "")
	if err != nil {
		b.Fatal(err)
	}
	return client
}
