package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/pdatajson"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/plogtest"
)

const shapeLine = `{"timestamp":"2026-02-09T21:19:24.061270Z","level":"ERROR","message":"m","software_name":"waterlog","subject_id":7,"lineno":3}`

// inputShapes holds shapeLine in each of the mapping's three input shapes.
func inputShapes(t *testing.T) map[string]plog.Logs {
	t.Helper()
	bodyMap := plogtest.LinesToLogs(nil, shapeLine)

	bodyString := plog.NewLogs()
	bodyString.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr(shapeLine)

	// filelog's json_parser: the fields are attributes, the body is the raw line.
	attributes := plog.NewLogs()
	lr := attributes.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lr.Body().SetStr(shapeLine)
	require.NoError(t, pdatajson.ParseObject([]byte(shapeLine), lr.Attributes()))
	lr.Attributes().PutStr("log.file.name", "a.jsonl")
	return map[string]plog.Logs{"body map": bodyMap, "body string": bodyString, "attributes": attributes}
}

// The three input shapes of the mapping must give the same record.
func TestInputShapes(t *testing.T) {
	for name, ld := range inputShapes(t) {
		t.Run(name, func(t *testing.T) {
			rl, _, lr := plogtest.Only(t, process(t, defaultConfig(), ld))
			assert.Equal(t, pcommon.Timestamp(1770671964061270000), lr.Timestamp())
			assert.Equal(t, plog.SeverityNumberError, lr.SeverityNumber())
			assert.Equal(t, "m", lr.Body().Str())
			plogtest.AssertAttr(t, lr, "subject_id", "7")
			plogtest.AssertAttr(t, lr, "code.line.number", int64(3))
			plogtest.AssertNoAttr(t, lr, "message")
			plogtest.AssertNoAttr(t, lr, "software_name")
			assert.Equal(t, map[string]any{"service.name": "waterlog"}, rl.Resource().Attributes().AsRaw())
		})
	}
}

// With MapRecords off, none of the three shapes is mapped: each record
// passes through as it came, and its resource still gets a service.name.
func TestMapRecordsOff(t *testing.T) {
	cfg := defaultConfig()
	cfg.MapRecords = false
	for name, ld := range inputShapes(t) {
		t.Run(name, func(t *testing.T) {
			_, _, in := plogtest.Only(t, ld)
			wantBody, wantAttrs := in.Body().AsRaw(), in.Attributes().AsRaw()
			rl, _, lr := plogtest.Only(t, process(t, cfg, ld))
			assert.Equal(t, wantBody, lr.Body().AsRaw())
			assert.Equal(t, wantAttrs, lr.Attributes().AsRaw())
			assert.Equal(t, plog.SeverityNumberUnspecified, lr.SeverityNumber())
			assert.Equal(t, map[string]any{"service.name": aind.DefaultScopeName}, rl.Resource().Attributes().AsRaw())
		})
	}
}

// Records that hold no AIND record pass through untouched, resource and
// scope included, but still get a service.name.
func TestPassthrough(t *testing.T) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("k8s.pod.name", "p")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("other")
	sl.Scope().SetVersion("1.2")
	texts := []string{"plain text", "{not json", "[1,2]"}
	for _, s := range texts {
		lr := sl.LogRecords().AppendEmpty()
		lr.Body().SetStr(s)
		lr.Attributes().PutStr("keep", "me")
		lr.SetSeverityNumber(plog.SeverityNumberWarn)
	}
	sl.LogRecords().AppendEmpty().Body().SetInt(42)

	out := process(t, defaultConfig(), ld)
	require.Equal(t, 1, out.ResourceLogs().Len())
	orl := out.ResourceLogs().At(0)
	assert.Equal(t, map[string]any{"k8s.pod.name": "p", "service.name": "aind"}, orl.Resource().Attributes().AsRaw())
	require.Equal(t, 1, orl.ScopeLogs().Len())
	osl := orl.ScopeLogs().At(0)
	assert.Equal(t, "other", osl.Scope().Name())
	assert.Equal(t, "1.2", osl.Scope().Version())
	require.Equal(t, 4, osl.LogRecords().Len())
	for i, s := range texts {
		lr := osl.LogRecords().At(i)
		assert.Equal(t, s, lr.Body().Str())
		assert.Equal(t, map[string]any{"keep": "me"}, lr.Attributes().AsRaw())
		assert.Equal(t, plog.SeverityNumberWarn, lr.SeverityNumber())
	}
	assert.Equal(t, int64(42), osl.LogRecords().At(3).Body().Int())
}

