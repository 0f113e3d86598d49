//go:build integration && reliability

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
)

// Every secret planted in testdata/redaction/planted.jsonl contains this
// mark (aindprocessor/redaction_corpus_test.go); the corpus's own prose
// says "planted" in lower case only.
const plantedMark = "PLANTED"

var (
	// A planted secret: the piece of a word holding the mark, cut at the
	// separators of assignments, URLs and headers.
	plantedRe = regexp.MustCompile(`[^\s"'\\,;{}&?=:@/]*` + plantedMark + `[^\s"'\\,;{}&?=:@/]*`)
	// A PEM block's body is secret whole, also its lines without the mark.
	pemRe      = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----(.*?)-----END`)
	alnumRunRe = regexp.MustCompile(`[A-Za-z0-9]+`)
	corpusTSRe = regexp.MustCompile(`"timestamp": "[^"]*"`)
)

// Scenario 7: the planted-secrets corpus goes through every way into Loki
// that the shipped gateway serves, with the shipped configs: a capsule agent
// forwarding to the gateway over OTLP/HTTP, an OpenTelemetry SDK client
// sending OTLP/HTTP to it (the corpus in the bodies, the record attributes
// and the resource), its AIND JSON Lines input, and its Loki push input as
// JSON and as snappy protobuf; and `otelcol-aind run` forwarding a Python
// job's console to the gateway over OTLP/HTTP, the lines printed as they
// are (JSON object lines) and logged through Python's logging (console
// text with a level prefix). The gateway serves no OTLP/gRPC. Then
// everything Loki holds (lines, labels, label values, structured metadata)
// is searched for the secrets. Every line must be stored, by every way in:
// none may be dropped to keep a secret out.
func TestReliabilitySecretsDoNotReachLoki(t *testing.T) {
	const scenario = "7 secrets do not reach Loki"
	data, err := os.ReadFile(filepath.Join("..", "testdata", "redaction", "planted.jsonl"))
	require.NoError(t, err)
	var corpus []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			corpus = append(corpus, l)
		}
	}
	probes := secretProbes(t, corpus)
	t.Logf("%d corpus lines; searching Loki for %d probes: %q", len(corpus), len(probes), probes)

	loki := startLoki(t)
	gw := leakGateway{loki: loki}
	gw.addr, gw.otlpAddr = startGateway(t, loki, gatewayTokensFile(t))
	// The corpus is dated March 2026, older than Loki accepts: each line
	// gets a timestamp of its own, now, different on each way in (Loki
	// keeps one of two entries with the same stream, time and line).
	base := time.Now().UTC().Add(-time.Minute)
	for i, in := range leakInputs {
		times := make([]time.Time, len(corpus))
		lines := make([]string, len(corpus))
		for j, l := range corpus {
			times[j] = base.Add(time.Duration(i*len(corpus)+j) * time.Millisecond)
			lines[j] = corpusTSRe.ReplaceAllLiteralString(l, fmt.Sprintf(`"timestamp": %q`, times[j].Format("2006-01-02T15:04:05.000000Z")))
		}
		in.send(t, gw, in.name, lines, times)
	}

	sent := 0
	for _, in := range leakInputs {
		sent += len(corpus) + in.extra
	}
	from, to := base.Add(-time.Hour), time.Now().Add(time.Hour)
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Second) {
		if len(loki.everything(t, from, to)) >= sent || time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(3 * time.Second) // anything late (a duplicate) shows too
	stored := loki.everything(t, from, to)

	perInput, found := searchLoki(t, loki, stored, probes, from, to)
	recordFigure(t, scenario, "corpus lines", len(corpus))
	recordFigure(t, scenario, "lines sent ("+leakInputNames()+")", sent)
	recordFigure(t, scenario, "entries stored", len(stored))
	recordFigure(t, scenario, "secret probes searched", len(probes))
	total := 0
	for _, n := range found {
		total += n
	}
	recordFigure(t, scenario, "secrets found in Loki", total)

	assert.Equal(t, sent, len(stored), "Loki must hold one entry per line sent (per way in: %v)", perInput)
	for _, in := range leakInputs {
		assert.Equal(t, len(corpus)+in.extra, perInput[in.name], "entries from %s (%s)", in.name, in.via)
		assert.Zero(t, found[in.name], "secrets found in Loki in entries from %s (%s)", in.name, in.via)
	}
	assert.Zero(t, found[""], "secrets found in Loki's label names and values")
}

