package httpinput

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

const (
	metricBodyInFlight = "otelcol_receiver_aind_http_body_in_flight"
	metricInFlightFull = "otelcol_receiver_aind_http_body_in_flight_refusals"
)

// inFlightTestConfig bounds the bytes in flight to 1 MiB, twice
// max_request_body_size.
func inFlightTestConfig() Config {
	cfg := httpTestConfig()
	cfg.ServerConfig.MaxRequestBodySize = 512 << 10
	cfg.MaxBytesInFlight = 1 << 20
	return cfg
}

// ndjsonOfSize is AIND lines making a body of exactly size bytes.
func ndjsonOfSize(t *testing.T, prefix string, size int) []byte {
	t.Helper()
	var b bytes.Buffer
	for i := 0; b.Len() < size-200; i++ {
		fmt.Fprintf(&b, "%s\n", inputtest.AindLine(fmt.Sprintf("%s %d", prefix, i)))
	}
	last := inputtest.AindLine(prefix + " pad ")
	b.WriteString(strings.Replace(last, "pad ", "pad "+strings.Repeat("x", size-b.Len()-len(last)), 1))
	require.Equal(t, size, b.Len())
	return b.Bytes()
}

// Eight requests of 300 KiB at once against a bound of 1 MiB: the three
// that fit are held by the pipeline, the five others are refused with
// 503 and Retry-After without holding anything, and everything is given
// back once the three are answered.
func TestHTTPBytesInFlightBound(t *testing.T) {
	const (
		clients = 8
		size    = 300 << 10
		fit     = 3 // 3 × 300 KiB ≤ 1 MiB < 4 × 300 KiB
	)
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	next := &inputtest.BlockingConsumer{Gate: make(chan struct{})}
	in, base := startHTTP(t, inFlightTestConfig(), inputtest.Settings(t, next, tel), nil)
	c := newClient(t, &http.Transport{MaxIdleConnsPerHost: clients})

	answers := make(chan answer, clients)
	var wg sync.WaitGroup
	for i := range clients {
		body := ndjsonOfSize(t, fmt.Sprintf("client %d", i), size)
		wg.Go(func() { answers <- tryPost(c, base+defaultAindPath, ctNDJSON, body) })
	}
	release := sync.OnceFunc(func() { close(next.Gate) })
	t.Cleanup(release)
	for range clients - fit {
		var resp answer
		select {
		case resp = <-answers:
		case <-time.After(inputtest.WaitFor):
			require.FailNow(t, "fewer refusals than expected")
		}
		require.NoError(t, resp.err)
		require.Equal(t, http.StatusServiceUnavailable, resp.status, resp.body)
		assertRetryAfter(t, resp.response, true)
		assert.Equal(t, map[string]any{"error": "too many request bytes in progress: retry later"}, resp.json(t))
	}
	require.Eventually(t, func() bool { return next.Calls() == fit }, inputtest.WaitFor, inputtest.Tick)
	assert.Equal(t, int64(fit*size), in.budget.Used())
	assert.Equal(t, int64(fit*size), telemetrytest.Sum(t, tel, metricBodyInFlight))
	assert.Equal(t, int64(clients-fit), telemetrytest.Sum(t, tel, metricInFlightFull))

	release()
	wg.Wait()
	close(answers)
	for resp := range answers {
		if assert.NoError(t, resp.err) {
			assert.Equal(t, http.StatusOK, resp.status, resp.body)
		}
	}
	assert.Zero(t, in.budget.Used())
	assert.Zero(t, telemetrytest.Sum(t, tel, metricBodyInFlight))

	// What was held is free again: a request that needs all of it but a
	// quarter goes through.
	resp := post(t, c, base+defaultAindPath, ctNDJSON, ndjsonOfSize(t, "after", size))
	assert.Equal(t, http.StatusOK, resp.status, resp.body)
}

// What a request reserves while it is in the pipeline: its body as
// received, and its decoded size when the receiver decodes it (snappy); a
// body decompressed by confighttp its size once its pieces are joined.
func TestHTTPBytesInFlightReservesDecodedSize(t *testing.T) {
	raw := ndjsonOfSize(t, "decoded", 100<<10)
	pushBody, err := (&push.PushRequest{Streams: []push.Stream{{
		Labels: `{job="x"}`, Entries: []push.Entry{{Timestamp: time.Unix(1, 0), Line: string(raw)}},
	}}}).Marshal()
	require.NoError(t, err)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(raw)
	require.NoError(t, zw.Close())
	for _, tc := range []struct {
		name, path, contentType string
		body                    []byte
		headers                 []string
		reserved                int
	}{
		{"plain", defaultAindPath, ctNDJSON, raw, nil, len(raw)},
		{"gzip", defaultAindPath, ctNDJSON, gz.Bytes(), []string{"Content-Encoding", "gzip"}, len(raw)},
		{"snappy", defaultAindPath, ctNDJSON, snappy.Encode(nil, raw), []string{"Content-Encoding", "snappy"}, len(snappy.Encode(nil, raw)) + len(raw)},
		{"Loki protobuf", defaultLokiPath, ctProtobuf, snappy.Encode(nil, pushBody), nil, len(snappy.Encode(nil, pushBody)) + len(pushBody)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := &inputtest.BlockingConsumer{Gate: make(chan struct{})}
			in, base := startHTTP(t, inFlightTestConfig(), inputtest.Settings(t, next, nil), nil)
			c := newClient(t, nil)
			done := make(chan answer, 1)
			go func() { done <- tryPost(c, base+tc.path, tc.contentType, tc.body, tc.headers...) }()
			require.Eventually(t, func() bool { return next.Calls() == 1 }, inputtest.WaitFor, inputtest.Tick)
			assert.Equal(t, int64(tc.reserved), in.budget.Used())
			close(next.Gate)
			resp := <-done
			require.NoError(t, resp.err)
			assert.Less(t, resp.status, 300, resp.body)
			assertNothingInFlight(t, in, nil)
		})
	}
}

