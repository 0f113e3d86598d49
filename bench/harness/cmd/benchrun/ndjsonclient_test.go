package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// gatewayStub answers 503 (Retry-After: 0) to the first refusals
// requests, then status, and records what it was sent.
type gatewayStub struct {
	refusals int
	status   int
	requests atomic.Int64
	body     atomic.Value // string: the last body
	header   atomic.Value // http.Header: the last headers
}

func (g *gatewayStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := g.requests.Add(1)
	b, _ := io.ReadAll(r.Body)
	g.body.Store(string(b))
	g.header.Store(r.Header.Clone())
	if n <= int64(g.refusals) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(g.status)
}

func stubClient(t *testing.T, g *gatewayStub) ndjsonClient {
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return ndjsonClient{client: srv.Client(), url: srv.URL + "/aind/v1/logs", token: "tok", retries: new(atomic.Int64)}
}

func TestPostRetries503(t *testing.T) {
	g := &gatewayStub{refusals: 2, status: http.StatusOK}
	c := stubClient(t, g)
	if err := c.post(t.Context(), []byte("{\"a\":1}\n")); err != nil {
		t.Fatal(err)
	}
	if g.requests.Load() != 3 || c.retries.Load() != 2 {
		t.Errorf("%d requests, %d retries; want 3 and 2", g.requests.Load(), c.retries.Load())
	}
	h := g.header.Load().(http.Header)
	if h.Get("Authorization") != "Bearer tok" || h.Get("Content-Type") != "application/x-ndjson" {
		t.Errorf("headers %v", h)
	}
	if g.body.Load() != "{\"a\":1}\n" {
		t.Errorf("retried body %q", g.body.Load())
	}
}

func TestPostFailsOnOtherStatus(t *testing.T) {
	g := &gatewayStub{status: http.StatusUnauthorized}
	c := stubClient(t, g)
	if err := c.post(t.Context(), []byte("x\n")); err == nil {
		t.Error("401 accepted")
	}
	if g.requests.Load() != 1 {
		t.Errorf("%d requests for a 401, want 1", g.requests.Load())
	}
}

func TestRetryAfter(t *testing.T) {
	for h, want := range map[string]time.Duration{"3": 3 * time.Second, "0": 0, "": defaultRetryAfter, "soon": defaultRetryAfter, "-1": defaultRetryAfter} {
		if got := retryAfter(h); got != want {
			t.Errorf("Retry-After %q: %s, want %s", h, got, want)
		}
	}
}
