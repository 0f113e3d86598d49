package aindreceiver

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
	"github.com/klauspost/compress/zstd"
	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/bearertokenauthextension"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configauth"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

const (
	ctNDJSON   = "application/x-ndjson"
	ctJSONL    = "application/jsonl"
	ctJSON     = "application/json"
	ctProtobuf = "application/x-protobuf"
)

func TestHTTPAindContentTypes(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		messages    []string
		flagged     int
		errors      []any
	}{
		{
			name:        "ndjson",
			contentType: ctNDJSON,
			body:        aindLine("a") + "\n" + aindLine("b") + "\n",
			messages:    []string{"a", "b"},
			errors:      []any{},
		},
		{
			name:        "jsonl with BOM, CRLF, blank lines and no final newline",
			contentType: ctJSONL,
			body:        "\ufeff" + aindLine("a") + "\r\n\r\n   \n" + aindLine("b"),
			messages:    []string{"a", "b"},
			errors:      []any{},
		},
		{
			name:        "ndjson with malformed lines",
			contentType: ctNDJSON + "; charset=utf-8",
			body:        aindLine("a") + "\nnot json\n" + `{"message": "cut"` + "\n[1]\n" + aindLine("b"),
			messages:    []string{"a", "not json", `{"message": "cut"`, "[1]", "b"},
			flagged:     3,
			errors: []any{
				map[string]any{"line": 2.0, "error": "not a JSON object"},
				map[string]any{"line": 3.0, "error": "invalid JSON"},
				map[string]any{"line": 4.0, "error": "not a JSON object"},
			},
		},
		{
			name:        "json object",
			contentType: ctJSON,
			body:        "  " + aindLine("only") + "\n",
			messages:    []string{"only"},
			errors:      []any{},
		},
		{
			name:        "json array",
			contentType: ctJSON + "; charset=utf-8",
			body:        "[" + aindLine("a") + ",\n " + aindLine("b") + `, "text", ` + aindLine("c") + "]",
			messages:    []string{"a", "b", `"text"`, "c"},
			flagged:     1,
			errors:      []any{map[string]any{"line": 3.0, "error": "not a JSON object"}},
		},
		{
			name:        "json malformed object",
			contentType: ctJSON,
			body:        `{"message": "x"} trailing`,
			messages:    []string{`{"message": "x"} trailing`},
			flagged:     1,
			errors:      []any{map[string]any{"line": 1.0, "error": "data after the JSON object"}},
		},
		{
			name:        "empty array",
			contentType: ctJSON,
			body:        "[]",
			errors:      []any{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := new(consumertest.LogsSink)
			_, base := startHTTP(t, httpTestConfig(), sink, nil, nil)
			resp := post(t, newClient(t, nil), base+defaultAindPath, tt.contentType, []byte(tt.body))
			require.Equal(t, http.StatusOK, resp.status, resp.body)
			assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
			assert.Equal(t, map[string]any{
				"accepted": float64(len(tt.messages)),
				"flagged":  float64(tt.flagged),
				"errors":   tt.errors,
			}, resp.json(t))
			assert.Equal(t, tt.messages, messages(sink))
			if len(tt.messages) == 0 {
				assert.Zero(t, sink.LogRecordCount(), "an empty request is not consumed")
				return
			}
			require.Len(t, sink.AllLogs(), 1, "one request, one call")
			flagged := 0
			for _, lr := range records(sink) {
				assert.NotZero(t, lr.ObservedTimestamp())
				if _, ok := lr.Attributes().Get(aind.AttrParseError); ok {
					flagged++
					assert.Equal(t, pcommon.ValueTypeStr, lr.Body().Type())
				} else {
					assert.Equal(t, "INFO", bodyMap(lr)["level"], "a JSON object becomes a map body")
				}
			}
			assert.Equal(t, tt.flagged, flagged)
		})
	}
}

