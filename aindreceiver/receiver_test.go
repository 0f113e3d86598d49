package aindreceiver

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

func TestShutdownTwice(t *testing.T) {
	r := startReceiver(t, testConfig(t.TempDir()), new(consumertest.LogsSink), nil)
	require.NoError(t, r.Shutdown(context.Background()))
	require.NoError(t, r.Shutdown(context.Background()))
}

// Files and HTTP in one receiver: both deliver.
func TestHTTPAndFilesTogether(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.log"), []byte(inputtest.AindLine("from file")+"\n"), 0o600))
	cfg := testConfig(dir)
	cfg.HTTP.GetOrInsertDefault().ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	sink := new(consumertest.LogsSink)
	r := startReceiver(t, cfg, sink, nil)
	inputtest.WaitForMessage(t, sink, "from file")
	var addr string
	for _, in := range r.inputs {
		if h, ok := in.(*httpinput.Input); ok {
			addr = h.Addr().String()
		}
	}

	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c := &http.Client{Transport: tr, Timeout: inputtest.WaitFor}
	resp, err := c.Post("http://"+addr+"/aind/v1/logs", "application/x-ndjson", strings.NewReader(inputtest.AindLine("from http")))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	inputtest.WaitForMessage(t, sink, "from http")
}
