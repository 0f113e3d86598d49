package redact

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/jsonlines"
)

func TestReplaceWholeTypes(t *testing.T) {
	w := testWalker(t, DefaultConfig())
	m := pcommon.NewMap()
	m.PutStr("password", "x")
	m.PutInt("pwd", 1234)
	m.PutDouble("secret", 1.5)
	m.PutBool("token", true)
	m.PutEmptyBytes("api_key").FromRaw([]byte{1, 2})
	m.PutEmptySlice("cookie").AppendEmpty().SetStr("a")
	m.PutEmptyMap("credentials").PutStr("user", "bob")
	m.PutEmpty("auth")
	m.PutStr("session", "")
	m.PutEmptyMap("private_key")
	w.paths.set("x")
	n := w.mapValue(m, true)
	assert.Equal(t, 7, n)
	assert.Equal(t, map[string]any{
		"password": "[REDACTED]", "pwd": "[REDACTED]", "secret": "[REDACTED]", "token": "[REDACTED]",
		"api_key": "[REDACTED]", "cookie": "[REDACTED]", "credentials": "[REDACTED]",
		"auth": nil, "session": "", "private_key": map[string]any{},
	}, m.AsRaw())
}

// TestPathsOffBounded: the report_keys path buffer does not grow when
// report_keys is off.
func TestPathsOffBounded(t *testing.T) {
	w := testWalker(t, DefaultConfig())
	sc := pcommon.NewInstrumentationScope()
	sc.SetName("lib")
	sc.Attributes().PutStr("a", "b")
	for range 100 {
		w.scope(sc)
	}
	assert.Empty(t, w.paths.path)
	assert.Nil(t, w.paths.record)
}

// TestGoldenInputsUntouched: the golden samples hold no secrets, so the
// defaults must not change a byte of them (the processor's TestGolden
// checks the whole output; this names the culprit if it fails).
func TestGoldenInputsUntouched(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "*.jsonl"))
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	w := testWalker(t, DefaultConfig())
	for _, in := range inputs {
		data, err := os.ReadFile(in)
		require.NoError(t, err)
		for _, line := range strings.Split(string(data), "\n") {
			lr := plog.NewLogRecord()
			jsonlines.DecodeLine(jsonlines.CleanLine([]byte(line)), lr)
			w.paths.set("")
			n := w.value(lr.Body())
			assert.Zero(t, n, "%s: %s", filepath.Base(in), line)
		}
	}
}

// testBatch holds a secret in a resource attribute, a scope attribute and
// each of two records.
func testBatch() plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("host.name", "h-"+awsKeyID)
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().Attributes().PutStr("client_secret", "cs")
	for _, body := range []string{"login password=" + plainPass, "token " + ghpToken} {
		sl.LogRecords().AppendEmpty().Body().SetStr(body)
	}
	return ld
}

// TestRedactCounts: Redact reports each kind once per batch, a resource's
// and a scope's secrets once, while every record's aind.redacted.count
// includes them.
func TestRedactCounts(t *testing.T) {
	r := mustNew(t, nil)
	ld := testBatch()
	got := map[string]int64{}
	r.Redact(ld, func(kind string, n int64) {
		_, again := got[kind]
		assert.False(t, again, "kind %s reported twice", kind)
		got[kind] = n
	})
	assert.Equal(t, map[string]int64{"aws_access_key_id": 1, "key": 1, "secret_assignment": 1, "github_token": 1}, got)
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for i := range lrs.Len() {
		n, ok := lrs.At(i).Attributes().Get(aind.AttrRedactedCount)
		require.True(t, ok)
		assert.Equal(t, int64(3), n.Int(), "record %d: its own, the scope's and the resource's", i)
	}
	assert.Equal(t, append(builtinKindNames[:], "custom_0"), mustNew(t, []string{"LAB-[0-9]+"}).Kinds())
}

func mustNew(t *testing.T, patterns []string) *Redactor {
	t.Helper()
	c := DefaultConfig()
	c.Patterns = patterns
	r, err := New(&c)
	require.NoError(t, err)
	return r
}

// TestRedactConcurrent: batches redacted at once (processLogs may be called
// concurrently) come out as one at a time; run with -race.
func TestRedactConcurrent(t *testing.T) {
	r := mustNew(t, []string{`LAB-[0-9]{6}`})
	want := testBatch()
	r.Redact(want, func(string, int64) {})
	wantJSON, err := (&plog.JSONMarshaler{}).MarshalLogs(want)
	require.NoError(t, err)
	var wg sync.WaitGroup
	outs := make([][]byte, 8)
	for i := range outs {
		wg.Go(func() {
			for range 50 {
				ld := testBatch()
				r.Redact(ld, func(string, int64) {})
				outs[i], _ = (&plog.JSONMarshaler{}).MarshalLogs(ld)
			}
		})
	}
	wg.Wait()
	for i, out := range outs {
		assert.JSONEq(t, string(wantJSON), string(out), "goroutine %d", i)
	}
}
