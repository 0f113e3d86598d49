//go:build integration && reliability

package integration

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Scenario: the gateway tier scales out. Three replicas of the shipped
// config/gateway.yaml, each with its own queue directory, behind HAProxy,
// take the posts of many clients into one real Loki. Throughput is
// measured with one replica in service, then with three; then, under
// load, one replica is SIGKILLed and restarted on its queue, another is
// SIGTERMed, drains, and is restarted. No line answered 200 may be
// missing in Loki, and every duplicate must come from a client resending
// after an answer it could not interpret (the gateway may have accepted).
//
// The machine that runs this has 2 cores shared by Loki, HAProxy, the
// clients and the replicas: three replicas cannot go faster than one
// there, so the 1-vs-3 ratio is reported, not asserted.
func TestReliabilityScaleOut(t *testing.T) {
	const scenario = "scale-out (3 gateways behind HAProxy)"
	began := time.Now()
	loki := startLoki(t, scaleOutLokiLimits...)
	replicas := startScaleOutReplicas(t, loki, 3)
	lb := startHAProxy(t, replicas)
	// The throughput windows run the clients closed-loop (each posts as
	// soon as it is answered); the faults run at a fixed offered rate
	// below that, as a tier with headroom would, which also bounds the
	// lines to count in Loki.
	measure := scaled(20*time.Second, 3*time.Second)
	faultRate := scaled(8000, 4000)

	load := startScaleOutLoad(lb.url, 16, 50)
	time.Sleep(time.Second) // connections up before the first window
	one := load.window(measure)
	for _, r := range replicas[1:] {
		lb.runtime(t, "enable server gateways/"+r.name)
		lb.waitStatus(t, r.name, "UP", time.Now(), 30*time.Second)
	}
	three := load.window(measure)
	load.pace(faultRate)
	faultsFrom := time.Now()
	faults := runScaleOutFaults(t, lb, replicas, scaled(3, 1))
	time.Sleep(3 * time.Second) // load goes on after the last restart
	faultsTo := time.Now()
	require.NoError(t, load.stop(2*time.Minute))

	for _, r := range replicas {
		drained := r.drain(t)
		recordFigure(t, scenario, "final SIGTERM drain of "+r.name, drained.Round(100*time.Millisecond))
	}
	s := load.summary(faultsFrom, faultsTo)
	recordFigure(t, scenario, "clients / lines per request", "16 / 50")
	recordFigure(t, scenario, "offered rate during the faults, lines/s", faultRate)
	recordFigure(t, scenario, "lines sent (unique ids) / requests answered 200", fmt.Sprintf("%d / %d", s.lines, s.requests))
	recordFigure(t, scenario, "throughput with 1 replica, lines/s", int(one))
	recordFigure(t, scenario, "throughput with 3 replicas, lines/s", int(three))
	recordFigure(t, scenario, "3-replica / 1-replica throughput (2 cores: no speed-up expected)", fmt.Sprintf("%.2f", three/one))
	for _, f := range faults {
		recordFigure(t, scenario, f.name, f.value)
	}
	recordFigure(t, scenario, "longest request stall under faults (first send to 200)", s.maxStall.Round(time.Millisecond))
	recordFigure(t, scenario, "longest stall before the faults, for comparison", load.maxStallBefore(faultsFrom).Round(time.Millisecond))
	recordFigure(t, scenario, "longest gap without any 200 under faults", s.maxGap.Round(time.Millisecond))
	recordFigure(t, scenario, "client resends: after 503/429 / after an ambiguous failure (requests)", fmt.Sprintf("%d / %d", s.refusedResends, s.ambiguousResends))
	recordFigure(t, scenario, "lines resent after an ambiguous failure", s.ambiguousLines)
	got := countInLoki(t, loki, load, began)
	recordFigure(t, scenario, "lines lost in Loki", got.lost)
	recordFigure(t, scenario, "lines a query returns more than once", got.duplicated)
	recordFigure(t, scenario, "lines in Loki that were never sent", got.unexpected)
	// Above the lines sent when a replica's push timed out in Loki after
	// Loki had stored it and the replica pushed it again: the copies are
	// identical, and Loki's queries return one.
	recordFigure(t, scenario, "entries Loki stored (count_over_time)", got.stored)
	recordFigure(t, scenario, "scenario duration", time.Since(began).Round(time.Second))

	assert.Zero(t, got.lost, "lines answered 200 missing in Loki")
	assert.LessOrEqual(t, got.duplicated, s.ambiguousLines, "duplicates beyond the lines resent after an ambiguous failure")
	assert.Zero(t, got.unexpected, "lines in Loki that no client sent")
	assert.Positive(t, s.requests, "no request accepted")
}

