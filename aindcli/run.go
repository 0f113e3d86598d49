package aindcli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"
	"go.opentelemetry.io/collector/otelcol"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindcli/internal/job"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindcli/internal/runconfig"
	"github.com/AllenNeuralDynamics/otelcol-aind/config"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/consolespool"
)

// Exit statuses of the wrapper itself, as env(1) and the shells use them.
const (
	// statusPipelineFailed: the pipeline could not start, so the job was
	// not run.
	statusPipelineFailed = 125
)

const (
	defaultStorageDir   = "/tmp/otelcol-aind"
	defaultDrainTimeout = 60 * time.Second
	// shutdownSlack is how long the wrapper waits for the collector past
	// the drain's deadline before it exits without it.
	shutdownSlack = 30 * time.Second
	// startWait bounds the wait for the pipeline to be running.
	startWait = time.Minute
)

func newRunCommand(set otelcol.CollectorSettings) *cobra.Command {
	var configs []string
	var spoolLimitMiB int64
	cmd := &cobra.Command{
		Use:   "run [--config FILE] -- COMMAND [ARG...]",
		Short: "Run a job, pass its output through, and deliver every line it prints",
		Long: `Run starts the pipeline, then COMMAND as its child. The child's stdout and
stderr pass through unchanged; each line also becomes a log record, as do
the lines of the JSON Lines files the configuration tails. When the child
exits, everything is delivered within AIND_DRAIN_TIMEOUT, and run exits with
the child's status (128+N for signal N). Without --config it uses the
embedded config/capsule-run.yaml.`,
		Args:          cobra.MinimumNArgs(1),
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runJob(set, configs, spoolLimitMiB<<20, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	// Flags after COMMAND are COMMAND's.
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().StringArrayVar(&configs, "config", nil, "collector configuration file or URI (repeatable; default: the embedded capsule-run.yaml)")
	cmd.Flags().Int64Var(&spoolLimitMiB, "spool-limit-mib", 1024, "largest spool of each stream on disk, in MiB, while the backend is slow or down; lines past it are passed through and counted as not delivered")
	return cmd
}

// runJob runs the job of args; its stdout and stderr pass through to
// stdout and stderr, which are the wrapper's own but in tests.
func runJob(set otelcol.CollectorSettings, configs []string, spoolLimit int64, args []string, stdout, stderr io.Writer) error {
	if spoolLimit <= 0 {
		return fail(stderr, "--spool-limit-mib must be positive")
	}
	storage := os.Getenv("AIND_STORAGE_DIR")
	if storage == "" {
		storage = defaultStorageDir
	}
	drainTimeout := defaultDrainTimeout
	if s := os.Getenv("AIND_DRAIN_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return fail(stderr, "AIND_DRAIN_TIMEOUT is not a duration like 60s")
		}
		drainTimeout = d
	}
	if err := os.MkdirAll(storage, 0o700); err != nil {
		return fail(stderr, fmt.Sprintf("create the storage directory: %v", err))
	}
	spool, err := os.MkdirTemp(storage, "run-")
	if err != nil {
		return fail(stderr, fmt.Sprintf("create the spool: %v", err))
	}

	if len(configs) == 0 {
		configs = []string{"yaml:" + config.CapsuleRun}
	}
	set.ConfigProviderSettings.ResolverSettings.URIs = configs
	set.ConfigProviderSettings.ResolverSettings.ConverterFactories = append(
		set.ConfigProviderSettings.ResolverSettings.ConverterFactories, runconfig.NewFactory(spool))
	// The wrapper takes the signals, for the job.
	set.DisableGracefulShutdown = true
	col, err := otelcol.NewCollector(set)
	if err != nil {
		consolespool.Remove(spool)
		return fail(stderr, fmt.Sprintf("the pipeline cannot start: %v", err))
	}
	stopped := make(chan error, 1)
	go func() { stopped <- col.Run(context.Background()) }()
	if err := waitRunning(col, stopped); err != nil {
		consolespool.Remove(spool)
		return fail(stderr, fmt.Sprintf("the pipeline did not start, so the job was not run: %v", err))
	}

	// While the job runs, the pipeline leaves it a core: on a capsule's two
	// cores a job printing fast otherwise shares one with the delivery of
	// what it prints (bench/RESULTS.md, "otelcol-aind run"). The drain,
	// once the job is gone, has them all again.
	procs := runtime.GOMAXPROCS(0)
	if procs > 1 {
		runtime.GOMAXPROCS(procs - 1)
	}
	res, spoolErr := job.Run(job.Config{Args: args, Spool: spool, SpoolLimit: spoolLimit, Stdout: stdout, Stderr: stderr})
	runtime.GOMAXPROCS(procs)
	if res.StartError != "" {
		fmt.Fprintf(stderr, "otelcol-aind run: %s: %s\n", res.Command, res.StartError)
	}
	if spoolErr != nil {
		fmt.Fprintf(stderr, "otelcol-aind run: the spool could not be written completely: %v\n", spoolErr)
	}

	col.Shutdown()
	var colErr error
	select {
	case colErr = <-stopped:
	case <-time.After(drainTimeout + shutdownSlack):
		fmt.Fprintln(stderr, "otelcol-aind run: the pipeline did not stop in time; exiting without it")
	}
	reportDelivery(stderr, spool, res, colErr)
	return &ExitError{Status: res.Status}
}

// waitRunning waits until the collector runs, or returns why it stopped.
func waitRunning(col *otelcol.Collector, stopped <-chan error) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(startWait)
	for {
		select {
		case err := <-stopped:
			if err == nil {
				err = fmt.Errorf("it stopped at once")
			}
			return err
		case <-deadline:
			col.Shutdown()
			return fmt.Errorf("not running after %s", startWait)
		case <-tick.C:
			if col.GetState() == otelcol.StateRunning {
				return nil
			}
		}
	}
}

// reportDelivery says on stderr, in counts only, what of the job's output
// was not delivered, and removes the spool when everything was.
func reportDelivery(stderr io.Writer, spool string, res job.Result, colErr error) {
	var dropped, undelivered int64
	for _, n := range res.DroppedLines {
		dropped += n
	}
	report, ok, err := consolespool.ReadReport(spool)
	switch {
	case err != nil || !ok:
		fmt.Fprintf(stderr, "otelcol-aind run: the console input did not report what it delivered; the job's output is kept in %s\n", spool)
		return
	default:
		for _, n := range report.UndeliveredLines {
			undelivered += n
		}
	}
	if dropped+undelivered == 0 && report.EndRecordDelivered {
		if colErr != nil {
			fmt.Fprintln(stderr, "otelcol-aind run: the job's output was delivered; the pipeline reported an error at its end (above)")
		}
		if err := consolespool.Remove(spool); err != nil {
			fmt.Fprintf(stderr, "otelcol-aind run: the job's output was delivered, but its spool %s could not be removed: %v\n", spool, err)
		}
		return
	}
	fmt.Fprintf(stderr, "otelcol-aind run: %d lines of the job's output were not delivered (%d past the spool's bound, %d when the drain ran out of time)", dropped+undelivered, dropped, undelivered)
	if !report.EndRecordDelivered {
		fmt.Fprint(stderr, ", nor the end-of-run record")
	}
	fmt.Fprintf(stderr, "; the spool is kept in %s\n", spool)
}

func fail(stderr io.Writer, msg string) error {
	fmt.Fprintf(stderr, "otelcol-aind run: %s\n", msg)
	return &ExitError{Status: statusPipelineFailed}
}