func TestHTTPAindErrorsNeverEchoContent(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.MaxLogSize = 64
	_, base := startHTTP(t, cfg, sink, nil, nil)
	c := newClient(t, nil)

	var body strings.Builder
	for i := 0; i < maxLineErrors+5; i++ {
		body.WriteString("password=hunter2\n")
	}
	body.WriteString(`{"message": "` + strings.Repeat("hunter2 ", 20) + `"}` + "\n")
	resp := post(t, c, base+defaultAindPath, ctNDJSON, []byte(body.String()))
	require.Equal(t, http.StatusOK, resp.status)
	assert.NotContains(t, resp.body, "hunter2")
	got := resp.json(t)
	assert.Equal(t, float64(maxLineErrors+6), got["accepted"])
	assert.Equal(t, float64(maxLineErrors+6), got["flagged"])
	assert.Len(t, got["errors"], maxLineErrors)
	assert.Equal(t, float64(6), got["errors_omitted"])

	// The truncated line: cut to max_log_size, flagged, its error names both.
	lrs := records(sink)
	last := lrs[len(lrs)-1]
	assert.LessOrEqual(t, len(last.Body().Str()), 64)
	v, ok := last.Attributes().Get(aind.AttrTruncated)
	require.True(t, ok)
	assert.True(t, v.Bool())

	resp = post(t, c, base+defaultAindPath, ctJSON, []byte(`[{"a": 1}, {"password": "hunter2"`))
	require.Equal(t, http.StatusBadRequest, resp.status)
	assert.Equal(t, map[string]any{"error": "the body is not a valid JSON array"}, resp.json(t))

	resp = post(t, c, base+defaultLokiPath, ctJSON, []byte(`{"streams": [{"stream": {"a": "hunter2"}, "values": [["1", "hunter2", 3]]}]}`))
	require.Equal(t, http.StatusBadRequest, resp.status)
	assert.NotContains(t, resp.body, "hunter2")
	assert.Equal(t, lrs, records(sink), "refused requests deliver nothing")
}

func TestHTTPTruncatedLineError(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.MaxLogSize = 40
	_, base := startHTTP(t, cfg, sink, nil, nil)
	long := `{"message": "` + strings.Repeat("é", 30) + `"}`
	resp := post(t, newClient(t, nil), base+defaultAindPath, ctNDJSON, []byte(`{"message": "short"}`+"\n"+long))
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, []any{map[string]any{"line": 2.0, "error": "longer than max_log_size: truncated; invalid JSON"}}, resp.json(t)["errors"])
	lrs := records(sink)
	require.Len(t, lrs, 2)
	body := lrs[1].Body().Str()
	assert.LessOrEqual(t, len(body), 40)
	assert.True(t, strings.HasSuffix(body, "é"), "cut on a UTF-8 boundary")
}

func TestHTTPCompression(t *testing.T) {
	sink := new(consumertest.LogsSink)
	_, base := startHTTP(t, httpTestConfig(), sink, nil, nil)
	c := newClient(t, nil)
	plain := []byte(aindLine("compressed") + "\n")

	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	_, _ = gw.Write(plain)
	require.NoError(t, gw.Close())

	zw, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	zs := zw.EncodeAll(plain, nil)
	require.NoError(t, zw.Close())

	var zl bytes.Buffer
	fw := zlib.NewWriter(&zl)
	_, _ = fw.Write(plain)
	require.NoError(t, fw.Close())

	var framed bytes.Buffer
	sw := snappy.NewBufferedWriter(&framed)
	_, _ = sw.Write(plain)
	require.NoError(t, sw.Close())

	for _, tc := range []struct {
		encoding string
		body     []byte
	}{
		{"gzip", gz.Bytes()},
		{"zstd", zs},
		{"deflate", zl.Bytes()},
		{"zlib", zl.Bytes()},
		{"snappy", snappy.Encode(nil, plain)},
		{"snappy", framed.Bytes()},
		{"x-snappy-framed", framed.Bytes()},
		{"identity", plain},
	} {
		before := sink.LogRecordCount()
		resp := post(t, c, base+defaultAindPath, ctNDJSON, tc.body, "Content-Encoding", tc.encoding)
		require.Equal(t, http.StatusOK, resp.status, "%s: %s", tc.encoding, resp.body)
		require.Equal(t, before+1, sink.LogRecordCount(), tc.encoding)
		assert.Equal(t, "compressed", messages(sink)[before], tc.encoding)
	}

	// A Loki JSON body compressed with gzip.
	var lgz bytes.Buffer
	gw = gzip.NewWriter(&lgz)
	_, _ = gw.Write([]byte(`{"streams": [{"stream": {"job": "x"}, "values": [["1700000000000000000", "gz line"]]}]}`))
	require.NoError(t, gw.Close())
	resp := post(t, c, base+defaultLokiPath, ctJSON, lgz.Bytes(), "Content-Encoding", "gzip")
	require.Equal(t, http.StatusNoContent, resp.status, resp.body)

	resp = post(t, c, base+defaultAindPath, ctNDJSON, plain, "Content-Encoding", "br")
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.status)
	assert.Equal(t, map[string]any{"error": "unsupported Content-Encoding"}, resp.json(t))
	resp = post(t, c, base+defaultAindPath, ctNDJSON, plain, "Content-Encoding", "gzip")
	assert.Equal(t, http.StatusBadRequest, resp.status)
	assert.Equal(t, map[string]any{"error": "could not decompress the request body"}, resp.json(t))
	resp = post(t, c, base+defaultAindPath, ctNDJSON, []byte("\xff\xff\xff\xff\xff"), "Content-Encoding", "snappy")
	assert.Equal(t, http.StatusBadRequest, resp.status)
}

