package httpinput

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/testenv"
)

// lingerBodySize is the body the clients below send: far more than the
// loopback's socket buffers absorb (tcp_rmem's autotuning reaches 32 MiB),
// so a client that writes it all before reading the answer only finishes
// writing if the server reads it.
const lingerBodySize = 48 << 20

// lingerMaxBody is the max_request_body_size of these tests: the body is
// refused early, after at most this much of it was read.
const lingerMaxBody = 1 << 20

// lingerToken is the token of the early-answer tests' one client.
const lingerToken = "linger-test-token-0123456789"

// rawPost writes a request with a body of size bytes to addr in full
// (chunked, or with a Content-Length; after the 100 Continue it asks for
// with "Expect: 100-continue"), then reads the answer, as Python's
// http.client does. It returns the error of the write or of the read, the
// answer's status line, and whether it said "Connection: close".
func rawPost(t *testing.T, addr, path, contentType string, size int, chunked bool, headers ...string) (string, bool, error) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, inputtest.WaitFor)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(inputtest.WaitFor)))
	var head strings.Builder
	fmt.Fprintf(&head, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n", path, addr, contentType)
	if chunked {
		head.WriteString("Transfer-Encoding: chunked\r\n")
	} else {
		fmt.Fprintf(&head, "Content-Length: %d\r\n", size)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&head, "%s: %s\r\n", headers[i], headers[i+1])
	}
	head.WriteString("\r\n")
	if _, err := io.WriteString(conn, head.String()); err != nil {
		return "", false, fmt.Errorf("write header: %w", err)
	}
	answers := bufio.NewReader(conn)
	if strings.Contains(head.String(), "Expect: 100-continue") {
		resp, err := http.ReadResponse(answers, nil)
		if err != nil || resp.StatusCode != http.StatusContinue {
			return "", false, fmt.Errorf("no 100 Continue: %v %v", resp, err)
		}
	}
	line := bytes.Repeat([]byte(inputtest.AindLine("linger")+"\n"), 1024)
	for sent := 0; sent < size; {
		chunk := line[:min(len(line), size-sent)]
		if chunked {
			chunk = fmt.Appendf(nil, "%x\r\n%s\r\n", len(chunk), chunk)
		}
		if _, err := conn.Write(chunk); err != nil {
			return "", false, fmt.Errorf("write body after %d bytes: %w", sent, err)
		}
		sent += min(len(line), size-sent)
	}
	if chunked {
		if _, err := io.WriteString(conn, "0\r\n\r\n"); err != nil {
			return "", false, fmt.Errorf("write the last chunk: %w", err)
		}
	}
	resp, err := http.ReadResponse(answers, nil)
	if err != nil {
		return "", false, fmt.Errorf("read answer: %w", err)
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.Status, resp.Close, err
}

// A client that writes its whole body before it reads the answer reads
// the early answer (413 by Content-Length, 413 after reading, 401, 415,
// 404) instead of a reset connection: the input reads and discards the
// rest of the body after answering, then closes the connection.
func TestHTTPEarlyAnswerReadByClientThatWritesFirst(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.ServerConfig.MaxRequestBodySize = lingerMaxBody
	host := withAuth(t, &cfg, map[string]any{"clients": []any{map[string]any{"name": "test", "token": lingerToken}}})
	in, _ := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), host)
	addr := in.addr.String()
	auth := []string{"Authorization", "Bearer " + lingerToken}

	for _, tc := range []struct {
		name, path  string
		contentType string
		chunked     bool
		headers     []string
		status      string
	}{
		{"413 by Content-Length", defaultAindPath, ctNDJSON, false, auth, "413 Request Entity Too Large"},
		{"413 while reading", defaultAindPath, ctNDJSON, true, auth, "413 Request Entity Too Large"},
		{"413 while reading, after 100 Continue", defaultAindPath, ctNDJSON, true, append([]string{"Expect", "100-continue"}, auth...), "413 Request Entity Too Large"},
		{"401", defaultAindPath, ctNDJSON, false, nil, "401 Unauthorized"},
		{"415", defaultAindPath, "text/csv", false, auth, "415 Unsupported Media Type"},
		{"404", "/elsewhere", ctNDJSON, false, auth, "404 Not Found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, closing, err := rawPost(t, addr, tc.path, tc.contentType, lingerBodySize, tc.chunked, tc.headers...)
			require.NoError(t, err, "the client must read the answer, not a reset")
			assert.Equal(t, tc.status, status)
			assert.True(t, closing, "the answer says Connection: close")
		})
	}
	assert.Zero(t, sink.LogRecordCount())
}

// An early answer to a client that sent Expect: 100-continue and was not
// told to continue is not followed by a wait for the body it never sends.
func TestHTTPEarlyAnswerWithoutContinue(t *testing.T) {
	cfg := httpTestConfig()
	cfg.ServerConfig.MaxRequestBodySize = lingerMaxBody
	in, _ := startHTTP(t, cfg, inputtest.Settings(t, new(consumertest.LogsSink), nil), nil)
	conn, err := net.DialTimeout("tcp", in.addr.String(), inputtest.WaitFor)
	require.NoError(t, err)
	defer conn.Close()
	// Answered and closed well before the lingering would have ended.
	require.NoError(t, conn.SetDeadline(time.Now().Add(lingerTimeout/2)))
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		defaultAindPath, ctNDJSON, lingerBodySize)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	n, err := conn.Read(make([]byte, 1))
	assert.Zero(t, n)
	assert.ErrorIs(t, err, io.EOF, "the connection is closed, not held for a body")
}

