package socketinput

import (
	"context"
	"encoding/binary"
	"math"
	"net"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// socketTestConfig is the socket input's defaults, on a free loopback
// port.
func socketTestConfig() Config {
	cfg := NewDefaultConfig()
	cfg.Endpoint = "127.0.0.1:0"
	return cfg
}

// startSocket creates and starts a socket input; it is shut down at the end
// of the test. It returns the input and its address.
func startSocket(t testing.TB, cfg Config, set input.Settings) (*Input, string) {
	t.Helper()
	in, err := New(set, cfg)
	require.NoError(t, err)
	in.retry.BackoffInitial, in.retry.BackoffMax = inputtest.Tick, 10*inputtest.Tick
	require.NoError(t, in.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { _ = inputtest.Shutdown(context.Background(), in, set.DrainTimeout) })
	return in, in.addr.String()
}

// dial connects to the socket input; the connection is closed at the end
// of the test.
func dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, inputtest.WaitFor)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// fixtureFrame is a frame of a pickle CPython made (the pickle package's
// testdata, made by gen_frames.py): the length prefix and the pickle.
func fixtureFrame(t testing.TB, name string) []byte {
	t.Helper()
	p, err := os.ReadFile(filepath.Join("..", "pickle", "testdata", "frames", name))
	require.NoError(t, err)
	return frame(p)
}

// frame prefixes a pickle with its length, as SocketHandler does.
func frame(pickle []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(pickle))), pickle...)
}

// pickleDict writes a protocol 2 pickle of a flat dict of str keys and
// str, int, float, bool or nil values, in sorted key order: the frames
// of tests that need many different records. The real client's frames are
// fixtureFrame's and the integration test's.
func pickleDict(fields map[string]any) []byte {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	str := func(b []byte, s string) []byte {
		b = append(b, 'X')
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		return append(b, s...)
	}
	b := []byte{0x80, 2, '}', '('}
	for _, k := range keys {
		b = str(b, k)
		switch v := fields[k].(type) {
		case string:
			b = str(b, v)
		case int:
			b = append(b, 'J')
			b = binary.LittleEndian.AppendUint32(b, uint32(int32(v)))
		case float64:
			b = append(b, 'G')
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
		case bool:
			b = append(b, map[bool]byte{true: 0x88, false: 0x89}[v])
		case nil:
			b = append(b, 'N')
		default:
			panic("pickleDict: unsupported value type")
		}
	}
	return append(b, 'u', '.')
}
