// Package credentials finds the token in a request's headers: the value of
// one header after a scheme ("Authorization: Bearer <token>"), or, where
// basic auth is accepted, the password of "Authorization: Basic
// base64(user:password)".
package credentials // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/credentials"

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
)

// The errors say what is missing, never what the request held: they are
// the body of the 401 answer.
var (
	ErrNoCredentials  = errors.New("no credentials: the request has no authorization header")
	ErrWrongScheme    = errors.New("the authorization header does not use the expected scheme")
	ErrMalformedBasic = errors.New("the basic credentials are not base64 of user:password")
)

// basicPrefix starts basic credentials (RFC 7617).
const basicPrefix = "Basic "

// Reader reads the token from the header it names.
type Reader struct {
	header string
	// prefix is the scheme and its space, "" when the header holds the
	// token alone.
	prefix string
	// basic accepts basic credentials too, their password the token.
	basic bool
}

// NewReader reads the token after scheme in header; an empty scheme reads
// the whole value. With basic, "Basic base64(user:token)" is read as well:
// the user name is not the client's name, the token says who it is.
func NewReader(header, scheme string, basic bool) Reader {
	r := Reader{header: header, basic: basic}
	if scheme != "" {
		r.prefix = scheme + " "
	}
	return r
}

// Token returns the request's token. sources are HTTP headers (canonical
// names) or gRPC metadata (lower case).
func (r Reader) Token(sources map[string][]string) (string, error) {
	values, ok := sources[http.CanonicalHeaderKey(r.header)]
	if !ok {
		values = sources[strings.ToLower(r.header)]
	}
	if len(values) == 0 || values[0] == "" {
		return "", ErrNoCredentials
	}
	value := values[0]
	if r.basic && hasPrefixFold(value, basicPrefix) {
		return basicPassword(value[len(basicPrefix):])
	}
	if !hasPrefixFold(value, r.prefix) {
		return "", ErrWrongScheme
	}
	return value[len(r.prefix):], nil
}

// basicPassword decodes base64(user:password) and returns the password.
func basicPassword(encoded string) (string, error) {
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return "", ErrMalformedBasic
	}
	_, password, ok := strings.Cut(string(decoded), ":")
	if !ok {
		return "", ErrMalformedBasic
	}
	return password, nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
