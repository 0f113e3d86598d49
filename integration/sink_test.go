//go:build integration

package integration

import (
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
)

// otlpSink is an OTLP/HTTP logs endpoint on 127.0.0.1 standing in for Loki
// where a test counts every record: it keeps how often each body arrived,
// so lost and duplicated lines can be told apart. Point an exporter at
// url() (the agent's LOKI_OTLP_ENDPOINT); it serves /v1/logs under it.
type otlpSink struct {
	srvMu sync.Mutex
	srv   *http.Server
	addr  string

	mu     sync.Mutex
	bodies map[string]int
	// observe, when set, also sees every record that arrives (under mu).
	observe func(plog.LogRecord)

	// delay holds each request this long before answering (a slow backend);
	// refuse answers 503 to everything (a backend that is down).
	delay    atomic.Int64
	refuse   atomic.Bool
	requests atomic.Int64
}

func startSink(t *testing.T) *otlpSink {
	t.Helper()
	return startObservingSink(t, nil)
}

// startObservingSink is startSink with observe called for every record.
func startObservingSink(t *testing.T, observe func(plog.LogRecord)) *otlpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &otlpSink{addr: ln.Addr().String(), bodies: map[string]int{}, observe: observe}
	s.serve(ln)
	t.Cleanup(func() { s.goDown() })
	return s
}

func (s *otlpSink) serve(ln net.Listener) {
	mux := http.NewServeMux()
	mux.HandleFunc("/otlp/v1/logs", s.handle)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.srvMu.Lock()
	s.srv = srv
	s.srvMu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// goDown makes the sink unreachable, as a backend that is restarting:
// its port refuses connections and the ones open are closed.
func (s *otlpSink) goDown() {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv != nil {
		_ = s.srv.Close()
		s.srv = nil
	}
}

// comeBack serves again on the same port.
func (s *otlpSink) comeBack(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", s.addr)
	require.NoError(t, err)
	s.serve(ln)
}

// url is the base URL to give an otlp_http exporter as its endpoint.
func (s *otlpSink) url() string { return "http://" + s.addr + "/otlp" }

func (s *otlpSink) handle(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if d := time.Duration(s.delay.Load()); d > 0 {
		time.Sleep(d)
	}
	if s.refuse.Load() {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "sink refuses", http.StatusServiceUnavailable)
		return
	}
	data, err := decompressedBody(r.Header.Get("Content-Encoding"), r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := plogotlp.NewExportRequest()
	if err := req.UnmarshalProto(data); err != nil {
		http.Error(w, "decode", http.StatusBadRequest)
		return
	}
	s.add(req.Logs())
	resp, _ := plogotlp.NewExportResponse().MarshalProto()
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(resp)
}

func (s *otlpSink) add(ld plog.Logs) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				s.bodies[lrs.At(k).Body().AsString()]++
				if s.observe != nil {
					s.observe(lrs.At(k))
				}
			}
		}
	}
}

// counts reports, for the bodies a test wrote, how many never arrived and
// how many extra copies arrived.
func (s *otlpSink) counts(written []string) (missing, duplicated int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range written {
		switch n := s.bodies[b]; {
		case n == 0:
			missing++
		case n > 1:
			duplicated += n - 1
		}
	}
	return missing, duplicated
}

// received is the number of records that arrived, copies included.
func (s *otlpSink) received() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.bodies {
		n += c
	}
	return n
}

// waitForAll waits until every written body arrived (or the timeout), and
// returns counts().
func (s *otlpSink) waitForAll(written []string, timeout time.Duration) (missing, duplicated int) {
	deadline := time.Now().Add(timeout)
	for {
		missing, duplicated = s.counts(written)
		if missing == 0 || time.Now().After(deadline) {
			return missing, duplicated
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// decompressedBody reads an OTLP/HTTP request body in the Content-Encoding
// the exporters send: the shipped configs' zstd, otlp_http's default gzip,
// or none.
func decompressedBody(encoding string, body io.Reader) ([]byte, error) {
	switch encoding {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		body = zr
	case "zstd":
		zr, err := zstd.NewReader(body)
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		defer zr.Close()
		body = zr
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", encoding)
	}
	return io.ReadAll(body)
}