// leakGateway is the shipped gateway in front of the test's Loki: its AIND
// and Loki push input, and its OTLP/HTTP input.
type leakGateway struct {
	loki           *lokiProcess
	addr, otlpAddr string
}

// leakInput is one way into Loki. Its entries carry its name as
// co.capsule.id (structured metadata co_capsule_id); send gives it the
// dated corpus, one record per line, and returns once the gateway has
// accepted them (the agent: once it is started). Beyond the corpus, each
// plants secrets where only its protocol can (stream labels, structured
// metadata, resource attributes), marked so the probes find them, and
// wantMetadata says what they must be in Loki: proof that they arrived,
// redacted.
type leakInput struct {
	name, via    string
	send         func(t *testing.T, gw leakGateway, name string, lines []string, times []time.Time)
	wantMetadata map[string]string
	// extra counts the entries an input adds beyond the corpus (a run's
	// end-of-run record).
	extra int
}

// The secrets the inputs plant beyond the corpus, and what Loki must hold
// in their place.
const (
	plantedURL       = "https://bob:" + plantedMark + "lbl7@git.example.org/x.git"
	plantedURLStored = "https://bob:[REDACTED]@git.example.org/x.git"
	plantedAWSKey    = "AKIA" + plantedMark + "000000009"
)

var leakInputs = []leakInput{
	{name: "leak-agent", via: "capsule agent → gateway OTLP/HTTP", send: sendByAgent},
	{name: "leak-otel-sdk", via: "OpenTelemetry Go SDK → gateway OTLP/HTTP", send: sendByOTelSDK,
		wantMetadata: map[string]string{"vcs_repository_url": plantedURLStored, "cloud_access_key": "[REDACTED]"}},
	{name: "leak-ndjson", via: "gateway AIND JSON Lines", send: sendNDJSON},
	{name: "leak-push-json", via: "gateway Loki push, JSON", send: sendLokiPushJSON,
		wantMetadata: map[string]string{"origin": plantedURLStored, "api_key": "[REDACTED]"}},
	{name: "leak-push-protobuf", via: "gateway Loki push, protobuf + snappy", send: sendLokiPushProtobuf,
		wantMetadata: map[string]string{"origin": plantedURLStored, "api_key": "[REDACTED]"}},
	{name: "leak-run-print", via: "otelcol-aind run, a job's print() → gateway OTLP/HTTP", send: sendByRun("print"), extra: 1},
	{name: "leak-run-logging", via: "otelcol-aind run, a job's logging on stderr → gateway OTLP/HTTP", send: sendByRun("logging"), extra: 1},
}

func leakInputNames() string {
	var vias []string
	for _, in := range leakInputs {
		vias = append(vias, in.via)
	}
	return strings.Join(vias, "; ")
}

// searchLoki counts the stored entries by way in, checks each way's planted
// structured metadata, and counts the probes found in everything Loki can
// return (entries with their labels and structured metadata, label names and
// label values), by way in; "" is the label names and values.
func searchLoki(t *testing.T, loki *lokiProcess, stored []entry, probes []string, from, to time.Time) (perInput, found map[string]int) {
	t.Helper()
	wants := map[string]map[string]string{}
	for _, in := range leakInputs {
		wants[in.name] = in.wantMetadata
	}
	perInput, found = map[string]int{}, map[string]int{}
	wrong := map[string]bool{}
	search := func(where string, texts ...string) {
		for _, text := range texts {
			for _, p := range probes {
				if strings.Contains(text, p) {
					if found[where]++; found[where] <= 10 {
						t.Errorf("secret %q in Loki (%s): %q", p, where, text)
					}
				}
			}
		}
	}
	for _, e := range stored {
		in := e.Metadata["co_capsule_id"]
		if perInput[in]++; perInput[in] == 1 {
			t.Logf("an entry from %s as Loki holds it: labels %s, structured metadata %s, line %q",
				in, labelsString(e.Labels), labelsString(e.Metadata), e.Line)
		}
		for k, want := range wants[in] {
			if got := e.Metadata[k]; got != want && !wrong[in+"/"+k] {
				wrong[in+"/"+k] = true // once per way and key: each entry has it
				t.Errorf("%s: structured metadata %s is %q, want %q (entry %q)", in, k, got, want, e.Line)
			}
		}
		// key/int plants a number under a blocked key: not findable as
		// text, so its key must not carry it.
		assert.NotEqual(t, "1234", e.Metadata["pwd"], "%s: blocked key pwd kept its value", in)
		search(in, e.Line)
		for k, v := range e.Labels {
			search(in, k, v)
		}
		for k, v := range e.Metadata {
			search(in, k, v)
		}
	}
	for _, n := range loki.labelNames(t, from, to) {
		search("", n)
		search("", loki.labelValues(t, n, from, to)...)
	}
	return perInput, found
}

