package httpinput

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpstatus"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

func FuzzAindBody(f *testing.F) {
	for _, seed := range []string{
		inputtest.AindLine("a") + "\n" + inputtest.AindLine("b") + "\n",
		"\ufeff" + inputtest.AindLine("bom") + "\r\n\r\n",
		"not json\n{\"message\": \"cut\"\n[1]\n",
		"[" + inputtest.AindLine("a") + ", 1, \"s\", null, {}]",
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
		d := newAindDecoder(jsonlines.Builder{MaxLogSize: 64, Observed: 1}, 50, records)
		err := d.decode(kind, append([]byte(nil), body...))
		if errors.Is(err, httpstatus.ErrTooManyRecords) {
			require.Equal(t, 50, records.Len())
			return
		}
		if err != nil {
			require.True(t, asJSON, "NDJSON bodies never fail as a whole")
			require.ErrorIs(t, err, httpstatus.ErrInvalidArray)
			return
		}
		require.Equal(t, records.Len(), d.resp.Accepted)
		require.LessOrEqual(t, d.resp.Flagged, d.resp.Accepted)
		require.Equal(t, d.resp.Flagged, len(d.resp.Errors)+d.resp.ErrorsOmitted)
		require.LessOrEqual(t, len(d.resp.Errors), maxLineErrors)
		counts := d.lines.Counts()
		require.Equal(t, counts.ParseErrors+counts.Truncated >= d.resp.Flagged, true)
		for _, e := range d.resp.Errors {
			require.Positive(t, e.Line)
			require.NotEmpty(t, e.Error)
		}
		plogtest.RequireMarshals(t, ld)
	})
}
