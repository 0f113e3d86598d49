package tokens // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/tokens"

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/collector/config/configopaque"
)

// MinTokenLength is the shortest token accepted, in bytes: 16 random bytes
// are out of reach of guessing, even at a gateway's request rate. A digest
// (token_sha256) hides the token's length, so it is the writer's to keep.
const MinTokenLength = 16

// Client is one client as the collector config or the tokens file lists
// it: a name, and either its token or the token's SHA-256 digest in hex.
type Client struct {
	// Name says who writes with the token: a team, a capsule class, a rig
	// group. It becomes the aind.client resource attribute.
	Name string `mapstructure:"name" yaml:"name"`
	// Token is the bearer token itself.
	Token configopaque.String `mapstructure:"token" yaml:"token"`
	// TokenSHA256 is the hex SHA-256 digest of the token, so that the file
	// need not hold the token (`printf %s "$TOKEN" | sha256sum`).
	TokenSHA256 string `mapstructure:"token_sha256" yaml:"token_sha256"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// errBadDigest says what a digest must be without quoting it.
var errBadDigest = fmt.Errorf("'token_sha256' must be %d hex digits, a SHA-256 digest", hex.EncodedLen(sha256.Size))

// New validates clients and returns them as a Set. Names must be non-empty
// and unique, each client must have exactly one of token and token_sha256,
// a token at least MinTokenLength bytes and a digest 64 hex digits, and no
// two clients the same token. The errors name clients by their index and
// name, never by their token. An empty list is valid: it lets no one in.
func New(clients []Client) (*Set, error) {
	s := &Set{
		names:   make([]string, 0, len(clients)),
		digests: make([][sha256.Size]byte, 0, len(clients)),
	}
	var errs []error
	byName := map[string]int{}
	byDigest := map[[sha256.Size]byte]int{}
	for i, c := range clients {
		digest, err := c.digest()
		if err != nil {
			errs = append(errs, fmt.Errorf("clients[%d] (%q): %w", i, c.Name, err))
		}
		if strings.TrimSpace(c.Name) == "" {
			errs = append(errs, fmt.Errorf("clients[%d]: 'name' must not be empty", i))
		} else if j, dup := byName[c.Name]; dup {
			errs = append(errs, fmt.Errorf("clients[%d] and clients[%d] have the same name %q", j, i, c.Name))
		}
		byName[c.Name] = i
		if err != nil {
			continue
		}
		if j, dup := byDigest[digest]; dup {
			errs = append(errs, fmt.Errorf("clients[%d] (%q) and clients[%d] (%q) have the same token", j, clients[j].Name, i, c.Name))
		}
		byDigest[digest] = i
		s.names = append(s.names, c.Name)
		s.digests = append(s.digests, digest)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// digest is the SHA-256 digest of c's token.
func (c *Client) digest() ([sha256.Size]byte, error) {
	var d [sha256.Size]byte
	switch {
	case c.Token != "" && c.TokenSHA256 != "":
		return d, errors.New("set one of 'token' and 'token_sha256', not both")
	case c.Token != "":
		if len(c.Token) < MinTokenLength {
			return d, fmt.Errorf("'token' must be at least %d bytes", MinTokenLength)
		}
		return sha256.Sum256([]byte(c.Token)), nil
	case c.TokenSHA256 != "":
		// The length first: hex.Decode writes half of its input into d.
		if len(c.TokenSHA256) != hex.EncodedLen(sha256.Size) {
			return d, errBadDigest
		}
		if _, err := hex.Decode(d[:], []byte(c.TokenSHA256)); err != nil {
			return d, errBadDigest // hex's error quotes the offending byte
		}
		return d, nil
	}
	return d, errors.New("set 'token' or 'token_sha256'")
}
