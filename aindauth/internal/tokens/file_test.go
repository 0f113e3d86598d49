package tokens

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	set, err := Parse([]byte("# who may write to the gateway\nclients:\n" +
		"  - name: team-a\n    token: " + tokenA + "\n" +
		"  - name: team-b\n    token_sha256: " + digestHex(tokenB) + "\n"))
	require.NoError(t, err)
	name, ok := set.Lookup(tokenB)
	assert.True(t, ok)
	assert.Equal(t, "team-b", name)

	set, err = Parse([]byte("clients: []\n"))
	require.NoError(t, err)
	assert.Equal(t, 0, set.Len(), "an empty list lets no one in")
}

// A file that is not a tokens file is an error that quotes nothing of it.
func TestParseRefusesWhatIsNotATokensFile(t *testing.T) {
	secret := "s3cret-0123456789abcdef"
	for _, tc := range []struct{ name, file, want string }{
		{"empty", "", "the tokens file is empty; write 'clients: []' to let no one in"},
		{"comments only", "# nothing yet\n", "the tokens file is empty; write 'clients: []' to let no one in"},
		{"no list", "other: 1\n", "the tokens file, line 1: not YAML holding a 'clients' list of entries with the keys name, token, token_sha256"},
		{"null list", "clients:\n", "the tokens file has no 'clients' list; write 'clients: []' to let no one in"},
		{"misspelt key", "clients:\n  - name: a\n    tokn: " + secret + "\n", "the tokens file, line 3: not YAML holding a 'clients' list of entries with the keys name, token, token_sha256"},
		{"token as key", "clients:\n  - " + secret + ": a\n", "the tokens file, line 2: not YAML holding a 'clients' list of entries with the keys name, token, token_sha256"},
		{"wrong type", "clients:\n  - name: a\n    token: [" + secret + "]\n", "the tokens file, line 3: not YAML holding a 'clients' list of entries with the keys name, token, token_sha256"},
		{"bad yaml", "clients: [\n  " + secret, "the tokens file, line 2: not YAML holding a 'clients' list of entries with the keys name, token, token_sha256"},
		{"two documents", "clients: []\n---\nclients: []\n", "the tokens file holds more than one YAML document"},
		{"bad client", "clients:\n  - name: a\n    token: short\n", "the tokens file: clients[0] (\"a\"): 'token' must be at least 16 bytes"},
		{"too large", "clients: []\n#" + strings.Repeat("x", MaxFileSize), "the tokens file is larger than 1048576 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := Parse([]byte(tc.file))
			require.EqualError(t, err, tc.want)
			assert.Nil(t, set)
			assert.NotContains(t, err.Error(), secret)
		})
	}
}

// fixedMessage matches the errors that come from the YAML itself: they
// quote nothing of the file. The others come from New and quote names only.
var fixedMessage = regexp.MustCompile(`^the tokens file(, line \d+: not YAML holding a 'clients' list of entries with the keys name, token, token_sha256| is empty; .*| has no 'clients' list; .*| holds more than one YAML document| is larger than \d+ bytes|: not YAML holding .*)$`)

// Whatever the file, Parse returns a valid set, or an error that is one of
// the fixed messages or names the clients New refused.
func FuzzParse(f *testing.F) {
	f.Add([]byte("clients:\n  - name: team-a\n    token: " + tokenA + "\n"))
	f.Add([]byte("clients:\n  - name: b\n    token_sha256: " + digestHex(tokenB) + "\n"))
	f.Add([]byte("clients: []\n"))
	f.Add([]byte("clients: [\n"))
	f.Add([]byte("clients:\n  - {name: a, token: x}\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := Parse(data)
		if err != nil {
			assert.Nil(t, set)
			msg := err.Error()
			if !strings.HasPrefix(msg, "the tokens file: clients[") {
				assert.Regexp(t, fixedMessage, msg)
			}
			return
		}
		require.NotNil(t, set)
		require.Equal(t, len(set.names), len(set.digests))
		for i, name := range set.names {
			assert.NotEmpty(t, strings.TrimSpace(name))
			assert.NotContains(t, set.names[:i], name)
		}
	})
}
