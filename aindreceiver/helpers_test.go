package aindreceiver

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// testConfig reads *.log in dir from the beginning, polling fast, and stops
// at once.
func testConfig(dir string) *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.Include = []string{filepath.Join(dir, "*.log")}
	cfg.StartAt = StartAtBeginning
	cfg.PollInterval = 10 * time.Millisecond
	cfg.DrainTimeout = 0
	return cfg
}

// startReceiver creates and starts a receiver; it is shut down at the end
// of the test unless the test shuts it down first.
func startReceiver(t *testing.T, cfg *Config, next consumer.Logs, host component.Host) *aindReceiver {
	t.Helper()
	r, err := newReceiver(inputtest.ReceiverSettings(t, nil), cfg, next)
	require.NoError(t, err)
	if host == nil {
		host = componenttest.NewNopHost()
	}
	require.NoError(t, r.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	return r
}
