package lokipush

import (
	"testing"

	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLabels(t *testing.T) {
	tests := map[string][]push.LabelAdapter{
		`{}`:                         nil,
		` { job = "x" , b="y", } `:   {{Name: "b", Value: "y"}, {Name: "job", Value: "x"}},
		`{path="C:\\logs\\a \"b\""}`: {{Name: "path", Value: `C:\logs\a "b"`}},
		`{a='it\'s', b=` + "`raw \\ value`" + `}`: {{Name: "a", Value: "it's"}, {Name: "b", Value: `raw \ value`}},
		`{"quoted.name"="\u00e9\x41\101"}`:        {{Name: "quoted.name", Value: "éAA"}},
		`{a="\xff"}`:                              {{Name: "a", Value: "\uFFFD"}},
	}
	for in, want := range tests {
		got, err := ParseLabels(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{`{a="1", a="2"}`, `{a="unterminated}`, `{a=unquoted}`, `{="empty"}`, `{""="v"}`, "{a=\"new\nline\"}", `{a="b"} x`, `a="b"`, `{1a="b"}`} {
		_, err := ParseLabels(in)
		assert.ErrorIs(t, err, ErrLabels, in)
	}
}

func TestFormatLabels(t *testing.T) {
	labels := []push.LabelAdapter{{Name: "job", Value: `say "hi"`}, {Name: "quoted.name", Value: "v"}, {Name: "_a1", Value: ""}}
	assert.Equal(t, `{job="say \"hi\"", "quoted.name"="v", _a1=""}`, FormatLabels(labels))
}
