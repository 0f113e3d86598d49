package httpinput

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
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
			body:        inputtest.AindLine("a") + "\n" + inputtest.AindLine("b") + "\n",
			messages:    []string{"a", "b"},
			errors:      []any{},
		},
		{
			name:        "jsonl with BOM, CRLF, blank lines and no final newline",
			contentType: ctJSONL,
			body:        "\ufeff" + inputtest.AindLine("a") + "\r\n\r\n   \n" + inputtest.AindLine("b"),
			messages:    []string{"a", "b"},
			errors:      []any{},
		},
		{
			name:        "ndjson with malformed lines",
			contentType: ctNDJSON + "; charset=utf-8",
			body:        inputtest.AindLine("a") + "\nnot json\n" + `{"message": "cut"` + "\n[1]\n" + inputtest.AindLine("b"),
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
			body:        "  " + inputtest.AindLine("only") + "\n",
			messages:    []string{"only"},
			errors:      []any{},
		},
		{
			name:        "json array",
			contentType: ctJSON + "; charset=utf-8",
			body:        "[" + inputtest.AindLine("a") + ",\n " + inputtest.AindLine("b") + `, "text", ` + inputtest.AindLine("c") + "]",
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
			_, base := startHTTP(t, httpTestConfig(), inputtest.Settings(t, sink, nil), nil)
			resp := post(t, newClient(t, nil), base+defaultAindPath, tt.contentType, []byte(tt.body))
			require.Equal(t, http.StatusOK, resp.status, resp.body)
			assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
			assert.Equal(t, map[string]any{
				"accepted": float64(len(tt.messages)),
				"flagged":  float64(tt.flagged),
				"errors":   tt.errors,
			}, resp.json(t))
			assert.Equal(t, tt.messages, inputtest.Messages(sink))
			if len(tt.messages) == 0 {
				assert.Zero(t, sink.LogRecordCount(), "an empty request is not consumed")
				return
			}
			require.Len(t, sink.AllLogs(), 1, "one request, one call")
			flagged := 0
			for _, lr := range inputtest.Records(sink) {
				assert.NotZero(t, lr.ObservedTimestamp())
				if _, ok := lr.Attributes().Get(aind.AttrParseError); ok {
					flagged++
					assert.Equal(t, pcommon.ValueTypeStr, lr.Body().Type())
				} else {
					assert.Equal(t, "INFO", inputtest.BodyMap(lr)["level"], "a JSON object becomes a map body")
				}
			}
			assert.Equal(t, tt.flagged, flagged)
		})
	}
}

func TestHTTPAindErrorsNeverEchoContent(t *testing.T) {
	sink := new(consumertest.LogsSink)
	set := inputtest.Settings(t, sink, nil)
	set.MaxLogSize = 64
	_, base := startHTTP(t, httpTestConfig(), set, nil)
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
	lrs := inputtest.Records(sink)
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
	assert.Equal(t, lrs, inputtest.Records(sink), "refused requests deliver nothing")
}

func TestHTTPTruncatedLineError(t *testing.T) {
	sink := new(consumertest.LogsSink)
	set := inputtest.Settings(t, sink, nil)
	set.MaxLogSize = 40
	_, base := startHTTP(t, httpTestConfig(), set, nil)
	long := `{"message": "` + strings.Repeat("é", 30) + `"}`
	resp := post(t, newClient(t, nil), base+defaultAindPath, ctNDJSON, []byte(`{"message": "short"}`+"\n"+long))
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, []any{map[string]any{"line": 2.0, "error": "longer than max_log_size: truncated; invalid JSON"}}, resp.json(t)["errors"])
	lrs := inputtest.Records(sink)
	require.Len(t, lrs, 2)
	body := lrs[1].Body().Str()
	assert.LessOrEqual(t, len(body), 40)
	assert.True(t, strings.HasSuffix(body, "é"), "cut on a UTF-8 boundary")
}
