package aindreceiver

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// requireMarshals checks pdata can serialize what a decoder built (it
// refuses invalid UTF-8) and that every string is valid UTF-8.
func requireMarshals(t *testing.T, ld plog.Logs) {
	t.Helper()
	_, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	_, err = (&plog.JSONMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	var check func(v pcommon.Value)
	check = func(v pcommon.Value) {
		switch v.Type() {
		case pcommon.ValueTypeStr:
			require.True(t, utf8.ValidString(v.Str()))
		case pcommon.ValueTypeMap:
			for k, e := range v.Map().All() {
				require.True(t, utf8.ValidString(k))
				check(e)
			}
		case pcommon.ValueTypeSlice:
			for _, e := range v.Slice().All() {
				check(e)
			}
		}
	}
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		rl := ld.ResourceLogs().At(i)
		check(pcommon.NewValueMap())
		for k, v := range rl.Resource().Attributes().All() {
			require.True(t, utf8.ValidString(k))
			check(v)
		}
		for j := 0; j < rl.ScopeLogs().Len(); j++ {
			lrs := rl.ScopeLogs().At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				check(lrs.At(k).Body())
				for name, v := range lrs.At(k).Attributes().All() {
					require.True(t, utf8.ValidString(name))
					check(v)
				}
			}
		}
	}
}

func FuzzAindBody(f *testing.F) {
	for _, seed := range []string{
		aindLine("a") + "\n" + aindLine("b") + "\n",
		"\ufeff" + aindLine("bom") + "\r\n\r\n",
		"not json\n{\"message\": \"cut\"\n[1]\n",
		"[" + aindLine("a") + ", 1, \"s\", null, {}]",
		`[{"a": [1, {"b": "\u00e9"}]}]`,
		`{"message": "x"} trailing`,
		"[\xff]",
		`{"message": "` + strings.Repeat("é", 40) + `"}`,
		"",
		"[",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, asJSON bool) {
		kind := kindNDJSON
		if asJSON {
			kind = kindJSON
		}
		ld := plog.NewLogs()
		records := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
		d := newAindDecoder(64, 50, records, pcommon.Timestamp(1))
		err := d.decode(kind, append([]byte(nil), body...))
		if errors.Is(err, errTooManyRecords) {
			require.Equal(t, 50, records.Len())
			return
		}
		if err != nil {
			require.True(t, asJSON, "NDJSON bodies never fail as a whole")
			require.ErrorIs(t, err, errInvalidArray)
			return
		}
		require.Equal(t, records.Len(), d.resp.Accepted)
		require.LessOrEqual(t, d.resp.Flagged, d.resp.Accepted)
		require.Equal(t, d.resp.Flagged, len(d.resp.Errors)+d.resp.ErrorsOmitted)
		require.LessOrEqual(t, len(d.resp.Errors), maxLineErrors)
		require.Equal(t, d.parseErrors+d.truncated >= d.resp.Flagged, true)
		for _, e := range d.resp.Errors {
			require.Positive(t, e.Line)
			require.NotEmpty(t, e.Error)
		}
		requireMarshals(t, ld)
	})
}

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
	} {
		f.Add([]byte(seed))
	}
	in := &httpInput{maxLogSize: 32, resource: map[string]string{"static": "x"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		streams, err := decodeLokiJSON(body)
		if err != nil {
			require.ErrorIs(t, err, errLokiJSON)
			return
		}
		checkLokiStreams(t, in, streams)
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
	in := &httpInput{maxLogSize: 32}
	f.Fuzz(func(t *testing.T, data []byte, compress bool) {
		body := data
		if compress {
			body = snappy.Encode(nil, data)
		}
		streams, _, err := decodeLokiProtobuf(body, 1<<20)
		if err != nil {
			return
		}
		checkLokiStreams(t, in, streams)
	})
}

// checkLokiStreams builds the records of decoded streams and checks them.
func checkLokiStreams(t *testing.T, in *httpInput, streams []lokiStream) {
	t.Helper()
	entries := 0
	for _, s := range streams {
		entries += len(s.entries)
	}
	ld, count, truncated := in.buildLoki(streams, [][2]string{{"h", "v"}}, pcommon.Timestamp(1))
	require.Equal(t, entries, count)
	require.Equal(t, entries, ld.LogRecordCount())
	require.LessOrEqual(t, truncated, count)
	requireMarshals(t, ld)
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
		labels, err := parseLokiLabels(s)
		if err != nil {
			require.ErrorIs(t, err, errLokiLabels)
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
		again, err := parseLokiLabels(formatLokiLabels(labels))
		require.NoError(t, err)
		if len(labels) == 0 {
			require.Empty(t, again)
			return
		}
		require.Equal(t, labels, again)
	})
}

func FuzzSnappyBody(f *testing.F) {
	f.Add(snappy.Encode(nil, []byte(aindLine("x"))))
	f.Add(append(append([]byte(nil), snappyFramingHeader...), 0x01, 0x05, 0x00, 0x00))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		out, status, err := decodeSnappy(body, 1<<16)
		if err != nil {
			require.NotZero(t, status)
			return
		}
		require.LessOrEqual(t, len(out), 1<<16)
	})
}
