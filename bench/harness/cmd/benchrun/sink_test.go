package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"google.golang.org/protobuf/encoding/protowire"
)

// exportRequest returns a protobuf ExportLogsServiceRequest holding
// records records in two resources.
func exportRequest(t *testing.T, records int) []byte {
	t.Helper()
	ld := plog.NewLogs()
	for i := range records {
		rl := ld.ResourceLogs()
		if i < 2 {
			rl.AppendEmpty().ScopeLogs().AppendEmpty()
		}
		rl.At(i % 2).ScopeLogs().At(0).LogRecords().AppendEmpty().Body().SetStr("line")
	}
	b, err := plogotlp.NewExportRequestFromLogs(ld).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zstdCompressed(t *testing.T, b []byte) []byte {
	t.Helper()
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer zw.Close()
	return zw.EncodeAll(b, nil)
}

// twoScopes returns a request with one resource of two scopes, of 2 and 1
// records, and attributes on the resource and the scopes.
func twoScopes(t *testing.T) []byte {
	t.Helper()
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "s")
	for i, n := range []int{2, 1} {
		sl := rl.ScopeLogs().AppendEmpty()
		sl.Scope().SetName("scope")
		sl.Scope().Attributes().PutInt("i", int64(i))
		for range n {
			sl.LogRecords().AppendEmpty().Attributes().PutStr("k", "v")
		}
	}
	b, err := plogotlp.NewExportRequestFromLogs(ld).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeLogRecords(t *testing.T) {
	req := exportRequest(t, 5)
	for _, tc := range []struct {
		name, encoding string
		body           []byte
		want           int
		wantErr        bool
	}{
		{"plain", "", req, 5, false},
		{"gzip", "gzip", gzipped(t, req), 5, false},
		{"gzip not gzipped", "gzip", req, 0, true},
		{"zstd", "zstd", zstdCompressed(t, req), 5, false},
		{"zstd not compressed", "zstd", req, 0, true},
		{"lz4", "lz4", req, 0, true},
		{"not protobuf", "", []byte("\xff\xff\xff"), 0, true},
		{"truncated", "", req[:len(req)-3], 0, true},
		{"scopes", "zstd", zstdCompressed(t, twoScopes(t)), 3, false},
	} {
		n, err := decodeLogRecords(bytes.NewReader(tc.body), tc.encoding)
		if n != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%s: %d records, error %v; want %d, error %v", tc.name, n, err, tc.want, tc.wantErr)
		}
	}
}

func TestSinkCounts(t *testing.T) {
	s, err := startSink()
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	post := func(body []byte, encoding string) *http.Response {
		req, err := http.NewRequest(http.MethodPost, s.url+sinkPath, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-protobuf")
		if encoding != "" {
			req.Header.Set("Content-Encoding", encoding)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for _, enc := range []string{"", "gzip"} {
		body := exportRequest(t, 3)
		if enc == "gzip" {
			body = gzipped(t, body)
		}
		resp := post(body, enc)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-protobuf" {
			t.Fatalf("%q: %s %s", enc, resp.Status, resp.Header.Get("Content-Type"))
		}
		if err := plogotlp.NewExportResponse().UnmarshalProto(b); err != nil {
			t.Errorf("%q: response is no ExportLogsServiceResponse: %v", enc, err)
		}
	}
	resp := post([]byte("\xff\xff\xff"), "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("garbage: %s, want 400", resp.Status)
	}
	if n, found, _ := s.count(t.Context()); n != 6 || !found {
		t.Errorf("counted %d records, want 6", n)
	}
	if n := s.requests.Load(); n != 2 {
		t.Errorf("counted %d requests, want the 2 accepted", n)
	}
	if !strings.HasSuffix(s.String(), sinkPath) {
		t.Errorf("String: %q", s.String())
	}
}

// pushRequest returns a snappy-compressed Loki PushRequest with a stream
// per element of entries, holding that many entries.
func pushRequest(entries ...int) []byte {
	var req []byte
	for _, n := range entries {
		stream := protowire.AppendTag(nil, 1, protowire.BytesType) // labels
		stream = protowire.AppendString(stream, `{job="bench"}`)
		for range n {
			var e []byte
			e = protowire.AppendTag(e, 2, protowire.BytesType) // line
			e = protowire.AppendString(e, "line")
			stream = protowire.AppendTag(stream, fieldEntries, protowire.BytesType)
			stream = protowire.AppendBytes(stream, e)
		}
		req = protowire.AppendTag(req, fieldStreams, protowire.BytesType)
		req = protowire.AppendBytes(req, stream)
	}
	return s2.EncodeSnappy(nil, req)
}

func TestDecodeLokiEntries(t *testing.T) {
	for _, tc := range []struct {
		name    string
		body    []byte
		want    int
		wantErr bool
	}{
		{"streams", pushRequest(2, 1), 3, false},
		{"empty", pushRequest(), 0, false},
		{"not snappy", []byte("\xff\xff\xff\xff"), 0, true},
		{"not protobuf", s2.EncodeSnappy(nil, []byte("\xff\xff\xff")), 0, true},
	} {
		n, err := decodeLokiEntries(bytes.NewReader(tc.body))
		if n != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%s: %d entries, error %v; want %d, error %v", tc.name, n, err, tc.want, tc.wantErr)
		}
	}
}
