package main

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"google.golang.org/protobuf/encoding/protowire"
)

// sink is the OTLP/HTTP logs endpoint the shipped configs export to in
// -mode shipped, and the Loki push endpoint Grafana Alloy's loki.write
// pushes to: it decodes each request as a backend would and counts its log
// records or entries, so that a run ends when every corpus line arrived. It runs in benchrun's process, whose CPU time is reported on
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
	mux.HandleFunc("POST "+lokiPushPath, s.push)
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

// lokiPushPath is where Loki takes pushes, and loki.write sends them.
const lokiPushPath = "/loki/api/v1/push"

// push counts the entries of one Loki PushRequest and answers 204, as
// Loki does; a body it cannot decode is a 400, which loki.write does not
// retry.
func (s *sink) push(w http.ResponseWriter, r *http.Request) {
	n, err := decodeLokiEntries(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.records.Add(int64(n))
	s.requests.Add(1)
	w.WriteHeader(http.StatusNoContent)
}

// Loki's field numbers on the way from a PushRequest to its entries.
const (
	fieldStreams = 1 // PushRequest.streams
	fieldEntries = 2 // StreamAdapter.entries
)

// decodeLokiEntries reads a snappy-compressed protobuf PushRequest, as
// loki.write sends it, and returns its number of entries.
func decodeLokiEntries(body io.Reader) (int, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return 0, err
	}
	// s2 decodes snappy's block format, which Loki's push uses.
	raw, err := s2.Decode(nil, b)
	if err != nil {
		return 0, fmt.Errorf("snappy: %w", err)
	}
	n := 0
	err = eachField(raw, fieldStreams, func(stream []byte) error {
		return eachField(stream, fieldEntries, func([]byte) error {
			n++
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("PushRequest: %w", err)
	}
	return n, nil
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
		zr := zstdDecoders.Get().(*zstd.Decoder)
		defer zstdDecoders.Put(zr)
		if err := zr.Reset(body); err != nil {
			return 0, fmt.Errorf("zstd: %w", err)
		}
		body = zr
	default:
		return 0, errors.New("unsupported Content-Encoding " + encoding)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return 0, err
	}
	n, err := countLogRecords(b)
	if err != nil {
		return 0, fmt.Errorf("ExportLogsServiceRequest: %w", err)
	}
	return n, nil
}

// zstdDecoders are reused across requests: a new decoder allocates its
// window and tables, which cost the sink more CPU than the decoding.
var zstdDecoders = sync.Pool{New: func() any {
	zr, _ := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	return zr
}}

// OTLP's field numbers on the way from a request to its log records.
const (
	fieldResourceLogs = 1 // ExportLogsServiceRequest.resource_logs
	fieldScopeLogs    = 2 // ResourceLogs.scope_logs
	fieldLogRecords   = 2 // ScopeLogs.log_records
)

// countLogRecords counts the log records of a protobuf
// ExportLogsServiceRequest. It checks the wire format down to the records
// and leaves each record's own bytes undecoded: unmarshalling them into
// pdata cost the sink as much CPU as the collector spent on the line, on
// the same two cores.
func countLogRecords(req []byte) (int, error) {
	n := 0
	err := eachField(req, fieldResourceLogs, func(rl []byte) error {
		return eachField(rl, fieldScopeLogs, func(sl []byte) error {
			return eachField(sl, fieldLogRecords, func([]byte) error {
				n++
				return nil
			})
		})
	})
	return n, err
}

// eachField calls f with the bytes of each length-delimited field num of
// msg, and checks that msg is well-formed protobuf.
func eachField(msg []byte, num protowire.Number, f func([]byte) error) error {
	for len(msg) > 0 {
		n, typ, l := protowire.ConsumeTag(msg)
		if l < 0 {
			return protowire.ParseError(l)
		}
		msg = msg[l:]
		if n == num && typ == protowire.BytesType {
			v, l := protowire.ConsumeBytes(msg)
			if l < 0 {
				return protowire.ParseError(l)
			}
			if err := f(v); err != nil {
				return err
			}
			msg = msg[l:]
			continue
		}
		l = protowire.ConsumeFieldValue(n, typ, msg)
		if l < 0 {
			return protowire.ParseError(l)
		}
		msg = msg[l:]
	}
	return nil
}

// count makes the sink the watcher's counter: a shipped run is done when
// every line arrived here.
func (s *sink) count(context.Context) (int64, bool, error) {
	return s.records.Load(), true, nil
}

func (s *sink) String() string { return "records at the sink " + s.url + sinkPath }