// pythonPost is the script TestHTTPEarlyAnswerPythonClients runs: it posts
// a body of argv[3] bytes with argv[2] (urllib or requests) to argv[1] and
// prints the status it reads, or the exception's name.
const pythonPost = `
import sys
url, client, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = b'{"message":"python"}\n' * (size // 21 + 1)
headers = {"Content-Type": "application/x-ndjson"}
try:
    if client == "urllib":
        import urllib.request, urllib.error
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=30) as r:
                print(r.status)
        except urllib.error.HTTPError as e:
            print(e.code)
    else:
        import requests
        print(requests.post(url, data=body, headers=headers, timeout=30).status_code)
except Exception as e:
    print(type(e).__name__, e)
`

// Python's urllib and requests both write the whole body before reading
// the answer: they must read the 413 of a body over max_request_body_size.
func TestHTTPEarlyAnswerPythonClients(t *testing.T) {
	cfg := httpTestConfig()
	cfg.ServerConfig.MaxRequestBodySize = lingerMaxBody
	_, base := startHTTP(t, cfg, inputtest.Settings(t, new(consumertest.LogsSink), nil), nil)
	for client, debPackage := range map[string]string{"urllib": "python3", "requests": "python3-requests"} {
		t.Run(client, func(t *testing.T) {
			python := testenv.PythonModule(t, client, debPackage)
			cmd := exec.Command(python, "-c", pythonPost, base+defaultAindPath, client, fmt.Sprint(lingerBodySize))
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Equal(t, "413", strings.TrimSpace(string(out)))
		})
	}
}

// serveLinger serves an input that answers 413 at once, behind a
// lingerHandler with the given bounds, and returns its address. Its
// write_timeout is shorter than the lingering.
func serveLinger(t *testing.T, maxBytes int64, timeout time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{
		Handler: newLingerHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		}), maxBytes, timeout),
		ReadHeaderTimeout: inputtest.WaitFor,
		WriteTimeout:      timeout / 10,
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	return ln.Addr().String()
}

// The rest of a body is read up to maxBytes only: a client that sends
// more is cut off as it was without the lingering, whether its length was
// declared (nothing read) or not (maxBytes read).
func TestHTTPEarlyAnswerLingerBoundInBytes(t *testing.T) {
	addr := serveLinger(t, 1<<20, inputtest.WaitFor)
	for _, chunked := range []bool{false, true} {
		_, _, err := rawPost(t, addr, defaultAindPath, ctNDJSON, lingerBodySize, chunked)
		assert.Error(t, err, "chunked %v: a body beyond the bound is cut off", chunked)
	}
	// Within the bound, the answer is read.
	status, closing, err := rawPost(t, addr, defaultAindPath, ctNDJSON, 1<<20, false)
	require.NoError(t, err)
	assert.Equal(t, "413 Request Entity Too Large", status)
	assert.True(t, closing)
}

// A client that stops sending its body gets the answer at once, and is
// waited for timeout only: then the answer is ended (past write_timeout)
// and the connection closed.
func TestHTTPEarlyAnswerLingerBoundInTime(t *testing.T) {
	const timeout = 2 * time.Second
	addr := serveLinger(t, 64<<20, timeout)
	conn, err := net.DialTimeout("tcp", addr, inputtest.WaitFor)
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s", 1<<20, strings.Repeat("x", 1000))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(timeout/2)))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the answer comes before the lingering ends")
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(inputtest.WaitFor)))
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err, "the answer is ended after the lingering")
	require.NoError(t, resp.Body.Close())
	_, err = br.ReadByte()
	assertClosed(t, err, "the connection is closed once the wait is over")
}

// read_timeout cuts a body that arrives too slowly: the request is
// refused (400) and the connection closed at once, without lingering.
func TestHTTPReadTimeoutCutsSlowBody(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.ServerConfig.ReadTimeout = 300 * time.Millisecond
	in, _ := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), nil)
	conn, err := net.DialTimeout("tcp", in.addr.String(), inputtest.WaitFor)
	require.NoError(t, err)
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: 1000\r\n\r\n", defaultAindPath, ctNDJSON)
	require.NoError(t, err)
	// A byte every 50 ms, until the connection is closed: 1000 would take
	// 50 s.
	var trickle sync.WaitGroup
	trickle.Go(func() {
		for range 1000 {
			if _, err := conn.Write([]byte{' '}); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	defer trickle.Wait()
	defer conn.Close()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(inputtest.WaitFor)))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(lingerTimeout/2)))
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	_, err = br.ReadByte()
	assertClosed(t, err, "the connection is closed, not lingered")
	assert.Zero(t, sink.LogRecordCount())
}

// assertClosed checks that a read failed because the server closed the
// connection: an end of file, or a reset when the client wrote after the
// close.
func assertClosed(t *testing.T, err error, msg string) {
	t.Helper()
	assert.True(t, errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET), "%s: %v", msg, err)
}

// A shutdown does not wait for the rest of a body it would throw away: the
// lingering connection is closed, and the drain ends in time.
func TestHTTPShutdownEndsLingering(t *testing.T) {
	cfg := httpTestConfig()
	cfg.ServerConfig.MaxRequestBodySize = lingerMaxBody
	set := inputtest.Settings(t, new(consumertest.LogsSink), nil)
	set.DrainTimeout = lingerTimeout / 2
	in, err := New(set, cfg)
	require.NoError(t, err)
	require.NoError(t, in.Start(context.Background(), componenttest.NewNopHost()))
	conn, err := net.DialTimeout("tcp", in.addr.String(), inputtest.WaitFor)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(inputtest.WaitFor)))
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
		defaultAindPath, ctNDJSON, 2*lingerMaxBody, strings.Repeat("x", 1000))
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	require.NoError(t, inputtest.Shutdown(context.Background(), in, set.DrainTimeout), "the drain ends within drain_timeout")
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	_, err = br.ReadByte()
	assertClosed(t, err, "the lingering connection is closed")
}
