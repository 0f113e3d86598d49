package promtext

import (
	"strings"
	"testing"
)

// What otelcol v0.165's internal telemetry exposes (trimmed).
const exposition = `# HELP otelcol_processor_outgoing_items Number of items emitted from the processor. [Alpha]
# TYPE otelcol_processor_outgoing_items counter
otelcol_processor_outgoing_items{otel_signal="logs",processor="aind"} 199000
otelcol_processor_outgoing_items{otel_signal="logs",processor="batch"} 5
otelcol_processor_outgoing_items{otel_signal="metrics",processor="aind"} 7
otelcol_receiver_accepted_log_records_total{receiver="aind",transport="file"} 2e+06
target_info{service_name="otelcol-aind",note="a } in a label"} 1
`

func TestSum(t *testing.T) {
	for _, tc := range []struct {
		sel   string
		want  float64
		found bool
	}{
		{`otelcol_processor_outgoing_items{otel_signal="logs",processor="aind"}`, 199000, true},
		{`otelcol_processor_outgoing_items{otel_signal="logs"}`, 199005, true},
		{`otelcol_processor_outgoing_items{processor="redaction"}`, 0, false},
		// The _total suffix is optional on either side.
		{`otelcol_receiver_accepted_log_records{receiver="aind"}`, 2e6, true},
		{`otelcol_processor_outgoing_items_total{processor="aind",otel_signal="logs"}`, 199000, true},
		{`target_info`, 1, true},
	} {
		sel, err := ParseSelector(tc.sel)
		if err != nil {
			t.Fatalf("%s: %v", tc.sel, err)
		}
		got, found, err := sel.Sum(strings.NewReader(exposition))
		if err != nil {
			t.Fatalf("%s: %v", tc.sel, err)
		}
		if got != tc.want || found != tc.found {
			t.Errorf("%s: got %v %v, want %v %v", tc.sel, got, found, tc.want, tc.found)
		}
	}
}

func TestParseSelectorErrors(t *testing.T) {
	for _, s := range []string{``, `{a="b"}`, `m{a="b"`, `m{a=b}`} {
		if _, err := ParseSelector(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
}
