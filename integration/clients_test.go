//go:build integration

package integration

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/testenv"
)

// clientSnippet returns the block of docs/gateway.md marked
// <!-- client-snippet: name -->, with the gateway's host names replaced by
// its addresses on 127.0.0.1.
func clientSnippet(t *testing.T, name string, gw gatewayAddrs) string {
	t.Helper()
	block := docBlock(t, "client-snippet: "+name)
	return strings.NewReplacer("http://gateway:3500", "http://"+gw.http, "http://gateway:4318", "http://"+gw.otlp).Replace(block)
}

// gatewayAddrs are the addresses of a running gateway's two servers.
type gatewayAddrs struct{ http, otlp string }

// Every client AIND runs, pointed at the shipped gateway by the snippet
// docs/gateway.md gives it, lands in a real Loki with the service_name,
// severity, scope and attributes its conventions give. Each subtest is named
// for what really runs, and logs it; docs/gateway.md's table of these
// subtests says the same: Alloy is not run (its snippet's endpoint and token
// are pushed to with Promtail's client), and python-logging-loki is the
// stand-in of testdata/pylib unless Debian's Python imports the package.
func TestClientsToLoki(t *testing.T) {
	loki := startLoki(t)
	httpAddr, otlpAddr := startGateway(t, loki, gatewayTokensFile(t))
	gw := gatewayAddrs{http: httpAddr, otlp: otlpAddr}
	start := time.Now().Add(-time.Minute)
	run := fmt.Sprintf("%d", time.Now().UnixNano())

	py := pythonLokiLibrary()
	t.Run(py.subtest, func(t *testing.T) { pythonLoggingLoki(t, py, loki, gw, run, start) })
	t.Run("promtail-client", func(t *testing.T) { promtail(t, loki, gw, run, start) })
	t.Run("alloy-endpoint-via-promtail-client", func(t *testing.T) { alloy(t, loki, gw, run, start) })
	t.Run("otel-go-sdk", func(t *testing.T) { otelSDK(t, loki, gw, run, start) })
	t.Run("capsule-agent", func(t *testing.T) { capsuleAgent(t, loki, gw, run, start) })
	t.Run("curl", func(t *testing.T) { curl(t, loki, gw, run, start) })
}

// pythonLoki is the logging_loki module the python-logging-loki snippet
// runs with.
type pythonLoki struct {
	subtest string
	// standin is testdata/pylib (put on PYTHONPATH), which sends what 0.3.1
	// sends; else the package Debian's Python imports.
	standin bool
	version string // the installed package's version
}

// pythonLokiLibrary finds out which logging_loki the snippet runs with: the
// package, where Debian's Python imports it (named by its version), else the
// stand-in. It runs before the subtests so that the subtest's name says
// which; a missing Python is the subtest's to report.
func pythonLokiLibrary() pythonLoki {
	if exec.Command(testenv.SystemPython, "-c", "import logging_loki").Run() != nil {
		return pythonLoki{subtest: "python-logging-loki-0.3.1-standin", standin: true}
	}
	out, err := exec.Command(testenv.SystemPython, "-c",
		`import importlib.metadata as m; print(m.version("python-logging-loki"))`).Output()
	version := strings.TrimSpace(string(out))
	if err != nil || version == "" {
		version = "unknown-version"
	}
	return pythonLoki{subtest: "python-logging-loki-" + version, version: version}
}

