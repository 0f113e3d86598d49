package jsonlines

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
)

func TestCleanLine(t *testing.T) {
	tests := map[string]string{
		"\xef\xbb\xbf{\"a\":1}\r": `{"a":1}`,
		"  {\"a\":1}  \t":         `{"a":1}`,
		"\r":                      "",
		"   ":                     "",
		"\xef\xbb\xbf":            "",
	}
	for in, want := range tests {
		assert.Equal(t, want, string(CleanLine([]byte(in))), "%q", in)
	}
}

func TestDecodeLine(t *testing.T) {
	lr := plog.NewLogRecord()
	assert.True(t, DecodeLine([]byte(`{"message":"hi"}`), lr))
	assert.Equal(t, map[string]any{"message": "hi"}, lr.Body().Map().AsRaw())
	assert.Equal(t, 0, lr.Attributes().Len())

	secret := "password=hunter2 not json \xff"
	lr = plog.NewLogRecord()
	assert.False(t, DecodeLine([]byte(secret), lr))
	assert.Equal(t, "password=hunter2 not json \uFFFD", lr.Body().Str())
	reason, ok := lr.Attributes().Get(aind.AttrParseError)
	require.True(t, ok)
	assert.Equal(t, pdatajson.ErrNotObject.Error(), reason.Str())
	assert.NotContains(t, reason.Str(), "hunter2")
}
