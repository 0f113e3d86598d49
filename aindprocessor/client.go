package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"context"
	"strings"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// clientLabel is the name Loki shows aind.client under: aind_client.
var clientLabel = func() string {
	b, _ := lokifit.AppendLabelName(nil, aind.AttrClient)
	return string(b)
}()

// stampClient puts on every resource of ld, as aind.client, the name of the
// client that sent it, as the receiver's authenticator (aindauth) found it
// from the request's token. First it removes every attribute of the
// resources, scopes and records that Loki would show under the same name
// (aind.client, aind_client, a map aind holding client, ...): what a client
// sends, in a header, a field or an attribute, never passes for it.
// Without an authenticated client ld carries no aind.client at all.
func stampClient(ctx context.Context, ld plog.Logs) {
	name := authenticatedClient(ctx)
	var buf []byte
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		resource := rl.Resource().Attributes()
		buf = removeClientLabel(resource, "", buf)
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			buf = removeClientLabel(sl.Scope().Attributes(), "", buf)
			lrs := sl.LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				buf = removeClientLabel(lrs.At(k).Attributes(), "", buf)
			}
		}
		if name != "" {
			resource.PutStr(aind.AttrClient, name)
		}
	}
}

// authenticatedClient is the client name the authenticator put in ctx, ""
// when there is none (no authenticator, or one that names no aind.client).
func authenticatedClient(ctx context.Context) string {
	auth := client.FromContext(ctx).Auth
	if auth == nil {
		return ""
	}
	name, _ := auth.GetAttribute(aind.AttrClient).(string)
	return name
}

// removeClientLabel removes the attributes of m, at any depth of its maps,
// that Loki would name clientLabel. parent is the Loki name of the map
// attribute m is the value of, "" at the top; buf is a reused buffer.
func removeClientLabel(m pcommon.Map, parent string, buf []byte) []byte {
	m.RemoveIf(func(k string, v pcommon.Value) bool {
		if parent == "" && !strings.HasPrefix(k, "aind") {
			return false // Loki keeps letters and digits: its name cannot start with aind_
		}
		name := k
		if parent != "" {
			name = parent + "_" + k
		}
		buf, _ = lokifit.AppendLabelName(buf[:0], name)
		if v.Type() == pcommon.ValueTypeMap {
			if strings.HasPrefix(clientLabel, string(buf)) {
				buf = removeClientLabel(v.Map(), string(buf), buf)
			}
			return false
		}
		return string(buf) == clientLabel
	})
	return buf
}
