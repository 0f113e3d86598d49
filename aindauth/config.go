package aindauth // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth"

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/tokens"
)

const (
	defaultHeader = "Authorization"
	defaultScheme = "Bearer"
	// defaultReloadInterval is how soon a changed tokens file is in force:
	// a revoked token is refused within about this long. Reading a small
	// file this often costs nothing.
	defaultReloadInterval = 2 * time.Second
)

// Config is the configuration of the aindauth extension: the clients, from
// a tokens file or listed inline, and where requests carry their token.
type Config struct {
	// Header is the request header that holds the token.
	Header string `mapstructure:"header"`
	// Scheme is the word before the token in Header; empty when the header
	// holds the token alone.
	Scheme string `mapstructure:"scheme"`
	// BasicAuth also reads "Authorization: Basic base64(user:token)": the
	// password is the token, the user name is ignored. python-logging-loki
	// 0.3.1 can send nothing else.
	BasicAuth bool `mapstructure:"basic_auth"`
	// TokensFile is the YAML file listing the clients; it is read at start
	// and again every ReloadInterval.
	TokensFile string `mapstructure:"tokens_file"`
	// ReloadInterval is how often TokensFile is read again.
	ReloadInterval time.Duration `mapstructure:"reload_interval"`
	// Clients lists the clients in the collector's configuration instead
	// of a file, for a fixed set of clients and for tests.
	Clients []tokens.Client `mapstructure:"clients"`

	// prevent unkeyed literal initialization
	_ struct{}
}

var _ component.Config = (*Config)(nil)

func createDefaultConfig() component.Config {
	return &Config{
		Header:         defaultHeader,
		Scheme:         defaultScheme,
		BasicAuth:      true,
		ReloadInterval: defaultReloadInterval,
	}
}

// Validate checks the configuration, and the inline clients as the tokens
// file's are checked when it is read. No message quotes a token.
func (cfg *Config) Validate() error {
	var errs []error
	if strings.TrimSpace(cfg.Header) == "" {
		errs = append(errs, errors.New("'header' must not be empty"))
	}
	if strings.ContainsAny(cfg.Scheme, " \t") {
		errs = append(errs, fmt.Errorf("'scheme' must be one word, got %q", cfg.Scheme))
	}
	switch {
	case cfg.TokensFile != "" && len(cfg.Clients) > 0:
		errs = append(errs, errors.New("set one of 'tokens_file' and 'clients', not both"))
	case cfg.TokensFile != "":
		if cfg.ReloadInterval <= 0 {
			errs = append(errs, fmt.Errorf("'reload_interval' must be positive, got %s", cfg.ReloadInterval))
		}
	case len(cfg.Clients) > 0:
		if _, err := tokens.New(cfg.Clients); err != nil {
			errs = append(errs, fmt.Errorf("'clients': %w", err))
		}
	default:
		errs = append(errs, errors.New("set 'tokens_file' (or 'clients') to say who may write"))
	}
	return errors.Join(errs...)
}
