package aindcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver"
)

// The test binary is also the job: with RUN_TEST_JOB set it prints and
// exits instead of running the tests.
func TestMain(m *testing.M) {
	switch os.Getenv("RUN_TEST_JOB") {
	case "":
	case "big":
		// 4 MiB of lines, against a spool bound of 1 MiB.
		line := strings.Repeat("x", 1023) + "\n"
		for range 4096 {
			os.Stdout.WriteString(line)
		}
		os.Exit(0)
	default:
		os.Stdout.WriteString("progress \r 50%\r100%\n{\"message\": \"json line\", \"level\": \"WARNING\"}\n")
		os.Stderr.WriteString("ERROR:job:password=hunter2 failed\n")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// sink is the test pipeline's exporter: what reaches it was delivered.
var sink = new(consumertest.LogsSink)

var sinkType = component.MustNewType("sink")

type sinkExporter struct {
	component.StartFunc
	component.ShutdownFunc
	*consumertest.LogsSink
}

type downExporter struct {
	component.StartFunc
	component.ShutdownFunc
}

func (downExporter) ConsumeLogs(context.Context, plog.Logs) error { return errors.New("backend down") }

func (downExporter) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func testSettings() otelcol.CollectorSettings {
	set := Settings(func() (otelcol.Factories, error) {
		var f otelcol.Factories
		var err error
		if f.Receivers, err = otelcol.MakeFactoryMap[receiver.Factory](aindreceiver.NewFactory()); err != nil {
			return f, err
		}
		if f.Processors, err = otelcol.MakeFactoryMap[processor.Factory](aindprocessor.NewFactory()); err != nil {
			return f, err
		}
		f.Telemetry = otelconftelemetry.NewFactory()
		f.Exporters, err = otelcol.MakeFactoryMap[exporter.Factory](
			exporter.NewFactory(sinkType, func() component.Config { return &struct{}{} },
				exporter.WithLogs(func(context.Context, exporter.Settings, component.Config) (exporter.Logs, error) {
					return sinkExporter{LogsSink: sink}, nil
				}, component.StabilityLevelStable)),
			// down is a backend that is down: it refuses everything.
			exporter.NewFactory(component.MustNewType("down"), func() component.Config { return &struct{}{} },
				exporter.WithLogs(func(context.Context, exporter.Settings, component.Config) (exporter.Logs, error) {
					return downExporter{}, nil
				}, component.StabilityLevelStable)))
		return f, err
	}, component.BuildInfo{Command: "otelcol-aind", Version: "test"})
	return set
}

// A user configuration with an aind receiver: the console goes to it.
const testConfig = `yaml:
receivers:
  aind:
    include: [/nonexistent/*.jsonl]
    drain_timeout: 10s
    resource:
      co.capsule.id: cap-1
processors:
  aind: {}
exporters:
  sink: {}
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [aind]
      processors: [aind]
      exporters: [sink]
`

// execute runs the command with args, as the binary would, and returns the
// status it exits with and what it wrote.
func execute(args ...string) (status int, stdout, stderr *bytes.Buffer) {
	cmd := NewCommand(testSettings())
	stdout, stderr = new(bytes.Buffer), new(bytes.Buffer)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	cmd.SetArgs(args)
	return ExitCode(cmd.Execute()), stdout, stderr
}

// downConfig is testConfig exporting to a backend that is down, with a
// drain of drainTimeout.
func downConfig(drainTimeout string) string {
	return strings.NewReplacer("drain_timeout: 10s", "drain_timeout: "+drainTimeout, "exporters: [sink]", "exporters: [down]", "sink: {}", "down: {}").Replace(testConfig)
}

func TestRunDeliversTheJobAndExitsWithItsStatus(t *testing.T) {
	sink.Reset()
	storage := t.TempDir()
	t.Setenv("AIND_STORAGE_DIR", storage)
	t.Setenv("RUN_TEST_JOB", "1")
	status, stdout, stderr := execute("run", "--config", testConfig, "--", os.Args[0], "-test.run=none")

	assert.Equal(t, 3, status, "the job's status")
	assert.Equal(t, "progress \r 50%\r100%\n{\"message\": \"json line\", \"level\": \"WARNING\"}\n", stdout.String(), "stdout byte for byte")
	assert.Contains(t, stderr.String(), "ERROR:job:password=hunter2 failed\n")
	assert.NotContains(t, stderr.String(), "not delivered")

	var bodies []string
	var end []plog.LogRecord
	for _, ld := range sink.AllLogs() {
		rls := ld.ResourceLogs()
		for i := 0; i < rls.Len(); i++ {
			res := rls.At(i).Resource().Attributes().AsRaw()
			assert.Equal(t, "cap-1", res["co.capsule.id"], "the receiver's resource")
			sls := rls.At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				lrs := sls.At(j).LogRecords()
				for k := 0; k < lrs.Len(); k++ {
					lr := lrs.At(k)
					if _, ok := lr.Attributes().Get("process.exit.code"); ok {
						end = append(end, lr)
						continue
					}
					bodies = append(bodies, lr.Body().AsString())
				}
			}
		}
	}
	assert.ElementsMatch(t, []string{"100%", "json line", "password=[REDACTED] failed"}, bodies,
		"the bar's last state, the JSON line mapped, the logging line without its prefix and redacted")
	require.Len(t, end, 1)
	code, _ := end[0].Attributes().Get("process.exit.code")
	assert.Equal(t, int64(3), code.Int())

	entries, err := os.ReadDir(storage)
	require.NoError(t, err)
	assert.Empty(t, entries, "the spool is removed once everything was delivered")
}

// The backend is down past the drain: the status is still the job's, the
// shortfall is said in counts, and the spool is kept.
func TestRunReportsWhatWasNotDelivered(t *testing.T) {
	storage := t.TempDir()
	t.Setenv("AIND_STORAGE_DIR", storage)
	t.Setenv("RUN_TEST_JOB", "1")
	status, _, stderr := execute("run", "--config", downConfig("300ms"), "--", os.Args[0], "-test.run=none")

	assert.Equal(t, 3, status, "the job's status, whatever the delivery did")
	assert.Contains(t, stderr.String(), "otelcol-aind run: 3 lines of the job's output were not delivered (0 past the spool's bound, 3 when the drain ran out of time), nor the end-of-run record; the spool is kept in "+storage)
	assert.NotContains(t, stderr.String()[strings.Index(stderr.String(), "otelcol-aind run:"):], "hunter2", "counts, never content")
	entries, err := os.ReadDir(storage)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "the spool is kept")
}

