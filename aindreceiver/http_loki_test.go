package aindreceiver

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

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
			"co.capsule.id": "cap-42", "client.address": "127.0.0.1",
		},
		{
			"deployment.environment.name": "test", "job": "other",
			"co.capsule.id": "cap-42", "client.address": "127.0.0.1",
		},
	}, resourcesOf(sink.AllLogs()), "X-Scope-OrgID is not honoured, so not copied")
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
