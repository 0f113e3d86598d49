package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import "strings"

// pem: the body of a -----BEGIN … PRIVATE KEY----- block, up to its END
// line or, if cut, the end of the string. The armour lines stay, so that a
// reader still sees what was there.
func (sc *scanner) pem(s string, i int) {
	h := i + len("-----BEGIN")
	he := strings.Index(s[h:min(len(s), h+70)], "-----")
	if he < 0 || he > 64 {
		return
	}
	label := s[h : h+he]
	if !strings.Contains(label, "PRIVATE KEY") || strings.ContainsAny(label, "\r\n") {
		return
	}
	cs := h + he + len("-----")
	ce := len(s)
	if e := strings.Index(s[cs:], "-----END"); e >= 0 {
		ce = cs + e
	}
	sc.done[detPEM] = ce
	for cs < ce && isSpace(s[cs]) {
		cs++
	}
	for ce > cs && isSpace(s[ce-1]) {
		ce--
	}
	sc.add(cs, ce, kindPrivateKey)
}