// sendByAgent starts a capsule agent (config/capsule-agent.yaml) that tails
// the lines and forwards them to the gateway's OTLP input.
func sendByAgent(t *testing.T, gw leakGateway, name string, lines []string, _ []time.Time) {
	logDir := t.TempDir()
	newAppender(t, filepath.Join(logDir, "capsule.jsonl")).write(t, lines...)
	agent := agentEnv(t, gw.loki, logDir, t.TempDir(), name)
	agent = append(agent, "LOKI_OTLP_ENDPOINT=http://"+gw.otlpAddr, "AIND_GATEWAY_TOKEN="+gatewayToken)
	startCollector(t, filepath.Join("..", "config", "capsule-agent.yaml"), agent...)
}

// leakJob prints the lines of the file argv[2] on stdout (argv[1] print),
// or logs each as a warning through Python's logging, on stderr.
const leakJob = `import logging, sys
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
if sys.argv[1] == "print":
    for line in lines:
        print(line)
else:
    logging.basicConfig()
    for line in lines:
        logging.warning(line)
`

// sendByRun runs a Python job under otelcol-aind run (its embedded
// capsule-run.yaml) forwarding to the gateway's OTLP input; the job prints
// or logs the lines (how: see leakJob), and returns once the wrapper has
// delivered them and exited.
func sendByRun(how string) func(t *testing.T, gw leakGateway, name string, lines []string, _ []time.Time) {
	return func(t *testing.T, gw leakGateway, name string, lines []string, _ []time.Time) {
		python := systemPython(t)
		file := filepath.Join(t.TempDir(), "corpus.jsonl")
		require.NoError(t, os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600))
		env := append(runEnv(t, "http://"+gw.otlpAddr), "AIND_GATEWAY_TOKEN="+gatewayToken, "CO_CAPSULE_ID="+name)
		res := runWrapped(t, env, "--", python, "-c", leakJob, how, file)
		require.Equal(t, 0, res.status, "otelcol-aind run's status")
		require.NotContains(t, string(res.stderr), "not delivered")
	}
}