func TestHTTPCompressionAlgorithmsRestricted(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.HTTP.Get().ServerConfig.CompressionAlgorithms = []string{"", "gzip"}
	_, base := startHTTP(t, cfg, sink, nil, nil)
	c := newClient(t, nil)
	plain := []byte(aindLine("x"))
	resp := post(t, c, base+defaultAindPath, ctNDJSON, snappy.Encode(nil, plain), "Content-Encoding", "snappy")
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.status)
	// Loki's protobuf bodies are snappy blocks by definition, not by
	// Content-Encoding: they are still accepted.
	resp = post(t, c, base+defaultLokiPath, ctProtobuf, lokiProtobuf(t, &push.PushRequest{Streams: []push.Stream{{
		Labels: `{job="x"}`, Entries: []push.Entry{{Timestamp: time.Unix(1, 0), Line: "l"}},
	}}}))
	assert.Equal(t, http.StatusNoContent, resp.status, resp.body)
	assert.Equal(t, 1, sink.LogRecordCount())
}

func TestHTTPBodyLimits(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.HTTP.Get().ServerConfig.MaxRequestBodySize = 4096
	_, base := startHTTP(t, cfg, sink, nil, nil)
	c := newClient(t, nil)

	big := bytes.Repeat([]byte(aindLine("x")+"\n"), 200) // > 4 KiB
	var bomb bytes.Buffer                                // small compressed, large decompressed
	gw := gzip.NewWriter(&bomb)
	_, _ = gw.Write(bytes.Repeat([]byte(" "), 1<<20))
	require.NoError(t, gw.Close())
	require.Less(t, bomb.Len(), 4096)
	zw, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	zbomb := zw.EncodeAll(bytes.Repeat([]byte(" "), 1<<20), nil)
	require.NoError(t, zw.Close())
	require.Less(t, len(zbomb), 4096)
	snappyBomb := snappy.Encode(nil, bytes.Repeat([]byte(" "), 1<<20))
	require.Less(t, len(snappyBomb), 4096*16)

	for name, tc := range map[string]struct {
		path, contentType string
		body              []byte
		headers           []string
	}{
		"plain":                {defaultAindPath, ctNDJSON, big, nil},
		"plain chunked":        {defaultAindPath, ctNDJSON, big, []string{"Transfer-Encoding", "chunked"}},
		"gzip bomb":            {defaultAindPath, ctNDJSON, bomb.Bytes(), []string{"Content-Encoding", "gzip"}},
		"zstd bomb":            {defaultAindPath, ctNDJSON, zbomb, []string{"Content-Encoding", "zstd"}},
		"loki json gzip bomb":  {defaultLokiPath, ctJSON, bomb.Bytes(), []string{"Content-Encoding", "gzip"}},
		"loki protobuf snappy": {defaultLokiPath, ctProtobuf, snappy.Encode(nil, bytes.Repeat([]byte{0}, 8192)), nil},
	} {
		resp := post(t, c, base+tc.path, tc.contentType, tc.body, tc.headers...)
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.status, "%s: %s", name, resp.body)
		if tc.path == defaultAindPath {
			assert.Equal(t, map[string]any{"error": "request body too large"}, resp.json(t), name)
		}
	}
	assert.Zero(t, sink.LogRecordCount())
}

