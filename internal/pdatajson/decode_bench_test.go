package pdatajson

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

const benchLine = `{"timestamp": "2026-03-01T08:15:02.123456Z", "level": "DEBUG", "message": "Loaded 42 sessions", "name": "aind_data_schema.loader", "pathname": "/opt/capsule/code/run.py", "funcName": "load", "lineno": 118, "process": 1231, "thread": 140245, "software_name": "aind-data-schema", "software_version": "1.0.4.dev0", "hostname": "co-capsule-7f3a", "subject_id": "123456", "extra": {"probe": "ProbeA", "channels": [1, 2, 3]}}`

func BenchmarkParseObject(b *testing.B) {
	line := []byte(benchLine)
	m := pcommon.NewMap()
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		m.Clear()
		if err := ParseObject(line, m); err != nil {
			b.Fatal(err)
		}
	}
}
