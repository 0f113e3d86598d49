package fileinput

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.opentelemetry.io/collector/extension/xextension/storage"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// testConfig reads *.log in dir from the beginning, polling fast.
func testConfig(dir string) Config {
	cfg := NewDefaultConfig()
	cfg.Include = []string{filepath.Join(dir, "*.log")}
	cfg.StartAt = StartAtBeginning
	cfg.PollInterval = 10 * time.Millisecond
	return cfg
}

// testSettings are inputtest's, with no drain: most tests stop at once,
// the drain tests set their own.
func testSettings(t *testing.T, next consumer.Logs, tel *componenttest.Telemetry) input.Settings {
	t.Helper()
	set := inputtest.Settings(t, next, tel)
	set.DrainTimeout = 0
	return set
}

// startInput creates and starts a file input; it is shut down at the end
// of the test unless the test shuts it down first.
func startInput(t *testing.T, cfg Config, set input.Settings, host component.Host, opts ...func(*Input)) *Input {
	t.Helper()
	in, err := New(set, cfg)
	require.NoError(t, err)
	in.retry.BackoffInitial = time.Millisecond
	in.retry.BackoffMax = 10 * time.Millisecond
	for _, opt := range opts {
		opt(in)
	}
	if host == nil {
		host = componenttest.NewNopHost()
	}
	require.NoError(t, in.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, shutdown(in)) })
	return in
}

// shutdown shuts the input down as the receiver does, within its
// drain_timeout.
func shutdown(in *Input) error {
	return inputtest.Shutdown(context.Background(), in, in.set.DrainTimeout)
}

func writeLines(t *testing.T, path string, lines ...string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	require.NoError(t, err)
	for _, l := range lines {
		_, err = f.WriteString(l + "\n")
		require.NoError(t, err)
	}
	require.NoError(t, f.Close())
}

func writeRaw(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	require.NoError(t, err)
	_, err = f.WriteString(content)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// startFileStorage starts contrib's file_storage extension on a temporary
// directory and returns a host that offers it.
func startFileStorage(t *testing.T) (component.ID, component.Host) {
	t.Helper()
	dir := t.TempDir()
	factory := filestorage.NewFactory()
	cfg := factory.CreateDefaultConfig().(*filestorage.Config)
	cfg.Directory = dir
	cfg.Compaction.Directory = dir
	ext, err := factory.Create(context.Background(), extensiontest.NewNopSettings(factory.Type()), cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, ext.Shutdown(context.Background())) })
	id := component.NewID(factory.Type())
	return id, inputtest.NewHost(map[component.ID]component.Component{id: ext})
}

// savesCounter counts the checkpoint writes; it lets a test wait for the
// checkpoint of what it saw delivered.
type savesCounter struct {
	storage.Client
	saves *atomic.Int64
}

func (p savesCounter) Set(ctx context.Context, key string, value []byte) error {
	err := p.Client.Set(ctx, key, value)
	p.saves.Add(1)
	return err
}

func (p savesCounter) Batch(ctx context.Context, ops ...*storage.Operation) error {
	err := p.Client.Batch(ctx, ops...)
	p.saves.Add(1)
	return err
}

func countSaves(saves *atomic.Int64) func(*Input) {
	return func(in *Input) {
		in.wrapStorage = func(c storage.Client) storage.Client {
			return savesCounter{Client: c, saves: saves}
		}
	}
}

// waitForCheckpoint waits for a checkpoint written after the call. Every
// write (the journal after an accepted batch, the known files at the end of
// a poll) holds the positions of every batch accepted before it started;
// the second write to end after the call started after it, so it covers
// every batch the consumer accepted before the call.
func waitForCheckpoint(t *testing.T, saves *atomic.Int64) {
	t.Helper()
	before := saves.Load()
	require.Eventually(t, func() bool { return saves.Load() > before+1 }, inputtest.WaitFor, inputtest.Tick, "no checkpoint was saved")
}

// backlog is a file of numbered AIND lines written before an input
// starts, and a file_storage for its checkpoints.
type backlog struct {
	storageID component.ID
	host      component.Host
	dir, path string
	lines     []string
}

func newBacklog(t *testing.T, lines int) backlog {
	t.Helper()
	storageID, host := startFileStorage(t)
	dir := t.TempDir()
	b := backlog{storageID: storageID, host: host, dir: dir, path: filepath.Join(dir, "app.log"), lines: inputtest.Numbered("line", 0, lines)}
	writeLines(t, b.path, inputtest.AindLines(b.lines)...)
	return b
}

// config is testConfig for the backlog, its checkpoints in the storage.
func (b backlog) config() Config {
	cfg := testConfig(b.dir)
	cfg.Storage = &b.storageID
	return cfg
}

// restart is restartFromCheckpoint on the backlog.
func (b backlog) restart(t *testing.T, want int) *consumertest.LogsSink {
	t.Helper()
	return restartFromCheckpoint(t, b.dir, b.path, b.storageID, b.host, want)
}

// restartFromCheckpoint starts an input with start_at: end on the storage
// a previous one used, so lines reach it only through the checkpoint; waits
// for want records, then appends a "sentinel" line and waits for it too, so
// that nothing read late is missed by the caller's exactly-once check.
func restartFromCheckpoint(t *testing.T, dir, path string, storageID component.ID, host component.Host, want int) *consumertest.LogsSink {
	t.Helper()
	cfg := testConfig(dir)
	cfg.Storage = &storageID
	cfg.StartAt = StartAtEnd
	sink := new(consumertest.LogsSink)
	startInput(t, cfg, testSettings(t, sink, nil), host)
	inputtest.WaitForCount(t, sink, want)
	writeLines(t, path, inputtest.AindLine("sentinel"))
	inputtest.WaitForMessage(t, sink, "sentinel")
	return sink
}

// below accepts the lines numbered below n (a HoldingConsumer's Accepts).
func below(n int) func(int) bool { return func(line int) bool { return line < n } }
