package runconfig

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func convert(t *testing.T, in map[string]any) (*confmap.Conf, error) {
	t.Helper()
	conf := confmap.NewFromStringMap(in)
	err := NewFactory("/spool").Create(confmap.ConverterSettings{}).Convert(context.Background(), conf)
	return conf, err
}

func TestConsoleGoesToTheFirstAindReceiver(t *testing.T) {
	conf, err := convert(t, map[string]any{
		"receivers": map[string]any{"aind": map[string]any{"include": []any{"/results/*.jsonl"}}, "otlp": nil},
		"service": map[string]any{"pipelines": map[string]any{
			"logs/b": map[string]any{"receivers": []any{"aind"}},
			"logs/a": map[string]any{"receivers": []any{"otlp", "aind"}},
			"traces": map[string]any{"receivers": []any{"otlp"}},
		}},
	})
	require.NoError(t, err)
	assert.Equal(t, "/spool", conf.Get("receivers::aind::console::spool"))
	assert.Equal(t, []any{"/results/*.jsonl"}, conf.Get("receivers::aind::include"), "the receiver's own keys stay")
	assert.Equal(t, []any{"otlp", "aind"}, conf.Get("service::pipelines::logs/a::receivers"), "the pipelines stay")
	assert.False(t, conf.IsSet("receivers::"+RunReceiverID))
	assert.Equal(t, "warn", conf.Get("service::telemetry::logs::level"))
}

func TestConsoleGetsItsOwnReceiverWithoutAnAindOne(t *testing.T) {
	t.Setenv("AIND_DRAIN_TIMEOUT", "7s")
	conf, err := convert(t, map[string]any{
		"receivers": map[string]any{"otlp": nil},
		"service": map[string]any{
			"telemetry": map[string]any{"logs": map[string]any{"level": "debug"}},
			"pipelines": map[string]any{
				"logs":   map[string]any{"receivers": []any{"otlp"}},
				"logs/x": map[string]any{"receivers": []any{"otlp"}},
			},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, "/spool", conf.Get("receivers::aind/run::console::spool"))
	assert.Equal(t, "7s", conf.Get("receivers::aind/run::drain_timeout"))
	assert.Equal(t, []any{"otlp", "aind/run"}, conf.Get("service::pipelines::logs::receivers"))
	assert.Equal(t, []any{"otlp", "aind/run"}, conf.Get("service::pipelines::logs/x::receivers"))
	assert.Equal(t, "debug", conf.Get("service::telemetry::logs::level"), "a level the configuration sets stays")
}

func TestConvertErrors(t *testing.T) {
	_, err := convert(t, map[string]any{"service": map[string]any{"pipelines": map[string]any{
		"traces": map[string]any{"receivers": []any{"otlp"}},
	}}})
	assert.ErrorContains(t, err, "no logs pipeline")

	_, err = convert(t, map[string]any{
		"receivers": map[string]any{"aind": map[string]any{"console": map[string]any{"spool": "/elsewhere"}}},
		"service":   map[string]any{"pipelines": map[string]any{"logs": map[string]any{"receivers": []any{"aind"}}}},
	})
	assert.ErrorContains(t, err, "already has a 'console' section")

	_, err = convert(t, map[string]any{
		"receivers": map[string]any{"otlp": nil, "aind/run": nil},
		"service":   map[string]any{"pipelines": map[string]any{"logs": map[string]any{"receivers": []any{"otlp"}}}},
	})
	assert.ErrorContains(t, err, `"aind/run", which otelcol-aind run would add, is already configured`)
}
