package aindprocessor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/plog"
)

// Each record lands in its scope, in input order, the dropped ones
// nowhere, whichever scope is the most common.
func TestMoveRecords(t *testing.T) {
	for name, tc := range map[string]struct {
		routes           string // per record: x, y or - (dropped)
		wantX, wantY     []string
		wantSourceRemain int
	}{
		"all to one":          {routes: "xxxx", wantX: []string{"0", "1", "2", "3"}},
		"x most common":       {routes: "xy-x", wantX: []string{"0", "3"}, wantY: []string{"1"}},
		"y most common":       {routes: "yxyy", wantX: []string{"1"}, wantY: []string{"0", "2", "3"}},
		"all dropped":         {routes: "--", wantSourceRemain: 2},
		"tie keeps the first": {routes: "xyyx-", wantX: []string{"0", "3"}, wantY: []string{"1", "2"}},
	} {
		t.Run(name, func(t *testing.T) {
			out := plog.NewLogs().ResourceLogs().AppendEmpty().ScopeLogs()
			x, y := out.AppendEmpty(), out.AppendEmpty()
			x.LogRecords().AppendEmpty().Body().SetStr("already in x")
			src := plog.NewLogRecordSlice()
			var dsts []plog.ScopeLogs
			for i, r := range tc.routes {
				src.AppendEmpty().Body().SetStr(string(rune('0' + i)))
				dsts = append(dsts, map[rune]plog.ScopeLogs{'x': x, 'y': y, '-': dropped}[r])
			}
			moveRecords(src, dsts)
			assert.Equal(t, append([]string{"already in x"}, tc.wantX...), recordBodies(x.LogRecords()))
			assert.Equal(t, tc.wantY, recordBodies(y.LogRecords()))
			assert.Equal(t, tc.wantSourceRemain, src.Len())
		})
	}
}

// recordBodies is the bodies of lrs, in order.
func recordBodies(lrs plog.LogRecordSlice) []string {
	var out []string
	for i := 0; i < lrs.Len(); i++ {
		out = append(out, lrs.At(i).Body().AsString())
	}
	return out
}
