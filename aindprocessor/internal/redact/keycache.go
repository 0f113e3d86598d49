package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import "strings"

// keyCacheSize is the number of key decisions a walker remembers: the same
// attribute names come back in every record.
const keyCacheSize = 256

type keyDecision struct {
	key     string
	blocked bool
}

// keyCache is a small direct-mapped cache of the key rule's decisions.
type keyCache struct {
	decisions [keyCacheSize]keyDecision
	words     []word
}

// blocked applies rule to k, through the cache.
func (c *keyCache) blocked(rule *keyRule, k string) bool {
	if k == "" {
		return false
	}
	h := (uint(len(k))*131 + uint(k[0])*31 + uint(k[len(k)/2])*7 + uint(k[len(k)-1])) % keyCacheSize
	d := &c.decisions[h]
	if d.key == k {
		return d.blocked
	}
	var blocked bool
	_, blocked, c.words = rule.blocked(k, c.words)
	if len(k) <= 64 {
		// A copy: the key may point into a large decoded buffer.
		*d = keyDecision{key: strings.Clone(k), blocked: blocked}
	}
	return blocked
}
