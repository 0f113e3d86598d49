package aindauth // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth"

import (
	"context"
	"errors"
	"fmt"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/extension/extensionauth"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/credentials"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/reload"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/tokens"
)

// errUnknownToken is the answer to a token no client has. Like the
// bearer package's errors it is fixed: it becomes the body of the 401.
var errUnknownToken = errors.New("invalid credentials: no client has this token")

// authenticator checks a request's token against the clients and names
// the client in the request's context.
type authenticator struct {
	set         extension.Settings
	cfg         *Config
	telemetry   *metadata.TelemetryBuilder
	credentials credentials.Reader
	// clients is the set in force: the inline clients, or the tokens file's
	// last good set (nil before Start).
	clients func() *tokens.Set
	file    *reload.File[tokens.Set] // nil with inline clients
	host    component.Host
	// refusals are the metric attributes of the refusals' reasons.
	refusals map[error]metric.AddOption
}

var (
	_ extension.Extension  = (*authenticator)(nil)
	_ extensionauth.Server = (*authenticator)(nil)
)

func newAuthenticator(set extension.Settings, cfg *Config) (*authenticator, error) {
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	a := &authenticator{
		set:         set,
		cfg:         cfg,
		telemetry:   telemetry,
		credentials: credentials.NewReader(cfg.Header, cfg.Scheme, cfg.BasicAuth),
		refusals: map[error]metric.AddOption{
			credentials.ErrNoCredentials:  metadata.WithReasonAttr("no_credentials"),
			credentials.ErrWrongScheme:    metadata.WithReasonAttr("wrong_scheme"),
			credentials.ErrMalformedBasic: metadata.WithReasonAttr("malformed_basic"),
			errUnknownToken:               metadata.WithReasonAttr("unknown_token"),
		},
	}
	if cfg.TokensFile == "" {
		inline, err := tokens.New(cfg.Clients)
		if err != nil {
			return nil, fmt.Errorf("'clients': %w", err)
		}
		a.clients = func() *tokens.Set { return inline }
		return a, nil
	}
	a.file = reload.New(cfg.TokensFile, tokens.MaxFileSize, tokens.Parse, a.reloaded)
	a.clients = a.file.Value
	return a, nil
}

// Start reads the tokens file, which must be good, and watches it.
func (a *authenticator) Start(_ context.Context, host component.Host) error {
	a.host = host
	if a.file == nil {
		return nil
	}
	if err := a.file.Load(); err != nil {
		return fmt.Errorf("'tokens_file': %w", err)
	}
	a.set.Logger.Info("Tokens file read",
		zap.String("tokens_file", a.cfg.TokensFile), zap.Int("clients", a.file.Value().Len()))
	a.file.Watch(a.cfg.ReloadInterval)
	return nil
}

// reloaded reports a change of the tokens file: nil when a new set is in
// force, or why the file cannot be read (the last good set stays).
func (a *authenticator) reloaded(err error) {
	logger := a.set.Logger.With(zap.String("tokens_file", a.cfg.TokensFile))
	if err != nil {
		logger.Error("Tokens file not reloaded; the clients of the last good file stay in force", zap.Error(err))
		a.telemetry.ExtensionAindauthReloadFailures.Add(context.Background(), 1)
		componentstatus.ReportStatus(a.host, componentstatus.NewRecoverableErrorEvent(err))
		return
	}
	logger.Info("Tokens file reloaded", zap.Int("clients", a.file.Value().Len()))
	componentstatus.ReportStatus(a.host, componentstatus.NewEvent(componentstatus.StatusOK))
}

// Shutdown stops watching the tokens file.
func (a *authenticator) Shutdown(context.Context) error {
	if a.file != nil {
		a.file.Stop()
	}
	a.telemetry.Shutdown()
	return nil
}

// Authenticate finds the client whose token the request carries and puts
// its name in the context's client.Info (Auth, attribute aind.client),
// keeping the address and metadata the receiver put there.
func (a *authenticator) Authenticate(ctx context.Context, sources map[string][]string) (context.Context, error) {
	token, err := a.credentials.Token(sources)
	if err != nil {
		return ctx, a.refuse(ctx, err)
	}
	clients := a.clients()
	if clients == nil {
		return ctx, a.refuse(ctx, errUnknownToken) // not started
	}
	name, ok := clients.Lookup(token)
	if !ok {
		return ctx, a.refuse(ctx, errUnknownToken)
	}
	info := client.FromContext(ctx)
	info.Auth = authData{client: name}
	return client.NewContext(ctx, info), nil
}

// refuse counts a refused request and returns why.
func (a *authenticator) refuse(ctx context.Context, reason error) error {
	a.telemetry.ExtensionAindauthRequestsRefused.Add(ctx, 1, a.refusals[reason])
	return reason
}
