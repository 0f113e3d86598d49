// Package redaction compares the aind processor's redaction with contrib's
// redactionprocessor. It is a module of its own so that the distribution's
// module does not depend on contrib's processor.
package redaction

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/processor/redactionprocessor"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

const batchSize = 100

// cleanLine is the aind processor's own benchmark line: a Python logging
// record with the standard's fields and an extra map, and no secret.
const cleanLine = `{"timestamp": "2026-03-01T08:15:02.123456Z", "level": "DEBUG", "message": "Loaded 42 sessions", "name": "aind_data_schema.loader", "pathname": "/opt/capsule/code/run.py", "funcName": "load", "lineno": 118, "process": 1231, "thread": 140245, "software_name": "aind-data-schema", "software_version": "1.0.4.dev0", "hostname": "co-capsule-7f3a", "subject_id": "123456", "extra": {"probe": "ProbeA", "channels": [1, 2, 3]}}`

// secretLine is the same record with secrets in the body and attributes:
// a password pair and an AWS key id in the message, a JWT and URL
// credentials in attributes, and a blocked key.
const secretLine = `{"timestamp": "2026-03-01T08:15:02.123456Z", "level": "DEBUG", "message": "login password=hunter2 with AKIAIOSFODNN7EXAMPLE", "name": "aind_data_schema.loader", "pathname": "/opt/capsule/code/run.py", "funcName": "load", "lineno": 118, "process": 1231, "thread": 140245, "software_name": "aind-data-schema", "software_version": "1.0.4.dev0", "hostname": "co-capsule-7f3a", "subject_id": "123456", "session_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIz", "db_url": "postgres://aind:S3cr3t@db.local:5432/x", "extra": {"probe": "ProbeA", "channels": [1, 2, 3], "api_key": "k-123"}}`

// decoded returns a batch of lines decoded as the aind receiver decodes
// them: a map body per record.
func decoded(line string) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("co.capsule.id", "c1")
	records := rl.ScopeLogs().AppendEmpty().LogRecords()
	for range batchSize {
		jsonlines.DecodeLine(jsonlines.CleanLine([]byte(line)), records.AppendEmpty())
	}
	return ld
}

// contribConfig configures contrib's processor for the same keys and
// value patterns as the aind processor's defaults. Its blocked values mask
// whole matches (it has no capture groups), its key patterns are regular
// expressions, and it scans string and map bodies unconditionally at
// v0.165 (there is no body option to set).
func contribConfig(f processor.Factory) *redactionprocessor.Config {
	cfg := f.CreateDefaultConfig().(*redactionprocessor.Config)
	cfg.AllowAllKeys = true
	cfg.Summary = "silent"
	cfg.BlockedKeyPatterns = []string{
		`(?i)(?:^|[^a-z])(?:password|passwd|pwd|secret|token|api_?key|access_?key|authorization|auth|cookie|credentials?|private_?key|session)(?:$|[^a-z])`,
	}
	cfg.BlockedValues = []string{
		`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`,
		`(?i)aws_secret_access_key\s*[=:]\s*\S+`,
		`\bgh[pousr]_[A-Za-z0-9_]{20,}`,
		`github_pat_[A-Za-z0-9_]{22,}`,
		`xox[abeprs]-[A-Za-z0-9-]{10,}`,
		`AIza[A-Za-z0-9_-]{35,}`,
		`eyJ[A-Za-z0-9_-]{7,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`,
		`-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]*PRIVATE KEY-----|$)`,
		`://[^\s:/?#@]*:[^\s/?#@]+@`,
		`(?i)\b(?:bearer|basic)\s+[A-Za-z0-9._~+/-]{8,}=*`,
		`(?i)(?:password|passwd|pwd|token|api_?key|secret)\s*[=:]\s*\S+`,
	}
	return cfg
}

