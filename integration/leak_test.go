//go:build integration && reliability

package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
// (a capsule agent forwarding to the gateway over OTLP, the gateway's AIND
// JSON Lines input, its Loki push input), all with the shipped configs;
// then everything Loki holds (lines, labels, label values, structured
// metadata) is searched for the secrets. Every line must be stored: none
// may be dropped to keep a secret out.
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

	// The corpus is dated March 2026, older than Loki accepts: each line
	// gets a timestamp of its own, now, different on each way in (Loki
	// keeps one of two entries with the same stream, time and line).
	base := time.Now().UTC().Add(-time.Minute)
	dated := func(way int) []string {
		out := make([]string, len(corpus))
		for i, l := range corpus {
			ts := base.Add(time.Duration(way*len(corpus)+i) * time.Millisecond)
			out[i] = corpusTSRe.ReplaceAllLiteralString(l, fmt.Sprintf(`"timestamp": %q`, ts.Format("2006-01-02T15:04:05.000000Z")))
		}
		return out
	}

	loki := startLoki(t)
	gatewayAddr, otlpAddr := startGateway(t, loki, gatewayTokensFile(t))
	ways := []string{"leak-agent", "leak-ndjson", "leak-push"}

	// The gateway's AIND JSON Lines input.
	status, body := post(t, "http://"+gatewayAddr+"/aind/v1/logs", "application/x-ndjson", gatewayToken,
		strings.Join(dated(1), "\n"), map[string]string{"X-Capsule-Id": ways[1]})
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	var answer struct {
		Accepted int `json:"accepted"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &answer))
	require.Equal(t, len(corpus), answer.Accepted, "body: %s", body)

	// The gateway's Loki push input, one stream, each line a value.
	type stream struct {
		Stream map[string]string `json:"stream"`
		Values [][2]string       `json:"values"`
	}
	// Its stream labels carry a secret too (a client's label set is not
	// the corpus's, but reaches Loki all the same).
	push := stream{Stream: map[string]string{"service_name": "leakpush", "job": "pusher",
		"origin": "https://bob:" + plantedMark + "lbl7@git.example.org/x.git"}}
	for i, l := range dated(2) {
		ts := base.Add(time.Duration(2*len(corpus)+i) * time.Millisecond)
		push.Values = append(push.Values, [2]string{strconv.FormatInt(ts.UnixNano(), 10), l})
	}
	pushBody, err := json.Marshal(map[string][]stream{"streams": {push}})
	require.NoError(t, err)
	status, body = post(t, "http://"+gatewayAddr+"/loki/api/v1/push", "application/json", gatewayToken,
		string(pushBody), map[string]string{"X-Capsule-Id": ways[2]})
	require.Equal(t, http.StatusNoContent, status, "body: %s", body)

	// A capsule agent tailing the corpus and forwarding to the gateway.
	logDir := t.TempDir()
	newAppender(t, filepath.Join(logDir, "capsule.jsonl")).write(t, dated(0)...)
	agent := agentEnv(t, loki, logDir, t.TempDir(), ways[0])
	agent = append(agent, "LOKI_OTLP_ENDPOINT=http://"+otlpAddr, "AIND_GATEWAY_TOKEN="+gatewayToken)
	startCollector(t, filepath.Join("..", "config", "capsule-agent.yaml"), agent...)

	sent := len(ways) * len(corpus)
	from, to := base.Add(-time.Hour), time.Now().Add(time.Hour)
	var stored []entry
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Second) {
		stored = loki.everything(t, from, to)
		if len(stored) >= sent || time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(3 * time.Second) // anything late (a duplicate) shows too
	stored = loki.everything(t, from, to)

	perWay := map[string]int{}
	for _, e := range stored {
		way := e.Metadata["co_capsule_id"]
		if perWay[way]++; way != ways[2] {
			continue
		}
		if perWay[way] == 1 {
			t.Logf("a pushed entry as Loki holds it: labels %s, structured metadata %s, line %q",
				labelsString(e.Labels), labelsString(e.Metadata), e.Line)
		}
		// The label's secret is searched for below only if the label arrived.
		assert.Equal(t, "https://bob:[REDACTED]@git.example.org/x.git", e.Metadata["origin"], "stream label origin of %q", e.Line)
	}
	recordFigure(t, scenario, "corpus lines", len(corpus))
	recordFigure(t, scenario, "lines sent (agent→gateway OTLP, gateway NDJSON, gateway Loki push)", sent)
	recordFigure(t, scenario, "entries stored", len(stored))
	recordFigure(t, scenario, "secret probes searched", len(probes))

	// Everything Loki can return: entries with their labels and structured
	// metadata, label names and label values.
	var texts []string
	for _, e := range stored {
		texts = append(texts, e.Line)
		for k, v := range e.Labels {
			texts = append(texts, k, v)
		}
		for k, v := range e.Metadata {
			texts = append(texts, k, v)
		}
		// key/int plants a number under a blocked key: not findable as
		// text, so its key must not carry it.
		assert.NotEqual(t, "1234", e.Metadata["pwd"], "blocked key pwd kept its value")
	}
	names := loki.labelNames(t, from, to)
	for _, n := range names {
		texts = append(texts, n)
		texts = append(texts, loki.labelValues(t, n, from, to)...)
	}
	found := 0
	for _, text := range texts {
		for _, p := range probes {
			if strings.Contains(text, p) {
				if found++; found <= 30 {
					t.Errorf("secret %q in Loki: %q", p, text)
				}
			}
		}
	}
	recordFigure(t, scenario, "secrets found in Loki", found)

	assert.Equal(t, sent, len(stored), "Loki must hold one entry per line sent (per way: %v)", perWay)
	for _, w := range ways {
		assert.Equal(t, len(corpus), perWay[w], "entries from %s", w)
	}
	assert.Zero(t, found, "secrets found in Loki")
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
