package lokipush

import (
	"testing"

	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// labels makes a stream's labels from name, value pairs.
func labels(kv ...string) []push.LabelAdapter {
	out := make([]push.LabelAdapter, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, push.LabelAdapter{Name: kv[i], Value: kv[i+1]})
	}
	return out
}

// The label sets the clients AIND runs push, as their sources build them.
func TestLabelMeaningOfClients(t *testing.T) {
	roles := NewLabelRoles(DefaultLabelConfig())
	tests := []struct {
		name   string
		labels []push.LabelAdapter
		want   streamMeaning
	}{{
		// python-logging-loki 0.3.1: the handler's tags, severity (the
		// level name in lower case) and logger.
		name:   "python-logging-loki",
		labels: labels("application", "aind-airflow-service", "logger", "airflow.task", "severity", "error"),
		want: streamMeaning{
			serviceName: "aind-airflow-service", scope: "airflow.task",
			severity: severity{text: "error", number: plog.SeverityNumberError},
		},
	}, {
		// A record's extra={"tags": {"service": ...}} adds a label; service
		// comes before application, which stays an attribute.
		name:   "python-logging-loki with a service tag",
		labels: labels("application", "aind-airflow-service", "logger", "root", "service", "dag-runner", "severity", "critical"),
		want: streamMeaning{
			serviceName: "dag-runner", scope: "root",
			severity:   severity{text: "critical", number: plog.SeverityNumberFatal},
			attributes: [][2]string{{"application", "aind-airflow-service"}},
		},
	}, {
		// Promtail's and Alloy's loki.source.file: job from the scrape
		// config, filename per file, host and level from the pipeline.
		name:   "Promtail",
		labels: labels("filename", "/var/log/aind/acq.log", "host", "W10DT713843", "job", "acquisition", "level", "WARN"),
		want: streamMeaning{
			serviceName: "acquisition",
			severity:    severity{text: "WARN", number: plog.SeverityNumberWarn},
			resource:    [][2]string{{"host.name", "W10DT713843"}},
			attributes:  [][2]string{{"log.file.path", "/var/log/aind/acq.log"}},
		},
	}, {
		// Alloy's loki.write after a Kubernetes discovery: service_name as
		// Loki itself names it wins over app and job; unknown labels and
		// empty ones (absent in Loki) stay out of the resource.
		name:   "Alloy",
		labels: labels("app", "web", "cluster", "aind-prod", "detected_level", "info", "job", "ns/web", "namespace", "ns", "pod", "", "service_name", "aind-portal"),
		want: streamMeaning{
			serviceName: "aind-portal",
			severity:    severity{text: "info", number: plog.SeverityNumberInfo},
			attributes:  [][2]string{{"app", "web"}, {"cluster", "aind-prod"}, {"job", "ns/web"}, {"namespace", "ns"}},
		},
	}, {
		// A level no table knows keeps its text, without a number.
		name:   "unknown level",
		labels: labels("level", "verbose", "lvl", "debug"),
		want: streamMeaning{
			severity:   severity{text: "verbose"},
			attributes: [][2]string{{"lvl", "debug"}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, roles.meaning(tt.labels))
		})
	}
}

func TestEntrySeverityFromStructuredMetadata(t *testing.T) {
	roles := NewLabelRoles(DefaultLabelConfig())
	metadata := push.LabelsAdapter{{Name: "trace_id", Value: "abc"}, {Name: "severity", Value: "notice"}, {Name: "level", Value: "err"}}
	sev, used := roles.entrySeverity(metadata)
	assert.Equal(t, severity{text: "err", number: plog.SeverityNumberError}, sev, "level ranks before severity")
	assert.Equal(t, 2, used)
	sev, used = roles.entrySeverity(push.LabelsAdapter{{Name: "trace_id", Value: "abc"}, {Name: "level", Value: ""}})
	assert.Equal(t, severity{}, sev)
	assert.Equal(t, -1, used)
}

func TestLabelConfigIsData(t *testing.T) {
	cfg := DefaultLabelConfig()
	cfg.ServiceName = []string{"team"}
	cfg.Scope = nil
	cfg.Resource["host"] = "" // a default turned off
	cfg.Resource["rig"] = "aind.rig_id"
	cfg.Attributes["filename"] = ""
	require.NoError(t, cfg.Validate())
	m := NewLabelRoles(cfg).meaning(labels("application", "a", "filename", "f", "host", "h", "logger", "l", "rig", "762", "team", "ephys"))
	assert.Equal(t, streamMeaning{
		serviceName: "ephys",
		resource:    [][2]string{{"aind.rig_id", "762"}},
		attributes:  [][2]string{{"application", "a"}, {"filename", "f"}, {"host", "h"}, {"logger", "l"}},
	}, m)
}

func TestLabelConfigValidate(t *testing.T) {
	cfg := DefaultLabelConfig()
	cfg.Severity = append(cfg.Severity, "logger", " ")
	cfg.Resource["subject_id"] = "aind.subject"
	cfg.Attributes["host"] = "hostname"
	cfg.Resource["x"] = " "
	err := cfg.Validate()
	require.Error(t, err)
	for _, want := range []string{
		`label "logger" has two roles, 'severity' and 'scope'`,
		`'severity' lists an empty label name`,
		`'resource' maps "subject_id", a high-cardinality identifier`,
		`label "host" has two roles, 'resource' and 'attributes'`,
		`'resource' maps "x" to a blank attribute name`,
	} {
		assert.ErrorContains(t, err, want)
	}
}
