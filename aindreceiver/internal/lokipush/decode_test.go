package lokipush

import (
	"bytes"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/decompress"
)

func TestFormatOf(t *testing.T) {
	for mt, want := range map[string]Format{
		"application/json": JSON, "": Protobuf, "application/x-protobuf": Protobuf, "application/protobuf": Protobuf,
	} {
		got, ok := FormatOf(mt)
		assert.True(t, ok, mt)
		assert.Equal(t, want, got, mt)
	}
	for _, mt := range []string{"text/plain", "application/x-ndjson"} {
		_, ok := FormatOf(mt)
		assert.False(t, ok, mt)
	}
}

func TestDecodeProtobuf(t *testing.T) {
	ts := time.Unix(1770671964, 61270000)
	req := &push.PushRequest{Streams: []push.Stream{
		{Labels: `{job="capsule", service_name="waterlog"}`, Entries: []push.Entry{{Timestamp: ts, Line: "a"}, {Timestamp: ts, Line: "b"}}},
		{Labels: `{}`, Entries: []push.Entry{{Timestamp: ts, Line: "c"}}},
	}}
	raw, err := req.Marshal()
	require.NoError(t, err)
	streams, err := Decode(snappy.Encode(nil, raw), Protobuf, 1<<20)
	require.NoError(t, err)
	require.Len(t, streams, 2)
	assert.Equal(t, []push.LabelAdapter{{Name: "job", Value: "capsule"}, {Name: "service_name", Value: "waterlog"}}, streams[0].Labels)
	assert.Equal(t, "b", streams[0].Entries[1].Line)
	assert.Empty(t, streams[1].Labels)
	assert.Equal(t, 3, Entries(streams))

	for name, tc := range map[string]struct {
		body []byte
		want error
	}{
		"not snappy":   {raw, ErrNotSnappy},
		"not protobuf": {snappy.Encode(nil, []byte("\x0a\xff\xff\xff\xff\x0f")), ErrProtobuf},
		"too large":    {snappy.Encode(nil, bytes.Repeat([]byte{0}, 8192)), decompress.ErrTooLarge},
	} {
		_, err := Decode(tc.body, Protobuf, 4096)
		assert.ErrorIs(t, err, tc.want, name)
	}

	bad := &push.PushRequest{Streams: []push.Stream{{Labels: `{job="ok"}`}, {Labels: `{job=unquoted}`}}}
	raw, err = bad.Marshal()
	require.NoError(t, err)
	_, err = Decode(snappy.Encode(nil, raw), Protobuf, 1<<20)
	require.ErrorIs(t, err, ErrLabels)
	assert.EqualError(t, err, "stream 2: invalid stream labels", "the stream is named, the labels never quoted")
}

func TestDecodeJSON(t *testing.T) {
	streams, err := Decode([]byte(`{"streams": [
	  {"stream": {"job": "capsule", "job": "last wins"}, "values": [["1770671964061270000", "line", {"trace_id": "abc"}], [5, "int time"]], "other": 1},
	  {"values": []}
	]}`), JSON, 1)
	require.NoError(t, err, "the limit is the protobuf's decompressed size only")
	require.Len(t, streams, 2)
	assert.Equal(t, []push.LabelAdapter{{Name: "job", Value: "last wins"}}, streams[0].Labels)
	require.Len(t, streams[0].Entries, 2)
	e := streams[0].Entries[0]
	assert.Equal(t, int64(1770671964061270000), e.Timestamp.UnixNano())
	assert.Equal(t, "line", e.Line)
	assert.Equal(t, push.LabelsAdapter{{Name: "trace_id", Value: "abc"}}, push.LabelsAdapter(e.StructuredMetadata))
	assert.Equal(t, int64(5), streams[0].Entries[1].Timestamp.UnixNano())

	for _, body := range []string{
		``, `[]`, `{"streams": {}}`, `{"streams": [{"stream": {"a": 1}}]}`,
		`{"streams": [{"values": [["not a time", "secret line"]]}]}`,
		`{"streams": [{"values": [["1"]]}]}`, `{"streams": [{"values": [["1", "l", {}, 4]]}]}`,
		`{"streams": []} trailing`,
	} {
		_, err := Decode([]byte(body), JSON, 1<<20)
		assert.ErrorIs(t, err, ErrJSON, body)
		if err != nil {
			assert.NotContains(t, err.Error(), "secret")
		}
	}
}

// The legacy body, as python-logging-loki 0.3.1 builds it with version "0":
// the labels one string (its values' quotes escaped, nothing else), each
// entry an object with an RFC 3339 time in microseconds.
func TestDecodeLegacyJSON(t *testing.T) {
	streams, err := Decode([]byte(`{"streams": [{"labels": "{application=\"aind-airflow-service\",severity=\"error\",logger=\"airflow.task\",note=\"say \\\"hi\\\"\"}", `+
		`"entries": [{"ts": "2026-12-02T04:00:00.123456+00:00", "line": "Task failed"}]}]}`), JSON, 1<<20)
	require.NoError(t, err)
	require.Len(t, streams, 1)
	assert.Equal(t, []push.LabelAdapter{
		{Name: "application", Value: "aind-airflow-service"}, {Name: "logger", Value: "airflow.task"},
		{Name: "note", Value: `say "hi"`}, {Name: "severity", Value: "error"},
	}, streams[0].Labels)
	require.Len(t, streams[0].Entries, 1)
	assert.Equal(t, time.Date(2026, 12, 2, 4, 0, 0, 123456000, time.UTC).UnixNano(), streams[0].Entries[0].Timestamp.UnixNano())
	assert.Equal(t, "Task failed", streams[0].Entries[0].Line)

	_, err = Decode([]byte(`{"streams": [{"values": []}, {"labels": "{a=\"secret", "entries": []}]}`), JSON, 1<<20)
	require.ErrorIs(t, err, ErrLabels)
	assert.EqualError(t, err, "stream 2: invalid stream labels", "the stream is named, the labels never quoted")
	for _, body := range []string{
		`{"streams": [{"labels": 5}]}`,
		`{"streams": [{"entries": [{"ts": "yesterday", "line": "secret"}]}]}`,
		`{"streams": [{"entries": [{"ts": "2026-12-02T04:00:00Z"}]}]}`,
		`{"streams": [{"entries": [["1", "values in entries"]]}]}`,
	} {
		_, err := Decode([]byte(body), JSON, 1<<20)
		assert.ErrorIs(t, err, ErrJSON, body)
	}
}
