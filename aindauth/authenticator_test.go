package aindauth

import (
	"context"
	"encoding/base64"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/tokens"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

const (
	tokenEphys = "token-of-team-ephys-0123456789"
	tokenRigs  = "token-of-rig-group-a-0123456789"
)

// fixture is a started authenticator with its logs, telemetry and the
// statuses it reported.
type fixture struct {
	auth *authenticator
	logs *observer.ObservedLogs
	tel  *componenttest.Telemetry
	host *statusHost
}

// statusHost records the statuses a component reports.
type statusHost struct {
	component.Host
	mu     sync.Mutex
	events []*componentstatus.Event
}

func (h *statusHost) Report(ev *componentstatus.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
}

func (h *statusHost) statuses() []componentstatus.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []componentstatus.Status
	for _, ev := range h.events {
		out = append(out, ev.Status())
	}
	return out
}

func newFixture(t *testing.T, cfg *Config) (*fixture, error) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	set := extensiontest.NewNopSettings(typ)
	set.TelemetrySettings = tel.NewTelemetrySettings()
	set.Logger = zap.New(core)
	a, err := newAuthenticator(set, cfg)
	require.NoError(t, err)
	f := &fixture{auth: a, logs: logs, tel: tel, host: &statusHost{Host: componenttest.NewNopHost()}}
	if err := a.Start(context.Background(), f.host); err != nil {
		return f, err
	}
	t.Cleanup(func() { require.NoError(t, a.Shutdown(context.Background())) })
	return f, nil
}

func inlineConfig(clients ...tokens.Client) *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.Clients = clients
	return cfg
}

// authenticate presents a token as the HTTP server would, in a context that
// already holds the receiver's client.Info.
func (f *fixture) authenticate(token string) (string, error) {
	return f.authenticateHeaders(map[string][]string{"Authorization": {"Bearer " + token}})
}

func (f *fixture) authenticateHeaders(headers map[string][]string) (string, error) {
	ctx, err := f.auth.Authenticate(context.Background(), headers)
	if err != nil {
		return "", err
	}
	name, _ := client.FromContext(ctx).Auth.GetAttribute(aind.AttrClient).(string)
	return name, nil
}

// noTokenLogged fails if a token appears in any log entry, at any level.
func (f *fixture) noTokenLogged(t *testing.T, tokens ...string) {
	t.Helper()
	for _, e := range f.logs.All() {
		text := e.Message
		for k, v := range e.ContextMap() {
			text += " " + k + "=" + toString(v)
		}
		for _, token := range tokens {
			assert.NotContains(t, text, token)
		}
	}
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if err, ok := v.(error); ok {
		return err.Error()
	}
	return ""
}

func TestAuthenticateNamesTheClient(t *testing.T) {
	f, err := newFixture(t, inlineConfig(
		tokens.Client{Name: "team-ephys", Token: tokenEphys},
		tokens.Client{Name: "rig-group-a", Token: tokenRigs},
	))
	require.NoError(t, err)

	addr := &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)}
	in := client.NewContext(context.Background(), client.Info{
		Addr:     addr,
		Metadata: client.NewMetadata(map[string][]string{"X-Capsule-Id": {"cap-1"}}),
	})
	ctx, err := f.auth.Authenticate(in, map[string][]string{"Authorization": {"Bearer " + tokenRigs}})
	require.NoError(t, err)
	info := client.FromContext(ctx)
	assert.Equal(t, "rig-group-a", info.Auth.GetAttribute(aind.AttrClient))
	assert.Equal(t, []string{aind.AttrClient}, info.Auth.GetAttributeNames())
	assert.Nil(t, info.Auth.GetAttribute("subject"))
	assert.Equal(t, addr, info.Addr, "the receiver's client address stays")
	assert.Equal(t, []string{"cap-1"}, info.Metadata.Get("X-Capsule-Id"), "the receiver's metadata stays")

	name, err := f.authenticateHeaders(map[string][]string{"authorization": {"bearer " + tokenEphys}})
	require.NoError(t, err, "gRPC metadata, scheme in lower case")
	assert.Equal(t, "team-ephys", name)
}