// scaleOutLokiLimits lift Loki's per-tenant and per-stream ingestion rates
// (4 MB/s and 3 MB/s by default) above what the replicas can send, so that
// Loki's 429s do not throttle the measurement, and let one query return a
// whole time window of a client's lines.
var scaleOutLokiLimits = []string{
	"ingestion_rate_mb: 512",
	"ingestion_burst_size_mb: 1024",
	"per_stream_rate_limit: 512MB",
	"per_stream_rate_limit_burst: 1024MB",
	"max_entries_limit_per_query: " + strconv.Itoa(lokiPageLimit),
}

// fault is one failover figure.
type fault struct {
	name  string
	value any
}

// runScaleOutFaults runs cycles of: SIGKILL one replica, restart it on its
// queue after 3 s; SIGTERM another, wait for its drain, restart it. It
// returns HAProxy's reaction times, read from its stats socket: from the
// signal until it marks the server DOWN, and from the restart until UP.
func runScaleOutFaults(t *testing.T, lb *haproxy, replicas []*scaleOutReplica, cycles int) []fault {
	t.Helper()
	var out []fault
	add := func(name string, value any) { out = append(out, fault{name, value}) }
	for i := 0; i < cycles; i++ {
		killed, stopped := replicas[(i+1)%3], replicas[(i+2)%3]
		at := time.Now()
		killed.proc.kill(t)
		add(fmt.Sprintf("cycle %d: SIGKILL %s -> HAProxy marks it DOWN", i+1, killed.name), lb.waitStatus(t, killed.name, "DOWN", at, 30*time.Second))
		time.Sleep(3 * time.Second)
		at = time.Now()
		killed.start(t)
		add(fmt.Sprintf("cycle %d: restart of %s on its queue -> UP", i+1, killed.name), lb.waitStatus(t, killed.name, "UP", at, 30*time.Second))

		time.Sleep(2 * time.Second)
		at = time.Now()
		drainDone := make(chan time.Duration, 1)
		go func() { drainDone <- stopped.drain(t) }()
		add(fmt.Sprintf("cycle %d: SIGTERM %s -> HAProxy marks it DOWN", i+1, stopped.name), lb.waitStatus(t, stopped.name, "DOWN", at, 30*time.Second))
		add(fmt.Sprintf("cycle %d: SIGTERM %s -> drained and exited", i+1, stopped.name), (<-drainDone).Round(100*time.Millisecond))
		time.Sleep(time.Second)
		at = time.Now()
		stopped.start(t)
		add(fmt.Sprintf("cycle %d: restart of %s -> UP", i+1, stopped.name), lb.waitStatus(t, stopped.name, "UP", at, 30*time.Second))
	}
	return out
}

// scaleOutReplica is one gateway replica. Its environment (ports, queue
// directory) is the same at every start.
type scaleOutReplica struct {
	name, addr, health string
	env                []string
	proc               *collectorProcess
}

