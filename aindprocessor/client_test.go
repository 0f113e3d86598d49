package aindprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

// authData is what an authenticator puts in client.Info.Auth.
type authData map[string]any

func (a authData) GetAttribute(name string) any { return a[name] }
func (a authData) GetAttributeNames() []string {
	var names []string
	for k := range a {
		names = append(names, k)
	}
	return names
}

// forgedLogs is a batch whose client tries every way to pass for another
// one: aind.client on the resource, the scope and the record, as a field
// of its AIND record, under other names Loki shows as aind_client, and in
// maps Loki flattens to it. A record that is not AIND JSON passes through
// the mapping with the same resource.
func forgedLogs() plog.Logs {
	ld := plogtest.LinesToLogs(map[string]string{aind.AttrClient: "forged", "aind_client": "forged", "co.capsule.id": "cap-1"},
		`{"message":"mapped","software_name":"waterlog","aind.client":"forged","aind-client":"forged","aind":{"client":"forged","other":"kept"},"aind.":{".":{"client":"forged"}},"aind.clients":"kept"}`,
		`not json`)
	rl := ld.ResourceLogs().At(0)
	rl.Resource().Attributes().PutEmptyMap("aind").PutStr("client", "forged")
	sl := rl.ScopeLogs().At(0)
	sl.Scope().Attributes().PutStr("aind..client", "forged")
	sl.LogRecords().At(1).Attributes().PutStr(aind.AttrClient, "forged")
	return ld
}

func processAs(t *testing.T, ctx context.Context, ld plog.Logs) plog.Logs {
	t.Helper()
	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	require.NoError(t, err)
	out, err := newTestProcessor(t, createDefaultConfig(), tb).processLogs(ctx, ld)
	require.NoError(t, err)
	return out
}

// clientLabels lists, for every record, the values of the entries Loki
// would name aind_client: its resource's, its scope's and its own.
func clientLabels(ld plog.Logs) [][]string {
	var out [][]string
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			for k := 0; k < sl.LogRecords().Len(); k++ {
				var got []string
				for _, m := range []pcommon.Map{rl.Resource().Attributes(), sl.Scope().Attributes(), sl.LogRecords().At(k).Attributes()} {
					got = appendClientLabels(got, m, "")
				}
				out = append(out, got)
			}
		}
	}
	return out
}

func appendClientLabels(got []string, m pcommon.Map, parent string) []string {
	m.Range(func(k string, v pcommon.Value) bool {
		name := k
		if parent != "" {
			name = parent + "_" + k
		}
		b, _ := lokifit.AppendLabelName(nil, name)
		if v.Type() == pcommon.ValueTypeMap {
			got = appendClientLabels(got, v.Map(), string(b))
		} else if string(b) == clientLabel {
			got = append(got, v.AsString())
		}
		return true
	})
	return got
}

func TestStampClientNamesTheAuthenticatedClient(t *testing.T) {
	ctx := client.NewContext(context.Background(), client.Info{Auth: authData{aind.AttrClient: "team-ephys"}})
	out := processAs(t, ctx, forgedLogs())
	assert.Equal(t, [][]string{{"team-ephys"}, {"team-ephys"}}, clientLabels(out), "one aind_client per record, the gateway's")
	require.Equal(t, 2, out.ResourceLogs().Len(), "the mapped record has its own resource")
	for i := 0; i < out.ResourceLogs().Len(); i++ {
		attrs := out.ResourceLogs().At(i).Resource().Attributes()
		v, _ := attrs.Get(aind.AttrClient)
		assert.Equal(t, "team-ephys", v.Str())
	}
	assertOthersKept(t, out)
}

func TestStampClientRemovesForgedNamesWithoutAuthentication(t *testing.T) {
	for name, ctx := range map[string]context.Context{
		"no client.Info": context.Background(),
		"no auth":        client.NewContext(context.Background(), client.Info{}),
		"another authenticator": client.NewContext(context.Background(),
			client.Info{Auth: authData{"subject": "someone"}}),
		"not a string": client.NewContext(context.Background(),
			client.Info{Auth: authData{aind.AttrClient: 42}}),
	} {
		t.Run(name, func(t *testing.T) {
			out := processAs(t, ctx, forgedLogs())
			assert.Equal(t, [][]string{nil, nil}, clientLabels(out))
			assertOthersKept(t, out)
		})
	}
}

// assertOthersKept checks that what only looks like aind.client stays.
func assertOthersKept(t *testing.T, out plog.Logs) {
	t.Helper()
	var mapped plog.LogRecord
	for i := 0; i < out.ResourceLogs().Len(); i++ {
		rl := out.ResourceLogs().At(i)
		v, ok := rl.Resource().Attributes().Get("co.capsule.id")
		assert.True(t, ok)
		assert.Equal(t, "cap-1", v.Str())
		lr := rl.ScopeLogs().At(0).LogRecords().At(0)
		if lr.Body().Str() == "mapped" {
			mapped = lr
		}
	}
	plogtest.AssertAttr(t, mapped, "aind.clients", "kept")
	plogtest.AssertAttr(t, mapped, "aind", map[string]any{"other": "kept"})
	plogtest.AssertAttr(t, mapped, "aind.", map[string]any{".": map[string]any{}})
}