// A refusal is a fixed message, counted by reason; no token is quoted or
// logged.
func TestAuthenticateRefuses(t *testing.T) {
	f, err := newFixture(t, inlineConfig(tokens.Client{Name: "team-ephys", Token: tokenEphys}))
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		headers map[string][]string
		want    string
	}{
		{"no header", map[string][]string{}, "no credentials: the request has no authorization header"},
		{"basic, not base64", map[string][]string{"Authorization": {"Basic " + tokenEphys}}, "the basic credentials are not base64 of user:password"},
		{"other scheme", map[string][]string{"Authorization": {"Digest " + tokenEphys}}, "the authorization header does not use the expected scheme"},
		{"token alone", map[string][]string{"Authorization": {tokenEphys}}, "the authorization header does not use the expected scheme"},
		{"unknown token", map[string][]string{"Authorization": {"Bearer " + tokenRigs}}, "invalid credentials: no client has this token"},
		{"a prefix of the token", map[string][]string{"Authorization": {"Bearer " + tokenEphys[:20]}}, "invalid credentials: no client has this token"},
		{"the token and more", map[string][]string{"Authorization": {"Bearer " + tokenEphys + " "}}, "invalid credentials: no client has this token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, err := f.auth.Authenticate(context.Background(), tc.headers)
			require.EqualError(t, err, tc.want)
			assert.Nil(t, client.FromContext(ctx).Auth)
		})
	}
	assert.Equal(t, map[string]int64{"no_credentials": 1, "wrong_scheme": 2, "malformed_basic": 1, "unknown_token": 3},
		telemetrytest.SumBy(t, f.tel, "otelcol_extension_aindauth_requests_refused", "reason"))
	f.noTokenLogged(t, tokenEphys, tokenRigs)
}

// Basic credentials carry the token as their password (python-logging-loki
// 0.3.1): the token names the client, not the user name.
func TestAuthenticateBasic(t *testing.T) {
	f, err := newFixture(t, inlineConfig(tokens.Client{Name: "team-ephys", Token: tokenEphys}))
	require.NoError(t, err)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("rig-group-a:"+tokenEphys))
	name, err := f.authenticateHeaders(map[string][]string{"Authorization": {basic}})
	require.NoError(t, err)
	assert.Equal(t, "team-ephys", name)

	cfg := inlineConfig(tokens.Client{Name: "team-ephys", Token: tokenEphys})
	cfg.BasicAuth = false
	f, err = newFixture(t, cfg)
	require.NoError(t, err)
	_, err = f.authenticateHeaders(map[string][]string{"Authorization": {basic}})
	assert.EqualError(t, err, "the authorization header does not use the expected scheme")
	f.noTokenLogged(t, tokenEphys)
}

func TestAuthenticateOwnHeaderWithoutScheme(t *testing.T) {
	cfg := inlineConfig(tokens.Client{Name: "team-ephys", Token: tokenEphys})
	cfg.Header, cfg.Scheme = "X-Api-Key", ""
	f, err := newFixture(t, cfg)
	require.NoError(t, err)
	name, err := f.authenticateHeaders(map[string][]string{"X-Api-Key": {tokenEphys}})
	require.NoError(t, err)
	assert.Equal(t, "team-ephys", name)
	_, err = f.authenticate(tokenEphys)
	assert.EqualError(t, err, "no credentials: the request has no authorization header")
}

// writeTokens replaces the tokens file whole, by a rename, as the README
// asks.
func writeTokens(t *testing.T, path, data string) {
	t.Helper()
	tmp := path + ".tmp"
	require.NoError(t, os.WriteFile(tmp, []byte(data), 0o600))
	require.NoError(t, os.Rename(tmp, path))
}

func fileConfig(path string) *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.TokensFile = path
	cfg.ReloadInterval = 5 * time.Millisecond
	return cfg
}

func TestStartNeedsAGoodTokensFile(t *testing.T) {
	dir := t.TempDir()
	_, err := newFixture(t, fileConfig(filepath.Join(dir, "missing.yaml")))
	require.ErrorContains(t, err, "'tokens_file': open ")
	require.ErrorIs(t, err, os.ErrNotExist)

	path := filepath.Join(dir, "tokens.yaml")
	writeTokens(t, path, "clients:\n  - name: team-ephys\n    tokn: "+tokenEphys+"\n")
	f, err := newFixture(t, fileConfig(path))
	require.EqualError(t, err, "'tokens_file': the tokens file, line 3: not YAML holding a 'clients' list of entries with the keys name, token, token_sha256")
	f.noTokenLogged(t, tokenEphys)
}

func TestTokensFileRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.yaml")
	both := "clients:\n  - name: team-ephys\n    token: " + tokenEphys + "\n  - name: rig-group-a\n    token: " + tokenRigs + "\n"
	writeTokens(t, path, both)
	f, err := newFixture(t, fileConfig(path))
	require.NoError(t, err)
	for token, want := range map[string]string{tokenEphys: "team-ephys", tokenRigs: "rig-group-a"} {
		name, err := f.authenticate(token)
		require.NoError(t, err)
		assert.Equal(t, want, name)
	}

	// A token removed from the file is refused, without a restart; the
	// others still get in.
	writeTokens(t, path, "clients:\n  - name: team-ephys\n    token: "+tokenEphys+"\n")
	require.Eventually(t, func() bool { _, err := f.authenticate(tokenRigs); return err != nil }, 10*time.Second, time.Millisecond)
	name, err := f.authenticate(tokenEphys)
	require.NoError(t, err)
	assert.Equal(t, "team-ephys", name)
	waitForStatuses(t, f.host, componentstatus.StatusOK)

	// A broken file keeps the last good clients, and says so once.
	writeTokens(t, path, "clients:\n  - name: team-ephys\n    token: "+tokenEphys+"\n  - name: \n    token: "+tokenRigs+"\n")
	waitForStatuses(t, f.host, componentstatus.StatusOK, componentstatus.StatusRecoverableError)
	require.NoError(t, os.Remove(path))
	waitForStatuses(t, f.host, componentstatus.StatusOK, componentstatus.StatusRecoverableError, componentstatus.StatusRecoverableError)
	_, err = f.authenticate(tokenEphys)
	require.NoError(t, err, "the last good clients stay in force")
	_, err = f.authenticate(tokenRigs)
	require.Error(t, err)
	assert.Equal(t, int64(2), telemetrytest.Sum(t, f.tel, "otelcol_extension_aindauth_reload_failures"))
	errorLogs := f.logs.FilterMessage("Tokens file not reloaded; the clients of the last good file stay in force").All()
	require.Len(t, errorLogs, 2)
	assert.Equal(t, zapcore.ErrorLevel, errorLogs[0].Level)

	// Back again, with a new client.
	writeTokens(t, path, both)
	require.Eventually(t, func() bool { name, _ := f.authenticate(tokenRigs); return name == "rig-group-a" }, 10*time.Second, time.Millisecond)
	waitForStatuses(t, f.host, componentstatus.StatusOK, componentstatus.StatusRecoverableError, componentstatus.StatusRecoverableError, componentstatus.StatusOK)

	// An empty list lets no one in.
	writeTokens(t, path, "clients: []\n")
	require.Eventually(t, func() bool { _, err := f.authenticate(tokenEphys); return err != nil }, 10*time.Second, time.Millisecond)
	_, err = f.authenticate(tokenRigs)
	assert.EqualError(t, err, "invalid credentials: no client has this token")
	f.noTokenLogged(t, tokenEphys, tokenRigs)
}

func waitForStatuses(t *testing.T, h *statusHost, want ...componentstatus.Status) {
	t.Helper()
	require.Eventually(t, func() bool { return assert.ObjectsAreEqual(want, h.statuses()) }, 10*time.Second, time.Millisecond,
		"statuses: %v", h.statuses())
}

func TestAuthenticateBeforeStart(t *testing.T) {
	a, err := newAuthenticator(extensiontest.NewNopSettings(typ), fileConfig(filepath.Join(t.TempDir(), "tokens.yaml")))
	require.NoError(t, err)
	_, err = a.Authenticate(context.Background(), map[string][]string{"Authorization": {"Bearer " + tokenEphys}})
	assert.EqualError(t, err, "invalid credentials: no client has this token")
	require.NoError(t, a.Shutdown(context.Background()))
}

func TestInlineClientsAreChecked(t *testing.T) {
	_, err := newAuthenticator(extensiontest.NewNopSettings(typ), inlineConfig(tokens.Client{Name: "a", Token: "short"}))
	assert.EqualError(t, err, "'clients': clients[0] (\"a\"): 'token' must be at least 16 bytes")
}
