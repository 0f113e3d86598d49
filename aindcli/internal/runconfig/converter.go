// Package runconfig adds the console input to the collector configuration
// `otelcol-aind run` runs with, the embedded default or the user's own.
package runconfig // import "github.com/AllenNeuralDynamics/otelcol-aind/aindcli/internal/runconfig"

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/confmap"
)

// ReceiverType is the type of the receiver the console input belongs to.
const ReceiverType = "aind"

// RunReceiverID is the receiver added when no logs pipeline has an aind
// receiver to give the console input to.
const RunReceiverID = ReceiverType + "/run"

// NewFactory returns the converter that adds the console input reading
// the spool directory spool (see Convert).
func NewFactory(spool string) confmap.ConverterFactory {
	return confmap.NewConverterFactory(func(confmap.ConverterSettings) confmap.Converter {
		return converter{spool: spool}
	})
}

type converter struct{ spool string }

// Convert gives the console input to the first aind receiver of the logs
// pipelines, taken in the order of their names: its records then go where
// that receiver's go, with its resource and its drain. When no logs
// pipeline has one, it adds the receiver aind/run, with the console input
// only, to every logs pipeline. It also lowers the collector's own logs to
// warnings, unless the configuration sets their level: they share stderr
// with the job's.
func (c converter) Convert(_ context.Context, conf *confmap.Conf) error {
	pipelines, err := logsPipelines(conf)
	if err != nil {
		return err
	}
	target := ""
	for _, id := range pipelines {
		receivers, _ := conf.Get("service::pipelines::" + id + "::receivers").([]any)
		for _, r := range receivers {
			if name, ok := r.(string); ok && isAind(name) {
				target = name
				break
			}
		}
		if target != "" {
			break
		}
	}
	add := map[string]any{}
	if target != "" {
		if conf.IsSet("receivers::" + target + "::console") {
			return fmt.Errorf("receiver %q already has a 'console' section: otelcol-aind run sets it", target)
		}
		add["receivers::"+target+"::console::spool"] = c.spool
	} else {
		if conf.IsSet("receivers::" + RunReceiverID) {
			return fmt.Errorf("no logs pipeline has an aind receiver, and receiver %q, which otelcol-aind run would add, is already configured", RunReceiverID)
		}
		add["receivers::"+RunReceiverID+"::console::spool"] = c.spool
		if d := os.Getenv("AIND_DRAIN_TIMEOUT"); d != "" {
			add["receivers::"+RunReceiverID+"::drain_timeout"] = d
		}
		for _, id := range pipelines {
			key := "service::pipelines::" + id + "::receivers"
			receivers, _ := conf.Get(key).([]any)
			add[key] = append(slices.Clone(receivers), RunReceiverID)
		}
	}
	if !conf.IsSet("service::telemetry::logs::level") {
		add["service::telemetry::logs::level"] = "warn"
	}
	return conf.Merge(confmap.NewFromStringMap(add))
}

// logsPipelines lists the logs pipelines' IDs in order.
func logsPipelines(conf *confmap.Conf) ([]string, error) {
	pipelines, _ := conf.Get("service::pipelines").(map[string]any)
	var ids []string
	for id := range pipelines {
		if id == "logs" || strings.HasPrefix(id, "logs/") {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("the configuration has no logs pipeline: otelcol-aind run would have nowhere to deliver the job's output")
	}
	slices.Sort(ids)
	return ids, nil
}

func isAind(id string) bool {
	return id == ReceiverType || strings.HasPrefix(id, ReceiverType+"/")
}