func TestHTTPMethodsPathsAndContentTypes(t *testing.T) {
	sink := new(consumertest.LogsSink)
	_, base := startHTTP(t, httpTestConfig(), sink, nil, nil)
	c := newClient(t, nil)

	for _, path := range []string{defaultAindPath, defaultLokiPath} {
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
			resp := do(t, c, method, base+path, nil)
			assert.Equal(t, http.StatusMethodNotAllowed, resp.status, "%s %s", method, path)
			assert.Equal(t, "POST", resp.header.Get("Allow"))
		}
	}
	resp := do(t, c, http.MethodGet, base+defaultAindPath, nil)
	assert.Equal(t, map[string]any{"error": "method not allowed: use POST"}, resp.json(t))
	resp = do(t, c, http.MethodGet, base+defaultLokiPath, nil)
	assert.Equal(t, "text/plain; charset=utf-8", resp.header.Get("Content-Type"))

	for _, ct := range []string{"", "text/plain", "application/x-protobuf", "application/json; charset", "multipart/form-data; boundary=x"} {
		resp := post(t, c, base+defaultAindPath, ct, []byte(aindLine("x")))
		assert.Equal(t, http.StatusUnsupportedMediaType, resp.status, "content type %q", ct)
	}
	for _, ct := range []string{"text/plain", "application/x-ndjson"} {
		resp := post(t, c, base+defaultLokiPath, ct, []byte(`{"streams": []}`))
		assert.Equal(t, http.StatusUnsupportedMediaType, resp.status, "content type %q", ct)
	}
	resp = post(t, c, base+"/other", ctNDJSON, []byte(aindLine("x")))
	assert.Equal(t, http.StatusNotFound, resp.status)
	resp = post(t, c, base+defaultAindPath+"/", ctNDJSON, []byte(aindLine("x")))
	assert.Equal(t, http.StatusNotFound, resp.status)
	assert.Zero(t, sink.LogRecordCount())
}

func TestHTTPPathsConfigurable(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.HTTP.Get().AindPath = "/ingest"
	cfg.HTTP.Get().LokiPath = ""
	_, base := startHTTP(t, cfg, sink, nil, nil)
	c := newClient(t, nil)
	assert.Equal(t, http.StatusOK, post(t, c, base+"/ingest", ctNDJSON, []byte(aindLine("x"))).status)
	assert.Equal(t, http.StatusNotFound, post(t, c, base+defaultAindPath, ctNDJSON, []byte(aindLine("x"))).status)
	assert.Equal(t, http.StatusNotFound, post(t, c, base+defaultLokiPath, ctJSON, []byte(`{}`)).status)
}

// failingConsumer refuses every call with err and counts the records it
// was offered.
type failingConsumer struct {
	consumertest.LogsSink
	err error
}

func (c *failingConsumer) ConsumeLogs(context.Context, plog.Logs) error { return c.err }

func TestHTTPRefusals(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		retryAfter bool
	}{
		{"retryable", errors.New("data refused due to high memory usage"), http.StatusServiceUnavailable, true},
		{"queue full", consumererror.NewRetryableError(errors.New("sending queue is full")), http.StatusServiceUnavailable, true},
		{"permanent", consumererror.NewPermanent(errors.New("bad data")), http.StatusBadRequest, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tel := componenttest.NewTelemetry()
			t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
			_, base := startHTTP(t, httpTestConfig(), &failingConsumer{err: tc.err}, nil, tel)
			c := newClient(t, nil)

			resp := post(t, c, base+defaultAindPath, ctNDJSON, []byte(aindLine("a")+"\n"+aindLine("b")))
			assert.Equal(t, tc.status, resp.status)
			assertRetryAfter(t, resp, tc.retryAfter)
			assert.Contains(t, resp.json(t), "error")
			assert.NotContains(t, resp.body, tc.err.Error(), "the pipeline's error is not passed on")

			resp = post(t, c, base+defaultLokiPath, ctProtobuf, lokiProtobuf(t, &push.PushRequest{Streams: []push.Stream{{
				Labels: `{job="x"}`, Entries: []push.Entry{{Timestamp: time.Unix(1, 0), Line: "l"}},
			}}}))
			assert.Equal(t, tc.status, resp.status)
			assertRetryAfter(t, resp, tc.retryAfter)
			assert.True(t, strings.HasPrefix(resp.header.Get("Content-Type"), "text/plain"))

			assert.Equal(t, int64(3), counterValue(t, tel, "otelcol_receiver_refused_log_records"))
			assert.Zero(t, counterValue(t, tel, "otelcol_receiver_accepted_log_records"))
		})
	}
}

func assertRetryAfter(t *testing.T, resp response, want bool) {
	t.Helper()
	ra := resp.header.Get("Retry-After")
	if !want {
		assert.Empty(t, ra)
		return
	}
	n, err := strconv.Atoi(ra)
	require.NoError(t, err, "Retry-After %q", ra)
	assert.GreaterOrEqual(t, n, minRetryAfter)
	assert.LessOrEqual(t, n, maxRetryAfter)
}

