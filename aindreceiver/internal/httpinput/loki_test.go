package httpinput

import (
	"maps"
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
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

func TestHTTPLokiJSON(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.IncludeClientAddress = true
	set := inputtest.Settings(t, sink, nil)
	set.Resource = map[string]string{"deployment.environment.name": "test", "job": "static"}
	_, base := startHTTP(t, cfg, set, nil)
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
		// Labels with no role are record attributes; the static resource's
		// job stays. rig_id is an AIND resource field.
		{
			"deployment.environment.name": "test", "job": "static", "service.name": "waterlog", "rig_id": "frg_1_a",
			"co.capsule.id": "cap-42", "client.address": "127.0.0.1",
		},
		// job is the last of the service name labels.
		{
			"deployment.environment.name": "test", "job": "static", "service.name": "other",
			"co.capsule.id": "cap-42", "client.address": "127.0.0.1",
		},
	}, inputtest.ResourcesOf(sink.AllLogs()), "X-Scope-OrgID is not honoured, so not copied")
	lrs := inputtest.Records(sink)
	require.Len(t, lrs, 3)
	assert.Equal(t, `{"level": "INFO", "message": "Starting program"}`, lrs[0].Body().Str(), "the processor parses JSON lines")
	assert.Equal(t, pcommon.Timestamp(1770671964061270000), lrs[0].Timestamp())
	assert.Equal(t, map[string]any{"job": "capsule"}, inputtest.AttrsOf(lrs[0]))
	assert.Equal(t, "plain text line", lrs[1].Body().Str())
	assert.Equal(t, map[string]any{"job": "capsule", "trace_id": "abc", "subject_id": "123456"}, inputtest.AttrsOf(lrs[1]))
	assert.Equal(t, pcommon.Timestamp(1770671966000000000), lrs[2].Timestamp())
	for _, lr := range lrs {
		assert.NotZero(t, lr.ObservedTimestamp())
	}
}

func TestHTTPLokiProtobuf(t *testing.T) {
	sink := new(consumertest.LogsSink)
	set := inputtest.Settings(t, sink, nil)
	set.MaxLogSize = 20
	_, base := startHTTP(t, httpTestConfig(), set, nil)
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
			{"service.name": "waterlog"},
			{},
		}, inputtest.ResourcesOf(sink.AllLogs()))
		lrs := inputtest.Records(sink)
		require.Len(t, lrs, 4)
		labelled := map[string]any{"job": "capsule", "path": `C:\logs\a "b"`}
		assert.Equal(t, `{"message": "hi"}`, lrs[0].Body().Str())
		assert.Equal(t, pcommon.NewTimestampFromTime(ts), lrs[0].Timestamp())
		assert.Equal(t, withAttrs(labelled, "trace_id", "abc"), inputtest.AttrsOf(lrs[0]))
		assert.Equal(t, strings.Repeat("long ", 4), lrs[1].Body().Str())
		assert.Equal(t, withAttrs(labelled, aind.AttrTruncated, true), inputtest.AttrsOf(lrs[1]))
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

// withAttrs is m with more attributes, in key, value pairs.
func withAttrs(m map[string]any, kv ...any) map[string]any {
	out := maps.Clone(m)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// python-logging-loki 0.3.1 pushes one record per request. With version "1"
// its labels are an object; with version "0" (its default) a label string in
// the legacy body, which Loki reads on /api/prom/push and this input on any
// of its Loki paths. Either way the labels mean service.name, the severity
// and the scope.
func TestHTTPLokiPythonLoggingLoki(t *testing.T) {
	sink := new(consumertest.LogsSink)
	_, base := startHTTP(t, httpTestConfig(), inputtest.Settings(t, sink, nil), nil)
	c := newClient(t, nil)
	bodies := map[string]string{
		defaultLokiPath: `{"streams": [{"stream": {"application": "aind-airflow-service", "severity": "error", "logger": "airflow.task"}, ` +
			`"values": [["1764648000123456000", "Task failed"]]}]}`,
		lokiLegacyPath: `{"streams": [{"labels": "{application=\"aind-airflow-service\",severity=\"error\",logger=\"airflow.task\"}", ` +
			`"entries": [{"ts": "2025-12-02T04:00:00.123456+00:00", "line": "Task failed"}]}]}`,
		alloyPushPath: `{"streams": [{"stream": {"application": "aind-airflow-service", "severity": "error", "logger": "airflow.task"}, ` +
			`"values": [["1764648000123456000", "Task failed"]]}]}`,
	}
	for path, body := range bodies {
		sink.Reset()
		resp := post(t, c, base+path, ctJSON, []byte(body))
		require.Equal(t, http.StatusNoContent, resp.status, path, resp.body)
		require.Len(t, sink.AllLogs(), 1, path)
		rl := sink.AllLogs()[0].ResourceLogs().At(0)
		assert.Equal(t, map[string]any{"service.name": "aind-airflow-service"}, rl.Resource().Attributes().AsRaw(), path)
		sl := rl.ScopeLogs().At(0)
		assert.Equal(t, "airflow.task", sl.Scope().Name(), path)
		lr := sl.LogRecords().At(0)
		assert.Equal(t, "error", lr.SeverityText(), path)
		assert.Equal(t, plog.SeverityNumberError, lr.SeverityNumber(), path)
		assert.Equal(t, pcommon.Timestamp(1764648000123456000), lr.Timestamp(), path)
		assert.Empty(t, inputtest.AttrsOf(lr), path)
	}
}
