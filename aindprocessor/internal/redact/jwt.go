package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

// jwt: eyJ… header, payload and signature (the signature may be empty),
// base64url, dot-separated; a JWE's five parts too.
func (sc *scanner) jwt(s string, i int) {
	if i > 0 && (base64URLChar(s[i-1]) || s[i-1] == '.') {
		return // inside a token, or the payload of one
	}
	end := i + 3
	for end < len(s) && base64URLChar(s[end]) {
		end++
	}
	if end-i < 10 {
		return
	}
	parts := 1
	for parts < 5 && end < len(s) && s[end] == '.' {
		m := end + 1
		for m < len(s) && base64URLChar(s[m]) {
			m++
		}
		n := m - (end + 1)
		if n == 0 && parts != 2 || parts == 1 && n < 2 {
			break // only the signature may be empty
		}
		end = m
		parts++
		if n == 0 {
			break
		}
	}
	sc.done[detJWT] = end
	if parts >= 3 {
		sc.add(i, end, kindJWT)
	}
}
