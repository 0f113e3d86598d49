package main

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
)

// sink is the OTLP/HTTP logs endpoint the shipped configs export to in
// -mode shipped: it decodes each request as a collector's backend would
// and counts its log records, so that a run ends when every corpus line
// arrived. It runs in benchrun's process, whose CPU time is reported on
// its own: the collector's figures are its child process's only.
type sink struct {
	records  atomic.Int64
	requests atomic.Int64 // accepted: records ÷ requests is the exporter's batch size
	srv      *http.Server
	url      string // base URL: the exporter appends /v1/logs
}

// sinkPath is where otlp_http sends logs below its endpoint.
const sinkPath = "/v1/logs"

// startSink listens on a free loopback port and serves until close.
func startSink() (*sink, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{url: "http://" + l.Addr().String()}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+sinkPath, s.export)
	s.srv = &http.Server{Handler: mux}
	go func() { _ = s.srv.Serve(l) }()
	return s, nil
}

func (s *sink) close() { _ = s.srv.Shutdown(context.Background()) }

// export counts the records of one ExportLogsServiceRequest and answers
// with an empty response; a body it cannot decode is a 400, which the
// exporter does not retry, so the run falls short and says so.
func (s *sink) export(w http.ResponseWriter, r *http.Request) {
	n, err := decodeLogRecords(r.Body, r.Header.Get("Content-Encoding"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.records.Add(int64(n))
	s.requests.Add(1)
	resp, err := plogotlp.NewExportResponse().MarshalProto()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(resp)
}

// decodeLogRecords reads a protobuf ExportLogsServiceRequest, compressed
// as encoding says (the shipped configs send zstd, otlp_http's default is
// gzip), and returns its number of log records.
func decodeLogRecords(body io.Reader, encoding string) (int, error) {
	switch encoding {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return 0, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		body = zr
	case "zstd":
		zr, err := zstd.NewReader(body, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return 0, fmt.Errorf("zstd: %w", err)
		}
		defer zr.Close()
		body = zr
	default:
		return 0, errors.New("unsupported Content-Encoding " + encoding)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return 0, err
	}
	req := plogotlp.NewExportRequest()
	if err := req.UnmarshalProto(b); err != nil {
		return 0, fmt.Errorf("ExportLogsServiceRequest: %w", err)
	}
	return req.Logs().LogRecordCount(), nil
}

// count makes the sink the watcher's counter: a shipped run is done when
// every line arrived here.
func (s *sink) count(context.Context) (int64, bool, error) {
	return s.records.Load(), true, nil
}

func (s *sink) String() string { return "records at the sink " + s.url + sinkPath }
