// Package bearer finds the token in a request's headers: the value of one
// header, after a scheme ("Authorization: Bearer <token>").
package bearer // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/bearer"

import (
	"errors"
	"net/http"
	"strings"
)

// The errors say what is missing, never what the request held: they are
// the body of the 401 answer.
var (
	ErrNoCredentials = errors.New("no credentials: the request has no authorization header")
	ErrWrongScheme   = errors.New("the authorization header does not use the expected scheme")
)

// Reader reads the token from the header it names.
type Reader struct {
	header string
	// prefix is the scheme and its space, "" when the header holds the
	// token alone.
	prefix string
}

// NewReader reads the token after scheme in header; an empty scheme reads
// the whole value.
func NewReader(header, scheme string) Reader {
	r := Reader{header: header}
	if scheme != "" {
		r.prefix = scheme + " "
	}
	return r
}

// Token returns the token of the header's first value. sources are HTTP
// headers (canonical names) or gRPC metadata (lower-case names). The
// scheme's case does not matter (RFC 9110, 11.1).
func (r Reader) Token(sources map[string][]string) (string, error) {
	values, ok := sources[http.CanonicalHeaderKey(r.header)]
	if !ok {
		values = sources[strings.ToLower(r.header)]
	}
	if len(values) == 0 || values[0] == "" {
		return "", ErrNoCredentials
	}
	value := values[0]
	if len(value) < len(r.prefix) || !strings.EqualFold(value[:len(r.prefix)], r.prefix) {
		return "", ErrWrongScheme
	}
	return value[len(r.prefix):], nil
}
