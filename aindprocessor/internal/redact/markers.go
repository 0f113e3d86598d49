package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
)

// The markers that replace a secret. A value that already is a marker is
// never redacted again, so redaction is idempotent.
const (
	maskMarker       = "[REDACTED]"
	hashMarkerPrefix = "[REDACTED:hmac:"
	hashDigestBytes  = 8
	hashMarkerLen    = len(hashMarkerPrefix) + 2*hashDigestBytes + 1
	// markerStart begins both markers.
	markerStart = "[REDACTED"
)

// isMarker reports whether s is a whole marker, of either mode: a hash
// marker is not masked again, nor a mask marker hashed.
func isMarker(s string) bool {
	if s == maskMarker {
		return true
	}
	if len(s) != hashMarkerLen || !strings.HasPrefix(s, hashMarkerPrefix) || s[len(s)-1] != ']' {
		return false
	}
	for i := len(hashMarkerPrefix); i < len(s)-1; i++ {
		if c := s[i]; !(digit(c) || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// markerAt returns the length of the marker starting at s[i], or 0.
func markerAt(s string, i int) int {
	if strings.HasPrefix(s[i:], maskMarker) {
		return len(maskMarker)
	}
	if i+hashMarkerLen <= len(s) && isMarker(s[i:i+hashMarkerLen]) {
		return hashMarkerLen
	}
	return 0
}

// appendMarkers appends the markers in s to dst, in order.
func appendMarkers(dst []span, s string) []span {
	for k := 0; ; {
		m := strings.Index(s[k:], markerStart)
		if m < 0 {
			return dst
		}
		k += m
		if n := markerAt(s, k); n > 0 {
			dst = append(dst, span{start: k, end: k + n})
			k += n
		} else {
			k++
		}
	}
}

// markerWriter writes the markers of one goroutine; its buffers are reused
// so that a marker costs no allocation beyond the redacted string.
type markerWriter struct {
	mac   hash.Hash // nil in mask mode
	in    []byte
	sum   []byte
	value []byte
}

func newMarkerWriter(hashMode bool, key []byte) markerWriter {
	if !hashMode {
		return markerWriter{}
	}
	return markerWriter{mac: hmac.New(sha256.New, key)}
}

// append appends the marker that replaces secret.
func (m *markerWriter) append(b []byte, secret string) []byte {
	if m.mac == nil {
		return append(b, maskMarker...)
	}
	m.mac.Reset()
	m.in = append(m.in[:0], secret...) // Write([]byte(secret)) would allocate
	m.mac.Write(m.in)
	m.sum = m.mac.Sum(m.sum[:0])
	b = append(b, hashMarkerPrefix...)
	b = hex.AppendEncode(b, m.sum[:hashDigestBytes])
	return append(b, ']')
}

// whole returns the marker that replaces a whole value.
func (m *markerWriter) whole(secret string) string {
	if m.mac == nil {
		return maskMarker
	}
	m.value = m.append(m.value[:0], secret)
	return string(m.value)
}
