package lokipush

import (
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/decompress"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

func FuzzLokiJSON(f *testing.F) {
	for _, seed := range []string{
		`{"streams": [{"stream": {"job": "x"}, "values": [["1700000000000000000", "line"]]}]}`,
		`{"streams": [{"stream": {"a": "b", "a": "c"}, "values": [["1", "l", {"k": "v"}], [2, "m"]]}]}`,
		`{"streams": null}`,
		`{"streams": [{"values": [["x", "l"]]}]}`,
		`{"streams": [{"stream": {"a": 1}}]}`,
		`{"other": [1, 2, {"x": null}], "streams": []} `,
		`{"streams": [{"stream": {"\u00e9\ud800": "\xff"}, "values": [["-5", "\xff"]]}]}`,
		`[]`,
		``,
		// The legacy body (python-logging-loki's version "0").
		`{"streams": [{"labels": "{application=\"a\",severity=\"error\"}", "entries": [{"ts": "2026-12-02T04:00:00.123456+00:00", "line": "l"}]}]}`,
		`{"streams": [{"labels": "{a=\"unterminated}", "entries": [{"ts": "x", "line": 1}]}]}`,
		`{"streams": [{"labels": 5, "entries": [{"line": "l", "extra": [1]}]}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		streams, err := Decode(body, JSON, 1<<20)
		if err != nil {
			if !errors.Is(err, ErrLabels) {
				require.ErrorIs(t, err, ErrJSON)
			}
			return
		}
		checkStreams(t, streams)
	})
}

func FuzzLokiProtobuf(f *testing.F) {
	ts := time.Unix(1770671964, 5)
	for _, req := range []*push.PushRequest{
		{Streams: []push.Stream{{Labels: `{job="x", a="\n"}`, Entries: []push.Entry{{Timestamp: ts, Line: "l",
			StructuredMetadata: push.LabelsAdapter{{Name: "k", Value: "v"}}}}}}},
		{Streams: []push.Stream{{Labels: `{}`, Entries: []push.Entry{{Line: "\xff"}}}, {Labels: `{"a.b"='c'}`}}},
	} {
		raw, err := req.Marshal()
		require.NoError(f, err)
		f.Add(raw, true)
		f.Add(snappy.Encode(nil, raw), false)
	}
	f.Add([]byte{}, false)
	f.Add([]byte("\xff\xff\xff\xff\x0f"), false)
	f.Fuzz(func(t *testing.T, data []byte, compress bool) {
		body := data
		if compress {
			body = snappy.Encode(nil, data)
		}
		streams, err := Decode(body, Protobuf, 1<<20)
		if err != nil {
			// Only the errors the HTTP input maps to a status.
			for _, known := range []error{ErrNotSnappy, ErrProtobuf, ErrLabels, decompress.ErrTooLarge} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("unknown error %v", err)
		}
		checkStreams(t, streams)
	})
}

// checkStreams builds the records of decoded streams and checks them.
func checkStreams(t *testing.T, streams []Stream) {
	t.Helper()
	ld, counts := Logs(streams, Options{
		MaxLogSize: 32,
		Observed:   pcommon.Timestamp(1),
		Labels:     NewLabelRoles(DefaultLabelConfig()),
		Resource: func(m pcommon.Map, putLabels func(pcommon.Map)) {
			m.PutStr("static", "x")
			putLabels(m)
			m.PutStr("h", "v")
		},
	})
	count := ld.LogRecordCount()
	require.Equal(t, Entries(streams), count)
	require.LessOrEqual(t, counts.Truncated, count)
	plogtest.RequireMarshals(t, ld)
}

func FuzzLokiLabels(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		` { job = "x" , b="y", } `,
		`{service_name="waterlog", job="capsule", path="C:\\logs\\a \"b\""}`,
		`{a='single \' quote', b=` + "`raw \\ value`" + `}`,
		`{"quoted.name"="v", "é"="\u00e9\x41\101"}`,
		`{a="1", a="2"}`,
		`{a="unterminated}`,
		`{a=unquoted}`,
		`{="empty"}`,
		`{a="\xff"}`,
		"{a=\"new\nline\"}",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		labels, err := ParseLabels(s)
		if err != nil {
			require.ErrorIs(t, err, ErrLabels)
			return
		}
		for i, l := range labels {
			require.NotEmpty(t, l.Name)
			require.True(t, utf8.ValidString(l.Name))
			require.True(t, utf8.ValidString(l.Value))
			if i > 0 {
				require.Less(t, labels[i-1].Name, l.Name, "sorted, unique")
			}
		}
		again, err := ParseLabels(FormatLabels(labels))
		require.NoError(t, err)
		if len(labels) == 0 {
			require.Empty(t, again)
			return
		}
		require.Equal(t, labels, again)
	})
}
