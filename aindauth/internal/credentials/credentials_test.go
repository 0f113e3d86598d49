package credentials

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestToken(t *testing.T) {
	bearer := NewReader("Authorization", "Bearer", false)
	for _, tc := range []struct {
		name    string
		sources map[string][]string
		want    string
		err     error
	}{
		{"http header", map[string][]string{"Authorization": {"Bearer abc"}}, "abc", nil},
		{"grpc metadata", map[string][]string{"authorization": {"Bearer abc"}}, "abc", nil},
		{"scheme in any case", map[string][]string{"Authorization": {"bEARER abc"}}, "abc", nil},
		{"first value", map[string][]string{"Authorization": {"Bearer abc", "Bearer def"}}, "abc", nil},
		{"token keeps its spaces", map[string][]string{"Authorization": {"Bearer  a b"}}, " a b", nil},
		{"empty token", map[string][]string{"Authorization": {"Bearer "}}, "", nil},
		{"no header", map[string][]string{"Other": {"Bearer abc"}}, "", ErrNoCredentials},
		{"no value", map[string][]string{"Authorization": {}}, "", ErrNoCredentials},
		{"empty value", map[string][]string{"Authorization": {""}}, "", ErrNoCredentials},
		{"other scheme", map[string][]string{"Authorization": {"Basic abc"}}, "", ErrWrongScheme},
		{"scheme only", map[string][]string{"Authorization": {"Bearer"}}, "", ErrWrongScheme},
		{"no space", map[string][]string{"Authorization": {"Bearerabc"}}, "", ErrWrongScheme},
		{"token alone", map[string][]string{"Authorization": {"abc"}}, "", ErrWrongScheme},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := bearer.Token(tc.sources)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.err, err)
		})
	}
}

func TestTokenOfOwnHeaderWithoutScheme(t *testing.T) {
	r := NewReader("X-Api-Key", "", true)
	got, err := r.Token(map[string][]string{"X-Api-Key": {"Bearer abc"}})
	assert.NoError(t, err)
	assert.Equal(t, "Bearer abc", got, "without a scheme the whole value is the token")
	got, err = r.Token(map[string][]string{"x-api-key": {"abc"}})
	assert.NoError(t, err)
	assert.Equal(t, "abc", got)
	_, err = r.Token(map[string][]string{"Authorization": {"Bearer abc"}})
	assert.Equal(t, ErrNoCredentials, err)
}

// python-logging-loki 0.3.1 sends only basic auth; Promtail's and Alloy's
// basic_auth too. The password is the token, whatever the user name.
func TestBasicPassword(t *testing.T) {
	basic := func(s string) map[string][]string {
		return map[string][]string{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(s))}}
	}
	r := NewReader("Authorization", "Bearer", true)
	for _, tc := range []struct {
		name    string
		sources map[string][]string
		want    string
		err     error
	}{
		{"user and token", basic("aind-airflow:tok:en"), "tok:en", nil},
		{"no user", basic(":token"), "token", nil},
		{"scheme in any case", map[string][]string{"Authorization": {"bASIC " + base64.StdEncoding.EncodeToString([]byte("u:t"))}}, "t", nil},
		{"bearer still read", map[string][]string{"Authorization": {"Bearer abc"}}, "abc", nil},
		{"no colon", basic("token"), "", ErrMalformedBasic},
		{"not base64", map[string][]string{"Authorization": {"Basic %%%"}}, "", ErrMalformedBasic},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Token(tc.sources)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.err, err)
		})
	}
	_, err := NewReader("Authorization", "Bearer", false).Token(basic("u:t"))
	assert.Equal(t, ErrWrongScheme, err, "basic auth off")
}