// A malformed line from the receiver keeps its flag and its raw text.
func TestMalformedLineFromReceiver(t *testing.T) {
	_, _, lr := plogtest.Only(t, process(t, defaultConfig(), plogtest.LinesToLogs(map[string]string{"service.name": "capsule"}, "oops not json")))
	assert.Equal(t, "oops not json", lr.Body().Str())
	plogtest.AssertAttr(t, lr, aind.AttrParseError, "not a JSON object")
}

func TestRegrouping(t *testing.T) {
	lines := []string{
		`{"message":"1","software_name":"a","rig_id":"r1","name":"x"}`,
		`{"message":"2","software_name":"b","rig_id":"r1","name":"x"}`,
		`{"message":"3","software_name":"a","rig_id":"r1","name":"y"}`,
		`{"message":"4","software_name":"a","rig_id":"r1","name":"x"}`,
		`{"message":"5","software_name":"a","subject_id":"1"}`,
		`not json`,
	}
	// Two input ResourceLogs with the same receiver resource must merge.
	ld := plogtest.LinesToLogs(map[string]string{"co.capsule.id": "c1"}, lines[:3]...)
	plogtest.LinesToLogs(map[string]string{"co.capsule.id": "c1"}, lines[3:]...).ResourceLogs().MoveAndAppendTo(ld.ResourceLogs())

	out := process(t, defaultConfig(), ld)
	got := map[string][]string{}
	for i := 0; i < out.ResourceLogs().Len(); i++ {
		rl := out.ResourceLogs().At(i)
		res := rl.Resource().Attributes()
		svc, _ := res.Get("service.name")
		rig, hasRig := res.Get("rig_id")
		capsule, _ := res.Get("co.capsule.id")
		require.Equal(t, "c1", capsule.Str(), "receiver resource kept")
		for j := 0; j < rl.ScopeLogs().Len(); j++ {
			sl := rl.ScopeLogs().At(j)
			key := svc.Str() + "|" + sl.Scope().Name()
			if hasRig {
				key += "|" + rig.Str()
			}
			for k := 0; k < sl.LogRecords().Len(); k++ {
				got[key] = append(got[key], sl.LogRecords().At(k).Body().Str())
			}
		}
	}
	assert.Equal(t, map[string][]string{
		"a|x|r1": {"1", "4"},
		"b|x|r1": {"2"},
		"a|y|r1": {"3"},
		"a|aind": {"5"},
		"aind|":  {"not json"},
	}, got)
	assert.Equal(t, 4, out.ResourceLogs().Len(), "a+r1, b+r1, a, default")
}

// The record's own value wins over the receiver's resource attribute.
func TestRecordResourceWins(t *testing.T) {
	rl, _, _ := plogtest.Only(t, process(t, defaultConfig(), plogtest.LinesToLogs(map[string]string{"service.name": "from-config", "team": "sipe"}, `{"software_name":"waterlog"}`)))
	assert.Equal(t, map[string]any{"service.name": "waterlog", "team": "sipe"}, rl.Resource().Attributes().AsRaw())
}

// A transport's logger (a Loki push's logger label, as the receiver's input
// scope) names the scope of records that name none; a record's own
// logger (the LogRecord name, key "name") wins.
func TestInputScopeNamesRecordsWithoutLogger(t *testing.T) {
	ld := plogtest.LinesToLogs(nil, `{"message":"no logger"}`, `{"message":"own","name":"acq.camera"}`)
	ld.ResourceLogs().At(0).ScopeLogs().At(0).Scope().SetName("airflow.task")
	out := process(t, defaultConfig(), ld)
	got := map[string]string{}
	sls := out.ResourceLogs().At(0).ScopeLogs()
	for i := 0; i < sls.Len(); i++ {
		got[sls.At(i).LogRecords().At(0).Body().Str()] = sls.At(i).Scope().Name()
	}
	assert.Equal(t, map[string]string{"no logger": "airflow.task", "own": "acq.camera"}, got)
}

