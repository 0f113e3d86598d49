// Package telemetrytest is what the components' tests share about their own
// telemetry: reading a counter, and holding each hand-written
// internal/metadata package to the metadata.yaml it stands for. No
// mdatagen release served by the module proxy works with collector v0.165,
// so these packages are written by hand; CheckMetadata is what keeps them
// from drifting.
package telemetrytest // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.yaml.in/yaml/v3"
)

// Sum returns the total of an int counter over all its attribute sets, 0
// when it was never recorded.
func Sum(t testing.TB, tel *componenttest.Telemetry, name string) int64 {
	t.Helper()
	var total int64
	for _, dp := range dataPoints(t, tel, name) {
		total += dp.Value
	}
	return total
}

// SumBy returns an int counter's values by the value of one attribute,
// empty when it was never recorded. A data point with other attributes
// fails the test: the components' own counters carry one attribute at
// most, and more would be a label of unbounded cardinality.
func SumBy(t testing.TB, tel *componenttest.Telemetry, name, attr string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	for _, dp := range dataPoints(t, tel, name) {
		v, ok := dp.Attributes.Value(attribute.Key(attr))
		require.True(t, ok, "%s has a data point without %s", name, attr)
		require.Equal(t, 1, dp.Attributes.Len(), "%s: a data point with attributes beyond %s", name, attr)
		got[v.AsString()] += dp.Value
	}
	return got
}

func dataPoints(t testing.TB, tel *componenttest.Telemetry, name string) []metricdata.DataPoint[int64] {
	t.Helper()
	m, err := tel.GetMetric(name)
	if err != nil {
		return nil // never recorded
	}
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is not an int sum", name)
	return sum.DataPoints
}

// Status is what a component's internal/metadata says about it.
type Status struct {
	Type component.Type
	// Stability is by signal, as metadata.yaml's status.stability lists
	// them ("logs", or "extension" for an extension).
	Stability map[string]component.StabilityLevel
}

type metadataFile struct {
	Type   string `yaml:"type"`
	Status struct {
		Stability map[string][]string `yaml:"stability"`
	} `yaml:"status"`
	Attributes map[string]struct {
		Description string `yaml:"description"`
	} `yaml:"attributes"`
	Telemetry struct {
		Metrics map[string]metricSpec `yaml:"metrics"`
	} `yaml:"telemetry"`
}

type metricSpec struct {
	Enabled     bool   `yaml:"enabled"`
	Description string `yaml:"description"`
	Unit        string `yaml:"unit"`
	Stability   struct {
		Level string `yaml:"level"`
	} `yaml:"stability"`
	Sum *struct {
		ValueType string `yaml:"value_type"`
		Monotonic bool   `yaml:"monotonic"`
	} `yaml:"sum"`
	Attributes []string `yaml:"attributes"`
}

// CheckMetadata holds a component's internal/metadata to its metadata.yaml
// as mdatagen would generate it: the type and stabilities, and for every
// metric an instrument field of builder named as mdatagen names it
// (receiver_aind_empty_lines → ReceiverAindEmptyLines), with the name
// otelcol_<metric>, the unit, the description with its stability suffix and
// the kind of sum. An instrument without a metric, or a metric without an
// instrument, fails too. builder is a *TelemetryBuilder created from tel's
// settings, or nil for a component without metrics.
func CheckMetadata(t *testing.T, path string, status Status, tel *componenttest.Telemetry, builder any) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var md metadataFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	require.NoError(t, dec.Decode(&md), path)

	assert.Equal(t, md.Type, status.Type.String(), "type")
	want := map[string]component.StabilityLevel{}
	for level, signals := range md.Status.Stability {
		var l component.StabilityLevel
		require.NoError(t, l.UnmarshalText([]byte(level)), "stability %q", level)
		for _, s := range signals {
			want[s] = l
		}
	}
	assert.Equal(t, want, status.Stability, "stability by signal")

	instruments := recordAll(t, builder)
	for name, spec := range md.Telemetry.Metrics {
		field := fieldName(name)
		if !slices.Contains(instruments, field) {
			t.Errorf("metric %s has no instrument %s", name, field)
			continue
		}
		for _, a := range spec.Attributes {
			assert.Contains(t, md.Attributes, a, "metric %s names an undeclared attribute", name)
		}
		checkMetric(t, tel, name, spec)
	}
	for _, field := range instruments {
		found := false
		for name := range md.Telemetry.Metrics {
			found = found || fieldName(name) == field
		}
		assert.True(t, found, "instrument %s has no metric in %s", field, path)
	}
}

func checkMetric(t *testing.T, tel *componenttest.Telemetry, name string, spec metricSpec) {
	t.Helper()
	require.True(t, spec.Enabled, "%s: a disabled metric needs mdatagen's gating, which these packages do not have", name)
	m, err := tel.GetMetric("otelcol_" + name)
	if !assert.NoError(t, err, "metric %s", name) {
		return
	}
	assert.Equal(t, spec.Unit, m.Unit, "unit of %s", name)
	description := spec.Description
	if l := spec.Stability.Level; l != "" && l != "stable" {
		description += " [" + strings.ToUpper(l[:1]) + l[1:] + "]"
	}
	assert.Equal(t, description, m.Description, "description of %s", name)
	require.NotNil(t, spec.Sum, "%s: only sums are checked; add the kind of %s here", name, name)
	require.Equal(t, "int", spec.Sum.ValueType, "%s: only int sums are checked", name)
	sum, ok := m.Data.(metricdata.Sum[int64])
	if assert.True(t, ok, "%s is not an int sum", name) {
		assert.Equal(t, spec.Sum.Monotonic, sum.IsMonotonic, "monotonic %s", name)
	}
}

// recordAll adds 1 to every counter and up-down counter field of builder,
// so that each shows up in the telemetry with its unit and description,
// and returns their names.
func recordAll(t *testing.T, builder any) []string {
	t.Helper()
	if builder == nil {
		return nil
	}
	v := reflect.ValueOf(builder).Elem()
	var names []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		switch f.Type {
		case reflect.TypeFor[metric.Int64Counter](), reflect.TypeFor[metric.Int64UpDownCounter]():
		default:
			t.Fatalf("%s: only int counters and up-down counters are checked; add its kind here", f.Name)
		}
		c, ok := v.Field(i).Interface().(interface {
			Add(context.Context, int64, ...metric.AddOption)
		})
		if !ok {
			t.Errorf("instrument %s is never created", f.Name)
			continue
		}
		c.Add(context.Background(), 1)
		names = append(names, f.Name)
	}
	return names
}

// fieldName is mdatagen's name of a metric's instrument.
func fieldName(metric string) string {
	var b strings.Builder
	for _, part := range strings.Split(metric, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
