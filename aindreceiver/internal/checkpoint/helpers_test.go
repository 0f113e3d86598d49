package checkpoint

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/trim"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"
	"google.golang.org/protobuf/encoding/protowire"
)

// waitFor bounds every wait of these tests; nothing asserts how long a
// step takes.
const waitFor = 20 * time.Second

// memClient is a storage client in memory whose writes can be frozen: a
// frozen client drops every write, as a process killed at that moment would
// never make them.
type memClient struct {
	mu     sync.Mutex
	data   map[string][]byte
	frozen bool
	closed bool
	writes int
}

var _ storage.Client = (*memClient)(nil)

func newMemClient(data map[string][]byte) *memClient {
	return &memClient{data: maps.Clone(data)}
}

func (c *memClient) Get(_ context.Context, key string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.data[key], nil
}

func (c *memClient) Set(ctx context.Context, key string, value []byte) error {
	return c.Batch(ctx, storage.SetOperation(key, value))
}

func (c *memClient) Delete(ctx context.Context, key string) error {
	return c.Batch(ctx, storage.DeleteOperation(key))
}

func (c *memClient) Batch(_ context.Context, ops ...*storage.Operation) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data == nil {
		c.data = map[string][]byte{}
	}
	for _, op := range ops {
		switch op.Type {
		case storage.Get:
			op.Value = c.data[op.Key]
		case storage.Set:
			if !c.frozen {
				c.data[op.Key] = append([]byte(nil), op.Value...)
			}
		case storage.Delete:
			if !c.frozen {
				delete(c.data, op.Key)
			}
		}
	}
	if !c.frozen {
		c.writes++
	}
	return nil
}

func (c *memClient) Close(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

// freeze drops every later write and returns what was written until now.
func (c *memClient) freeze() map[string][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frozen = true
	return maps.Clone(c.data)
}

func (c *memClient) get(key string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.data[key]
}

// startManager runs a real fileconsumer on the *.log files of dir, set up as
// the receiver sets it up (raw bytes, no trimming, lines read from the
// beginning), with store as its persister.
func startManager(t *testing.T, dir string, store *Store, emit func(ctx context.Context, tokens [][]byte, attrs map[string]any, lastRecordNumber int64, offsets []int64) error) *fileconsumer.Manager {
	t.Helper()
	cfg := fileconsumer.NewConfig()
	cfg.Include = []string{filepath.Join(dir, "*.log")}
	cfg.StartAt = "beginning"
	cfg.PollInterval = 10 * time.Millisecond
	cfg.Encoding = "utf-8-raw"
	cfg.MaxLogSize = 4096
	cfg.MaxLogSizeBehavior = fileconsumer.MaxLogSizeBehaviorTruncate
	cfg.TrimConfig = trim.Config{PreserveLeading: true, PreserveTrailing: true}
	m, err := cfg.Build(componenttest.NewNopTelemetrySettings(), emit)
	require.NoError(t, err)
	require.NoError(t, m.Start(store))
	return m
}

// newTestStore returns a store over client; it is closed at the end of the
// test unless the test closes it.
func newTestStore(t *testing.T, client storage.Client) *Store {
	t.Helper()
	s := NewStore(client, zap.NewNop(), nil)
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { require.NoError(t, s.Close(context.Background())) }) })
	return s
}

func writeLines(t *testing.T, path string, from, to int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	require.NoError(t, err)
	defer f.Close()
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, `{"timestamp":"2026-02-09T21:19:24.061270Z","level":"INFO","message":"line %05d"}`+"\n", i)
	}
	_, err = f.WriteString(b.String())
	require.NoError(t, err)
}

// lineNumber is the number in a line written by writeLines.
func lineNumber(t *testing.T, token []byte) int {
	t.Helper()
	var n int
	_, err := fmt.Sscanf(string(token[strings.Index(string(token), "line "):]), "line %05d", &n)
	require.NoError(t, err, "token %q", token)
	return n
}

// fingerprintOf returns the fingerprint bytes of a known-files entry.
func fingerprintOf(t *testing.T, f knownFile) []byte {
	t.Helper()
	b := f.raw
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		require.Positive(t, n)
		b = b[n:]
		if num == fieldFingerprint {
			fp, n := protowire.ConsumeBytes(b)
			require.Positive(t, n)
			num, _, n = protowire.ConsumeTag(fp)
			require.Equal(t, protowire.Number(fieldFirstBytes), num)
			v, _ := protowire.ConsumeBytes(fp[n:])
			return v
		}
		n = protowire.ConsumeFieldValue(num, typ, b)
		require.Positive(t, n)
		b = b[n:]
	}
	return nil
}
