package drainstorage

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/drainstorage/internal/metadata"
)

const waitFor = 20 * time.Second

// host offers the extensions it was given.
type host struct {
	component.Host
	extensions map[component.ID]component.Component
}

func (h host) GetExtensions() map[component.ID]component.Component { return h.extensions }

// startStorages starts contrib's file_storage on dir and a drain_storage in
// front of it, and returns a host offering both.
func startStorages(t *testing.T, dir string) (*drainStorage, component.ID, component.Host) {
	t.Helper()
	fsFactory := filestorage.NewFactory()
	fsCfg := fsFactory.CreateDefaultConfig().(*filestorage.Config)
	fsCfg.Directory, fsCfg.Compaction.Directory = dir, dir
	fs, err := fsFactory.Create(context.Background(), extensiontest.NewNopSettings(fsFactory.Type()), fsCfg)
	require.NoError(t, err)
	fsID := component.NewID(fsFactory.Type())

	ext, err := NewFactory().Create(context.Background(), extensiontest.NewNopSettings(metadata.Type), &Config{Storage: fsID})
	require.NoError(t, err)
	drainID := component.NewID(metadata.Type)
	h := host{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{fsID: fs, drainID: ext}}
	require.NoError(t, fs.Start(context.Background(), h))
	require.NoError(t, ext.Start(context.Background(), h))
	t.Cleanup(func() {
		require.NoError(t, ext.Shutdown(context.Background()))
		require.NoError(t, fs.Shutdown(context.Background()))
	})
	return ext.(*drainStorage), drainID, h
}

// backend is an exporter's push function that refuses while down.
type backend struct {
	down   atomic.Bool
	pushed atomic.Int64
}

func (b *backend) push(_ context.Context, ld plog.Logs) error {
	if b.down.Load() {
		return errors.New("backend down")
	}
	b.pushed.Add(int64(ld.LogRecordCount()))
	return nil
}

// startExporter is an exporter built with exporterhelper, its persistent
// sending queue kept in the drain_storage with id.
func startExporter(t *testing.T, id component.ID, h component.Host, b *backend) exporter.Logs {
	t.Helper()
	qcfg := exporterhelper.NewDefaultQueueConfig()
	qcfg.StorageID = &id
	qcfg.NumConsumers = 1
	retry := configretry.NewDefaultBackOffConfig()
	retry.InitialInterval, retry.MaxInterval, retry.MaxElapsedTime = 5*time.Millisecond, 20*time.Millisecond, 0
	// Nop settings name the ID randomly; a restarted exporter must keep its
	// ID to find its queue.
	set := exportertest.NewNopSettings(component.MustNewType("test"))
	set.ID = component.NewID(set.ID.Type())
	exp, err := exporterhelper.NewLogs(context.Background(), set, &struct{}{}, b.push,
		exporterhelper.WithQueue(configoptional.Some(qcfg)), exporterhelper.WithRetry(retry))
	require.NoError(t, err)
	require.NoError(t, exp.Start(context.Background(), h))
	return exp
}

func logsOf(records int) plog.Logs {
	ld := plog.NewLogs()
	lrs := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	for range records {
		lrs.AppendEmpty().Body().SetStr("line")
	}
	return ld
}

func backlogIs(t *testing.T, d *drainStorage, requests, records int64) {
	t.Helper()
	require.Eventually(t, func() bool {
		req, rec := d.QueueBacklog()
		return req == requests && rec == records
	}, waitFor, time.Millisecond, "backlog never became %d requests, %d records", requests, records)
}

// The backlog follows a real persistent queue: it grows while the backend
// is down and falls to zero once the queue sent everything.
func TestQueueBacklog(t *testing.T) {
	d, id, h := startStorages(t, t.TempDir())
	b := &backend{}
	b.down.Store(true)
	exp := startExporter(t, id, h, b)
	for range 5 {
		require.NoError(t, exp.ConsumeLogs(context.Background(), logsOf(10)))
	}
	backlogIs(t, d, 5, 50)

	b.down.Store(false)
	backlogIs(t, d, 0, 0)
	assert.Equal(t, int64(50), b.pushed.Load())
	require.NoError(t, exp.Shutdown(context.Background()))
}

// What a queue left on disk at shutdown is known as soon as a queue on the
// same storage starts again; a queue that closed its client no longer
// counts.
func TestQueueBacklogAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	b := &backend{}
	b.down.Store(true)
	func() {
		d, id, h := startStorages(t, dir)
		exp := startExporter(t, id, h, b)
		for range 3 {
			require.NoError(t, exp.ConsumeLogs(context.Background(), logsOf(7)))
		}
		backlogIs(t, d, 3, 21)
		require.NoError(t, exp.Shutdown(context.Background()))
		backlogIs(t, d, 0, 0)
	}()

	d, id, h := startStorages(t, dir)
	exp := startExporter(t, id, h, b)
	backlogIs(t, d, 3, 21)
	b.down.Store(false)
	backlogIs(t, d, 0, 0)
	assert.Equal(t, int64(21), b.pushed.Load())
	require.NoError(t, exp.Shutdown(context.Background()))
}

// Clients of other components are the wrapped extension's own.
func TestOtherClientsPassThrough(t *testing.T) {
	d, _, _ := startStorages(t, t.TempDir())
	c, err := d.GetClient(context.Background(), component.KindReceiver, component.MustNewID("aind"), "")
	require.NoError(t, err)
	_, wrapped := c.(*queueClient)
	assert.False(t, wrapped)
	require.NoError(t, c.Set(context.Background(), "qmv0", []byte{0x19, 1, 0, 0, 0, 0, 0, 0, 0}))
	req, rec := d.QueueBacklog()
	assert.Zero(t, req+rec)
	require.NoError(t, c.Close(context.Background()))
}

// notAStorage is an extension that is no storage extension.
type notAStorage struct {
	component.StartFunc
	component.ShutdownFunc
}

func TestStartErrors(t *testing.T) {
	ext, err := NewFactory().Create(context.Background(), extensiontest.NewNopSettings(metadata.Type), &Config{Storage: component.MustNewID("file_storage")})
	require.NoError(t, err)
	require.ErrorContains(t, ext.Start(context.Background(), componenttest.NewNopHost()), `storage extension "file_storage" not found`)

	notStorage := component.MustNewID("health_check")
	ext, err = NewFactory().Create(context.Background(), extensiontest.NewNopSettings(metadata.Type), &Config{Storage: notStorage})
	require.NoError(t, err)
	h := host{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{notStorage: notAStorage{}}}
	require.ErrorContains(t, ext.Start(context.Background(), h), `extension "health_check" is not a storage extension`)

	_, err = ext.(*drainStorage).GetClient(context.Background(), component.KindExporter, component.MustNewID("otlp_http"), "logs")
	require.ErrorContains(t, err, "not started")
}