// refuseMarked refuses, as a busy pipeline, the requests whose first
// record says "refuse me".
type refuseMarked struct{ consumertest.LogsSink }

func (c *refuseMarked) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if inputtest.MessageOf(ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)) == "refuse me" {
		return inputtest.ErrBusy
	}
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

// Every way a request ends gives back all it reserved: accepted, refused by
// the pipeline, too large (by Content-Length, while read, decompressed),
// not decodable, cut off by the client.
func TestHTTPBytesInFlightReleasedOnEveryPath(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	in, base := startHTTP(t, inFlightTestConfig(), inputtest.Settings(t, &refuseMarked{}, tel), nil)
	c := newClient(t, nil)
	gz := func(data []byte) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = w.Write(data)
		require.NoError(t, w.Close())
		return b.Bytes()
	}
	line := []byte(inputtest.AindLine("ok") + "\n")
	protobuf := lokiProtobuf(t, &push.PushRequest{Streams: []push.Stream{{
		Labels: `{job="x"}`, Entries: []push.Entry{{Timestamp: time.Unix(1, 0), Line: "l"}},
	}}})
	for _, tc := range []struct {
		name, path, contentType string
		body                    []byte
		headers                 []string
		status                  int
	}{
		{"accepted", defaultAindPath, ctNDJSON, line, nil, http.StatusOK},
		{"accepted gzip", defaultAindPath, ctNDJSON, gz(line), []string{"Content-Encoding", "gzip"}, http.StatusOK},
		{"accepted chunked", defaultAindPath, ctNDJSON, line, []string{"Transfer-Encoding", "chunked"}, http.StatusOK},
		{"accepted snappy", defaultAindPath, ctNDJSON, snappy.Encode(nil, line), []string{"Content-Encoding", "snappy"}, http.StatusOK},
		{"accepted Loki protobuf", defaultLokiPath, ctProtobuf, protobuf, nil, http.StatusNoContent},
		{"refused by the pipeline", defaultAindPath, ctNDJSON, []byte(inputtest.AindLine("refuse me")), nil, http.StatusServiceUnavailable},
		{"413 by Content-Length", defaultAindPath, ctNDJSON, make([]byte, 600<<10), nil, http.StatusRequestEntityTooLarge},
		{"413 chunked", defaultAindPath, ctNDJSON, make([]byte, 600<<10), []string{"Transfer-Encoding", "chunked"}, http.StatusRequestEntityTooLarge},
		{"413 gzip bomb", defaultAindPath, ctNDJSON, gz(make([]byte, 4<<20)), []string{"Content-Encoding", "gzip"}, http.StatusRequestEntityTooLarge},
		{"413 snappy bomb", defaultAindPath, ctNDJSON, snappy.Encode(nil, make([]byte, 4<<20)), []string{"Content-Encoding", "snappy"}, http.StatusRequestEntityTooLarge},
		{"400 invalid array", defaultAindPath, ctJSON, []byte(`[{"message": "a"}, {`), nil, http.StatusBadRequest},
		{"400 corrupt snappy", defaultAindPath, ctNDJSON, []byte("\xff\xff\xff\xff\xff"), []string{"Content-Encoding", "snappy"}, http.StatusBadRequest},
		{"400 protobuf not snappy", defaultLokiPath, ctProtobuf, []byte("not snappy"), nil, http.StatusBadRequest},
		{"400 bad protobuf", defaultLokiPath, ctProtobuf, snappy.Encode(nil, []byte("\xff\xff\xff")), nil, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := post(t, c, base+tc.path, tc.contentType, tc.body, tc.headers...)
			assert.Equal(t, tc.status, resp.status, resp.body)
			assertNothingInFlight(t, in, tel)
		})
	}

	t.Run("cut off by the client", func(t *testing.T) {
		conn, err := net.DialTimeout("tcp", in.addr.String(), inputtest.WaitFor)
		require.NoError(t, err)
		_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
			defaultAindPath, ctNDJSON, 200<<10, bytes.Repeat(line, 100))
		require.NoError(t, err)
		require.Eventually(t, func() bool { return in.budget.Used() > 0 }, inputtest.WaitFor, inputtest.Tick, "the body is reserved")
		require.NoError(t, conn.Close())
		assertNothingInFlight(t, in, tel)
	})

	// All of it is free: a compressed body of max_request_body_size, which
	// holds twice its size while it is joined, goes through.
	resp := post(t, c, base+defaultAindPath, ctNDJSON, gz(ndjsonOfSize(t, "max", 512<<10)), "Content-Encoding", "gzip")
	assert.Equal(t, http.StatusOK, resp.status, resp.body)
	assertNothingInFlight(t, in, tel)
}

// assertNothingInFlight waits for the requests in progress to end, then
// checks they gave back all they reserved.
func assertNothingInFlight(t *testing.T, in *Input, tel *componenttest.Telemetry) {
	t.Helper()
	require.Eventually(t, func() bool { return in.activeRequests.Load() == 0 }, inputtest.WaitFor, inputtest.Tick)
	assert.Zero(t, in.budget.Used(), "reserved bytes left behind")
	if tel != nil {
		assert.Zero(t, telemetrytest.Sum(t, tel, metricBodyInFlight), "bytes in flight reported")
	}
}
