// Command promtail-push sends log entries with Promtail's own Loki client
// (github.com/grafana/loki/v3/clients/pkg/promtail/client), configured by
// the `clients:` section of a Promtail configuration file. The integration
// tests use it to push to the gateway exactly as Promtail does: protobuf
// compressed with snappy, batched per tenant, with Promtail's auth settings,
// retries and User-Agent. (Promtail's main package is no longer in Loki's
// module; its client is, and Alloy's loki.write is derived from it.)
//
// Usage: promtail-push -config.file promtail.yaml [-config.expand-env=true] < entries.ndjson
//
// The flags are Promtail's: with -config.expand-env, ${VAR} in the file is
// the environment's VAR.
//
// Each line of the input is one entry:
//
//	{"labels": {"job": "acquisition"}, "line": "...", "metadata": {"k": "v"}, "ts": "<RFC 3339>"}
//
// A missing ts is the time it is read. It exits 0 once every entry was
// sent and answered 2xx, 1 on any error.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/go-kit/log"
	"github.com/grafana/loki/v3/clients/pkg/promtail/api"
	"github.com/grafana/loki/v3/clients/pkg/promtail/client"
	"github.com/grafana/loki/v3/pkg/logproto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v2"
)

// promtailConfig is the part of Promtail's configuration file this command
// reads.
type promtailConfig struct {
	Clients []client.Config `yaml:"clients"`
}

type inputEntry struct {
	Labels   map[string]string `json:"labels"`
	Line     string            `json:"line"`
	Metadata map[string]string `json:"metadata"`
	TS       *time.Time        `json:"ts"`
}

func main() {
	configPath := flag.String("config.file", "", "Promtail configuration file with a clients: section")
	expandEnv := flag.Bool("config.expand-env", false, "expand ${VAR} in the configuration file")
	flag.Parse()
	if err := run(*configPath, *expandEnv); err != nil {
		fmt.Fprintln(os.Stderr, "promtail-push:", err)
		os.Exit(1)
	}
}

func run(configPath string, expandEnv bool) error {
	raw, err := os.ReadFile(configPath)
	if err != nil {
		return err
	}
	if expandEnv {
		raw = []byte(os.ExpandEnv(string(raw)))
	}
	var cfg promtailConfig
	if err := yaml.UnmarshalStrict(raw, &cfg); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if len(cfg.Clients) != 1 {
		return fmt.Errorf("config: want one client, got %d", len(cfg.Clients))
	}
	reg := prometheus.NewRegistry()
	metrics := client.NewMetrics(reg)
	logger := log.NewLogfmtLogger(os.Stderr)
	c, err := client.New(metrics, cfg.Clients[0], 0, 0, false, logger)
	if err != nil {
		return err
	}
	n, err := send(c)
	c.Stop() // flushes the last batch and waits for its answer
	if err != nil {
		return err
	}
	return checkSent(reg, n)
}

// send hands every input entry to the client.
func send(c client.Client) (int, error) {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	n := 0
	for scanner.Scan() {
		var in inputEntry
		if err := json.Unmarshal(scanner.Bytes(), &in); err != nil {
			return n, fmt.Errorf("input line %d: %w", n+1, err)
		}
		labels := model.LabelSet{}
		for k, v := range in.Labels {
			labels[model.LabelName(k)] = model.LabelValue(v)
		}
		e := api.Entry{Labels: labels, Entry: logproto.Entry{Timestamp: time.Now(), Line: in.Line}}
		if in.TS != nil {
			e.Timestamp = *in.TS
		}
		for k, v := range in.Metadata {
			e.StructuredMetadata = append(e.StructuredMetadata, logproto.LabelAdapter{Name: k, Value: v})
		}
		c.Chan() <- e
		n++
	}
	return n, scanner.Err()
}

// checkSent reads the client's own counters: every entry sent, none
// dropped.
func checkSent(reg *prometheus.Registry, want int) error {
	families, err := reg.Gather()
	if err != nil {
		return err
	}
	var sent, dropped float64
	for _, f := range families {
		for _, m := range f.GetMetric() {
			switch f.GetName() {
			case "promtail_sent_entries_total":
				sent += m.GetCounter().GetValue()
			case "promtail_dropped_entries_total":
				dropped += m.GetCounter().GetValue()
			}
		}
	}
	if int(sent) != want || dropped != 0 {
		return fmt.Errorf("sent %v of %d entries, dropped %v", sent, want, dropped)
	}
	fmt.Printf("sent %d entries\n", want)
	return nil
}
