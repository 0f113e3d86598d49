//go:build integration && reliability

package integration

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// Scenario 5, hostile input, over HTTP: the shipped gateway.yaml, unchanged,
// gets invalid JSON, invalid UTF-8 and a BOM, a 2 MiB line, 10,000-deep
// nesting, 10 MB of one line without a newline, a gzip bomb, slow-loris
// clients and huge JSON arrays, while a well-behaved client keeps posting.
// Every line is delivered or flagged, nothing panics, the peak RSS stays
// bounded, and the well-behaved client gets every line through.
func TestReliabilityHostileHTTP(t *testing.T) {
	const scenario = "hostile HTTP"
	sink := startAttrSink(t)
	gw := startSinkGateway(t, filepath.Join("..", "config", "gateway.yaml"), sink.url())
	mem := watchMemory(t, gw.proc)
	good := startGoodHTTPClient(t, gw.url)

	postRaw := func(contentType, encoding string, body []byte) (int, string) {
		t.Helper()
		return postRawTo(t, gw.url, contentType, encoding, body)
	}
	type answer struct{ Accepted, Flagged int }
	expectAccepted := func(name string, status int, body string, accepted, flagged int) {
		t.Helper()
		require.Equal(t, http.StatusOK, status, "%s: %s", name, body)
		var a answer
		require.NoError(t, json.Unmarshal([]byte(body), &a), name)
		assert.Equal(t, accepted, a.Accepted, "%s: accepted", name)
		assert.Equal(t, flagged, a.Flagged, "%s: flagged", name)
	}

	// Slow-loris clients run during all the other attacks.
	// The overlong bodies outlast read_timeout (60 s): at full size only.
	loris := startSlowLoris(t, gw.base, scaled(200, 50), scaled(20, 5), scaled(5, 0), scaled(300*time.Millisecond, 100*time.Millisecond))

	// Invalid JSON, invalid UTF-8 (raw and inside a JSON string), a BOM.
	var expect []hostileLine
	lines, want := hostileSmallLines("http")
	expect = append(expect, want...)
	status, body := postRaw("application/x-ndjson", "", []byte(strings.Join(lines, "\n")))
	expectAccepted("small hostile lines", status, body, len(lines), 3)

	t.Log("phase: A 2 MiB line and 10,000-deep nesting")
	// A 2 MiB line and 10,000-deep nesting.
	line2m, want2m := hostileBigLine("http-2mib", 2<<20)
	deep, wantDeep := hostileDeepLine("http-deep", 10000)
	status, body = postRaw("application/x-ndjson", "", []byte(line2m+"\n"+deep+"\n"))
	expectAccepted("2 MiB and deep", status, body, 2, 2)
	expect = append(expect, want2m, wantDeep)

	t.Log("phase: 10 MB of one line, no newline at all")
	// 10 MB of one line, no newline at all.
	line10m, want10m := hostileBigLine("http-10mb", 10_000_000)
	line10m = strings.TrimSuffix(line10m, `"}`)
	status, body = postRaw("application/x-ndjson", "", []byte(line10m))
	expectAccepted("10 MB without newline", status, body, 1, 1)
	expect = append(expect, want10m)

	t.Log("phase: A gzip bomb")
	// A gzip bomb: 1 GiB (short: 256 MiB) of zeros in about 1 MiB, on
	// both endpoints. Refused with 413 once 20 MiB are decompressed.
	bomb := gzipBomb(t, scaled(16, 4))
	bombStart := time.Now()
	status, body = postRaw("application/x-ndjson", "gzip", bomb)
	assert.Equal(t, http.StatusRequestEntityTooLarge, status, "gzip bomb on the AIND endpoint: %s", body)
	status, _ = postRawTo(t, gw.base+"/loki/api/v1/push", "application/json", "gzip", bomb)
	assert.Equal(t, http.StatusRequestEntityTooLarge, status, "gzip bomb on the Loki endpoint")
	bombTime := time.Since(bombStart)
	// Eight gzip bombs at once: each request may hold up to
	// max_request_body_size (20 MiB) of decompressed body, so the RSS rises
	// with the number of requests in flight, but only by so much; beyond
	// max_bytes_in_flight (128 MiB) they are refused with 503.
	hwmBefore := procStatus(t, gw.proc.cmd.Process.Pid, "VmHWM") / 1024
	var bombs sync.WaitGroup
	var bombNot413 atomic.Int64
	for i := 0; i < 8; i++ {
		bombs.Go(func() {
			status, header := postBomb(t, gw.url, bomb)
			if status != http.StatusRequestEntityTooLarge &&
				(status != http.StatusServiceUnavailable || header.Get("Retry-After") == "") {
				bombNot413.Add(1)
			}
		})
	}
	bombs.Wait()
	concurrentBombRise := int(procStatus(t, gw.proc.cmd.Process.Pid, "VmHWM")/1024 - hwmBefore)
	// The same with zstd, and snappy on the Loki protobuf endpoint: a real
	// block of 64 MiB of zeros, and a 6-byte block that claims 1 GiB.
	zbomb := zstdBomb(t, scaled(1024, 256))
	status, body = postRaw("application/x-ndjson", "zstd", zbomb)
	assert.Equal(t, http.StatusRequestEntityTooLarge, status, "zstd bomb: %s", body)
	status, body = postRawTo(t, gw.base+"/loki/api/v1/push", "application/x-protobuf", "", snappy.Encode(nil, make([]byte, 64<<20)))
	assert.Equal(t, http.StatusRequestEntityTooLarge, status, "snappy bomb: %s", body)
	status, body = postRawTo(t, gw.base+"/loki/api/v1/push", "application/x-protobuf", "snappy", []byte{0x80, 0x80, 0x80, 0x80, 0x04, 0x00})
	assert.Equal(t, http.StatusRequestEntityTooLarge, status, "snappy header claiming 1 GiB: %s", body)

	t.Log("phase: Huge JSON arrays")
	// Huge JSON arrays: 90,000 objects (accepted), and one element over
	// max_records_per_request (413); as an NDJSON line it is one flagged
	// line (not an object, and over max_log_size).
	arrayN := scaled(90000, 30000)
	var arr strings.Builder
	arr.WriteString("[")
	var arrayMsgs []string
	for i := 0; i < arrayN; i++ {
		if i > 0 {
			arr.WriteString(",")
		}
		msg := fmt.Sprintf("hostile http-array %d", i)
		arrayMsgs = append(arrayMsgs, msg)
		fmt.Fprintf(&arr, `{"level":"INFO","message":%q,"software_name":"hostile"}`, msg)
	}
	arr.WriteString("]")
	status, body = postRaw("application/json", "", []byte(arr.String()))
	expectAccepted("huge JSON array", status, body, arrayN, 0)
	over := `[` + strings.Repeat(`{"message":"hostile over"},`, 100000) + `{"message":"hostile over"}]`
	status, body = postRaw("application/json", "", []byte(over))
	assert.Equal(t, http.StatusRequestEntityTooLarge, status, "100,001 elements: %s", body)
	arrayLine := `[{"message":"hostile http-arrayline"},` + strings.Repeat(`{"message":"x"},`, 100000) + `{}]`
	status, body = postRaw("application/x-ndjson", "", []byte(arrayLine+"\n"))
	expectAccepted("array as an NDJSON line", status, body, 1, 1)
	expect = append(expect, hostileLine{marker: "hostile http-arrayline", flagged: true})

	t.Log("phase: The Loki push endpoint")
	// The Loki push endpoint: a 2 MiB entry, invalid UTF-8 in an entry.
	push := fmt.Sprintf(`{"streams":[{"stream":{"service_name":"hostile"},"values":[["%d",%q],["%d","%s"]]}]}`,
		time.Now().UnixNano(), "hostile http-loki-2mib "+strings.Repeat("y", 2<<20),
		time.Now().UnixNano(), "hostile http-loki-badutf8 \xff\xfe raw")
	status, body = postRawTo(t, gw.base+"/loki/api/v1/push", "application/json", "", []byte(push))
	assert.Equal(t, http.StatusNoContent, status, "Loki push: %s", body)
	expect = append(expect,
		hostileLine{marker: "hostile http-loki-2mib", flagged: true},
		hostileLine{marker: "hostile http-loki-badutf8"})

	// The server closes the slow-loris header connections after
	// read_header_timeout, the overlong bodies after read_timeout.
	readHeaderTimeout := gatewayDuration(t, "read_header_timeout")
	readTimeout := gatewayDuration(t, "read_timeout")
	// A byte a second: a write after the close sees it within cutWithin.
	// The server's clock starts at accept, a little before the client's.
	cutWithin, clockSkew := 5*time.Second, time.Second
	loris.waitForCuts(loris.started.Add(max(readHeaderTimeout, scaled(readTimeout, 0)) + 2*cutWithin))
	lorisFig := loris.stop()
	goodFig := good.stop()

	// Every hostile line delivered or flagged; the array's lines and the
	// good client's all delivered.
	deadline := time.Now().Add(2 * time.Minute)
	var bad []string
	for {
		bad = sink.check(expect)
		missing, _ := sink.counts(append(append([]string{}, arrayMsgs...), goodFig.accepted...))
		missing += lorisFig.missing(sink)
		if (len(bad) == 0 && missing == 0) || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	arrayMissing, _ := sink.counts(arrayMsgs)
	goodMissing, goodDup := sink.counts(goodFig.accepted)
	select {
	case <-gw.proc.exited:
		t.Fatalf("the gateway exited:\n%s", gw.proc.logTail())
	default:
	}
	peak := mem.stop()
	logText := gw.proc.log(t)

	recordFigure(t, scenario, "hostile lines not delivered or not flagged as expected", len(bad))
	recordFigure(t, scenario, "gzip bomb size, KiB (decompressed MiB)", fmt.Sprintf("%d (%d)", len(bomb)>>10, scaled(16, 4)*64))
	recordFigure(t, scenario, "gzip bomb: time to both 413s", bombTime.Round(time.Millisecond))
	recordFigure(t, scenario, "8 concurrent gzip bombs: answers other than 413 or 503", bombNot413.Load())
	recordFigure(t, scenario, "8 concurrent gzip bombs: VmHWM rise, MiB", concurrentBombRise)
	recordFigure(t, scenario, "zstd bomb size, KiB (decompressed MiB)", fmt.Sprintf("%d (%d)", len(zbomb)>>10, scaled(1024, 256)))
	recordFigure(t, scenario, "huge array elements / missing", fmt.Sprintf("%d / %d", arrayN, arrayMissing))
	recordFigure(t, scenario, "slow-loris header connections / closed by the server", fmt.Sprintf("%d / %d", lorisFig.headerConns, lorisFig.headerClosed))
	headerFirst, headerLast := cutRange(lorisFig.headerCuts)
	recordFigure(t, scenario, "slow-loris header connections closed after (read_header_timeout "+readHeaderTimeout.String()+")",
		fmt.Sprintf("%v to %v", headerFirst.Round(100*time.Millisecond), headerLast.Round(100*time.Millisecond)))
	overlongFirst, overlongLast := cutRange(lorisFig.overlongCuts)
	if lorisFig.overlongConns > 0 {
		recordFigure(t, scenario, "overlong-body requests / answered 400 and closed", fmt.Sprintf("%d / %d", lorisFig.overlongConns, lorisFig.overlong400))
		recordFigure(t, scenario, "overlong-body requests closed after (read_timeout "+readTimeout.String()+")",
			fmt.Sprintf("%v to %v", overlongFirst.Round(100*time.Millisecond), overlongLast.Round(100*time.Millisecond)))
	}
	recordFigure(t, scenario, "slow-body requests / answered 200", fmt.Sprintf("%d / %d", lorisFig.bodyConns, lorisFig.bodyOK))
	recordFigure(t, scenario, "slow-body lines missing", lorisFig.missing(sink))
	recordFigure(t, scenario, "good client requests / failed", fmt.Sprintf("%d / %d", goodFig.requests, goodFig.failed))
	recordFigure(t, scenario, "good client max latency", goodFig.maxLatency.Round(time.Millisecond))
	recordFigure(t, scenario, "good client lines missing / duplicated", fmt.Sprintf("%d / %d", goodMissing, goodDup))
	recordFigure(t, scenario, "peak VmRSS sampled, MiB", peak.rssMiB)
	recordFigure(t, scenario, "VmHWM, MiB", peak.hwmMiB)

	assert.Empty(t, bad)
	assert.Zero(t, bombNot413.Load(), "concurrent gzip bombs not refused with 413, or 503 and Retry-After")
	assert.Less(t, concurrentBombRise, 8*2*20, "8 concurrent bombs: more than twice 20 MiB each")
	assert.Zero(t, arrayMissing, "lines of the huge array lost")
	assert.Zero(t, goodFig.failed, "the well-behaved client was refused or timed out")
	assert.Positive(t, goodFig.requests)
	assert.Zero(t, goodMissing, "lines of the well-behaved client lost")
	assert.Equal(t, lorisFig.bodyConns, lorisFig.bodyOK, "slow-body requests not answered 200")
	assert.Equal(t, lorisFig.headerConns, lorisFig.headerClosed, "slow-loris connections still open")
	assert.GreaterOrEqual(t, headerFirst, readHeaderTimeout-clockSkew, "a slow-loris connection closed before read_header_timeout")
	assert.LessOrEqual(t, headerLast, readHeaderTimeout+cutWithin, "a slow-loris connection held past read_header_timeout")
	assert.Equal(t, lorisFig.overlongConns, lorisFig.overlong400, "overlong bodies not answered 400 and closed")
	if lorisFig.overlongConns > 0 {
		assert.GreaterOrEqual(t, overlongFirst, readTimeout-clockSkew, "an overlong body cut before read_timeout")
		assert.LessOrEqual(t, overlongLast, readTimeout+cutWithin, "an overlong body held past read_timeout")
	}
	assert.Zero(t, lorisFig.missing(sink), "slow-body lines lost")
	assert.Less(t, goodFig.maxLatency, 10*time.Second, "the well-behaved client was held up")
	assert.Less(t, peak.hwmMiB, hostileRSSLimitMiB, "peak RSS")
	assert.NotContains(t, logText, "panic")
}

// Scenario 5 over HTTP, memory: rounds of eight gzip bombs at once against
// gateway.yaml with max_bytes_in_flight at 64 MiB. Until it is refused with
// 413, each bomb holds up to max_request_body_size (20 MiB) of decompressed
// body, eight of them 160 MiB; the bound holds them to 64 MiB together and
// refuses the rest with 503 and Retry-After. The peak RSS over the bombs
// stays within the RSS before them plus the bound plus
// bytesInFlightAllowanceMiB.
//
// Each bomb stops after its first heldMiB of body until one of its round
// is refused: the eight overlap whatever the machine's speed. Sent whole,
// on an idle machine each was decompressed and refused before the next
// arrived, and the bound was never reached.
func TestReliabilityHostileHTTPBytesInFlight(t *testing.T) {
	const (
		scenario = "hostile HTTP, bytes in flight"
		boundMiB = 64
		bombs    = 8
		heldMiB  = 12 // under max_request_body_size; eight of them over boundMiB
	)
	sink := startAttrSink(t)
	gw := startSinkGateway(t, filepath.Join("..", "config", "gateway.yaml"), sink.url(),
		fmt.Sprintf("AIND_MAX_BYTES_IN_FLIGHT=%dMiB", boundMiB))
	pid := gw.proc.cmd.Process.Pid

	// Ordinary requests, plain and gzip, before the baseline: what they
	// leave (pools, decoders, the pipeline's buffers) is not the bombs'.
	for i := range 20 {
		line := fmt.Sprintf(`{"level":"INFO","message":"warm-up %d"}`+"\n", i)
		status, _ := postRawTo(t, gw.url, "application/x-ndjson", "", []byte(line))
		require.Equal(t, http.StatusOK, status)
		status, _ = postRawTo(t, gw.url, "application/x-ndjson", "gzip", gzipped(t, []byte(line)))
		require.Equal(t, http.StatusOK, status)
	}
	baselineMiB := int(procStatus(t, pid, "VmRSS") / 1024)
	// Writing 5 to clear_refs (Linux 4.0 on, for the process's owner)
	// resets VmHWM to the current RSS, so VmHWM is the exact peak over the
	// bombs, which the 100 ms samples may miss.
	require.NoError(t, os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0))
	mem := watchMemory(t, gw.proc)

	head, tail := gzipBombParts(t, heldMiB, boundMiB)
	statuses := map[int]int{}
	var noRetryAfter int
	var mu sync.Mutex
	// The gateway counts a refusal as it refuses; the client may read the
	// answer only once the lingering read of the body ends.
	refused := func() float64 {
		n, _ := metricSum(t, gw.metrics, "otelcol_receiver_aind_http_body_in_flight_refusals")
		return n
	}
	start := time.Now()
	for round := range scaled(5, 3) {
		release := make(chan struct{})
		before := refused()
		var wg sync.WaitGroup
		for range bombs {
			wg.Go(func() {
				status, header := postHeldBomb(gw.url, head, tail, release)
				mu.Lock()
				defer mu.Unlock()
				statuses[status]++
				if status == http.StatusServiceUnavailable && header.Get("Retry-After") == "" {
					noRetryAfter++
				}
			})
		}
		for deadline := time.Now().Add(30 * time.Second); refused() == before && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		held := refused() > before
		close(release)
		wg.Wait()
		require.True(t, held, "round %d: %d bombs holding %d MiB each, and none refused within 30 s", round, bombs, heldMiB)
	}
	bombTime := time.Since(start)
	peak := mem.stop()
	peakMiB := max(peak.rssMiB, peak.hwmMiB)
	status, _ := postRawTo(t, gw.url, "application/x-ndjson", "", []byte(`{"level":"INFO","message":"after the bombs"}`+"\n"))
	refusals, _ := metricSum(t, gw.metrics, "otelcol_receiver_aind_http_body_in_flight_refusals")
	inFlight, inFlightExported := metricSum(t, gw.metrics, "otelcol_receiver_aind_http_body_in_flight")

	recordFigure(t, scenario, "max_bytes_in_flight, MiB", boundMiB)
	recordFigure(t, scenario, "gzip bombs (rounds of 8 at once, each held at 12 MiB), answered 413 / 503", fmt.Sprintf("%d / %d", statuses[http.StatusRequestEntityTooLarge], statuses[http.StatusServiceUnavailable]))
	recordFigure(t, scenario, "gzip bombs: time for all rounds", bombTime.Round(time.Millisecond))
	recordFigure(t, scenario, "VmRSS before the bombs, MiB", baselineMiB)
	recordFigure(t, scenario, "peak RSS over the bombs, MiB", peakMiB)
	recordFigure(t, scenario, "peak RSS rise over the bombs, MiB", peakMiB-baselineMiB)

	assert.Equal(t, statuses[http.StatusRequestEntityTooLarge]+statuses[http.StatusServiceUnavailable], scaled(5, 3)*bombs,
		"every bomb answered 413 or 503: %v", statuses)
	assert.Positive(t, statuses[http.StatusServiceUnavailable], "the bound refused some of the bombs")
	assert.Positive(t, statuses[http.StatusRequestEntityTooLarge], "the bombs the bound let in were refused as too large")
	assert.Zero(t, noRetryAfter, "503 without Retry-After")
	assert.Equal(t, float64(statuses[http.StatusServiceUnavailable]), refusals, "refusals reported")
	assert.True(t, inFlightExported, "the bytes in flight are not exported: their zero would be no check")
	assert.Zero(t, inFlight, "bytes in flight once the bombs are answered")
	assert.Equal(t, http.StatusOK, status, "an ordinary request after the bombs")
	assert.LessOrEqual(t, peakMiB, baselineMiB+boundMiB+bytesInFlightAllowanceMiB,
		"peak RSS over the bombs: more than the baseline, max_bytes_in_flight and the allowance")
}