// Past the spool's bound, with the backend down, lines are passed through
// and counted, never waited for: the job ends as fast as it prints.
func TestRunSpoolBound(t *testing.T) {
	storage := t.TempDir()
	t.Setenv("AIND_STORAGE_DIR", storage)
	t.Setenv("RUN_TEST_JOB", "big")
	status, stdout, stderr := execute("run", "--config", downConfig("200ms"), "--spool-limit-mib", "1", "--", os.Args[0], "-test.run=none")

	assert.Equal(t, 0, status)
	assert.Equal(t, 4096*1024, stdout.Len(), "every line passed through")
	// About 3 MiB of the 4 did not fit; the rest was spooled, and not
	// delivered either.
	var total, dropped, undelivered int
	_, scanErr := fmt.Sscanf(stderr.String()[strings.Index(stderr.String(), "otelcol-aind run: "):],
		"otelcol-aind run: %d lines of the job's output were not delivered (%d past the spool's bound, %d when the drain ran out of time)",
		&total, &dropped, &undelivered)
	require.NoError(t, scanErr, "the shortfall is reported")
	assert.Equal(t, 4096, total, "every line is counted once")
	assert.InDelta(t, 3072, dropped, 2, "the lines past the 1 MiB bound")
	assert.Equal(t, total-dropped, undelivered)
}

func TestRunWithoutAPipelineDoesNotRunTheJob(t *testing.T) {
	t.Setenv("AIND_STORAGE_DIR", t.TempDir())
	marker := t.TempDir() + "/ran"
	status, _, stderr := execute("run", "--config", "yaml:receivers: {}", "--", "touch", marker)
	assert.Equal(t, statusPipelineFailed, status)
	assert.Contains(t, stderr.String(), "no logs pipeline")
	assert.NoFileExists(t, marker)
}

func TestRunFlagsAfterTheCommandAreTheCommands(t *testing.T) {
	cmd := newRunCommand(testSettings())
	require.NoError(t, cmd.ParseFlags([]string{"--config", "a.yaml", "prog", "--config", "b.yaml"}))
	assert.Equal(t, []string{"prog", "--config", "b.yaml"}, cmd.Flags().Args())
	cfgs, err := cmd.Flags().GetStringArray("config")
	require.NoError(t, err)
	assert.Equal(t, []string{"a.yaml"}, cfgs)
}

func TestExitCode(t *testing.T) {
	assert.Equal(t, 0, ExitCode(nil))
	assert.Equal(t, 137, ExitCode(&ExitError{Status: 137}))
	assert.Equal(t, 1, ExitCode(assert.AnError))
	assert.True(t, strings.HasPrefix((&ExitError{Status: 2}).Error(), "exit status"))
}
