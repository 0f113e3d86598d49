// Command healthprobe is the HEALTHCHECK of the otelcol-aind image
// (packaging/Containerfile): the image is FROM scratch, without curl, so this
// static program asks the collector's health_check extension whether it is
// ready. It exits 0 when http://127.0.0.1:13133/ answers 200, 1 otherwise.
package main

import (
	"fmt"
	"net/http"
	"os"
	"time"
)

const healthURL = "http://127.0.0.1:13133/"

func main() {
	client := http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(healthURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthprobe:", err)
		os.Exit(1)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "healthprobe:", healthURL, "answered", resp.Status)
		os.Exit(1)
	}
}
