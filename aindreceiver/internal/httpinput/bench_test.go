package httpinput

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/loki/pkg/push"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// benchBatch is the number of lines per request of the HTTP benchmarks.
const benchBatch = 1000

// benchPost sends body to url from the benchmark's goroutines, failing the
// benchmark on anything but the expected status.
func benchPost(b *testing.B, c *http.Client, url, contentType string, body []byte, want int) {
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			req.Header.Set("Content-Type", contentType)
			resp, err := c.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != want {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.StopTimer()
	seconds := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/seconds, "requests/s")
	b.ReportMetric(float64(b.N*benchBatch)/seconds, "lines/s")
	b.ReportMetric(float64(len(body)), "body_bytes")
}

// BenchmarkHTTPNDJSON posts requests of 1,000 AIND lines (NDJSON,
// uncompressed) to a real server on loopback with a nop consumer.
func BenchmarkHTTPNDJSON(b *testing.B) {
	var body bytes.Buffer
	for i := 0; i < benchBatch; i++ {
		body.WriteString(inputtest.BenchLine(i))
		body.WriteByte('\n')
	}
	_, base := startHTTP(b, httpTestConfig(), inputtest.Settings(b, consumertest.NewNop(), nil), nil)
	c := newClient(b, &http.Transport{MaxIdleConnsPerHost: 64})
	b.SetBytes(int64(body.Len()))
	benchPost(b, c, base+defaultAindPath, ctNDJSON, body.Bytes(), http.StatusOK)
}

// BenchmarkHTTPLokiProtobuf posts Loki push requests of 1,000 entries
// (one stream, protobuf + snappy, as Promtail and Alloy send them) to a
// real server on loopback with a nop consumer.
func BenchmarkHTTPLokiProtobuf(b *testing.B) {
	ts := time.Unix(1770671964, 0)
	entries := make([]push.Entry, benchBatch)
	for i := range entries {
		entries[i] = push.Entry{Timestamp: ts.Add(time.Duration(i)), Line: inputtest.BenchLine(i)}
	}
	body := lokiProtobuf(b, &push.PushRequest{Streams: []push.Stream{{
		Labels:  `{service_name="waterlog", job="capsule", rig_id="frg_1_a"}`,
		Entries: entries,
	}}})
	_, base := startHTTP(b, httpTestConfig(), inputtest.Settings(b, consumertest.NewNop(), nil), nil)
	c := newClient(b, &http.Transport{MaxIdleConnsPerHost: 64})
	b.SetBytes(int64(len(body)))
	benchPost(b, c, base+defaultLokiPath, ctProtobuf, body, http.StatusNoContent)
}

// BenchmarkHTTPLokiJSON posts Loki push requests of 1,000 entries in Loki's
// JSON form (as Python's logging_loki sends them) to a real server on
// loopback with a nop consumer.
func BenchmarkHTTPLokiJSON(b *testing.B) {
	var body bytes.Buffer
	body.WriteString(`{"streams":[{"stream":{"service_name":"waterlog","job":"capsule"},"values":[`)
	for i := 0; i < benchBatch; i++ {
		if i > 0 {
			body.WriteByte(',')
		}
		line, _ := json.Marshal(inputtest.BenchLine(i))
		fmt.Fprintf(&body, `["%d",%s]`, 1770671964000000000+i, line)
	}
	body.WriteString(`]}]}`)
	_, base := startHTTP(b, httpTestConfig(), inputtest.Settings(b, consumertest.NewNop(), nil), nil)
	c := newClient(b, &http.Transport{MaxIdleConnsPerHost: 64})
	b.SetBytes(int64(body.Len()))
	benchPost(b, c, base+defaultLokiPath, ctJSON, body.Bytes(), http.StatusNoContent)
}
