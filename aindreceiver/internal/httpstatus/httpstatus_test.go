package httpstatus

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/decompress"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/lokipush"
)

var update = flag.Bool("update", false, "rewrite the README's status table")

func TestFromError(t *testing.T) {
	tests := []struct {
		err  error
		want Response
	}{
		{ErrUnauthorized, Response{401, "unauthorized", false}},
		{ErrMethodNotAllowed, Response{405, "method not allowed: use POST", false}},
		{UnsupportedMediaType("application/json or application/x-protobuf"), Response{415, "unsupported Content-Type: use application/json or application/x-protobuf", false}},
		{ErrUnsupportedEncoding, Response{415, "unsupported Content-Encoding", false}},
		{ErrBodyTooLarge, Response{413, "request body too large", false}},
		{decompress.ErrTooLarge, Response{413, "request body too large", false}},
		{ErrTooManyRecords, Response{413, "too many records in one request: send fewer lines per request", false}},
		{ErrBodyUnread, Response{400, "could not read the request body", false}},
		{ErrBadEncoding, Response{400, "could not decompress the request body", false}},
		{decompress.ErrCorrupt, Response{400, "could not decompress the request body", false}},
		{ErrInvalidArray, Response{400, "the body is not a valid JSON array", false}},
		{ErrBytesInFlight, Response{503, "too many request bytes in progress: retry later", true}},
		{lokipush.ErrJSON, Response{400, "invalid Loki push request: malformed JSON", false}},
		{lokipush.ErrProtobuf, Response{400, "invalid Loki push request: malformed protobuf", false}},
		{lokipush.ErrNotSnappy, Response{400, "invalid Loki push request: the protobuf body must be snappy-compressed", false}},
		{fmt.Errorf("stream 2: %w", lokipush.ErrLabels), Response{400, "stream 2: invalid stream labels", false}},
		// The next consumer's errors: never passed on.
		{errors.New("data refused due to high memory usage"), Response{503, "the pipeline is busy: retry later", true}},
		{consumererror.NewRetryableError(errors.New("sending queue is full")), Response{503, "the pipeline is busy: retry later", true}},
		{consumererror.NewPermanent(errors.New("bad data")), Response{400, "the pipeline refused the records permanently", false}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FromError(tt.err), "%v", tt.err)
	}
}

// Every rule is reachable: no earlier rule takes its error.
func TestRulesAreReachable(t *testing.T) {
	for i, r := range rules {
		if r.err == nil {
			continue
		}
		for j := range rules[:i] {
			assert.False(t, rules[j].matches(r.err), "rule %d (%v) hides rule %d", j, rules[j].err, i)
		}
	}
}

const (
	tableStart = "<!-- status table: made of internal/httpstatus's rules; `go test ./aindreceiver/internal/httpstatus -update` rewrites it -->\n"
	tableEnd   = "<!-- end of status table -->\n"
)

// TestREADMEStatusTable holds the README's table of statuses to the
// mapping FromError applies.
func TestREADMEStatusTable(t *testing.T) {
	const path = "../../README.md"
	readme, err := os.ReadFile(path)
	require.NoError(t, err)
	before, rest, ok := strings.Cut(string(readme), tableStart)
	require.True(t, ok, "the README has no status table")
	_, after, ok := strings.Cut(rest, tableEnd)
	require.True(t, ok, "the README's status table has no end")
	want := before + tableStart + statusTable() + tableEnd + after
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o600))
		return
	}
	assert.Equal(t, want, string(readme), "go test ./aindreceiver/internal/httpstatus -update")
}

// statusTable writes the rules as a Markdown table.
func statusTable() string {
	var b strings.Builder
	b.WriteString("| status | message | when |\n|---|---|---|\n")
	for _, r := range append(rules[:len(rules):len(rules)], retryable) {
		status := fmt.Sprintf("`%d` %s", r.code, http.StatusText(r.code))
		if r.retry {
			status += " + `Retry-After`"
		}
		msg := r.message
		if msg == "" {
			msg = r.err.Error()
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", status, msg, r.when)
	}
	return b.String()
}
