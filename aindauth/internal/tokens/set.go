// Package tokens holds the clients the aindauth extension knows: their
// description (a name and a token, or the token's SHA-256 digest), the
// tokens file that lists them, and the lookup of a presented token.
//
// No function of this package puts a token, or a digest, in an error.
package tokens // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/tokens"

import (
	"crypto/sha256"
	"crypto/subtle"
)

// Set is a validated list of clients, ready for Lookup. A Set is never
// changed after New: a new list is a new Set, swapped in whole.
type Set struct {
	names   []string
	digests [][sha256.Size]byte
}

// Len is the number of clients in s.
func (s *Set) Len() int { return len(s.names) }

// Lookup returns the name of the client whose token is token. It hashes
// token and compares the digest with every client's, in constant time and
// without stopping at a match, so how long it takes depends neither on
// which client matched, nor on whether one did, nor on a stored token's
// length: only on the number of clients and the length of token.
func (s *Set) Lookup(token string) (name string, ok bool) {
	digest := sha256.Sum256([]byte(token))
	found, at := 0, 0
	for i := range s.digests {
		eq := subtle.ConstantTimeCompare(digest[:], s.digests[i][:])
		at = subtle.ConstantTimeSelect(eq, i, at)
		found |= eq
	}
	if found == 0 {
		return "", false
	}
	return s.names[at], true
}