func startScaleOutReplicas(t *testing.T, loki *lokiProcess, n int) []*scaleOutReplica {
	t.Helper()
	tokens := gatewayTokensFile(t)
	out := make([]*scaleOutReplica, n)
	for i := range out {
		r := &scaleOutReplica{
			name:   fmt.Sprintf("gw%d", i),
			addr:   "127.0.0.1:" + strconv.Itoa(freePort(t)),
			health: "127.0.0.1:" + strconv.Itoa(freePort(t)),
		}
		r.env = []string{
			"AIND_GATEWAY_TOKENS_FILE=" + tokens,
			"LOKI_OTLP_ENDPOINT=" + loki.url("/otlp"),
			"AIND_GATEWAY_ENDPOINT=" + r.addr,
			"AIND_GATEWAY_OTLP_ENDPOINT=127.0.0.1:" + strconv.Itoa(freePort(t)),
			"AIND_STORAGE_DIR=" + t.TempDir(),
			"AIND_HEALTH_ENDPOINT=" + r.health,
			"AIND_TELEMETRY_HOST=127.0.0.1",
			"AIND_TELEMETRY_PORT=" + strconv.Itoa(freePort(t)),
		}
		r.start(t)
		out[i] = r
	}
	return out
}

func (r *scaleOutReplica) start(t *testing.T) {
	t.Helper()
	r.proc = startCollector(t, filepath.Join("..", "config", "gateway.yaml"), r.env...)
	waitForPort(t, r.addr)
}

// drain stops the replica with SIGTERM, checks that it exited 0 (its queue
// sent to Loki within drain_timeout), and returns how long it took. It runs
// on a goroutine of its own during the faults, so it reports with
// assert (t.Errorf), never require: FailNow must not leave the fault cycle
// waiting for it.
func (r *scaleOutReplica) drain(t *testing.T) time.Duration {
	t.Helper()
	at := time.Now()
	r.proc.stop(t)
	took := time.Since(at)
	assert.Zero(t, r.proc.cmd.ProcessState.ExitCode(), "%s did not drain its queue:\n%s", r.name, r.proc.logTail())
	return took
}

// haproxy is HAProxy (Debian's) in front of the replicas.
type haproxy struct {
	url, socket string

	mu     sync.Mutex
	states []serverState // every status change seen on the stats socket
}

type serverState struct {
	at             time.Time
	server, status string
}

// haproxyConfig is docs/gateway.md's HAProxy config (its comments say why
// each setting), with this test's addresses: the front end on a free port, the
// replicas as servers, of which the second and third start disabled for the
// one-replica measurement, and an admin socket for the fault cycles.
func haproxyConfig(t *testing.T, socket, front string, replicas []*scaleOutReplica) string {
	t.Helper()
	var cfg strings.Builder
	for _, line := range strings.SplitAfter(docBlock(t, "haproxy"), "\n") {
		switch {
		case strings.HasPrefix(line, "\tserver "):
			continue
		case strings.HasPrefix(line, "\tbind "):
			line = "\tbind " + front + "\n"
		}
		cfg.WriteString(line)
		if line == "global\n" {
			cfg.WriteString("\tstats socket " + socket + " mode 600 level admin\n")
		}
	}
	for i, r := range replicas {
		_, healthPort, err := net.SplitHostPort(r.health)
		require.NoError(t, err)
		fmt.Fprintf(&cfg, "\tserver %s %s check port %s", r.name, r.addr, healthPort)
		if i > 0 {
			cfg.WriteString(" disabled")
		}
		cfg.WriteString("\n")
	}
	config := cfg.String()
	for _, want := range []string{"\tstats socket ", "\tbind " + front + "\n", "\tserver " + replicas[0].name + " "} {
		require.Contains(t, config, want, "the HAProxy config of docs/gateway.md changed: update this test")
	}
	return config
}

func startHAProxy(t *testing.T, replicas []*scaleOutReplica) *haproxy {
	t.Helper()
	bin := binary(t, "HAPROXY_BIN", "/usr/sbin/haproxy")
	dir := t.TempDir()
	front := "127.0.0.1:" + strconv.Itoa(freePort(t))
	lb := &haproxy{url: "http://" + front + "/aind/v1/logs", socket: filepath.Join(dir, "admin.sock")}
	cfg := filepath.Join(dir, "haproxy.cfg")
	require.NoError(t, os.WriteFile(cfg, []byte(haproxyConfig(t, lb.socket, front, replicas)), 0o600))
	logFile, err := os.Create(filepath.Join(dir, "haproxy.log"))
	require.NoError(t, err)
	cmd := exec.Command(bin, "-db", "-f", cfg)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go lb.watch(done)
	t.Cleanup(func() {
		close(done)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logFile.Close()
	})
	waitForPort(t, front)
	lb.waitStatus(t, replicas[0].name, "UP", time.Time{}, 30*time.Second) // seen at any time
	return lb
}

