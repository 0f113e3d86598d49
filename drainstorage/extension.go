package drainstorage // import "github.com/AllenNeuralDynamics/otelcol-aind/drainstorage"

import (
	"context"
	"fmt"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/extension/extensioncapabilities"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/drainstorage/internal/queuemeta"
)

// drainStorage hands out the clients of the storage extension it wraps.
// Those of exporters (their persistent sending queues) report every change
// of the queue's metadata, so that it knows the queues' backlog.
type drainStorage struct {
	set   extension.Settings
	cfg   *Config
	inner storage.Extension

	mu     sync.Mutex
	queues map[*queueClient]queuemeta.Backlog
}

var (
	_ storage.Extension               = (*drainStorage)(nil)
	_ extensioncapabilities.Dependent = (*drainStorage)(nil)
)

func newDrainStorage(set extension.Settings, cfg *Config) *drainStorage {
	return &drainStorage{set: set, cfg: cfg, queues: map[*queueClient]queuemeta.Backlog{}}
}

// Start finds the storage extension that keeps the data.
func (d *drainStorage) Start(_ context.Context, host component.Host) error {
	ext, ok := host.GetExtensions()[d.cfg.Storage]
	if !ok {
		return fmt.Errorf("storage extension %q not found", d.cfg.Storage.String())
	}
	inner, ok := ext.(storage.Extension)
	if !ok {
		return fmt.Errorf("extension %q is not a storage extension", d.cfg.Storage.String())
	}
	d.inner = inner
	return nil
}

// Dependencies makes the collector start the storage extension first.
func (d *drainStorage) Dependencies() []component.ID {
	return []component.ID{d.cfg.Storage}
}

// Shutdown has nothing to release: the clients close themselves.
func (*drainStorage) Shutdown(context.Context) error { return nil }

// GetClient returns the wrapped extension's client for the component. The
// data is where it would be without this extension: switching a queue's
// storage to it keeps what the queue holds.
func (d *drainStorage) GetClient(ctx context.Context, kind component.Kind, id component.ID, name string) (storage.Client, error) {
	if d.inner == nil {
		return nil, fmt.Errorf("%s is not started", d.set.ID.String())
	}
	client, err := d.inner.GetClient(ctx, kind, id, name)
	if err != nil || kind != component.KindExporter {
		return client, err
	}
	q := &queueClient{Client: client, owner: d}
	d.mu.Lock()
	d.queues[q] = queuemeta.Backlog{}
	d.mu.Unlock()
	return q, nil
}

// QueueBacklog is what the persistent sending queues kept through this
// extension hold now: requests not sent yet or being sent, and the records
// in them.
func (d *drainStorage) QueueBacklog() (requests, records int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, b := range d.queues {
		requests += b.Requests
		records += b.Records
	}
	return requests, records
}

func (d *drainStorage) update(q *queueClient, value []byte) {
	b, err := queuemeta.Parse(value)
	if err != nil {
		d.set.Logger.Debug("Unreadable sending queue metadata", zap.Error(err))
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, open := d.queues[q]; open {
		d.queues[q] = b
	}
}

func (d *drainStorage) closed(q *queueClient) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.queues, q)
}

// queueClient is an exporter's client. Every time its queue reads or
// writes its metadata, the backlog is updated.
type queueClient struct {
	storage.Client
	owner *drainStorage
}

func (q *queueClient) Get(ctx context.Context, key string) ([]byte, error) {
	v, err := q.Client.Get(ctx, key)
	if err == nil && key == queuemeta.Key {
		q.owner.update(q, v)
	}
	return v, err
}

func (q *queueClient) Set(ctx context.Context, key string, value []byte) error {
	err := q.Client.Set(ctx, key, value)
	if err == nil && key == queuemeta.Key {
		q.owner.update(q, value)
	}
	return err
}

func (q *queueClient) Batch(ctx context.Context, ops ...*storage.Operation) error {
	err := q.Client.Batch(ctx, ops...)
	if err != nil {
		return err
	}
	for _, op := range ops {
		if op.Key == queuemeta.Key && op.Type != storage.Delete {
			q.owner.update(q, op.Value)
		}
	}
	return nil
}

func (q *queueClient) Close(ctx context.Context) error {
	q.owner.closed(q)
	return q.Client.Close(ctx)
}
