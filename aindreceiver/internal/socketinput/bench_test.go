package socketinput

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// BenchmarkSocketInput streams frames CPython's SocketHandler made (a
// 22-key LogRecord with an mpetk-style extra) over one loopback connection
// into the socket input, with a consumer that only counts, and reports records/s
// and records per CPU-second of the whole process (the client writes
// pre-built chunks, so nearly all of it is the input's): with -cpu 1 the
// latter is records/s per core.
func BenchmarkSocketInput(b *testing.B) {
	one := fixtureFrame(b, "exc_info.p1.pickle")
	const chunkFrames = 256
	var chunk []byte
	for range chunkFrames {
		chunk = append(chunk, one...)
	}
	var received atomic.Int64
	count, err := consumer.NewLogs(func(_ context.Context, ld plog.Logs) error {
		received.Add(int64(ld.LogRecordCount()))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	_, addr := startSocket(b, socketTestConfig(), inputtest.Settings(b, count, nil))
	conn := dial(b, addr)

	before := cpuTime()
	b.SetBytes(int64(len(one)))
	b.ResetTimer()
	sent := 0
	for sent < b.N {
		if _, err := conn.Write(chunk); err != nil {
			b.Fatal(err)
		}
		sent += chunkFrames
	}
	for received.Load() < int64(sent) {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	cpu := cpuTime() - before
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "records/s")
	if cpu > 0 {
		b.ReportMetric(float64(sent)/cpu.Seconds(), "records/cpu-s")
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(sent), "cpu-ns/record")
	}
}