// runtime sends one command to HAProxy's stats socket; a command that
// changes state answers nothing when it succeeds.
func (lb *haproxy) runtime(t *testing.T, command string) {
	t.Helper()
	answer, err := lb.send(command)
	require.NoError(t, err, "haproxy %q", command)
	require.Empty(t, strings.TrimSpace(answer), "haproxy %q", command)
}

func (lb *haproxy) send(command string) (string, error) {
	c, err := net.DialTimeout("unix", lb.socket, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte(command + "\n")); err != nil {
		return "", err
	}
	var b strings.Builder
	_, err = bufio.NewReader(c).WriteTo(&b)
	return b.String(), err
}

// watch records every change of the servers' status ("UP", "DOWN",
// "UP 1/2", "MAINT", ...) every 20 ms until done.
func (lb *haproxy) watch(done chan struct{}) {
	last := map[string]string{}
	for {
		select {
		case <-done:
			return
		case <-time.After(20 * time.Millisecond):
		}
		csv, err := lb.send("show stat")
		if err != nil {
			continue
		}
		now := time.Now()
		for server, status := range parseServerStatus(csv) {
			if last[server] != status {
				last[server] = status
				lb.mu.Lock()
				lb.states = append(lb.states, serverState{now, server, status})
				lb.mu.Unlock()
			}
		}
	}
}

// parseServerStatus reads the status of backend gateways' servers from
// "show stat" CSV.
func parseServerStatus(csv string) map[string]string {
	lines := strings.Split(csv, "\n")
	header := strings.Split(strings.TrimPrefix(lines[0], "# "), ",")
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	out := map[string]string{}
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		if len(f) <= col["status"] || f[col["pxname"]] != "gateways" || f[col["svname"]] == "BACKEND" {
			continue
		}
		out[f[col["svname"]]] = f[col["status"]]
	}
	return out
}

// waitStatus waits until the watcher saw server enter status after from,
// and returns how long after from that was.
func (lb *haproxy) waitStatus(t *testing.T, server, status string, from time.Time, timeout time.Duration) time.Duration {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		lb.mu.Lock()
		for _, s := range lb.states {
			if s.server == server && s.status == status && !s.at.Before(from) {
				lb.mu.Unlock()
				return s.at.Sub(from).Round(10 * time.Millisecond)
			}
		}
		lb.mu.Unlock()
	}
	lb.mu.Lock()
	defer lb.mu.Unlock()
	t.Fatalf("haproxy did not mark %s %s within %s; status changes seen: %v", server, status, timeout, lb.states)
	return 0
}

// scaleOutLoad is clients posting AIND NDJSON to HAProxy as fast as they
// are answered. Every line carries a unique id (c07-0000123) as its
// message; a request is sent again, identically, until it is answered 200.
type scaleOutLoad struct {
	url          string
	clients      int
	linesPerPost int
	stopping     atomic.Bool
	interval     atomic.Int64 // least time between a client's posts; 0: none
	wg           sync.WaitGroup

	mu       sync.Mutex
	accepted []acceptedPost
	ids      []string
	resends  resendCounts
	failures []string // transport errors and unexpected answers, a few
}

// acceptedPost is one request answered 200.
type acceptedPost struct {
	firstSent, answered time.Time
	lines               int
}

type resendCounts struct {
	refused, ambiguous, ambiguousLines int
}

func startScaleOutLoad(url string, clients, linesPerPost int) *scaleOutLoad {
	l := &scaleOutLoad{url: url, clients: clients, linesPerPost: linesPerPost}
	for c := 0; c < clients; c++ {
		l.wg.Go(func() { l.client(c) })
	}
	return l
}

