package pickle

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/testenv"
)

// The fixtures are frames real CPython made with SocketHandler.makePickle
// at protocols 0 to 5, and the value Python computed for each
// (testdata/gen_frames.py says how it is encoded).

type fixture struct {
	Objects int             `json:"objects"`
	Value   json.RawMessage `json:"value"`
}

// readFixtures returns the fixtures of dir by name, with their frames by
// protocol.
func readFixtures(t testing.TB, dir string) map[string]fixture {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	out := map[string]fixture{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		require.NoError(t, err)
		var f fixture
		require.NoError(t, json.Unmarshal(raw, &f))
		out[strings.TrimSuffix(filepath.Base(p), ".json")] = f
	}
	return out
}

func readFrame(t testing.TB, dir, name string, proto int) []byte {
	b, err := os.ReadFile(filepath.Join(dir, name+".p"+strconv.Itoa(proto)+".pickle"))
	require.NoError(t, err)
	return b
}

// expected decodes a fixture's value into the form plain() gives pdata.
func expected(t testing.TB, raw json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return fromJSON(t, v)
}

func fromJSON(t testing.TB, v any) any {
	switch v := v.(type) {
	case json.Number:
		i, err := v.Int64()
		require.NoError(t, err)
		return i
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = fromJSON(t, x)
		}
		return out
	case map[string]any:
		if len(v) == 1 {
			if s, ok := v["$float"].(string); ok {
				f, err := strconv.ParseFloat(s, 64)
				require.NoError(t, err)
				return f
			}
			if s, ok := v["$bytes"].(string); ok {
				b, err := base64.StdEncoding.DecodeString(s)
				require.NoError(t, err)
				return b
			}
			if s, ok := v["$object"].(string); ok {
				return "<" + s + " object>"
			}
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = fromJSON(t, x)
		}
		return out
	}
	return v
}

// plain is v as Go values, bytes kept apart from strings.
func plain(v pcommon.Value) any {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return v.Str()
	case pcommon.ValueTypeInt:
		return v.Int()
	case pcommon.ValueTypeDouble:
		return v.Double()
	case pcommon.ValueTypeBool:
		return v.Bool()
	case pcommon.ValueTypeBytes:
		b := v.Bytes().AsRaw()
		if b == nil {
			b = []byte{}
		}
		return b
	case pcommon.ValueTypeSlice:
		out := make([]any, v.Slice().Len())
		for i := range out {
			out[i] = plain(v.Slice().At(i))
		}
		return out
	case pcommon.ValueTypeMap:
		return plainMap(v.Map())
	}
	return nil
}

func plainMap(m pcommon.Map) map[string]any {
	out := make(map[string]any, m.Len())
	for k, x := range m.All() {
		out[k] = plain(x)
	}
	return out
}

// checkFixtures decodes every frame of dir with one decoder, reused across
// frames as a connection's is, and compares it with the expected value.
func checkFixtures(t *testing.T, dir string) {
	var d Decoder
	for name, f := range readFixtures(t, dir) {
		want := expected(t, f.Value)
		for proto := range 6 {
			dst := pcommon.NewMap()
			rep, err := d.DecodeDict(readFrame(t, dir, name, proto), dst)
			require.NoError(t, err, "%s protocol %d", name, proto)
			got := plainMap(dst)
			// Key by key: a failure then shows one field, not the record.
			for k, w := range want.(map[string]any) {
				assert.Equal(t, w, got[k], "%s protocol %d key %q", name, proto, k)
			}
			assert.Len(t, got, len(want.(map[string]any)), "%s protocol %d", name, proto)
			assert.Equal(t, f.Objects, rep.Objects, "%s protocol %d", name, proto)
		}
	}
}

func TestFixtures(t *testing.T) {
	checkFixtures(t, "testdata/frames")
}

// TestFixturesKeepKeyOrder checks the record's keys come in the order
// Python pickled them (a dict keeps insertion order, and so does pdata).
func TestFixturesKeepKeyOrder(t *testing.T) {
	var d Decoder
	dst := pcommon.NewMap()
	_, err := d.DecodeDict(readFrame(t, "testdata/frames", "basic", 1), dst)
	require.NoError(t, err)
	var keys []string
	for k := range dst.All() {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{"name", "msg", "args", "levelname", "levelno", "pathname", "filename",
		"module", "exc_info", "exc_text", "stack_info", "lineno", "funcName", "created", "msecs",
		"relativeCreated", "thread", "threadName", "processName", "process"}, keys)
}

// TestFixturesCurrent regenerates the fixtures with the system Python:
// decoding the fresh frames must give the fresh expectations, and with the
// Python version that made the committed ones, the files must be the same.
func TestFixturesCurrent(t *testing.T) {
	python := testenv.Command(t, testenv.SystemPython, "python3")
	if testing.Short() {
		t.Skip("runs Python")
	}
	dir := t.TempDir()
	out, err := exec.Command(python, "testdata/gen_frames.py", dir).CombinedOutput()
	require.NoError(t, err, "%s", out)
	checkFixtures(t, dir)

	version, err := exec.Command(python, "-c", "import sys;print('%d.%d'%sys.version_info[:2])").Output()
	require.NoError(t, err)
	committed, err := os.ReadFile("testdata/frames/PYTHON_VERSION")
	require.NoError(t, err)
	if string(version) != string(committed) {
		testenv.Missing(t, "Python %s made the fixtures and %s is %s: they were decoded, not compared byte for byte "+
			"(run with the Python %s of the Debian release CI runs on)",
			strings.TrimSpace(string(committed)), python, strings.TrimSpace(string(version)), strings.TrimSpace(string(committed)))
	}
	fresh, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	for _, p := range fresh {
		want, err := os.ReadFile(p)
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("testdata/frames", filepath.Base(p)))
		require.NoError(t, err, "run /usr/bin/python3 testdata/gen_frames.py")
		assert.Equal(t, want, got, "%s is stale: run /usr/bin/python3 testdata/gen_frames.py", filepath.Base(p))
	}
}
