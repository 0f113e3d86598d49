package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

// shippedRun runs a shipped config (config/capsule-agent.yaml or
// config/gateway.yaml), or the peer's (bench/peer/config.yaml with
// shipped.yaml over it), as users run it, its otlp_http exporter pointed at
// an in-process sink, and measures it until the sink has every line.
// clients is 0 for the agent and the peer, which tail the corpus; else the
// number of concurrent clients posting the corpus to the gateway.
type shippedRun struct {
	bin         string   // absolute path
	configs     []string // absolute paths, merged in order
	args        []string // the command line, if not --config with each of configs (Alloy's)
	clients     int
	batchLines  int
	poll, stall time.Duration
	keep        bool
}

func (r shippedRun) run(ctx context.Context, c corpusInfo) (sample, error) {
	rd, err := newRunDirectory("benchrun-shipped-", r.keep)
	if err != nil {
		return sample{}, err
	}
	defer rd.close()
	dir := rd.path
	snk, err := startSink()
	if err != nil {
		return sample{}, err
	}
	defer snk.close()
	env, gateway, err := r.environment(dir, snk, c)
	if err != nil {
		return sample{}, err
	}
	args := r.args
	if args == nil {
		args = configArgs(r.configs)
	}
	cmd := exec.Command(r.bin, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, rd.log, rd.log
	cmd.Env = append(os.Environ(), env...)

	harness0 := selfCPU()
	start := time.Now()
	ch, err := startChild(cmd)
	if err != nil {
		return sample{}, err
	}
	defer ch.stop()
	wctx, stopWatching := context.WithCancelCause(ctx)
	defer stopWatching(nil)
	if r.clients > 0 {
		go func() {
			if err := gateway.send(wctx, c.files, r.batchLines, r.clients); err != nil {
				stopWatching(fmt.Errorf("gateway clients: %w", err))
				return
			}
			gateway.acceptedAfter.Store(int64(time.Since(start)))
		}()
		defer gateway.client.client.CloseIdleConnections()
	}
	s, err := watcher{counter: snk, proc: ch}.until(wctx, start, c.lines, r.poll, r.stall)
	s.harnessCPU = selfCPU() - harness0
	if err != nil {
		return s, rd.failure(fmt.Errorf("%w (%v)", err, context.Cause(wctx)))
	}
	// Records arriving late, sent twice, count against the records check.
	time.Sleep(3 * r.poll)
	s.records, s.exports = snk.records.Load(), snk.requests.Load()
	if gateway != nil {
		s.retries = gateway.client.retries.Load()
		s.accepted = time.Duration(gateway.acceptedAfter.Load())
	}
	return s, nil
}

// environment returns the variables the shipped config reads, every
// address a free loopback port and every path in dir: the agent tails
// links to the corpus's files in dir/logs; the gateway's clients are
// returned for the run to start.
func (r shippedRun) environment(dir string, snk *sink, c corpusInfo) ([]string, *gatewayClients, error) {
	ports, err := freePorts(4)
	if err != nil {
		return nil, nil, err
	}
	// The AIND_* variables are the shipped configs', the BENCH_* ones the
	// peer's (bench/peer/config.yaml) and Alloy's (bench/alloy).
	env := []string{
		"LOKI_OTLP_ENDPOINT=" + snk.url,
		"BENCH_LOKI_PUSH_URL=" + snk.url + lokiPushPath,
		"AIND_STORAGE_DIR=" + filepath.Join(dir, "storage"),
		"AIND_HEALTH_ENDPOINT=" + loopback(ports[0]),
		"AIND_TELEMETRY_HOST=127.0.0.1",
		"AIND_TELEMETRY_PORT=" + strconv.Itoa(ports[1]),
		"BENCH_METRICS_PORT=" + strconv.Itoa(ports[1]),
	}
	if r.clients == 0 {
		logs := filepath.Join(dir, "logs")
		if err := linkFiles(c.files, logs); err != nil {
			return nil, nil, err
		}
		return append(env, "AIND_LOG_DIR="+logs, "BENCH_INCLUDE="+filepath.Join(logs, "*")), nil, nil
	}
	tokensFile, token, err := writeTokensFile(dir)
	if err != nil {
		return nil, nil, err
	}
	env = append(env,
		"AIND_GATEWAY_ENDPOINT="+loopback(ports[2]),
		"AIND_GATEWAY_OTLP_ENDPOINT="+loopback(ports[3]),
		"AIND_GATEWAY_TOKENS_FILE="+tokensFile,
	)
	g := &gatewayClients{
		health: "http://" + loopback(ports[0]) + "/",
		client: ndjsonClient{
			client:  &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: r.clients}},
			url:     "http://" + loopback(ports[2]) + "/aind/v1/logs",
			token:   token,
			retries: new(atomic.Int64),
		},
	}
	return env, g, nil
}

// gatewayClients are the clients of one gateway run.
type gatewayClients struct {
	health string // health_check: the gateway serves once it answers 200
	client ndjsonClient
	// acceptedAfter is the time from the collector's start to the last
	// request's 200, in ns: how fast the gateway took the lines in, ahead
	// of exporting them.
	acceptedAfter atomic.Int64
}

// send waits until the gateway is up, then posts the corpus.
func (g *gatewayClients) send(ctx context.Context, files []string, batchLines, clients int) error {
	for !healthy(ctx, g.health) {
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return feed(ctx, files, batchLines, clients, g.client)
}

func healthy(ctx context.Context, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// writeTokensFile writes an aindauth tokens file with one client and a
// fresh token.
func writeTokensFile(dir string) (path, token string, err error) {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	token = hex.EncodeToString(b)
	path = filepath.Join(dir, "tokens.yaml")
	content := "clients:\n  - name: bench\n    token: " + token + "\n"
	return path, token, os.WriteFile(path, []byte(content), 0o600)
}

// linkFiles hard-links files into dir (copying where a link is not
// possible): the agent tails them as its log directory.
func linkFiles(files []string, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		dst := filepath.Join(dir, filepath.Base(f))
		if os.Link(f, dst) == nil {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func loopback(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

// selfCPU is benchrun's own user+system CPU time so far: the sink's and
// the gateway clients' share of the machine.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}