// A refused request delivers nothing, the same request sent again is
// delivered whole: no half requests, no duplicates.
func TestHTTPWholeRequestAcceptedOrRefused(t *testing.T) {
	next := &refusingConsumer{refuse: func(call int) error {
		if call <= 2 {
			return errBusy
		}
		return nil
	}}
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	_, base := startHTTP(t, httpTestConfig(), next, nil, tel)
	c := newClient(t, nil)
	msgs := numbered("whole", 0, 50)
	body := []byte(strings.Join(aindLines(msgs), "\n"))
	for i := 0; i < 2; i++ {
		resp := post(t, c, base+defaultAindPath, ctNDJSON, body)
		require.Equal(t, http.StatusServiceUnavailable, resp.status)
		assert.Zero(t, next.LogRecordCount())
	}
	resp := post(t, c, base+defaultAindPath, ctNDJSON, body)
	require.Equal(t, http.StatusOK, resp.status)
	requireExactlyOnce(t, messages(&next.LogsSink), msgs)
	assert.Equal(t, int64(50), counterValue(t, tel, "otelcol_receiver_accepted_log_records"))
	assert.Equal(t, int64(100), counterValue(t, tel, "otelcol_receiver_refused_log_records"))
}

func TestHTTPLokiJSON(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.Resource = map[string]string{"deployment.environment.name": "test", "job": "static"}
	cfg.HTTP.Get().IncludeClientAddress = true
	_, base := startHTTP(t, cfg, sink, nil, nil)
	body := `{"streams": [
	  {"stream": {"service_name": "waterlog", "job": "capsule", "rig_id": "frg_1_a"},
	   "values": [
	     ["1770671964061270000", "{\"level\": \"INFO\", \"message\": \"Starting program\"}"],
	     ["1770671965000000000", "plain text line", {"trace_id": "abc", "subject_id": "123456"}]
	   ]},
	  {"stream": {"job": "other"}, "values": [[1770671966000000000, ""]], "ignored": true},
	  {"stream": {"job": "empty"}, "values": []}
	]}`
	resp := post(t, newClient(t, nil), base+defaultLokiPath, ctJSON, []byte(body),
		"X-Scope-OrgID", "tenant-1", "X-Capsule-Id", "cap-42")
	require.Equal(t, http.StatusNoContent, resp.status, resp.body)
	assert.Empty(t, resp.body)

	require.Len(t, sink.AllLogs(), 1, "one request, one call")
	assert.Equal(t, []map[string]any{
		{
			"deployment.environment.name": "test", "job": "capsule", "service.name": "waterlog", "rig_id": "frg_1_a",
			"loki.tenant": "tenant-1", "co.capsule.id": "cap-42", "client.address": "127.0.0.1",
		},
		{
			"deployment.environment.name": "test", "job": "other",
			"loki.tenant": "tenant-1", "co.capsule.id": "cap-42", "client.address": "127.0.0.1",
		},
	}, resourcesOf(sink.AllLogs()))
	lrs := records(sink)
	require.Len(t, lrs, 3)
	assert.Equal(t, `{"level": "INFO", "message": "Starting program"}`, lrs[0].Body().Str(), "the processor parses JSON lines")
	assert.Equal(t, pcommon.Timestamp(1770671964061270000), lrs[0].Timestamp())
	assert.Empty(t, attrsOf(lrs[0]))
	assert.Equal(t, "plain text line", lrs[1].Body().Str())
	assert.Equal(t, map[string]any{"trace_id": "abc", "subject_id": "123456"}, attrsOf(lrs[1]))
	assert.Equal(t, pcommon.Timestamp(1770671966000000000), lrs[2].Timestamp())
	for _, lr := range lrs {
		assert.NotZero(t, lr.ObservedTimestamp())
	}
}

