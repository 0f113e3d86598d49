package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import (
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/collector/config/configopaque"
)

// Config replaces secrets (passwords, tokens, keys) in every output record,
// resource and scope before they leave the collector. It is on by default:
// the AIND standard says never to log sensitive information, so a team that
// writes no YAML is protected too.
type Config struct {
	// Enabled turns redaction on (the default). Turning it off takes an
	// explicit `enabled: false`.
	Enabled bool `mapstructure:"enabled"`
	// Mode is what replaces a secret: "mask" (the default) writes
	// [REDACTED]; "hash" writes [REDACTED:hmac:<16 hex>], the first 8 bytes
	// of HMAC-SHA256(hash_key, secret), so equal secrets stay correlatable.
	Mode Mode `mapstructure:"mode"`
	// HashKey is the HMAC key of mode hash, typically
	// ${env:AIND_REDACTION_KEY}; at least 32 bytes. It prints as [REDACTED].
	HashKey configopaque.String `mapstructure:"hash_key"`
	// BlockedKeys are added to the default blocked key names: the value of a
	// key that matches one is replaced whatever its type, at any depth.
	BlockedKeys []string `mapstructure:"blocked_keys"`
	// AllowedKeys are key names that are never blocked; an entry equal to a
	// blocked key name also removes that name from the list. Values under an
	// allowed key are still scanned by the patterns.
	AllowedKeys []string `mapstructure:"allowed_keys"`
	// Patterns are regular expressions (RE2 syntax) whose matches are
	// redacted in every string, in addition to the built-in patterns. A
	// named group `secret` limits the redaction to that group.
	Patterns []string `mapstructure:"patterns"`
	// DisabledPatterns turns built-in patterns off by id.
	DisabledPatterns []string `mapstructure:"disabled_patterns"`
	// ReportKeys adds aind.redacted.keys, the paths of the redacted values,
	// to each record. Off by default: key names can themselves tell an
	// attacker what a record held.
	ReportKeys bool `mapstructure:"report_keys"`
}

// Mode is what replaces a secret.
type Mode string

const (
	// ModeMask writes the fixed marker [REDACTED].
	ModeMask Mode = "mask"
	// ModeHash writes [REDACTED:hmac:<16 hex digits>].
	ModeHash Mode = "hash"
)

// minHashKeyLen is the shortest hash_key accepted: the block of SHA-256 is
// 64 bytes, and a key shorter than its 32-byte output weakens the HMAC.
const minHashKeyLen = 32

// DefaultConfig is redaction on, in mask mode, with the built-in keys and
// patterns only.
func DefaultConfig() Config {
	return Config{Enabled: true, Mode: ModeMask}
}

// Validate checks the redaction section. The messages name settings and
// list indexes only: a pattern or a key may itself be a secret.
func (c *Config) Validate() error {
	if !c.Enabled {
		return nil
	}
	errs := c.validateMode()
	for i, k := range c.BlockedKeys {
		if len(splitKeyWords(k, nil)) == 0 {
			errs = append(errs, fmt.Errorf("redaction: blocked_keys[%d] has no letters or digits", i))
		}
	}
	for i, k := range c.AllowedKeys {
		if len(splitKeyWords(k, nil)) == 0 {
			errs = append(errs, fmt.Errorf("redaction: allowed_keys[%d] has no letters or digits", i))
		}
	}
	for i, p := range c.Patterns {
		if err := checkPattern(p); err != nil {
			errs = append(errs, &PatternError{Index: i, Err: err})
		}
	}
	for i, id := range c.DisabledPatterns {
		if builtinKind(id) < 0 {
			errs = append(errs, fmt.Errorf("redaction: disabled_patterns[%d] is not a built-in pattern id (%s)", i, strings.Join(builtinPatternIDs(), ", ")))
		}
	}
	return errors.Join(errs...)
}

// validateMode checks mode and hash_key, which only make sense together.
func (c *Config) validateMode() []error {
	switch c.Mode {
	case ModeMask, "":
		if c.HashKey != "" {
			return []error{errors.New("redaction: hash_key is set but mode is not hash: set mode: hash, or remove hash_key")}
		}
	case ModeHash:
		switch {
		case c.HashKey == "":
			return []error{errors.New("redaction: mode hash needs a hash_key (e.g. ${env:AIND_REDACTION_KEY})")}
		case len(c.HashKey) < minHashKeyLen:
			return []error{fmt.Errorf("redaction: hash_key must be at least %d bytes long", minHashKeyLen)}
		}
	default:
		return []error{errors.New("redaction: mode must be mask or hash")}
	}
	return nil
}