// bytesInFlightAllowanceMiB is what the gateway may hold during the bombs
// beyond the bodies max_bytes_in_flight counts: per request a gzip
// decoder (its 32 KiB window and buffers), the connection's buffers, a
// goroutine stack, the span and metrics of the request, and the Go
// runtime's own rounding of the heap.
const bytesInFlightAllowanceMiB = 16

// postBomb posts a gzip bomb to the AIND endpoint and returns the status
// and the headers of the answer (0 when there is none).
func postBomb(t *testing.T, url string, bomb []byte) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(bomb))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+gatewayToken)
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		t.Logf("gzip bomb: %v", err)
		return 0, nil
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header
}

// postHeldBomb posts head, then waits for release to post tail, as one
// gzip body to the AIND endpoint, and returns the status and the headers
// of the answer (0 when there is none). An answer may come before release:
// the body is then given up.
func postHeldBomb(url string, head, tail []byte, release <-chan struct{}) (int, http.Header) {
	body, w := io.Pipe()
	go func() {
		_, err := w.Write(head)
		if err == nil {
			<-release
			_, err = w.Write(tail)
		}
		w.CloseWithError(err)
	}()
	defer body.Close() // unblocks the writer when the answer came first
	req, err := http.NewRequest(http.MethodPost, url, body)
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+gatewayToken)
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header
}