func TestHTTPLokiProtobuf(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.MaxLogSize = 20
	_, base := startHTTP(t, cfg, sink, nil, nil)
	c := newClient(t, nil)
	ts := time.Unix(1770671964, 61270000)
	req := &push.PushRequest{Streams: []push.Stream{
		{
			Labels: `{service_name="waterlog", job="capsule", path="C:\\logs\\a \"b\""}`,
			Entries: []push.Entry{
				{Timestamp: ts, Line: `{"message": "hi"}`, StructuredMetadata: push.LabelsAdapter{{Name: "trace_id", Value: "abc"}}},
				{Timestamp: ts.Add(time.Second), Line: strings.Repeat("long ", 10)},
				{Line: "no time, invalid \xff UTF-8"},
			},
		},
		{Labels: `{}`, Entries: []push.Entry{{Timestamp: ts, Line: "unlabelled"}}},
	}}
	for _, headers := range [][]string{nil, {"Content-Encoding", "snappy"}} {
		sink.Reset()
		resp := post(t, c, base+defaultLokiPath, ctProtobuf, lokiProtobuf(t, req), headers...)
		require.Equal(t, http.StatusNoContent, resp.status, resp.body)
		assert.Equal(t, []map[string]any{
			{"service.name": "waterlog", "job": "capsule", "path": `C:\logs\a "b"`},
			{},
		}, resourcesOf(sink.AllLogs()))
		lrs := records(sink)
		require.Len(t, lrs, 4)
		assert.Equal(t, `{"message": "hi"}`, lrs[0].Body().Str())
		assert.Equal(t, pcommon.NewTimestampFromTime(ts), lrs[0].Timestamp())
		assert.Equal(t, map[string]any{"trace_id": "abc"}, attrsOf(lrs[0]))
		assert.Equal(t, strings.Repeat("long ", 4), lrs[1].Body().Str())
		assert.Equal(t, map[string]any{aind.AttrTruncated: true}, attrsOf(lrs[1]))
		assert.Zero(t, lrs[2].Timestamp(), "an entry without time keeps Timestamp unset")
		assert.Equal(t, "no time, invalid \ufffd U", lrs[2].Body().Str(), "cut, invalid UTF-8 replaced")
		assert.Equal(t, "unlabelled", lrs[3].Body().Str())
	}

	// A missing Content-Type means protobuf, as in Loki.
	sink.Reset()
	resp := do(t, c, http.MethodPost, base+defaultLokiPath, lokiProtobuf(t, req))
	require.Equal(t, http.StatusNoContent, resp.status, resp.body)
	assert.Equal(t, 4, sink.LogRecordCount())

	// Errors: not snappy, not protobuf, bad labels. Nothing is delivered.
	sink.Reset()
	raw, err := req.Marshal()
	require.NoError(t, err)
	for name, body := range map[string][]byte{
		"not snappy":   raw,
		"not protobuf": snappy.Encode(nil, []byte("\x0a\xff\xff\xff\xff\x0f")),
		"bad labels": lokiProtobuf(t, &push.PushRequest{Streams: []push.Stream{
			{Labels: `{job="ok"}`, Entries: []push.Entry{{Timestamp: ts, Line: "first stream is fine"}}},
			{Labels: `{job=unquoted}`, Entries: []push.Entry{{Timestamp: ts, Line: "x"}}},
		}}),
	} {
		resp := post(t, c, base+defaultLokiPath, ctProtobuf, body)
		assert.Equal(t, http.StatusBadRequest, resp.status, name)
	}
	assert.Zero(t, sink.LogRecordCount())
}

func TestHTTPAuth(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	host := withBearerAuth(t, cfg, func(c *bearertokenauthextension.Config) {
		c.BearerToken = configopaque.String("s3cret-token")
	})
	_, base := startHTTP(t, cfg, sink, host, nil)
	c := newClient(t, nil)
	body := []byte(aindLine("authenticated"))

	for name, headers := range map[string][]string{
		"no token":    nil,
		"wrong token": {"Authorization", "Bearer wrong"},
		"no scheme":   {"Authorization", "s3cret-token"},
	} {
		resp := post(t, c, base+defaultAindPath, ctNDJSON, body, headers...)
		assert.Equal(t, http.StatusUnauthorized, resp.status, name)
		assert.Equal(t, map[string]any{"error": "unauthorized"}, resp.json(t), name)
		resp = post(t, c, base+defaultLokiPath, ctJSON, []byte(`{"streams": []}`), headers...)
		assert.Equal(t, http.StatusUnauthorized, resp.status, name)
	}
	assert.Zero(t, sink.LogRecordCount())

	resp := post(t, c, base+defaultAindPath, ctNDJSON, body, "Authorization", "Bearer s3cret-token")
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	assert.Equal(t, []string{"authenticated"}, messages(sink))
}

