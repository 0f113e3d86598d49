package tokens

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	tokenA = "token-of-team-a-0123456789"
	tokenB = "token-of-team-b-0123456789"
)

func digestHex(token string) string {
	d := sha256.Sum256([]byte(token))
	return hex.EncodeToString(d[:])
}

func TestLookupFindsEachClientByItsToken(t *testing.T) {
	set, err := New([]Client{
		{Name: "team-a", Token: tokenA},
		{Name: "team-b", TokenSHA256: strings.ToUpper(digestHex(tokenB))},
	})
	require.NoError(t, err)
	assert.Equal(t, 2, set.Len())
	for token, want := range map[string]string{tokenA: "team-a", tokenB: "team-b"} {
		name, ok := set.Lookup(token)
		assert.True(t, ok, want)
		assert.Equal(t, want, name)
	}
	for _, token := range []string{"", tokenA[:len(tokenA)-1], tokenA + "x", digestHex(tokenB)} {
		name, ok := set.Lookup(token)
		assert.False(t, ok, "%q", token)
		assert.Empty(t, name)
	}
}

func TestEmptySetLetsNoOneIn(t *testing.T) {
	set, err := New(nil)
	require.NoError(t, err)
	assert.Equal(t, 0, set.Len())
	_, ok := set.Lookup(tokenA)
	assert.False(t, ok)
}

// The errors say which client is wrong and never quote a token or digest.
func TestNewRefusesBadClients(t *testing.T) {
	const short = "short-token"
	for _, tc := range []struct {
		name    string
		clients []Client
		want    string
	}{
		{"empty name", []Client{{Name: " ", Token: tokenA}}, `clients[0]: 'name' must not be empty`},
		{"same name", []Client{{Name: "a", Token: tokenA}, {Name: "a", Token: tokenB}}, `clients[0] and clients[1] have the same name "a"`},
		{"same token", []Client{{Name: "a", Token: tokenA}, {Name: "b", TokenSHA256: digestHex(tokenA)}}, `clients[0] ("a") and clients[1] ("b") have the same token`},
		{"no token", []Client{{Name: "a"}}, `clients[0] ("a"): set 'token' or 'token_sha256'`},
		{"both", []Client{{Name: "a", Token: tokenA, TokenSHA256: digestHex(tokenA)}}, `clients[0] ("a"): set one of 'token' and 'token_sha256', not both`},
		{"short token", []Client{{Name: "a", Token: "0123456789abcde"}}, `clients[0] ("a"): 'token' must be at least 16 bytes`},
		{"short digest", []Client{{Name: "a", TokenSHA256: digestHex(tokenA)[:62]}}, `clients[0] ("a"): 'token_sha256' must be 64 hex digits, a SHA-256 digest`},
		{"long digest", []Client{{Name: "a", TokenSHA256: digestHex(tokenA) + "00"}}, `clients[0] ("a"): 'token_sha256' must be 64 hex digits, a SHA-256 digest`},
		{"not hex", []Client{{Name: "a", TokenSHA256: "zz" + digestHex(tokenA)[2:]}}, `clients[0] ("a"): 'token_sha256' must be 64 hex digits, a SHA-256 digest`},
		{"all at once", []Client{{Name: "", Token: short}, {Name: "b", Token: tokenB}, {Name: "b", Token: tokenB}},
			"clients[0] (\"\"): 'token' must be at least 16 bytes\nclients[0]: 'name' must not be empty\n" +
				"clients[1] and clients[2] have the same name \"b\"\nclients[1] (\"b\") and clients[2] (\"b\") have the same token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := New(tc.clients)
			require.EqualError(t, err, tc.want)
			assert.Nil(t, set)
			for _, c := range tc.clients {
				if c.Token != "" {
					assert.NotContains(t, err.Error(), string(c.Token))
				}
				if c.TokenSHA256 != "" {
					assert.NotContains(t, err.Error(), c.TokenSHA256[2:])
				}
			}
		})
	}
}
