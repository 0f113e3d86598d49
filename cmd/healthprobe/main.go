// Command healthprobe is the HEALTHCHECK of the otelcol-aind image
// (packaging/Containerfile): the image is FROM scratch, without curl, so this
// static program asks the collector's health_check extension whether it is
// ready. It exits 0 when the extension answers 200, 1 otherwise.
//
// It asks the address the collector's configs take from AIND_HEALTH_ENDPOINT
// (default localhost:13133), so that moving the extension moves the probe.
// A wildcard host such as the image's 0.0.0.0 is asked on the loopback.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

const defaultHealthEndpoint = "localhost:13133"

func main() {
	url, err := healthURL(os.Getenv("AIND_HEALTH_ENDPOINT"))
	if err == nil {
		err = probe(url)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthprobe:", err)
		os.Exit(1)
	}
}

// healthURL is the URL of the health_check extension listening on endpoint
// (host:port, empty for the configs' default).
func healthURL(endpoint string) (string, error) {
	if endpoint == "" {
		endpoint = defaultHealthEndpoint
	}
	host, port, err := net.SplitHostPort(endpoint)
	if err != nil {
		return "", fmt.Errorf("AIND_HEALTH_ENDPOINT %q is not host:port: %w", endpoint, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/", nil
}

func probe(url string) error {
	client := http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return nil
}
