package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthURL(t *testing.T) {
	for endpoint, want := range map[string]string{
		"":                "http://localhost:13133/",
		"0.0.0.0:13133":   "http://127.0.0.1:13133/",
		"[::]:8080":       "http://127.0.0.1:8080/",
		":13133":          "http://127.0.0.1:13133/",
		"127.0.0.1:14000": "http://127.0.0.1:14000/",
		"[::1]:13133":     "http://[::1]:13133/",
		"health:13133":    "http://health:13133/",
	} {
		got, err := healthURL(endpoint)
		if err != nil || got != want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", endpoint, got, err, want)
		}
	}
	if _, err := healthURL("13133"); err == nil || !strings.Contains(err.Error(), "AIND_HEALTH_ENDPOINT") {
		t.Errorf("healthURL(13133) error = %v, want one naming AIND_HEALTH_ENDPOINT", err)
	}
}

func TestProbe(t *testing.T) {
	status := http.StatusOK
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
	}))
	defer server.Close()

	if err := probe(server.URL + "/"); err != nil {
		t.Errorf("probe of a ready extension: %v", err)
	}
	status = http.StatusServiceUnavailable
	if err := probe(server.URL + "/"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("probe of an unready extension: %v, want a 503 error", err)
	}
	server.Close()
	if err := probe(server.URL + "/"); err == nil {
		t.Error("probe of a closed port succeeded")
	}
}