// sendNDJSON posts the lines to the gateway's AIND JSON Lines input.
func sendNDJSON(t *testing.T, gw leakGateway, name string, lines []string, _ []time.Time) {
	status, body := post(t, "http://"+gw.addr+"/aind/v1/logs", "application/x-ndjson", gatewayToken,
		strings.Join(lines, "\n"), map[string]string{"X-Capsule-Id": name})
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	var answer struct {
		Accepted int `json:"accepted"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &answer))
	require.Equal(t, len(lines), answer.Accepted, "body: %s", body)
}

// The stream labels and structured metadata of the Loki pushes carry
// secrets too: a client's label set is not the corpus's, but reaches Loki
// all the same.
var (
	pushLabels   = map[string]string{"service_name": "leakpush", "job": "pusher", "origin": plantedURL}
	pushMetadata = map[string]string{"api_key": plantedMark + "sm1key", "note": "token=" + plantedMark + "sm2"}
)

// sendLokiPushJSON posts the lines to the gateway's Loki push input as one
// JSON stream, each line a value with structured metadata.
func sendLokiPushJSON(t *testing.T, gw leakGateway, name string, lines []string, times []time.Time) {
	type stream struct {
		Stream map[string]string `json:"stream"`
		Values [][3]any          `json:"values"`
	}
	push := stream{Stream: pushLabels}
	for i, l := range lines {
		push.Values = append(push.Values, [3]any{strconv.FormatInt(times[i].UnixNano(), 10), l, pushMetadata})
	}
	body, err := json.Marshal(map[string][]stream{"streams": {push}})
	require.NoError(t, err)
	status, answer := post(t, "http://"+gw.addr+"/loki/api/v1/push", "application/json", gatewayToken,
		string(body), map[string]string{"X-Capsule-Id": name})
	require.Equal(t, http.StatusNoContent, status, "body: %s", answer)
}

// sendLokiPushProtobuf posts the lines to the gateway's Loki push input as
// Promtail and Alloy do: a push.PushRequest, snappy-compressed.
func sendLokiPushProtobuf(t *testing.T, gw leakGateway, name string, lines []string, times []time.Time) {
	var labels []string
	for _, k := range slices.Sorted(maps.Keys(pushLabels)) {
		labels = append(labels, k+"="+strconv.Quote(pushLabels[k]))
	}
	var metadata push.LabelsAdapter
	for _, k := range slices.Sorted(maps.Keys(pushMetadata)) {
		metadata = append(metadata, push.LabelAdapter{Name: k, Value: pushMetadata[k]})
	}
	req := push.PushRequest{Streams: []push.Stream{{Labels: "{" + strings.Join(labels, ", ") + "}"}}}
	for i, l := range lines {
		req.Streams[0].Entries = append(req.Streams[0].Entries, push.Entry{Timestamp: times[i], Line: l, StructuredMetadata: metadata})
	}
	raw, err := req.Marshal()
	require.NoError(t, err)
	status, answer := post(t, "http://"+gw.addr+"/loki/api/v1/push", "application/x-protobuf", gatewayToken,
		string(snappy.Encode(nil, raw)), map[string]string{"X-Capsule-Id": name})
	require.Equal(t, http.StatusNoContent, status, "body: %s", answer)
}

// sendByOTelSDK sends the lines as an application instrumented with the
// OpenTelemetry Go SDK would, through its OTLP/HTTP exporter to the
// gateway's OTLP input: each line is a record's body (a string, JSON-looking
// for most), and its fields, nested maps and slices included, are the
// record's attributes; the resource holds secrets of its own.
func sendByOTelSDK(t *testing.T, gw leakGateway, name string, lines []string, times []time.Time) {
	ctx := context.Background()
	exporter, err := otlploghttp.New(ctx, otlploghttp.WithEndpoint(gw.otlpAddr), otlploghttp.WithInsecure(),
		otlploghttp.WithHeaders(map[string]string{"Authorization": "Bearer " + gatewayToken}))
	require.NoError(t, err)
	res := resource.NewSchemaless(
		attribute.String("service.name", "leaksdk"),
		attribute.String("co.capsule.id", name),
		attribute.String("vcs.repository.url", plantedURL),
		attribute.Map("cloud", attribute.String("access_key", plantedAWSKey)),
	)
	provider := sdklog.NewLoggerProvider(sdklog.WithResource(res), sdklog.WithProcessor(sdklog.NewBatchProcessor(exporter)))
	logger := provider.Logger("leak-sdk")
	for i, l := range lines {
		var r otellog.Record
		r.SetTimestamp(times[i])
		r.SetObservedTimestamp(times[i])
		r.SetSeverity(otellog.SeverityInfo)
		r.SetSeverityText("INFO")
		r.SetBody(attribute.StringValue(l))
		r.AddAttributes(otelAttributes(l)...)
		logger.Emit(ctx, r)
	}
	require.NoError(t, provider.ForceFlush(ctx), "the gateway refused the SDK's export")
	require.NoError(t, provider.Shutdown(ctx))
}

// otelAttributes are the fields of a JSON line as attributes, or the line
// itself when it is not a JSON object.
func otelAttributes(line string) []attribute.KeyValue {
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var fields map[string]any
	if dec.Decode(&fields) != nil {
		return []attribute.KeyValue{attribute.String("line", line)}
	}
	return otelAttrs(fields)
}

func otelAttrs(fields map[string]any) []attribute.KeyValue {
	kvs := make([]attribute.KeyValue, 0, len(fields))
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		kvs = append(kvs, attribute.KeyValue{Key: attribute.Key(k), Value: otelValue(fields[k])})
	}
	return kvs
}

// otelValue is a decoded JSON value as an attribute value.
func otelValue(v any) attribute.Value {
	switch v := v.(type) {
	case map[string]any:
		return attribute.MapValue(otelAttrs(v)...)
	case []any:
		vals := make([]attribute.Value, len(v))
		for i, e := range v {
			vals[i] = otelValue(e)
		}
		return attribute.SliceValue(vals...)
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return attribute.Int64Value(n)
		}
		f, _ := v.Float64()
		return attribute.Float64Value(f)
	case bool:
		return attribute.BoolValue(v)
	case string:
		return attribute.StringValue(v)
	}
	return attribute.Value{} // null: OTLP's empty value
}

// secretProbes lists what must not be found in Loki: the mark, and every
// run of six or more letters and digits of a planted secret (without the
// mark) or of a PEM block's body, unless the corpus has it outside the
// secrets too (such as "example" of a host name).
func secretProbes(t *testing.T, corpus []string) []string {
	t.Helper()
	all := strings.Join(corpus, "\n")
	var secrets []string
	for _, m := range pemRe.FindAllStringSubmatch(all, -1) {
		secrets = append(secrets, strings.ReplaceAll(m[1], `\n`, " "))
	}
	secrets = append(secrets, plantedRe.FindAllString(all, -1)...)
	rest := pemRe.ReplaceAllString(all, " ")
	rest = plantedRe.ReplaceAllString(rest, " ")
	require.NotContains(t, rest, plantedMark)

	set := map[string]bool{plantedMark: true}
	for _, s := range secrets {
		for _, part := range strings.Split(s, plantedMark) {
			for _, run := range alnumRunRe.FindAllString(part, -1) {
				if len(run) >= 6 && !strings.Contains(rest, run) {
					set[run] = true
				}
			}
		}
	}
	probes := make([]string, 0, len(set))
	for p := range set {
		probes = append(probes, p)
	}
	sort.Strings(probes)
	require.Greater(t, len(probes), 20, "too few probes: the corpus changed?")
	return probes
}

// everything is every entry Loki holds in [start, end): the union of
// {name=~".+"} over all label names.
func (l *lokiProcess) everything(t *testing.T, start, end time.Time) []entry {
	t.Helper()
	type key struct {
		labels, line string
		time         int64
	}
	seen := map[key]bool{}
	var out []entry
	for _, n := range l.labelNames(t, start, end) {
		for _, e := range l.queryAll(t, fmt.Sprintf(`{%s=~".+"}`, n), start, end) {
			k := key{labelsString(e.Labels), e.Line, e.Time}
			if !seen[k] {
				seen[k] = true
				out = append(out, e)
			}
		}
	}
	return out
}

func (l *lokiProcess) labelNames(t *testing.T, start, end time.Time) []string {
	t.Helper()
	return l.labelsAPI(t, "/loki/api/v1/labels", start, end)
}

func (l *lokiProcess) labelValues(t *testing.T, name string, start, end time.Time) []string {
	t.Helper()
	return l.labelsAPI(t, "/loki/api/v1/label/"+url.PathEscape(name)+"/values", start, end)
}

func (l *lokiProcess) labelsAPI(t *testing.T, path string, start, end time.Time) []string {
	t.Helper()
	q := url.Values{
		"start": {strconv.FormatInt(start.UnixNano(), 10)},
		"end":   {strconv.FormatInt(end.UnixNano(), 10)},
	}
	resp, err := http.Get(l.url(path + "?" + q.Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, path)
	var body struct {
		Status string   `json:"status"`
		Data   []string `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.Equal(t, "success", body.Status)
	return body.Data
}