// client posts until stop, then finishes its request in progress.
func (l *scaleOutLoad) client(c int) {
	hc := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	rig := fmt.Sprintf("c%02d", c)
	for n := 0; !l.stopping.Load(); {
		var body strings.Builder
		ids := make([]string, l.linesPerPost)
		for i := range ids {
			ids[i] = fmt.Sprintf("%s-%07d", rig, n)
			n++
			fmt.Fprintf(&body, `{"timestamp":"%s","level":"INFO","message":"%s","software_name":"scaleout","rig_id":"%s"}`+"\n",
				time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"), ids[i], rig)
		}
		first := time.Now()
		next := first.Add(time.Duration(l.interval.Load()))
		l.postUntilAccepted(hc, body.String())
		l.mu.Lock() // answered under the lock: accepted is in order of answers
		l.accepted = append(l.accepted, acceptedPost{first, time.Now(), len(ids)})
		l.ids = append(l.ids, ids...)
		l.mu.Unlock()
		time.Sleep(time.Until(next))
	}
}

// pace limits the clients together to about linesPerSecond.
func (l *scaleOutLoad) pace(linesPerSecond int) {
	l.interval.Store(int64(time.Second) * int64(l.clients*l.linesPerPost) / int64(linesPerSecond))
}

// postUntilAccepted sends body until it is answered 200. A 503 or 429 says
// the request was refused whole; anything else (a transport error, a
// timeout, HAProxy's 502 or 504) leaves open whether a replica persisted
// it, so the resend may make duplicates.
func (l *scaleOutLoad) postUntilAccepted(client *http.Client, body string) {
	backoff := 50 * time.Millisecond
	for {
		status, hdr, answer, err := postAind(client, l.url, body, nil)
		if err == nil && status == http.StatusOK {
			return
		}
		wait := backoff
		l.mu.Lock()
		switch {
		case err == nil && (status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests):
			l.resends.refused++
			if s, err := strconv.Atoi(hdr.Get("Retry-After")); err == nil {
				wait = time.Duration(s) * time.Second
			}
		default:
			l.resends.ambiguous++
			l.resends.ambiguousLines += l.linesPerPost
			if len(l.failures) < 10 {
				l.failures = append(l.failures, fmt.Sprintf("%d %v %.100s", status, err, answer))
			}
		}
		l.mu.Unlock()
		time.Sleep(wait)
		backoff = min(2*backoff, time.Second)
	}
}

// window waits d and returns the lines/s answered 200 during it.
func (l *scaleOutLoad) window(d time.Duration) float64 {
	from := time.Now()
	time.Sleep(d)
	to := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := 0
	for _, a := range l.accepted {
		if !a.answered.Before(from) && a.answered.Before(to) {
			lines += a.lines
		}
	}
	return float64(lines) / to.Sub(from).Seconds()
}

// stop ends the load: the clients finish the requests in progress.
func (l *scaleOutLoad) stop(timeout time.Duration) error {
	l.stopping.Store(true)
	done := make(chan struct{})
	go func() { l.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-time.After(timeout):
		return errors.New("clients still retrying after " + timeout.String())
	}
}

type loadSummary struct {
	lines, requests                                  int
	refusedResends, ambiguousResends, ambiguousLines int
	maxStall, maxGap                                 time.Duration
}

// summary counts the whole load; maxStall is the longest a request answered
// in [from, to] took from its first send to its 200 (it includes the
// client's retries and backoff), maxGap the longest time in [from, to]
// between two 200s of any client.
func (l *scaleOutLoad) summary(from, to time.Time) loadSummary {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := loadSummary{lines: len(l.ids), requests: len(l.accepted),
		refusedResends: l.resends.refused, ambiguousResends: l.resends.ambiguous, ambiguousLines: l.resends.ambiguousLines}
	last := from
	for _, a := range l.accepted { // in order of their answers
		if a.answered.Before(from) || a.answered.After(to) {
			continue
		}
		s.maxStall = max(s.maxStall, a.answered.Sub(a.firstSent))
		s.maxGap = max(s.maxGap, a.answered.Sub(last))
		last = a.answered
	}
	s.maxGap = max(s.maxGap, to.Sub(last))
	return s
}

// maxStallBefore is the longest a request answered before t took.
func (l *scaleOutLoad) maxStallBefore(t time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var m time.Duration
	for _, a := range l.accepted {
		if a.answered.Before(t) {
			m = max(m, a.answered.Sub(a.firstSent))
		}
	}
	return m
}

// lokiCount is what Loki holds of the clients' lines: entries stored, and
// per id: lost (not returned), duplicated (returned more than once), and
// lines no client sent.
type lokiCount struct{ stored, lost, duplicated, unexpected int }

// countInLoki waits until Loki's count of the clients' lines is stable and
// at least the number of ids sent (or unchanged for 10 s, or 2 min have
// passed), then counts every id.
func countInLoki(t *testing.T, loki *lokiProcess, load *scaleOutLoad, from time.Time) lokiCount {
	t.Helper()
	const selector = `{service_name="scaleout"}`
	to := time.Now().Add(time.Minute)
	sent := len(load.ids)
	stable, last, waitFrom := 0, -1, time.Now()
	for deadline := time.Now().Add(2 * time.Minute); (stable < 2 || last < sent) && time.Now().Before(deadline); time.Sleep(time.Second) {
		n, err := loki.count(selector, from, to)
		require.NoError(t, err)
		if n == last {
			stable++
		} else {
			stable = 0
		}
		if stable >= 10 { // lines are missing: no need to wait longer
			break
		}
		last = n
	}
	t.Logf("Loki counts %d entries, %d ids sent, after %s", last, sent, time.Since(waitFrom).Round(time.Second))
	perID := map[string]int{}
	for c := 0; c < 16; c++ {
		for _, line := range loki.lines(t, fmt.Sprintf(`{service_name="scaleout", rig_id="c%02d"}`, c), from, to) {
			perID[line]++
		}
	}
	got := lokiCount{stored: last}
	for _, id := range load.ids {
		switch n := perID[id]; {
		case n == 0:
			got.lost++
		case n > 1:
			got.duplicated += n - 1
		}
		delete(perID, id)
	}
	for _, n := range perID {
		got.unexpected += n
	}
	if len(load.failures) > 0 {
		t.Logf("first client failures: %q", load.failures)
	}
	return got
}

// lokiPageLimit is the most entries one lines query asks for (Loki's
// max_entries_limit_per_query, raised in scaleOutLokiLimits).
const lokiPageLimit = 10_000

// lines returns the lines of every entry the query matches in [from, to),
// in windows of at most lokiPageLimit entries. Entries are at whole
// microseconds: a window [a, b-1ns] holds the same entries whether Loki's
// end is inclusive or not, and the next window starts at b.
func (l *lokiProcess) lines(t *testing.T, logql string, from, to time.Time) []string {
	t.Helper()
	from, to = from.Truncate(time.Microsecond), to.Truncate(time.Microsecond)
	q := url.Values{
		"query":     {logql},
		"start":     {strconv.FormatInt(from.UnixNano(), 10)},
		"end":       {strconv.FormatInt(to.UnixNano()-1, 10)},
		"limit":     {strconv.Itoa(lokiPageLimit)},
		"direction": {"forward"},
	}
	resp, err := http.Get(l.url("/loki/api/v1/query_range?" + q.Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "query %s", logql)
	var body struct {
		Data struct {
			Result []struct {
				Values [][]json.RawMessage `json:"values"`
			} `json:"result"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	var out []string
	for _, s := range body.Data.Result {
		for _, v := range s.Values {
			var line string
			require.NoError(t, json.Unmarshal(v[1], &line))
			out = append(out, line)
		}
	}
	if len(out) < lokiPageLimit {
		return out
	}
	require.Greater(t, to.Sub(from), 2*time.Microsecond, "more than %d entries in one microsecond", lokiPageLimit)
	mid := from.Add(to.Sub(from) / 2).Truncate(time.Microsecond)
	return append(l.lines(t, logql, from, mid), l.lines(t, logql, mid, to)...)
}