// gatewayDuration reads a duration that config/gateway.yaml sets, e.g.
// "read_timeout: 60s".
func gatewayDuration(t *testing.T, key string) time.Duration {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "config", "gateway.yaml"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^\s+` + key + `: (\S+)$`).FindSubmatch(data)
	require.NotNil(t, m, "config/gateway.yaml sets no %s", key)
	d, err := time.ParseDuration(string(m[1]))
	require.NoError(t, err, key)
	return d
}

// gzipped compresses data with gzip.
func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// Scenario 5 through the file input: the same hostile lines written to a
// tailed file, ending in 10 MB without a newline, a line trickled a byte at
// a time, while a well-behaved file gets lines appended.
func TestReliabilityHostileFile(t *testing.T) {
	const scenario = "hostile file"
	sink := startAttrSink(t)
	logDir := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf(`
receivers:
  aind:
    include: [%s/*.jsonl]
    start_at: beginning
processors:
  aind:
    default_service_name: hostile
exporters:
  otlp_http:
    endpoint: %s
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [aind]
      processors: [aind]
      exporters: [otlp_http]
`, logDir, sink.url()))
	proc := startCollector(t, cfg)
	mem := watchMemory(t, proc)

	goodFile := newAppender(t, filepath.Join(logDir, "good.jsonl"))
	var goodLines []string
	goodDone := make(chan struct{})
	goodStop := make(chan struct{})
	go func() {
		defer close(goodDone)
		for i := 0; ; i++ {
			select {
			case <-goodStop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			msg := fmt.Sprintf("good file line %d", i)
			goodLines = append(goodLines, msg)
			_, _ = goodFile.file.WriteString(fmt.Sprintf(`{"level":"INFO","message":%q}`+"\n", msg))
		}
	}()

	var expect []hostileLine
	f, err := os.Create(filepath.Join(logDir, "hostile.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	write := func(s string) {
		_, err := f.WriteString(s)
		require.NoError(t, err)
	}
	// A BOM at the start of the file, then the small hostile lines.
	write("\xEF\xBB\xBF" + `{"level":"INFO","message":"hostile file-startbom"}` + "\n")
	expect = append(expect, hostileLine{marker: "hostile file-startbom", exact: true})
	lines, want := hostileSmallLines("file")
	write(strings.Join(lines, "\n") + "\n")
	expect = append(expect, want...)
	line2m, want2m := hostileBigLine("file-2mib", 2<<20)
	deep, wantDeep := hostileDeepLine("file-deep", 10000)
	write(line2m + "\n" + deep + "\n")
	expect = append(expect, want2m, wantDeep)
	arrayLine := `[{"message":"hostile file-arrayline"},` + strings.Repeat(`{"message":"x"},`, 100000) + `{}]`
	write(arrayLine + "\n")
	expect = append(expect, hostileLine{marker: "hostile file-arrayline", flagged: true})
	// A gzip bomb's bytes written as if they were log lines: binary
	// garbage, flagged, must not hurt.
	write(string(gzipBomb(t, 1)) + "\n")

	// A line trickled a byte every 100 ms (a slow writer) into its own file.
	slowMsg := "hostile file-slow"
	slowDone := make(chan struct{})
	go func() {
		defer close(slowDone)
		sf, err := os.Create(filepath.Join(logDir, "slow.jsonl"))
		if err != nil {
			return
		}
		defer sf.Close()
		for _, b := range []byte(fmt.Sprintf(`{"level":"INFO","message":%q}`+"\n", slowMsg)) {
			_, _ = sf.Write([]byte{b})
			time.Sleep(100 * time.Millisecond)
		}
	}()

	// Last, 10 MB of one line without a newline.
	line10m, want10m := hostileBigLine("file-10mb", 10_000_000)
	write(strings.TrimSuffix(line10m, `"}`))
	expect = append(expect, want10m)
	<-slowDone
	close(goodStop)
	<-goodDone

	deadline := time.Now().Add(2 * time.Minute)
	var bad []string
	for {
		bad = sink.check(expect)
		missing, _ := sink.counts(goodLines)
		if (len(bad) == 0 && missing == 0) || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	goodMissing, goodDup := sink.counts(goodLines)
	slowBodies := sink.containing(slowMsg)
	select {
	case <-proc.exited:
		t.Fatalf("the collector exited:\n%s", proc.logTail())
	default:
	}
	peak := mem.stop()
	logText := proc.log(t)

	recordFigure(t, scenario, "hostile lines not delivered or not flagged as expected", len(bad))
	recordFigure(t, scenario, "slow-written line: records holding it", len(slowBodies))
	recordFigure(t, scenario, "good file lines / missing / duplicated", fmt.Sprintf("%d / %d / %d", len(goodLines), goodMissing, goodDup))
	recordFigure(t, scenario, "peak VmRSS sampled, MiB", peak.rssMiB)
	recordFigure(t, scenario, "VmHWM, MiB", peak.hwmMiB)

	assert.Empty(t, bad)
	assert.Equal(t, []string{slowMsg}, slowBodies, "the slowly written line must arrive whole, once")
	assert.Zero(t, goodMissing, "lines of the well-behaved file lost")
	assert.Less(t, peak.hwmMiB, hostileRSSLimitMiB, "peak RSS")
	assert.NotContains(t, logText, "panic")
}

// hostileRSSLimitMiB bounds the collector's peak RSS under hostile input.
const hostileRSSLimitMiB = 768

// hostileLine is what the sink must hold for one hostile line: a record
// whose body contains marker, flagged (aind.parse.error or aind.truncated)
// if flagged, or exactly marker and unflagged if exact.
type hostileLine struct {
	marker  string
	flagged bool
	exact   bool
}

// hostileSmallLines: invalid JSON, invalid UTF-8 raw and in a JSON string,
// and a BOM before an object mid-stream.
func hostileSmallLines(where string) ([]string, []hostileLine) {
	m := func(s string) string { return "hostile " + where + "-" + s }
	lines := []string{
		`{"level":"INFO","message":"` + m("badjson") + `","x":`,
		m("badutf8raw") + " \xff\xfe\xc3 raw",
		`{"level":"INFO","message":"` + m("badutf8json") + " \xff\xfe" + `"}`,
		"\xEF\xBB\xBF" + `{"level":"INFO","message":"` + m("bom") + `"}`,
		`{"level":"INFO","message":"` + m("trailing") + `"} {"second":1}`,
	}
	want := []hostileLine{
		{marker: m("badjson"), flagged: true},
		{marker: m("badutf8raw"), flagged: true},
		{marker: m("badutf8json")}, // delivered, replaced or flagged
		{marker: m("bom"), exact: true},
		{marker: m("trailing"), flagged: true},
	}
	return lines, want
}

// hostileBigLine is an object of about size bytes whose message starts
// with the marker: over max_log_size, it is cut and flagged.
func hostileBigLine(name string, size int) (string, hostileLine) {
	marker := "hostile " + name
	head := `{"level":"INFO","message":"` + marker + " "
	return head + strings.Repeat("x", size-len(head)-2) + `"}`, hostileLine{marker: marker, flagged: true}
}

// hostileDeepLine nests arrays depth deep after the message.
func hostileDeepLine(name string, depth int) (string, hostileLine) {
	marker := "hostile " + name
	return `{"message":"` + marker + `","a":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`,
		hostileLine{marker: marker, flagged: true}
}

// gzipBomb is n gzip members of 64 MiB of zeros each (a valid gzip stream).
func gzipBomb(t *testing.T, n int) []byte {
	t.Helper()
	var member bytes.Buffer
	zw, err := gzip.NewWriterLevel(&member, gzip.BestCompression)
	require.NoError(t, err)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		_, err := zw.Write(zeros)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return bytes.Repeat(member.Bytes(), n)
}

// gzipBombParts is totalMiB MiB of zeros compressed with gzip, cut where
// the first headMiB MiB end: head decompresses on its own (a sync flush
// ends it), tail is the rest of the stream.
func gzipBombParts(t *testing.T, headMiB, totalMiB int) (head, tail []byte) {
	t.Helper()
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	require.NoError(t, err)
	zeros := make([]byte, 1<<20)
	for i := range totalMiB {
		if i == headMiB {
			require.NoError(t, zw.Flush())
			head = bytes.Clone(out.Bytes())
		}
		_, err := zw.Write(zeros)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return head, out.Bytes()[len(head):]
}

// zstdBomb is mib MiB of zeros compressed with zstd.
func zstdBomb(t *testing.T, mib int) []byte {
	t.Helper()
	var out bytes.Buffer
	zw, err := zstd.NewWriter(&out, zstd.WithEncoderLevel(zstd.SpeedBestCompression))
	require.NoError(t, err)
	zeros := make([]byte, 1<<20)
	for i := 0; i < mib; i++ {
		_, err := zw.Write(zeros)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func postRawTo(t *testing.T, url, contentType, encoding string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+gatewayToken)
	if encoding != "" {
		req.Header.Set("Content-Encoding", encoding)
	}
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// goodHTTPClient posts one line every 100 ms and keeps what was accepted.
type goodHTTPClient struct {
	stopCh     chan struct{}
	done       chan struct{}
	requests   int
	failed     int
	maxLatency time.Duration
	accepted   []string
}

func startGoodHTTPClient(t *testing.T, url string) *goodHTTPClient {
	t.Helper()
	g := &goodHTTPClient{stopCh: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(g.done)
		client := &http.Client{Timeout: 30 * time.Second}
		for i := 0; ; i++ {
			select {
			case <-g.stopCh:
				return
			case <-time.After(100 * time.Millisecond):
			}
			msg := fmt.Sprintf("good client line %d", i)
			start := time.Now()
			status, _, answer, err := postAind(client, url, fmt.Sprintf(`{"level":"INFO","message":%q}`+"\n", msg), nil)
			if d := time.Since(start); d > time.Second {
				t.Logf("good client: a request took %v", d.Round(time.Millisecond))
			}
			g.maxLatency = max(g.maxLatency, time.Since(start))
			g.requests++
			if err != nil || status != http.StatusOK {
				g.failed++
				t.Logf("good client: %d %v %s", status, err, answer)
				continue
			}
			g.accepted = append(g.accepted, msg)
		}
	}()
	t.Cleanup(func() { g.stop() })
	return g
}

func (g *goodHTTPClient) stop() *goodHTTPClient {
	select {
	case <-g.stopCh:
	default:
		close(g.stopCh)
	}
	<-g.done
	return g
}

// slowLoris holds header connections that send a header byte per second
// and never finish, slow-body requests that trickle a valid line, and
// overlong-body requests that trickle a body for longer than read_timeout.
type slowLoris struct {
	stopCh        chan struct{}
	started       time.Time
	wg            sync.WaitGroup
	headerConns   int
	headerClosed  int
	bodyConns     int
	bodyOK        int
	overlongConns int
	bodyMsgs      []string
	ok            atomic.Int64

	mu sync.Mutex
	// headerCuts and overlongCuts are how long after its start the server
	// closed each connection; overlong400 counts the overlong requests
	// answered 400 (the body could not be read) before that.
	headerCuts, overlongCuts []time.Duration
	overlong400              int
}

func startSlowLoris(t *testing.T, base string, headerConns, bodyConns, overlongConns int, byteEvery time.Duration) *slowLoris {
	t.Helper()
	host := strings.TrimPrefix(base, "http://")
	l := &slowLoris{stopCh: make(chan struct{}), started: time.Now(),
		headerConns: headerConns, bodyConns: bodyConns, overlongConns: overlongConns}
	dial := func() net.Conn {
		conn, err := net.Dial("tcp", host)
		require.NoError(t, err)
		return conn
	}
	for i := 0; i < headerConns; i++ {
		conn := dial()
		l.wg.Go(func() { l.trickleHeader(conn, host) })
	}
	for i := 0; i < bodyConns; i++ {
		msg := fmt.Sprintf("hostile slow-body %d", i)
		l.bodyMsgs = append(l.bodyMsgs, msg)
		line := fmt.Sprintf(`{"level":"INFO","message":%q}`+"\n", msg)
		conn := dial()
		l.wg.Go(func() { l.trickleBody(conn, host, line, byteEvery) })
	}
	for i := 0; i < overlongConns; i++ {
		conn := dial()
		l.wg.Go(func() { l.trickleOverlong(conn, host) })
	}
	return l
}

// trickleHeader sends a request header a byte a second, never ending it,
// until the server closes the connection.
func (l *slowLoris) trickleHeader(conn net.Conn, host string) {
	defer conn.Close()
	start := time.Now()
	head := "POST /aind/v1/logs HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + gatewayToken + "\r\nX-Padding: "
	for j := 0; ; j++ {
		b := byte('a')
		if j < len(head) {
			b = head[j]
		}
		if _, err := conn.Write([]byte{b}); err != nil {
			l.mu.Lock()
			l.headerCuts = append(l.headerCuts, time.Since(start))
			l.mu.Unlock()
			return
		}
		select {
		case <-l.stopCh:
			return
		case <-time.After(time.Second):
		}
	}
}

// trickleBody sends a valid line a byte every byteEvery, then reads the
// answer.
func (l *slowLoris) trickleBody(conn net.Conn, host, line string, byteEvery time.Duration) {
	defer conn.Close()
	head := fmt.Sprintf("POST /aind/v1/logs HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/x-ndjson\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", host, gatewayToken, len(line))
	if _, err := conn.Write([]byte(head)); err != nil {
		return
	}
	for j := 0; j < len(line); j++ {
		if _, err := conn.Write([]byte{line[j]}); err != nil {
			return
		}
		time.Sleep(byteEvery)
	}
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := io.ReadAll(conn)
	if err == nil && strings.HasPrefix(string(resp), "HTTP/1.1 200") {
		l.ok.Add(1)
	}
}

// trickleOverlong sends a body a byte a second, longer than read_timeout
// allows, and reads the answer as it writes.
func (l *slowLoris) trickleOverlong(conn net.Conn, host string) {
	defer conn.Close()
	start := time.Now()
	const size = 1000
	head := fmt.Sprintf("POST /aind/v1/logs HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/x-ndjson\r\nContent-Length: %d\r\n\r\n", host, gatewayToken, size)
	if _, err := conn.Write([]byte(head)); err != nil {
		return
	}
	answer := make(chan string, 1)
	go func() {
		resp, _ := io.ReadAll(conn) // until the server closes the connection
		answer <- string(resp)
	}()
	for j := 0; j < size; j++ {
		select {
		case resp := <-answer:
			l.mu.Lock()
			l.overlongCuts = append(l.overlongCuts, time.Since(start))
			if strings.HasPrefix(resp, "HTTP/1.1 400") {
				l.overlong400++
			}
			l.mu.Unlock()
			return
		case <-l.stopCh:
			return
		case <-time.After(time.Second):
		}
		_, _ = conn.Write([]byte{'x'})
	}
}

// waitForCuts waits until the server closed every header and overlong
// connection, or until deadline.
func (l *slowLoris) waitForCuts(deadline time.Time) {
	for time.Now().Before(deadline) {
		l.mu.Lock()
		done := len(l.headerCuts) == l.headerConns && len(l.overlongCuts) == l.overlongConns
		l.mu.Unlock()
		if done {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (l *slowLoris) stop() *slowLoris {
	close(l.stopCh)
	l.wg.Wait()
	l.headerClosed = len(l.headerCuts)
	l.bodyOK = int(l.ok.Load())
	return l
}

// cutRange is the earliest and the latest of cuts.
func cutRange(cuts []time.Duration) (earliest, latest time.Duration) {
	if len(cuts) == 0 {
		return 0, 0
	}
	return slices.Min(cuts), slices.Max(cuts)
}

func (l *slowLoris) missing(s *attrSink) int {
	m, _ := s.counts(l.bodyMsgs)
	return m
}

// attrSink is an otlpSink that also keeps each record's body with whether
// aind.parse.error or aind.truncated flag it.
type attrSink struct {
	*otlpSink
	recs []sinkRecord // guarded by otlpSink.mu
}

type sinkRecord struct {
	body    string
	flagged bool
}

func startAttrSink(t *testing.T) *attrSink {
	t.Helper()
	s := &attrSink{}
	s.otlpSink = startObservingSink(t, func(lr plog.LogRecord) {
		_, perr := lr.Attributes().Get("aind.parse.error")
		tr, _ := lr.Attributes().Get("aind.truncated")
		s.recs = append(s.recs, sinkRecord{body: lr.Body().AsString(), flagged: perr || tr.Bool()})
	})
	return s
}

// containing returns the bodies (cut to 80 bytes) that contain marker.
func (s *attrSink) containing(marker string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.recs {
		if strings.Contains(r.body, marker) {
			out = append(out, r.body[:min(len(r.body), 80)])
		}
	}
	return out
}

// check returns what is wrong with each expected hostile line: missing,
// duplicated, not flagged, or not delivered exactly.
func (s *attrSink) check(expect []hostileLine) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var bad []string
	for _, e := range expect {
		var found []sinkRecord
		for _, r := range s.recs {
			if strings.Contains(r.body, e.marker) {
				found = append(found, r)
			}
		}
		switch {
		case len(found) != 1:
			bad = append(bad, fmt.Sprintf("%s: %d records", e.marker, len(found)))
		case e.flagged && !found[0].flagged:
			bad = append(bad, e.marker+": not flagged")
		case e.exact && (found[0].flagged || found[0].body != e.marker):
			bad = append(bad, fmt.Sprintf("%s: delivered as %q (flagged %v)", e.marker, found[0].body[:min(len(found[0].body), 80)], found[0].flagged))
		}
	}
	return bad
}