func newProcessor(b *testing.B, f processor.Factory, cfg any) consumer.Logs {
	b.Helper()
	p, err := f.CreateLogs(context.Background(), processortest.NewNopSettings(f.Type()), cfg, consumertest.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// run feeds copies of template through p, the copying outside the timer.
func run(b *testing.B, p consumer.Logs, template plog.Logs) {
	b.Helper()
	batch := plog.NewLogs()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		template.CopyTo(batch)
		b.StartTimer()
		if err := p.ConsumeLogs(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(b.N * template.LogRecordCount())
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/record")
}

// mapped returns what the aind processor without redaction outputs for a
// batch: the input of a redaction processor placed after it.
func mapped(tb testing.TB, in plog.Logs) plog.Logs {
	tb.Helper()
	f := aindprocessor.NewFactory()
	cfg := f.CreateDefaultConfig().(*aindprocessor.Config)
	cfg.Redaction.Enabled = false
	sink := new(consumertest.LogsSink)
	p, err := f.CreateLogs(context.Background(), processortest.NewNopSettings(f.Type()), cfg, sink)
	if err != nil {
		tb.Fatal(err)
	}
	batch := plog.NewLogs()
	in.CopyTo(batch)
	if err := p.ConsumeLogs(context.Background(), batch); err != nil {
		tb.Fatal(err)
	}
	return sink.AllLogs()[0]
}

// BenchmarkRedaction: for clean records and records with secrets,
//
//   - aind/off: the aind processor without redaction (mapping, regrouping,
//     Loki limits guard);
//   - aind/on: the same with redaction (its defaults); on − off is the cost
//     of redaction;
//   - contrib: contrib's redactionprocessor alone, on the aind processor's
//     output (what it would get placed after it);
//   - contrib-raw: contrib's redactionprocessor on the receiver's batch
//     (map bodies).
func BenchmarkRedaction(b *testing.B) {
	aindF := aindprocessor.NewFactory()
	contribF := redactionprocessor.NewFactory()
	for _, records := range []struct{ name, line string }{{"clean", cleanLine}, {"secrets", secretLine}} {
		in := decoded(records.line)
		// Warm up (pools, heap size) so that the first sub-benchmark of a
		// -count round is not the one that pays for it.
		for _, on := range []bool{false, true} {
			cfg := aindF.CreateDefaultConfig().(*aindprocessor.Config)
			cfg.Redaction.Enabled = on
			p := newProcessor(b, aindF, cfg)
			for range 200 {
				batch := plog.NewLogs()
				in.CopyTo(batch)
				if err := p.ConsumeLogs(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.Run(records.name+"/aind-off", func(b *testing.B) {
			cfg := aindF.CreateDefaultConfig().(*aindprocessor.Config)
			cfg.Redaction.Enabled = false
			run(b, newProcessor(b, aindF, cfg), in)
		})
		b.Run(records.name+"/aind-on", func(b *testing.B) {
			run(b, newProcessor(b, aindF, aindF.CreateDefaultConfig()), in)
		})
		b.Run(records.name+"/contrib", func(b *testing.B) {
			run(b, newProcessor(b, contribF, contribConfig(contribF)), mapped(b, in))
		})
		b.Run(records.name+"/contrib-raw", func(b *testing.B) {
			run(b, newProcessor(b, contribF, contribConfig(contribF)), in)
		})
	}
}

// TestSameSecretsRedacted checks that the benchmark compares like with
// like: both processors remove the secrets of secretLine, except the one
// contrib cannot see: it applies its key patterns to top-level attributes
// and map bodies only, so extra.api_key (a key inside a map attribute)
// survives it.
func TestSameSecretsRedacted(t *testing.T) {
	secrets := []string{"hunter2", "AKIAIOSFODNN7EXAMPLE", "c2lnbmF0dXJlMTIz", "S3cr3t", "k-123"}
	wantLeaks := map[string][]string{"aind": nil, "contrib": {"k-123"}}
	for name, ld := range redactedSecretLine(t) {
		out, err := (&plog.JSONMarshaler{}).MarshalLogs(ld)
		if err != nil {
			t.Fatal(err)
		}
		var leaks []string
		for _, s := range secrets {
			if strings.Contains(string(out), s) {
				leaks = append(leaks, s)
			}
		}
		if !slices.Equal(leaks, wantLeaks[name]) {
			t.Errorf("%s: survived %q, want %q", name, leaks, wantLeaks[name])
		}
	}
}

// TestRedactedForms holds the README's "what contrib misses": contrib
// masks whole regex matches (the key of a password pair, the user and host
// of URL credentials), the aind processor the secret only.
func TestRedactedForms(t *testing.T) {
	want := map[string]map[string]string{
		"aind":    {"body": "login password=[REDACTED] with [REDACTED]", "db_url": "postgres://aind:[REDACTED]@db.local:5432/x"},
		"contrib": {"body": "login **** with ****", "db_url": "postgres****db.local:5432/x"},
	}
	for name, ld := range redactedSecretLine(t) {
		lr := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
		dbURL, _ := lr.Attributes().Get("db_url")
		got := map[string]string{"body": lr.Body().AsString(), "db_url": dbURL.AsString()}
		if !maps.Equal(got, want[name]) {
			t.Errorf("%s: %q, want %q", name, got, want[name])
		}
	}
}

// redactedSecretLine is what each processor outputs for a batch of
// secretLine: the aind processor with its defaults, and contrib's after
// the aind processor without redaction.
func redactedSecretLine(t *testing.T) map[string]plog.Logs {
	t.Helper()
	in := decoded(secretLine)
	out := map[string]plog.Logs{}
	for name, f := range map[string]func() (processor.Factory, any, plog.Logs){
		"aind": func() (processor.Factory, any, plog.Logs) {
			f := aindprocessor.NewFactory()
			return f, f.CreateDefaultConfig(), in
		},
		"contrib": func() (processor.Factory, any, plog.Logs) {
			f := redactionprocessor.NewFactory()
			return f, contribConfig(f), mapped(t, in)
		},
	} {
		fac, cfg, input := f()
		sink := new(consumertest.LogsSink)
		p, err := fac.CreateLogs(context.Background(), processortest.NewNopSettings(fac.Type()), cfg, sink)
		if err != nil {
			t.Fatal(err)
		}
		batch := plog.NewLogs()
		input.CopyTo(batch)
		if err := p.ConsumeLogs(context.Background(), batch); err != nil {
			t.Fatal(err)
		}
		out[name] = sink.AllLogs()[0]
	}
	return out
}
