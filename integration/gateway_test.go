//go:build integration

package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gatewayToken is the token of gatewayTokensFile's one client.
const gatewayToken = "integration-test-token-0123456789"

// gatewayClient is a client in the gateway's tokens file.
type gatewayClient struct{ name, token string }

// writeGatewayTokens writes the gateway's tokens file (aindauth) at path,
// listing clients, and replaces it whole by a rename, as
// aindauth/README.md asks of a file the gateway may be reading.
func writeGatewayTokens(t *testing.T, path string, clients ...gatewayClient) {
	t.Helper()
	var b strings.Builder
	b.WriteString("clients:")
	if len(clients) == 0 {
		b.WriteString(" []")
	}
	for _, c := range clients {
		fmt.Fprintf(&b, "\n  - name: %q\n    token: %q", c.name, c.token)
	}
	tmp := path + ".tmp"
	require.NoError(t, os.WriteFile(tmp, []byte(b.String()+"\n"), 0o600))
	require.NoError(t, os.Rename(tmp, path))
}

// gatewayTokensFile writes a tokens file in which the client
// "integration" has gatewayToken, and returns its path.
func gatewayTokensFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tokens.yaml")
	writeGatewayTokens(t, path, gatewayClient{name: "integration", token: gatewayToken})
	return path
}

// The shipped gateway config, unchanged, between HTTP clients and a real
// Loki: AIND JSON Lines, a Loki push, and a capsule agent forwarding over
// OTLP all land in Loki, mapped and redacted; a request without the token
// is refused.
func TestGatewayToLoki(t *testing.T) {
	loki := startLoki(t)
	gatewayAddr, otlpAddr := startGateway(t, loki, gatewayTokensFile(t))
	now := time.Now().UTC()
	ts := now.Format("2006-01-02T15:04:05.000000Z")

	// AIND JSON Lines from a capsule without an agent.
	ndjson := strings.Join([]string{
		fmt.Sprintf(`{"timestamp":%q,"level":"INFO","message":"gateway ndjson 1","software_name":"waterlog","rig_id":"frg_gw","subject_id":"123456"}`, ts),
		fmt.Sprintf(`{"timestamp":%q,"level":"ERROR","message":"gateway ndjson 2 token=ghp_abcdefghijklmnopqrstuvwxyz0123456789","software_name":"waterlog","rig_id":"frg_gw"}`, ts),
		`gateway ndjson 3 is not json`,
	}, "\n")
	status, body := post(t, "http://"+gatewayAddr+"/aind/v1/logs", "application/x-ndjson", gatewayToken, ndjson, map[string]string{"X-Capsule-Id": "capsule-gw"})
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	var answer struct {
		Accepted int `json:"accepted"`
		Flagged  int `json:"flagged"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &answer))
	assert.Equal(t, 3, answer.Accepted)
	assert.Equal(t, 1, answer.Flagged)

	// A Loki client (Promtail, a Python Loki handler) pointed at the gateway.
	push := fmt.Sprintf(`{"streams":[{"stream":{"service_name":"waterlog","rig_id":"frg_gw","job":"pusher"},"values":[[%q,%q]]}]}`,
		strconv.FormatInt(now.UnixNano(), 10),
		`{"level":"WARNING","message":"gateway loki push","subject_id":"654321"}`)
	status, body = post(t, "http://"+gatewayAddr+"/loki/api/v1/push", "application/json", gatewayToken, push, nil)
	require.Equal(t, http.StatusNoContent, status, "body: %s", body)

	// Without the token nothing gets in.
	status, _ = post(t, "http://"+gatewayAddr+"/aind/v1/logs", "application/x-ndjson", "wrong-token", `{"message":"intruder"}`, nil)
	assert.Equal(t, http.StatusUnauthorized, status)

	// A capsule agent forwarding to the gateway instead of Loki.
	logDir := t.TempDir()
	newAppender(t, filepath.Join(logDir, "capsule.jsonl")).write(t,
		fmt.Sprintf(`{"timestamp":%q,"level":"INFO","message":"forwarded by an agent","software_name":"waterlog","rig_id":"frg_gw"}`, ts))
	agent := agentEnv(t, loki, logDir, t.TempDir(), "capsule-agent-gw")
	agent = append(agent, "LOKI_OTLP_ENDPOINT=http://"+otlpAddr, "AIND_GATEWAY_TOKEN="+gatewayToken)
	startCollector(t, filepath.Join("..", "config", "capsule-agent.yaml"), agent...)

	from, to := now.Add(-time.Hour), now.Add(time.Hour)
	got := loki.waitForEntries(t, `{service_name="waterlog", rig_id="frg_gw"}`, from, to, 4, 2*time.Minute)
	// The line that is not JSON names no service: it is under the gateway's
	// default service.name, found by the capsule id the client sent.
	got = append(got, loki.waitForEntries(t, `{service_name="aind"} | co_capsule_id="capsule-gw"`, from, to, 1, time.Minute)...)
	lines := map[string]entry{}
	for _, e := range got {
		lines[e.Line] = e
	}
	require.Len(t, got, 5, "lines: %v", keys(lines))
	assert.Equal(t, "capsule-gw", lines["gateway ndjson 1"].Metadata["co_capsule_id"])
	assert.Equal(t, "123456", lines["gateway ndjson 1"].Metadata["subject_id"])
	assert.Contains(t, lines, "gateway ndjson 2 token=[REDACTED]")
	assert.Equal(t, "not a JSON object", lines["gateway ndjson 3 is not json"].Metadata["aind_parse_error"])
	assert.Equal(t, "654321", lines["gateway loki push"].Metadata["subject_id"])
	assert.Equal(t, "WARNING", lines["gateway loki push"].Metadata["severity_text"])
	assert.Equal(t, "capsule-agent-gw", lines["forwarded by an agent"].Metadata["co_capsule_id"])
	for line := range lines {
		assert.NotContains(t, line, "ghp_abcdefghijklmnopqrstuvwxyz0123456789")
	}
}

// startGateway runs config/gateway.yaml, unchanged, in front of loki and
// returns the addresses of its AIND/Loki push HTTP input and of its
// OTLP/HTTP receiver, once both listen. Clients authenticate with the
// tokens of tokensFile (gatewayTokensFile: gatewayToken).
func startGateway(t *testing.T, loki *lokiProcess, tokensFile string) (gatewayAddr, otlpAddr string) {
	t.Helper()
	gatewayAddr = "127.0.0.1:" + strconv.Itoa(freePort(t))
	otlpAddr = "127.0.0.1:" + strconv.Itoa(freePort(t))
	startCollector(t, filepath.Join("..", "config", "gateway.yaml"),
		"AIND_GATEWAY_TOKENS_FILE="+tokensFile,
		"LOKI_OTLP_ENDPOINT="+loki.url("/otlp"),
		"AIND_GATEWAY_ENDPOINT="+gatewayAddr,
		"AIND_GATEWAY_OTLP_ENDPOINT="+otlpAddr,
		"AIND_STORAGE_DIR="+t.TempDir(),
		"AIND_HEALTH_ENDPOINT=127.0.0.1:"+strconv.Itoa(freePort(t)),
		"AIND_TELEMETRY_HOST=127.0.0.1",
		"AIND_TELEMETRY_PORT="+strconv.Itoa(freePort(t)),
	)
	waitForPort(t, gatewayAddr)
	waitForPort(t, otlpAddr)
	return gatewayAddr, otlpAddr
}

func post(t *testing.T, url, contentType, token, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

// waitForPort waits up to 30 s until addr accepts TCP connections.
func waitForPort(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not listening after 30 s", addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func keys(m map[string]entry) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