// runPython runs a program with the system Python, the snippet's
// logging_loki importable as lib says: the installed package, or the
// stand-in in testdata/pylib, which needs Debian's python3-requests.
func runPython(t *testing.T, lib pythonLoki, program string, env ...string) string {
	t.Helper()
	py := python(t)
	cmd := exec.Command(py, "-c", program)
	cmd.Env = append(os.Environ(), env...)
	if lib.standin {
		testenv.PythonModule(t, "requests", "python3-requests")
		pylib, err := filepath.Abs(filepath.Join("testdata", "pylib"))
		require.NoError(t, err)
		path := pylib // before the environment's PYTHONPATH, where requests may be
		if env := os.Getenv("PYTHONPATH"); env != "" {
			path += string(os.PathListSeparator) + env
		}
		cmd.Env = append(cmd.Env, "PYTHONPATH="+path)
		t.Logf("python-logging-loki is not installed for %s: the snippet runs with the stand-in %s, which sends what 0.3.1 sends", py, pylib)
	} else {
		t.Logf("the snippet runs with python-logging-loki %s, as %s imports it", lib.version, py)
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(out)
}

func pythonLoggingLoki(t *testing.T, lib pythonLoki, loki *lokiProcess, gw gatewayAddrs, run string, start time.Time) {
	snippet := clientSnippet(t, "python-logging-loki", gw)
	marker := "python-" + run
	program := strings.Replace(snippet, `"Task failed: exit code 1"`, `"Task failed: exit code 1 `+marker+`"`, 1)
	url := regexp.MustCompile(`url="([^"]+)"`).FindStringSubmatch(snippet)
	require.NotNil(t, url, snippet)
	// The same handler with the library's default version "0" (the legacy
	// body), and with a formatter writing AIND JSON, whose own fields win.
	program += strings.Join([]string{
		``,
		`legacy = logging_loki.LokiHandler(url="` + url[1] + `",`,
		`    tags={"application": "aind-airflow-service"}, auth=("aind-airflow", os.environ["AIND_GATEWAY_TOKEN"]), version="0")`,
		`logging.getLogger("airflow.legacy").addHandler(legacy)`,
		`logging.getLogger("airflow.legacy").warning("legacy body ` + marker + `")`,
		`import json`,
		`class AindJSON(logging.Formatter):`,
		`    def format(self, record):`,
		`        return json.dumps({"timestamp": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + "Z", "level": "INFO",`,
		`            "message": record.getMessage(), "software_name": "aind-data-transfer", "name": "transfer.upload"})`,
		`handler.setFormatter(AindJSON())`,
		`logger.error("json line ` + marker + `")`,
		``,
	}, "\n")
	out := runPython(t, lib, program, "AIND_GATEWAY_TOKEN="+gatewayToken)
	require.NotContains(t, out, "Logging error", "the handler's requests failed")

	got := loki.waitForEntries(t, `{service_name=~"aind-airflow-service|aind-data-transfer"} |= "`+marker+`"`, start, time.Now().Add(time.Minute), 3, 30*time.Second)
	byLine := linesContaining(got, marker)
	require.Len(t, byLine, 3, "entries: %v", got)
	assertWrittenBy(t, got)
	e := byLine["Task failed: exit code 1 "+marker]
	assert.Equal(t, "aind-airflow-service", e.Labels["service_name"])
	assert.Equal(t, "error", e.Metadata["detected_level"])
	assert.Equal(t, "error", e.Metadata["severity_text"])
	assert.Equal(t, "airflow.task", e.Metadata["scope_name"])
	assert.NotContains(t, e.Metadata, "application", "the tag is the service name, not also an attribute")

	e = byLine["legacy body "+marker]
	assert.Equal(t, "aind-airflow-service", e.Labels["service_name"])
	assert.Equal(t, "warn", e.Metadata["detected_level"])
	assert.Equal(t, "airflow.legacy", e.Metadata["scope_name"])

	// The JSON line's own fields win: software_name over the tag, its level
	// over the severity label, its name over the logger label.
	e = byLine["json line "+marker]
	assert.Equal(t, "aind-data-transfer", e.Labels["service_name"])
	assert.Equal(t, "info", e.Metadata["detected_level"])
	assert.Equal(t, "transfer.upload", e.Metadata["scope_name"])
}

// promtailPush runs Promtail's own client (tools/promtail) with a Promtail
// configuration, on entries given as promtail-push reads them.
func promtailPush(t *testing.T, config string, entries ...string) {
	t.Helper()
	bin := binary(t, "PROMTAIL_PUSH_BIN", "../build/promtail-push")
	t.Logf("pushing with Promtail's Loki client: %s", bin)
	path := filepath.Join(t.TempDir(), "promtail.yaml")
	require.NoError(t, os.WriteFile(path, []byte(config), 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-config.file", path, "-config.expand-env=true")
	cmd.Env = append(os.Environ(), "AIND_GATEWAY_TOKEN="+gatewayToken)
	cmd.Stdin = strings.NewReader(strings.Join(entries, "\n") + "\n")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

func promtail(t *testing.T, loki *lokiProcess, gw gatewayAddrs, run string, start time.Time) {
	marker := "promtail-" + run
	promtailPush(t, clientSnippet(t, "promtail", gw),
		`{"labels": {"job": "acquisition", "host": "W10DT713843", "filename": "/var/log/aind/acq.log", "level": "warn"}, "line": "camera dropped frames `+marker+`"}`,
		`{"labels": {"job": "acquisition", "host": "W10DT713843", "filename": "/var/log/aind/acq.log"}, "line": "{\"level\": \"ERROR\", \"message\": \"json `+marker+`\", \"rig_id\": \"frg_9_z\"}"}`,
	)
	got := loki.waitForEntries(t, `{service_name="acquisition"} |= "`+marker+`"`, start, time.Now().Add(time.Minute), 2, 30*time.Second)
	byLine := linesContaining(got, marker)
	require.Len(t, byLine, 2, "entries: %v", got)
	assertWrittenBy(t, got)
	e := byLine["camera dropped frames "+marker]
	assert.Equal(t, "warn", e.Metadata["detected_level"])
	assert.Equal(t, "W10DT713843", e.Metadata["host_name"])
	assert.Equal(t, "/var/log/aind/acq.log", e.Metadata["log_file_path"])
	e = byLine["json "+marker]
	assert.Equal(t, "error", e.Metadata["detected_level"], "the line's own level")
	assert.Equal(t, "frg_9_z", e.Labels["rig_id"], "an AIND resource field, a stream label as deploy/loki configures")
}

// alloy does not run Alloy, which takes about 27 minutes to build, too long
// for CI: it checks the Alloy snippet's endpoint and token, and pushes to
// that endpoint with Promtail's client, which Alloy's loki.write is derived
// from, with structured metadata as loki.write sends it.
func alloy(t *testing.T, loki *lokiProcess, gw gatewayAddrs, run string, start time.Time) {
	snippet := clientSnippet(t, "alloy", gw)
	url := regexp.MustCompile(`url\s*=\s*"([^"]+)"`).FindStringSubmatch(snippet)
	require.NotNil(t, url, snippet)
	require.Contains(t, snippet, `bearer_token = sys.env("AIND_GATEWAY_TOKEN")`)
	t.Logf("Alloy is not run: its snippet's url %s and bearer_token are checked, and the url is pushed to with Promtail's client", url[1])
	marker := "alloy-" + run
	promtailPush(t, fmt.Sprintf("clients:\n  - url: %s\n    bearer_token: ${AIND_GATEWAY_TOKEN}\n", url[1]),
		`{"labels": {"service_name": "aind-portal", "namespace": "aind-prod", "app": "portal"}, "line": "portal started `+marker+`", "metadata": {"detected_level": "info", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}}`,
	)
	got := loki.waitForEntries(t, `{service_name="aind-portal"} |= "`+marker+`"`, start, time.Now().Add(time.Minute), 1, 30*time.Second)
	require.Len(t, got, 1)
	assertWrittenBy(t, got)
	e := got[0]
	assert.Equal(t, "info", e.Metadata["detected_level"])
	assert.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", e.Metadata["trace_id"])
	assert.Equal(t, "aind-prod", e.Metadata["namespace"])
	assert.Equal(t, "portal", e.Metadata["app"])
}

// otelSDK sets the snippet's environment and logs through the OpenTelemetry
// Go SDK, whose OTLP/HTTP exporter reads it as every SDK does.
func otelSDK(t *testing.T, loki *lokiProcess, gw gatewayAddrs, run string, start time.Time) {
	for _, line := range strings.Split(clientSnippet(t, "otel-sdk", gw), "\n") {
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		t.Setenv(k, strings.ReplaceAll(v, "${AIND_GATEWAY_TOKEN}", gatewayToken))
	}
	t.Logf("logging through the OpenTelemetry Go SDK's OTLP/HTTP log exporter (otlploghttp, the version in go.mod), configured by the snippet's variables")
	ctx := context.Background()
	exp, err := otlploghttp.New(ctx)
	require.NoError(t, err)
	provider := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(exp)))
	marker := "otel-" + run
	var rec otellog.Record
	rec.SetTimestamp(time.Now())
	rec.SetSeverity(otellog.SeverityWarn)
	rec.SetSeverityText("WARNING")
	rec.SetBody(attribute.StringValue("login failed for " + marker + " password=hunter2"))
	rec.AddAttributes(attribute.String("http.route", "/login"))
	provider.Logger("aind.portal.auth").Emit(ctx, rec)
	require.NoError(t, provider.Shutdown(ctx))

	got := loki.waitForEntries(t, `{service_name="aind-portal"} |= "`+marker+`"`, start, time.Now().Add(time.Minute), 1, 30*time.Second)
	require.Len(t, got, 1)
	assertWrittenBy(t, got)
	e := got[0]
	assert.Equal(t, "warn", e.Metadata["detected_level"])
	assert.Equal(t, "aind.portal.auth", e.Metadata["scope_name"])
	assert.Equal(t, "/login", e.Metadata["http_route"])
	assert.NotContains(t, e.Line, "hunter2", "redacted like every input")
}

// snippetCommand reads a README command line: its VAR=value assignments,
// then the command's words, continuation lines joined.
func snippetCommand(snippet string) (env map[string]string, words []string) {
	env = map[string]string{}
	for _, w := range strings.Fields(strings.ReplaceAll(snippet, "\\\n", " ")) {
		if k, v, ok := strings.Cut(w, "="); ok && len(words) == 0 && k == strings.ToUpper(k) {
			env[k] = v
			continue
		}
		words = append(words, w)
	}
	return env, words
}

// capsuleAgent starts the shipped capsule agent as the snippet does, on a
// log directory of its own, with the test's ports and storage.
func capsuleAgent(t *testing.T, loki *lokiProcess, gw gatewayAddrs, run string, start time.Time) {
	env, words := snippetCommand(clientSnippet(t, "capsule-agent", gw))
	require.Equal(t, []string{"build/otelcol-aind", "--config", "config/capsule-agent.yaml"}, words)
	t.Logf("running the built collector (OTELCOL_BIN, default ../build/otelcol-aind) with %s and the snippet's variables", words[2])
	require.Equal(t, "$AIND_GATEWAY_TOKEN", env["AIND_GATEWAY_TOKEN"])
	logDir := t.TempDir()
	marker := "agent-" + run
	newAppender(t, filepath.Join(logDir, "capsule.jsonl")).write(t,
		fmt.Sprintf(`{"timestamp":%q,"level":"WARNING","message":"agent line %s","rig_id":"frg_ag"}`, time.Now().UTC().Format(time.RFC3339Nano), marker))
	startCollector(t, filepath.Join("..", words[2]),
		"LOKI_OTLP_ENDPOINT="+env["LOKI_OTLP_ENDPOINT"],
		"AIND_GATEWAY_TOKEN="+gatewayToken,
		"AIND_LOG_DIR="+logDir,
		"AIND_SERVICE_NAME="+env["AIND_SERVICE_NAME"],
		"AIND_STORAGE_DIR="+t.TempDir(),
		"AIND_HEALTH_ENDPOINT=127.0.0.1:"+itoa(freePort(t)),
		"AIND_TELEMETRY_HOST=127.0.0.1",
		"AIND_TELEMETRY_PORT="+itoa(freePort(t)),
	)
	got := loki.waitForEntries(t, `{service_name="waterlog", rig_id="frg_ag"} |= "`+marker+`"`, start, time.Now().Add(time.Minute), 1, time.Minute)
	require.Len(t, got, 1)
	assertWrittenBy(t, got)
	assert.Equal(t, "warn", got[0].Metadata["detected_level"])
	assert.Equal(t, "agent line "+marker, got[0].Line)
}

// curl runs the snippet with sh, in a directory holding its logs.jsonl.
func curl(t *testing.T, loki *lokiProcess, gw gatewayAddrs, run string, start time.Time) {
	dir := t.TempDir()
	marker := "curl-" + run
	lines := fmt.Sprintf(`{"timestamp":%q,"level":"INFO","message":"curl line %s","software_name":"waterlog","rig_id":"frg_curl"}`+"\n",
		time.Now().UTC().Format(time.RFC3339Nano), marker)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "logs.jsonl"), []byte(lines), 0o600))
	t.Logf("running the snippet with sh -c")
	cmd := exec.Command("sh", "-c", clientSnippet(t, "curl", gw))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "AIND_GATEWAY_TOKEN="+gatewayToken, "CO_CAPSULE_ID=capsule-curl")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), `"accepted":1`)

	got := loki.waitForEntries(t, `{service_name="waterlog", rig_id="frg_curl"} |= "`+marker+`"`, start, time.Now().Add(time.Minute), 1, 30*time.Second)
	require.Len(t, got, 1)
	assertWrittenBy(t, got)
	assert.Equal(t, "info", got[0].Metadata["detected_level"])
	assert.Equal(t, "capsule-curl", got[0].Metadata["co_capsule_id"])
}

// linesContaining indexes the entries whose line contains marker by line.
func linesContaining(entries []entry, marker string) map[string]entry {
	out := map[string]entry{}
	for _, e := range entries {
		if strings.Contains(e.Line, marker) {
			out[e.Line] = e
		}
	}
	return out
}

// assertWrittenBy checks that every entry carries the name of the client
// whose token sent it (gatewayTokensFile's), stamped by the gateway.
func assertWrittenBy(t *testing.T, entries []entry) {
	t.Helper()
	require.NotEmpty(t, entries)
	for _, e := range entries {
		assert.Equal(t, "integration", e.Metadata["aind_client"], "line %q", e.Line)
	}
}
