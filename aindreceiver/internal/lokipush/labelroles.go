package lokipush

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/grafana/loki/pkg/push"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// Attribute names the default LabelConfig maps labels to (OpenTelemetry
// semantic conventions).
const (
	attrEnvironment = "deployment.environment.name"
	attrLogFilePath = "log.file.path"
)

// LabelConfig says what the stream labels of a push mean: each client names
// the same things differently (python-logging-loki's application and
// severity, Promtail's job and level, Loki's own service_name). A label may
// have one role only. Labels with no role become record attributes under
// their own names: a stream label is per client, often per file, and only
// the labels listed in Resource are known to be few.
type LabelConfig struct {
	// ServiceName lists the labels that give service.name, first present
	// wins; the others present stay record attributes.
	ServiceName []string `mapstructure:"service_name"`
	// Severity lists the labels that give the severity, first present wins
	// (stream labels first, then the entry's structured metadata).
	Severity []string `mapstructure:"severity"`
	// Scope lists the labels that give the instrumentation scope's name
	// (the logger), first present wins.
	Scope []string `mapstructure:"scope"`
	// Resource maps the labels known to be low-cardinality to the resource
	// attributes they become. It is merged into the defaults; a label
	// mapped to "" turns a default off.
	Resource map[string]string `mapstructure:"resource"`
	// Attributes renames labels that stay record attributes. Merged into
	// the defaults like Resource.
	Attributes map[string]string `mapstructure:"attributes"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// DefaultLabelConfig is the conventions of Loki (service_name,
// detected_level), python-logging-loki (application, severity, logger),
// Promtail and Alloy (job, level, host, filename), and the AIND standard's
// own resource fields (rig_id, instrument_id, ...) as labels.
func DefaultLabelConfig() LabelConfig {
	resource := aind.DefaultResourceFields()
	delete(resource, aind.KeySoftwareName) // a service_name label
	resource["host"] = aind.ResourceHostName
	resource["environment"] = attrEnvironment
	resource["env"] = attrEnvironment
	return LabelConfig{
		ServiceName: []string{"service_name", "service", "application", "app", "job"},
		Severity:    []string{"level", "severity", "detected_level", "lvl"},
		Scope:       []string{"logger", "logger_name"},
		Resource:    resource,
		Attributes:  map[string]string{"filename": attrLogFilePath},
	}
}

// Validate checks that every label has one role and every target a name.
// A high-cardinality AIND identifier may not be a resource attribute.
func (c *LabelConfig) Validate() error {
	var errs []error
	roles := map[string]string{}
	claim := func(role, label string) {
		switch {
		case strings.TrimSpace(label) == "":
			errs = append(errs, fmt.Errorf("'loki_labels': '%s' lists an empty label name", role))
		case roles[label] != "":
			errs = append(errs, fmt.Errorf("'loki_labels': label %q has two roles, '%s' and '%s'", label, roles[label], role))
		default:
			roles[label] = role
		}
	}
	lists := []struct {
		role   string
		labels []string
	}{{"service_name", c.ServiceName}, {"severity", c.Severity}, {"scope", c.Scope}}
	for _, list := range lists {
		for _, l := range list.labels {
			claim(list.role, l)
		}
	}
	targetMaps := []struct {
		role    string
		targets map[string]string
	}{{"resource", c.Resource}, {"attributes", c.Attributes}}
	for _, m := range targetMaps {
		for _, label := range slices.Sorted(maps.Keys(m.targets)) {
			target := m.targets[label]
			if target == "" {
				continue // a default turned off
			}
			claim(m.role, label)
			if strings.TrimSpace(target) == "" {
				errs = append(errs, fmt.Errorf("'loki_labels': '%s' maps %q to a blank attribute name", m.role, label))
			}
			if m.role == "resource" && (aind.IsHighCardinality(label) || aind.IsHighCardinality(target)) {
				errs = append(errs, fmt.Errorf("'loki_labels': 'resource' maps %q, a high-cardinality identifier that must stay a record attribute", label))
			}
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// labelRole is what one label name is for.
type labelRole uint8

const (
	roleAttribute labelRole = iota // a record attribute (the zero value)
	roleServiceName
	roleSeverity
	roleScope
	roleResource
)

// roleOf is a label's role, its rank among the labels of the same role
// (first present wins) and its target attribute.
type roleOf struct {
	role   labelRole
	rank   int
	target string
}

// LabelRoles is a validated LabelConfig, compiled for the look-ups of every
// stream. It is read-only.
type LabelRoles struct {
	byLabel map[string]roleOf
}

// NewLabelRoles compiles a validated configuration.
func NewLabelRoles(c LabelConfig) *LabelRoles {
	r := &LabelRoles{byLabel: map[string]roleOf{}}
	for role, labels := range map[labelRole][]string{roleServiceName: c.ServiceName, roleSeverity: c.Severity, roleScope: c.Scope} {
		for rank, l := range labels {
			r.byLabel[l] = roleOf{role: role, rank: rank}
		}
	}
	for label, target := range c.Resource {
		if target != "" {
			r.byLabel[label] = roleOf{role: roleResource, target: target}
		}
	}
	for label, target := range c.Attributes {
		if target != "" {
			r.byLabel[label] = roleOf{role: roleAttribute, target: target}
		}
	}
	return r
}

// severity is a level as a label gave it.
type severity struct {
	text   string
	number plog.SeverityNumber
}

func newSeverity(text string) severity {
	number, _ := aind.SeverityFromLabel(text)
	return severity{text: text, number: number}
}

// streamMeaning is what a stream's labels say about its records.
type streamMeaning struct {
	serviceName string
	severity    severity
	scope       string
	// resource and attributes are (name, value) pairs in label order.
	resource   [][2]string
	attributes [][2]string
}

// meaning reads a stream's labels. Of the labels of one role the first by
// rank gives the value; the others present become record attributes, so no
// label is lost. Empty values count as absent, as in Loki.
func (r *LabelRoles) meaning(labels []push.LabelAdapter) streamMeaning {
	var (
		m    streamMeaning
		best [roleScope + 1]int // rank+1 of the label chosen, per role
		pick [roleScope + 1]string
	)
	for _, l := range labels {
		ro := r.byLabel[l.Name]
		if l.Value == "" || ro.role == roleAttribute || ro.role == roleResource {
			continue
		}
		if best[ro.role] == 0 || ro.rank+1 < best[ro.role] {
			best[ro.role], pick[ro.role] = ro.rank+1, l.Name
		}
	}
	for _, l := range labels {
		if l.Value == "" {
			continue
		}
		value := utf8text.Repair(l.Value)
		ro := r.byLabel[l.Name]
		switch {
		case ro.role == roleResource:
			m.resource = append(m.resource, [2]string{ro.target, value})
		case ro.role == roleAttribute || l.Name != pick[ro.role]:
			m.attributes = append(m.attributes, [2]string{attributeName(l.Name, ro), value})
		case ro.role == roleServiceName:
			m.serviceName = value
		case ro.role == roleSeverity:
			m.severity = newSeverity(value)
		case ro.role == roleScope:
			m.scope = value
		}
	}
	return m
}

// attributeName is the record attribute a label becomes: its rename, or its
// own name.
func attributeName(label string, ro roleOf) string {
	if ro.role == roleAttribute && ro.target != "" {
		return ro.target
	}
	return utf8text.Repair(label)
}

// entrySeverity finds a severity in an entry's structured metadata, for a
// stream whose labels give none: the first by rank. It reports the index of
// the key it used, which does not also become an attribute.
func (r *LabelRoles) entrySeverity(metadata push.LabelsAdapter) (severity, int) {
	best, at := 0, -1
	for i, m := range metadata {
		ro, ok := r.byLabel[m.Name]
		if !ok || ro.role != roleSeverity || m.Value == "" {
			continue
		}
		if at < 0 || ro.rank < best {
			best, at = ro.rank, i
		}
	}
	if at < 0 {
		return severity{}, -1
	}
	return newSeverity(utf8text.Repair(metadata[at].Value)), at
}