func TestFieldsRename(t *testing.T) {
	cfg := defaultConfig()
	cfg.Fields = map[string]string{"levelname": "level", "asctime": "timestamp", "msg": "message", "host": "hostname", "custom": "renamed"}
	rl, _, lr := mapOne(t, cfg, `{"levelname":"WARNING","asctime":"2026-02-09 21:19:24,061","msg":"hello","host":"h1","custom":1}`)
	assert.Equal(t, plog.SeverityNumberWarn, lr.SeverityNumber())
	assert.Equal(t, pcommon.Timestamp(1770671964061000000), lr.Timestamp())
	assert.Equal(t, "hello", lr.Body().Str())
	assert.Equal(t, map[string]any{"renamed": int64(1)}, lr.Attributes().AsRaw())
	assertAttrOn(t, rl.Resource().Attributes(), "host.name", "h1")
}

// filelog json_parser output with renamed fields is recognised as shape 3.
func TestFieldsRenameRecognisesAttributesShape(t *testing.T) {
	cfg := defaultConfig()
	cfg.Fields = map[string]string{"msg": "message"}
	ld := plog.NewLogs()
	lr := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lr.Body().SetStr("raw")
	lr.Attributes().PutStr("msg", "hello")
	_, _, got := plogtest.Only(t, process(t, cfg, ld))
	assert.Equal(t, "hello", got.Body().Str())
}

func TestKeepOriginal(t *testing.T) {
	cfg := defaultConfig()
	cfg.KeepOriginal = true
	rl, _, lr := mapOne(t, cfg, `{"timestamp":"2026-02-09T21:19:24Z","level":"INFO","message":"m","lineno":2,"software_name":"w"}`)
	assert.Equal(t, "m", lr.Body().Str())
	assert.Equal(t, map[string]any{"timestamp": "2026-02-09T21:19:24Z", "level": "INFO", "message": "m", "lineno": int64(2), "code.line.number": int64(2), "software_name": "w"}, lr.Attributes().AsRaw())
	assertAttrOn(t, rl.Resource().Attributes(), "service.name", "w")
}

func TestResourceFieldsConfig(t *testing.T) {
	cfg := defaultConfig()
	cfg.ResourceFields["hostname"] = "" // off: stays a record attribute
	cfg.ResourceFields["capsule"] = "co.capsule.id"
	cfg.DefaultServiceName = "unnamed-capsule"
	rl, _, lr := mapOne(t, cfg, `{"hostname":"h","capsule":"c9"}`)
	assert.Equal(t, map[string]any{"co.capsule.id": "c9", "service.name": "unnamed-capsule"}, rl.Resource().Attributes().AsRaw())
	plogtest.AssertAttr(t, lr, "hostname", "h")
}

func assertAttrOn(t *testing.T, m pcommon.Map, key, want string) {
	t.Helper()
	v, ok := m.Get(key)
	require.True(t, ok, key)
	assert.Equal(t, want, v.Str())
}

// An identifier renamed by `fields:` lands under its AIND name, as a string.
func TestFieldsRenameIdentifier(t *testing.T) {
	cfg := defaultConfig()
	cfg.Fields = map[string]string{"mouse": "subject_id"}
	_, _, lr := mapOne(t, cfg, `{"message":"m","mouse":714392}`)
	assert.Equal(t, map[string]any{"subject_id": "714392"}, lr.Attributes().AsRaw())
}

// A record whose fields are attributes but that has no message field keeps
// its body: an SDK record with a level attribute has its own message there.
func TestAttributesShapeWithoutMessageKeepsTheBody(t *testing.T) {
	ld := plog.NewLogs()
	lr := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lr.Body().SetStr("Task failed: exit code 1")
	lr.Attributes().PutStr("level", "error")
	_, _, got := plogtest.Only(t, process(t, defaultConfig(), ld))
	assert.Equal(t, "Task failed: exit code 1", got.Body().Str())
	assert.Equal(t, plog.SeverityNumberError, got.SeverityNumber())
}