func TestHTTPTLS(t *testing.T) {
	certFile, keyFile, pool := writeTestCert(t, t.TempDir())
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	tlsCfg := configtls.NewDefaultServerConfig()
	tlsCfg.CertFile = certFile
	tlsCfg.KeyFile = keyFile
	cfg.HTTP.Get().ServerConfig.TLS = configoptional.Some(tlsCfg)
	r, _ := startHTTP(t, cfg, sink, nil, nil)
	url := "https://" + r.http.addr.String()

	c := newClient(t, &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}})
	resp := post(t, c, url+defaultAindPath, ctNDJSON, []byte(aindLine("over TLS")))
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	assert.Equal(t, []string{"over TLS"}, messages(sink))

	// Plain HTTP to the TLS port is refused; so is a client that does not
	// trust the certificate.
	resp = post(t, newClient(t, nil), "http://"+r.http.addr.String()+defaultAindPath, ctNDJSON, []byte(aindLine("plain")))
	assert.Equal(t, http.StatusBadRequest, resp.status)
	untrusting := newClient(t, &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url+defaultAindPath, strings.NewReader(aindLine("x")))
	require.NoError(t, err)
	_, err = untrusting.Do(req) //nolint:bodyclose // there is no response
	require.Error(t, err)
	assert.Equal(t, []string{"over TLS"}, messages(sink))
}

func TestHTTPIdentityHeaders(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.Resource = map[string]string{"co.capsule.id": "static", "team": "static-team"}
	cfg.HTTP.Get().HeadersAsResource = map[string]string{"x-team": "team", "X-Scope-OrgID": ""}
	_, base := startHTTP(t, cfg, sink, nil, nil)
	resp := post(t, newClient(t, nil), base+defaultAindPath, ctNDJSON, []byte(aindLine("x")),
		"X-Capsule-Id", "cap-1", "X-Computation-Id", "comp-\xff", "X-Team", "neuro", "X-Scope-OrgID", "tenant")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, []map[string]any{{
		"co.capsule.id":     "cap-1",
		"co.computation.id": "comp-\ufffd",
		"team":              "neuro",
	}}, resourcesOf(sink.AllLogs()), "headers win over static attributes; loki.tenant turned off; no client.address by default")
}

func TestHTTPLifecycle(t *testing.T) {
	cfg := httpTestConfig()
	set := receivertest.NewNopSettings(metadata.Type)

	// Shutdown without Start.
	r, err := newReceiver(set, cfg, consumertest.NewNop())
	require.NoError(t, err)
	require.NoError(t, r.Shutdown(context.Background()))

	// Start, Shutdown, twice; Shutdown again is a no-op.
	for i := 0; i < 2; i++ {
		r, err = newReceiver(set, cfg, consumertest.NewNop())
		require.NoError(t, err)
		require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
		require.NoError(t, r.Shutdown(context.Background()))
		require.NoError(t, r.Shutdown(context.Background()))
	}

	// A port in use fails Start.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	busy := httpTestConfig()
	busy.HTTP.Get().ServerConfig.NetAddr.Endpoint = ln.Addr().String()
	r, err = newReceiver(set, busy, consumertest.NewNop())
	require.NoError(t, err)
	require.Error(t, r.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, r.Shutdown(context.Background()))

	// Auth configured with an extension the host does not have fails Start.
	noExt := httpTestConfig()
	noExt.HTTP.Get().ServerConfig.Auth = configoptional.Some(confighttp.AuthConfig{
		Config: configauth.Config{AuthenticatorID: component.MustNewID("bearertokenauth")},
	})
	r, err = newReceiver(set, noExt, consumertest.NewNop())
	require.NoError(t, err)
	require.Error(t, r.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, r.Shutdown(context.Background()))
}

// Files and HTTP in one receiver: both deliver.
func TestHTTPAndFilesTogether(t *testing.T) {
	dir := t.TempDir()
	writeLines(t, dir+"/app.log", aindLine("from file"))
	cfg := testConfig(dir)
	cfg.HTTP.GetOrInsertDefault().ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	sink := new(consumertest.LogsSink)
	r := startReceiver(t, cfg, sink, nil, nil)
	waitForMessage(t, sink, "from file")
	resp := post(t, newClient(t, nil), "http://"+r.http.addr.String()+defaultAindPath, ctNDJSON, []byte(aindLine("from http")))
	require.Equal(t, http.StatusOK, resp.status)
	waitForMessage(t, sink, "from http")
}

