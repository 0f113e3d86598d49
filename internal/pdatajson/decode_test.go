package pdatajson

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestParseObjectTypes(t *testing.T) {
	m := pcommon.NewMap()
	require.NoError(t, ParseObject([]byte(` {"s":"x","i":-20,"big":123456789012345678901234567890,"f":1.5,"e":1e3,"t":true,"n":null,
		"o":{"a":[1,"b",{"c":false}]},"esc":"a\"b\\c\u00e9\n","dup":1,"dup":2} `), m))
	want := map[string]any{
		"s": "x", "i": int64(-20), "big": "123456789012345678901234567890", "f": 1.5, "e": 1000.0,
		"t": true, "n": nil, "o": map[string]any{"a": []any{int64(1), "b", map[string]any{"c": false}}},
		"esc": "a\"b\\cé\n", "dup": int64(2),
	}
	assert.Equal(t, want, m.AsRaw())
	v, _ := m.Get("n")
	assert.Equal(t, pcommon.ValueTypeEmpty, v.Type())
}

func TestParseObjectErrors(t *testing.T) {
	tests := map[string]error{
		``:                    ErrNotObject,
		`   `:                 ErrNotObject,
		`["a"]`:               ErrNotObject,
		`"a string"`:          ErrNotObject,
		`42`:                  ErrNotObject,
		`plain text`:          ErrNotObject,
		`{"a":1`:              ErrInvalidJSON,
		`{"a":1,}`:            ErrInvalidJSON,
		`{"a" 1}`:             ErrInvalidJSON,
		`{"a":tru}`:           ErrInvalidJSON,
		`{"a":"unterminated}`: ErrInvalidJSON,
		`{"a":1} x`:           ErrTrailingData,
		`{"a":1}{"b":2}`:      ErrTrailingData,
		`{} []`:               ErrTrailingData,
	}
	for in, want := range tests {
		err := ParseObject([]byte(in), pcommon.NewMap())
		assert.ErrorIs(t, err, want, "%q", in)
	}
}

func TestParseObjectInValidUTF8(t *testing.T) {
	m := pcommon.NewMap()
	require.NoError(t, ParseObject([]byte("{\"k\xff\":\"v\xfe\"}"), m))
	m.Range(func(k string, v pcommon.Value) bool {
		assert.True(t, utf8.ValidString(k))
		assert.True(t, utf8.ValidString(v.Str()))
		assert.Equal(t, "v\uFFFD", v.Str())
		return true
	})
}

func TestParseObjectDeepNestingFails(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	assert.ErrorIs(t, ParseObject([]byte(deep), pcommon.NewMap()), ErrTooDeep)
}
