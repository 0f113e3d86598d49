package credentials

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The token a client sends is the token read, whatever it holds: after the
// scheme in any case, in an HTTP header or gRPC metadata, or as the
// password of basic credentials (RFC 7617: the user name holds no colon,
// the password may). Of any other header value, the token read is what
// follows the scheme, and a value refused is refused with the error that
// says what is wrong with it.
func FuzzToken(f *testing.F) {
	f.Add("Bearer abc", "aind-airflow", "abc")
	f.Add("Basic dTp0", "", "tok:en")
	f.Add("Basic %%%", "u", " a b ")
	f.Add("basic ", "u", "")
	f.Add("Basic dTp0Og==", "user:with:colons", "\xfb\xef\xbe\xff")
	f.Add("", "u", "t")
	f.Add("Bearer", "u", "t")
	f.Add("bEARER x", "u", "Bearer abc")
	f.Add("Token abc", "u", "Basic dTp0")
	r := NewReader("Authorization", "Bearer", true)
	header := func(value string) map[string][]string {
		return map[string][]string{"Authorization": {value}}
	}
	f.Fuzz(func(t *testing.T, value, user, token string) {
		for _, scheme := range []string{"Bearer ", "bearer ", "BEARER "} {
			for _, key := range []string{"Authorization", "authorization"} {
				got, err := r.Token(map[string][]string{key: {scheme + token}})
				require.NoError(t, err, "%s with scheme %q", key, scheme)
				require.Equal(t, token, got, "%s with scheme %q", key, scheme)
			}
		}

		user = strings.ReplaceAll(user, ":", "")
		got, err := r.Token(header(basicPrefix + base64.StdEncoding.EncodeToString([]byte(user+":"+token))))
		require.NoError(t, err, "basic credentials")
		require.Equal(t, token, got, "basic credentials")

		got, err = r.Token(header(value))
		switch {
		case value == "":
			require.ErrorIs(t, err, ErrNoCredentials)
		case hasPrefixFold(value, basicPrefix):
			if err != nil {
				require.ErrorIs(t, err, ErrMalformedBasic)
			}
		case hasPrefixFold(value, "Bearer "):
			require.NoError(t, err)
			require.Equal(t, value[len("Bearer "):], got)
		default:
			require.ErrorIs(t, err, ErrWrongScheme)
		}
	})
}