// Loki clients that only do basic auth (Python's logging-loki handler)
// get in through bearertokenauth with no scheme and full header values.
func TestHTTPAuthBasicForLokiClients(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	host := withBearerAuth(t, cfg, func(c *bearertokenauthextension.Config) {
		c.Scheme = ""
		c.Tokens = []configopaque.String{
			"Bearer s3cret",
			configopaque.String("Basic " + base64.StdEncoding.EncodeToString([]byte("capsule:s3cret"))),
		}
	})
	_, base := startHTTP(t, cfg, sink, host, nil)
	c := newClient(t, nil)
	send := func(user, pass string) int {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, base+defaultLokiPath,
			strings.NewReader(`{"streams": [{"stream": {"job": "py"}, "values": [["1", "line"]]}]}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", ctJSON)
		req.SetBasicAuth(user, pass)
		resp, err := c.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusUnauthorized, send("capsule", "wrong"))
	assert.Equal(t, http.StatusNoContent, send("capsule", "s3cret"))
	assert.Equal(t, http.StatusOK, post(t, c, base+defaultAindPath, ctNDJSON, []byte(aindLine("x")), "Authorization", "Bearer s3cret").status)
	assert.Equal(t, 2, sink.LogRecordCount())
}

func TestHTTPMaxRecordsPerRequest(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.HTTP.Get().MaxRecordsPerRequest = 3
	_, base := startHTTP(t, cfg, sink, nil, nil)
	c := newClient(t, nil)

	three := strings.Join(aindLines([]string{"a", "b", "c"}), "\n\n\n") // empty lines do not count
	resp := post(t, c, base+defaultAindPath, ctNDJSON, []byte(three))
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	require.Equal(t, 3, sink.LogRecordCount())

	for name, tc := range map[string]struct{ path, ct, body string }{
		"ndjson":     {defaultAindPath, ctNDJSON, three + "\nx"},
		"json array": {defaultAindPath, ctJSON, "[1, 2, 3, 4]"},
		"loki json":  {defaultLokiPath, ctJSON, `{"streams": [{"stream": {}, "values": [["1", "a"], ["2", "b"]]}, {"stream": {}, "values": [["1", "a"], ["2", "b"]]}]}`},
	} {
		resp := post(t, c, base+tc.path, tc.ct, []byte(tc.body))
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.status, name)
		assert.Contains(t, resp.body, "too many records in one request", name)
	}
	assert.Equal(t, 3, sink.LogRecordCount(), "refused requests deliver nothing")
}

func TestHTTPCORS(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cors := confighttp.NewDefaultCORSConfig()
	cors.AllowedOrigins = []string{"https://grafana.example.org"}
	cors.AllowedHeaders = []string{"Authorization", "Content-Type", "X-Capsule-Id"}
	cfg.HTTP.Get().ServerConfig.CORS = configoptional.Some(cors)
	_, base := startHTTP(t, cfg, sink, nil, nil)
	c := newClient(t, nil)

	resp := do(t, c, http.MethodOptions, base+defaultAindPath, nil,
		"Origin", "https://grafana.example.org", "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "authorization,content-type") // as browsers send it
	assert.Equal(t, http.StatusNoContent, resp.status)
	assert.Equal(t, "https://grafana.example.org", resp.header.Get("Access-Control-Allow-Origin"))

	resp = post(t, c, base+defaultAindPath, ctNDJSON, []byte(aindLine("cors")), "Origin", "https://grafana.example.org")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, "https://grafana.example.org", resp.header.Get("Access-Control-Allow-Origin"))
	resp = post(t, c, base+defaultAindPath, ctNDJSON, []byte(aindLine("other")), "Origin", "https://evil.example.org")
	assert.Empty(t, resp.header.Get("Access-Control-Allow-Origin"))
}

// withBearerAuth starts a bearertokenauth extension configured by edit, makes
// cfg's HTTP server authenticate with it, and returns a host holding it.
func withBearerAuth(t *testing.T, cfg *Config, edit func(*bearertokenauthextension.Config)) component.Host {
	t.Helper()
	factory := bearertokenauthextension.NewFactory()
	extCfg := factory.CreateDefaultConfig().(*bearertokenauthextension.Config)
	edit(extCfg)
	ext, err := factory.Create(context.Background(), extensiontest.NewNopSettings(factory.Type()), extCfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, ext.Shutdown(context.Background())) })
	id := component.NewID(factory.Type())
	cfg.HTTP.Get().ServerConfig.Auth = configoptional.Some(confighttp.AuthConfig{Config: configauth.Config{AuthenticatorID: id}})
	return storageHost{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{id: ext}}
}
