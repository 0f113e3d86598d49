package aindprocessor

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

const testHashKey = "0123456789abcdef0123456789abcdef-test"

func testScratch(t testing.TB, c RedactionConfig) *redactScratch {
	t.Helper()
	r, err := newRedactor(&c)
	require.NoError(t, err)
	return r.newScratch()
}

func redactWith(t testing.TB, c RedactionConfig, s string) (string, int) {
	t.Helper()
	return testScratch(t, c).redactString(s)
}

// Secrets for the tests. They are well-known documentation examples or
// made up; none is live.
const (
	awsKeyID     = "AKIAIOSFODNN7EXAMPLE"
	awsSTSKeyID  = "ASIAY34FZKBOKMUTVV7A"
	awsSecret    = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	ghpToken     = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	ghoToken     = "gho_16C7e42F292c6912E7710c838347Ae178B4a"
	ghsToken     = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
	ghuToken     = "ghu_16C7e42F292c6912E7710c838347Ae178B4a"
	ghrToken     = "ghr_16C7e42F292c6912E7710c838347Ae178B4a"
	ghPAT        = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV"
	slackToken   = "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
	googleKey    = "AIzaSyA-1234567890abcdefghijklmnopqrstu"
	jwtToken     = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	pemBody      = "MIIEowIBAAKCAQEA7bq98z4kZ2pVx0Q9cS1bYQ\nq3Vf0tq1mHkGH8zjW0vW5n2x"
	pemBlock     = "-----BEGIN RSA PRIVATE KEY-----\n" + pemBody + "\n-----END RSA PRIVATE KEY-----"
	basicCred    = "dXNlcjpwYXNzd29yZA=="
	bearerCred   = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	plainPass    = "hunter2"
	urlPass      = "S3cr3tPw"
	maskedPEM    = "-----BEGIN RSA PRIVATE KEY-----\n[REDACTED]\n-----END RSA PRIVATE KEY-----"
	maskedPrefix = "[REDACTED]"
)

func TestRedactPatterns(t *testing.T) {
	tests := []struct {
		name, in, want string
		kind           string // of the first redaction
	}{
		{"aws key id", "using " + awsKeyID + " for s3", "using [REDACTED] for s3", "aws_access_key_id"},
		{"aws sts key id", awsSTSKeyID, "[REDACTED]", "aws_access_key_id"},
		{"aws secret assignment", "aws_secret_access_key=" + awsSecret, "aws_secret_access_key=[REDACTED]", "aws_secret_access_key"},
		{"aws secret ini", "aws_secret_access_key = " + awsSecret + "\nregion = us-west-2", "aws_secret_access_key = [REDACTED]\nregion = us-west-2", "aws_secret_access_key"},
		{"aws secret env", "AWS_SECRET_ACCESS_KEY='" + awsSecret + "'", "AWS_SECRET_ACCESS_KEY='[REDACTED]'", "aws_secret_access_key"},
		{"ghp", "token " + ghpToken, "token [REDACTED]", "github_token"},
		{"gho", ghoToken, "[REDACTED]", "github_token"},
		{"ghs", "(" + ghsToken + ")", "([REDACTED])", "github_token"},
		{"ghu", ghuToken + ",", "[REDACTED],", "github_token"},
		{"ghr", ghrToken, "[REDACTED]", "github_token"},
		{"github pat", "pat " + ghPAT, "pat [REDACTED]", "github_token"},
		{"slack", "hook " + slackToken + " ok", "hook [REDACTED] ok", "slack_token"},
		{"google", "key=" + googleKey, "key=[REDACTED]", "google_api_key"},
		{"jwt", "got " + jwtToken + ".", "got [REDACTED].", "jwt"},
		{"jwt unsigned", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "[REDACTED]", "jwt"},
		{"pem", "key:\n" + pemBlock + "\nend", "key:\n" + maskedPEM + "\nend", "private_key"},
		{"pem cut", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED]", "private_key"},
		{"pem encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----MIIFHz-----END ENCRYPTED PRIVATE KEY-----", "-----BEGIN ENCRYPTED PRIVATE KEY-----[REDACTED]-----END ENCRYPTED PRIVATE KEY-----", "private_key"},
		{"url", "connect postgres://aind:" + urlPass + "@db.local:5432/x", "connect postgres://aind:[REDACTED]@db.local:5432/x", "url_credentials"},
		{"url email user", "https://bob@example.org:" + urlPass + "@host/x", "https://bob@example.org:[REDACTED]@host/x", "url_credentials"},
		{"url slash in password", "mongodb://u:pa/ss@h1/db", "mongodb://u:[REDACTED]@h1/db", "url_credentials"},
		{"url token as password", "https://x-access-token:" + ghpToken + "@github.com/o/r.git", "https://x-access-token:[REDACTED]@github.com/o/r.git", "url_credentials"},
		{"bearer header", "Authorization: Bearer " + bearerCred, "Authorization: Bearer [REDACTED]", "authorization"},
		{"basic header", "authorization=Basic " + basicCred, "authorization=Basic [REDACTED]", "authorization"},
		{"bearer free", "retrying with bearer " + bearerCred + " now", "retrying with bearer [REDACTED] now", "authorization"},
		{"basic free", "Basic " + basicCred, "Basic [REDACTED]", "authorization"},
		{"header json", `{"Authorization": "Bearer ` + bearerCred + `"}`, `{"Authorization": "Bearer [REDACTED]"}`, "authorization"},
		{"password kv", "login password=" + plainPass + " user=bob", "login password=[REDACTED] user=bob", "secret_assignment"},
		{"pwd kv", "PWD=" + plainPass, "PWD=[REDACTED]", "secret_assignment"},
		{"secret kv", "secret=" + plainPass + ";", "secret=[REDACTED];", "secret_assignment"},
		{"token kv", "token=" + plainPass, "token=[REDACTED]", "secret_assignment"},
		{"api_key kv", "api_key: '" + plainPass + "'", "api_key: '[REDACTED]'", "secret_assignment"},
		{"compound key", "db_password=" + plainPass, "db_password=[REDACTED]", "secret_assignment"},
		{"camel key", "dbPassword=" + plainPass, "dbPassword=[REDACTED]", "secret_assignment"},
		{"header key", "X-Auth-Token: abc", "X-Auth-Token: [REDACTED]", "secret_assignment"},
		{"glued key", "csrftoken=" + plainPass, "csrftoken=[REDACTED]", "secret_assignment"},
		{"json in string", `{"user": "bob", "password": "x y z"}`, `{"user": "bob", "password": "[REDACTED]"}`, "secret_assignment"},
		{"json number", `{"pwd": 1234}`, `{"pwd": [REDACTED]}`, "secret_assignment"},
		{"double-encoded json", `{\"password\": \"` + plainPass + `\"}`, `{\"password\": \"[REDACTED]\"}`, "secret_assignment"},
		{"python repr", `{'password': '` + plainPass + `'}`, `{'password': '[REDACTED]'}`, "secret_assignment"},
		{"json object", `{"credentials": {"user": "a", "pass": "b"}, "n": 1}`, `{"credentials": [REDACTED], "n": 1}`, "secret_assignment"},
		{"url query", "GET /api?token=" + plainPass + "&a=b", "GET /api?token=[REDACTED]&a=b", "secret_assignment"},
		{"url fragment", "cb#access_token=" + plainPass + "&x=1", "cb#access_token=[REDACTED]&x=1", "secret_assignment"},
		{"cli flag", "run --password " + plainPass + " --user bob", "run --password [REDACTED] --user bob", "secret_assignment"},
		{"cli flag eq", "run --api-key=" + plainPass, "run --api-key=[REDACTED]", "secret_assignment"},
		{"yaml", "user: bob\npassword: letmein\nhost: x", "user: bob\npassword: [REDACTED]\nhost: x", "secret_assignment"},
		{"colon end of line", "Invalid token: expired", "Invalid token: [REDACTED]", "secret_assignment"}, // the accepted false positive
		{"colon secret-looking", "got token: " + plainPass + " from cache", "got token: [REDACTED] from cache", "secret_assignment"},
		{"cookie header", "Cookie: sid=abc; theme=dark", "Cookie: [REDACTED]", "secret_assignment"},
		{"go assign", "secret := s3cr3t", "secret := [REDACTED]", "secret_assignment"},
		{"quoted unclosed", `password="` + plainPass, `password="[REDACTED]`, "secret_assignment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := testScratch(t, defaultRedaction())
			got, n := st.redactString(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Positive(t, n)
			found := false
			for k, c := range st.counts {
				if c > 0 && st.r.kinds[k] == tt.kind {
					found = true
				}
			}
			assert.True(t, found, "kind %s not counted: %v", tt.kind, st.counts)
			again, n2 := st.redactString(got)
			assert.Equal(t, got, again, "idempotent")
			assert.Zero(t, n2)
		})
	}
}

// TestRedactLeavesNonSecrets: values without a secret come back as the very
// same string.
func TestRedactLeavesNonSecrets(t *testing.T) {
	for _, in := range []string{
		"",
		"Starting program",
		"Failed to save session: could not connect to database",
		"Loaded 42 sessions",
		"Session recorded",
		"Invalid password: user bobby.b",
		"Invalid token: expired, retrying",
		"Reset your password.",
		"status=ok n=3 retries=0",
		"token_count=512 n_tokens=12 max_tokens=1024 tokenizer=bert-base",
		"author=bob authority=x",
		"password == expected",
		"password: null",
		`{"password": null, "token": ""}`,
		"private_key_path=/home/bob/.ssh/id_ed25519",
		"secret_name=aind-db session_id=123456_2026-01-01_23-00-00",
		"https://github.com/AllenNeuralDynamics/aind-data-schema",
		"http://localhost:3100/loki/api/v1/push",
		"http://host:8080/path?email=a@b.com",
		"s3://aind-open-data/ecephys_123456_2026-01-01_23-00-00/",
		"ssh://git@github.com/AllenNeuralDynamics/x.git",
		"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"f47ac10b-58cc-4372-a567-0e02b2c3d479",
		"eyJhIjogMX0=",
		"eyJhbGciOiJIUzI1NiJ9",
		"basic statistics computed; bearer of news",
		"Basic Authentication required",
		"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
		"AKIA is a prefix; xAKIAIOSFODNN7EXAMPLE; AKIAIOSFODNN7EXAMPLEX",
		"ghp_short",
		"xoxo-xoxo hugs",
		"acquisition 713491_2026-02-09_21-00-00 on frg_1_a",
		"version 1.0.4.dev0 of aind-data-schema",
		"/opt/capsule/code/run.py:118",
		"Traceback (most recent call last):\n  File \"/opt/x.py\", line 3\nKeyError: 'token'",
		"ünïcödé tökén=",
	} {
		got, n := redactWith(t, defaultRedaction(), in)
		assert.Zero(t, n, "%q", in)
		assert.Equal(t, in, got)
		if n == 0 && in != "" {
			// The very same string, not an equal copy.
			assert.Equal(t, strings.Clone(in), got)
		}
	}
}

func TestKeyRule(t *testing.T) {
	r := newKeyRule(nil, nil)
	blocked := func(k string) bool {
		_, b, _ := r.blocked(k, nil)
		return b
	}
	for _, k := range []string{
		"password", "PASSWORD", "Password", "passwd", "pwd", "secret", "token", "api_key", "apikey",
		"APIKey", "apiKey", "x-api-key", "access_key", "AccessKey", "authorization", "Authorization",
		"auth", "cookie", "set-cookie", "Set-Cookie", "credentials", "credential", "private_key",
		"client_secret", "session", "db_password", "dbPassword", "DB-PASSWORD", "X-Auth-Token",
		"github_token", "aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "refresh_token", "id_token",
		"csrftoken", "mysqlPassword", "password2", "oauth2_token", "secret_key", "auth_header",
		"authorization_code", "password_hash", "--password", "config.db.password",
	} {
		assert.True(t, blocked(k), "%s should be blocked", k)
	}
	for _, k := range []string{
		"author", "authority", "oauth", "tokenizer_name", "tokenizer", "token_count", "n_tokens",
		"max_tokens", "tokens", "session_id", "session_name", "session_start_time", "sessions",
		"secret_name", "auth_method", "private_key_path", "credentials_file", "token_type",
		"token_expires_at", "password_set", "api", "api_version", "key", "access_level", "rapid",
		"message", "name", "extra", "subject_id", "hostname", "software_name", "passwords",
		"aind.redacted.count", "log.file.name", "code.file.path", "exception.stacktrace",
		"processName", "threadName", "pathname", "funcName", "lineno", "status", "database", "user_id",
		"webapi", "cwd",
	} {
		assert.False(t, blocked(k), "%s should not be blocked", k)
	}
}

func TestKeyRuleConfig(t *testing.T) {
	r := newKeyRule([]string{"lab_pin", "TokenCount"}, []string{"session", "X-Auth-Token", "max_tokens"})
	blocked := func(k string) bool {
		_, b, _ := r.blocked(k, nil)
		return b
	}
	assert.True(t, blocked("lab_pin"), "added")
	assert.True(t, blocked("LabPin"), "added, any spelling")
	assert.True(t, blocked("user_lab_pin"), "added, inside a key")
	assert.True(t, blocked("token_count"), "an added entry ending in a descriptive word")
	assert.False(t, blocked("session"), "allowed: the entry is removed")
	assert.False(t, blocked("user_session"), "allowed: the entry is removed")
	assert.False(t, blocked("x_auth_token"), "allowed, any spelling")
	assert.True(t, blocked("auth_token"), "only the exact allowed key is exempt")
	assert.True(t, blocked("token"), "token stays blocked")
}

func TestSplitKeyWords(t *testing.T) {
	words := func(k string) []string {
		var out []string
		for _, w := range splitKeyWords(k, nil) {
			out = append(out, rdToLower(k[w.start:w.end]))
		}
		return out
	}
	assert.Equal(t, []string{"db", "password"}, words("dbPassword"))
	assert.Equal(t, []string{"api", "key"}, words("APIKey"))
	assert.Equal(t, []string{"x", "auth", "token"}, words("X-Auth-Token"))
	assert.Equal(t, []string{"password", "2"}, words("password2"))
	assert.Equal(t, []string{"aws", "secret", "access", "key"}, words("AWS_SECRET_ACCESS_KEY"))
	assert.Equal(t, []string{"http", "authorization"}, words("HTTPAuthorization"))
	assert.Empty(t, words("__--.."))
}

func TestRedactHashMode(t *testing.T) {
	c := defaultRedaction()
	c.Mode = RedactionHash
	c.HashKey = testHashKey
	st := testScratch(t, c)
	a, n := st.redactString("password=alpha1 token=alpha1 secret=beta22")
	require.Equal(t, 3, n)
	parts := strings.Fields(a)
	require.Len(t, parts, 3)
	da := strings.SplitN(parts[0], "=", 2)[1]
	db := strings.SplitN(parts[1], "=", 2)[1]
	dc := strings.SplitN(parts[2], "=", 2)[1]
	assert.True(t, isRedactionMarker(da), da)
	assert.Regexp(t, `^\[REDACTED:hmac:[0-9a-f]{16}\]$`, da)
	assert.Equal(t, da, db, "equal secrets, equal digests")
	assert.NotEqual(t, da, dc, "different secrets, different digests")
	assert.NotContains(t, a, "alpha1")

	again, n := st.redactString(a)
	assert.Equal(t, a, again, "idempotent")
	assert.Zero(t, n)

	// Another key, other digests: the digest is keyed.
	c.HashKey = testHashKey + "-other"
	b, _ := redactWith(t, c, "password=alpha1")
	assert.NotEqual(t, "password="+da, b)

	// A mask marker is not hashed again, nor a hash marker masked.
	masked, n := st.redactString("password=[REDACTED]")
	assert.Equal(t, "password=[REDACTED]", masked)
	assert.Zero(t, n)
	hashed, n := redactWith(t, defaultRedaction(), a)
	assert.Equal(t, a, hashed)
	assert.Zero(t, n)
}

func TestRedactCustomPatterns(t *testing.T) {
	c := defaultRedaction()
	c.Patterns = []string{
		`LAB-[0-9]{6}`,                     // literal anchor LAB-
		`(?i)pin:\s*(?P<secret>\d{4})`,     // case-insensitive anchor, secret group
		`\b\d{3}\s\d{2}\s\d{4}\b`,          // no literal: always runs
		`(?:alpha|beta)(?P<secret>\d+)`,    // alternation: no literal
		`(?P<secret>[a-z]+)@internal\.lab`, // literal after the secret
	}
	st := testScratch(t, c)
	assert.Equal(t, []int{2, 3}, st.r.always)
	got, n := st.redactString("badge LAB-123456, PIN: 1234, ssn 123 45 6789, beta42, bob@internal.lab")
	assert.Equal(t, "badge [REDACTED], PIN: [REDACTED], ssn [REDACTED], beta[REDACTED], [REDACTED]@internal.lab", got)
	assert.Equal(t, 5, n)
	for i := range c.Patterns {
		assert.Equal(t, int64(1), st.counts[numBuiltinKinds+i], "custom_%d", i)
	}
	// Unicode case folding: the K of PIN may be the Kelvin sign in
	// (?i)-patterns; the ASCII anchor must not hide it.
	c.Patterns = []string{`(?i)kpin=(?P<secret>\d+)`}
	got, n = redactWith(t, c, "\u212Apin=4321")
	assert.Equal(t, "\u212Apin=[REDACTED]", got)
	assert.Equal(t, 1, n)
}

func TestRequiredLiteral(t *testing.T) {
	for expr, want := range map[string]string{
		`LAB-[0-9]{6}`:          "LAB-",
		`(?i)Token:\s*\w+`:      "token:",
		`x(abc)+y`:              "abc",
		`a|b`:                   "",
		`[0-9]+`:                "",
		`(?:ab)?cd`:             "cd",
		`\bsecret_[a-z]{3,}\b`:  "secret_",
		`(?P<secret>\d+)@lab\.`: "@lab.",
	} {
		got, _ := requiredLiteral(expr)
		assert.Equal(t, want, got, expr)
	}
}

func TestRedactDisabledPatterns(t *testing.T) {
	c := defaultRedaction()
	c.DisabledPatterns = []string{"jwt", "secret_assignment"}
	in := jwtToken + " password=" + plainPass + " " + awsKeyID
	got, n := redactWith(t, c, in)
	assert.Equal(t, jwtToken+" password="+plainPass+" [REDACTED]", got)
	assert.Equal(t, 1, n)
}

// TestRedactionPipeline runs whole records through the processor.
func TestRedactionPipeline(t *testing.T) {
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "login password=` + plainPass + ` ok",` +
		` "name": "app.` + ghpToken + `", "hostname": "host-` + awsKeyID + `", "software_name": "waterlog",` +
		` "db_password": 1234, "extra": {"credentials": {"user": "bob", "pass": "x"}, "list": ["Bearer ` + bearerCred + `", {"apiKey": "k1"}], "probe": "ProbeA"}}`
	rl, sl, lr := mapOne(t, createDefaultConfig(), line)

	assert.Equal(t, "login password=[REDACTED] ok", lr.Body().Str())
	assert.Equal(t, "app.[REDACTED]", sl.Scope().Name())
	host, _ := rl.Resource().Attributes().Get("host.name")
	assert.Equal(t, "host-[REDACTED]", host.Str())
	v, _ := lr.Attributes().Get("db_password")
	assert.Equal(t, "[REDACTED]", v.Str(), "an int under a blocked key")
	extra, _ := lr.Attributes().Get("extra")
	assert.Equal(t, map[string]any{
		"credentials": "[REDACTED]",
		"list":        []any{"Bearer [REDACTED]", map[string]any{"apiKey": "[REDACTED]"}},
		"probe":       "ProbeA",
	}, extra.Map().AsRaw())
	count, ok := lr.Attributes().Get(aind.AttrRedactedCount)
	require.True(t, ok)
	assert.Equal(t, int64(7), count.Int(), "body, scope, resource, db_password, credentials, bearer, apiKey")
	_, ok = lr.Attributes().Get(aind.AttrRedactedKeys)
	assert.False(t, ok, "no key names unless report_keys")
}

func TestRedactionPassthroughAndParseError(t *testing.T) {
	ld := linesToLogs(map[string]string{"co.capsule.id": "c1"}, `password=`+plainPass+` user=bob (not JSON)`)
	_, _, lr := only(t, process(t, createDefaultConfig(), ld))
	assert.Equal(t, "password=[REDACTED] user=bob (not JSON)", lr.Body().Str())
	perr, ok := lr.Attributes().Get(aind.AttrParseError)
	require.True(t, ok)
	assert.NotContains(t, perr.Str(), plainPass)
	count, _ := lr.Attributes().Get(aind.AttrRedactedCount)
	assert.Equal(t, int64(1), count.Int())

	// A non-AIND record with its own resource and scope.
	ld = plog.NewLogs()
	rlIn := ld.ResourceLogs().AppendEmpty()
	rlIn.Resource().Attributes().PutStr("k8s.note", "password="+plainPass)
	rlIn.Resource().Attributes().PutStr("api_token", "t0k3n")
	slIn := rlIn.ScopeLogs().AppendEmpty()
	slIn.Scope().SetName("lib")
	slIn.Scope().Attributes().PutStr("client_secret", "cs")
	for range 2 {
		r := slIn.LogRecords().AppendEmpty()
		r.Body().SetStr("plain text")
		r.SetSeverityText("INFO token=" + plainPass)
	}
	out := process(t, createDefaultConfig(), ld)
	res := out.ResourceLogs().At(0).Resource().Attributes().AsRaw()
	assert.Equal(t, map[string]any{"k8s.note": "password=[REDACTED]", "api_token": "[REDACTED]", "service.name": "aind"}, res)
	scope := out.ResourceLogs().At(0).ScopeLogs().At(0)
	assert.Equal(t, map[string]any{"client_secret": "[REDACTED]"}, scope.Scope().Attributes().AsRaw())
	for i := range 2 {
		r := scope.LogRecords().At(i)
		assert.Equal(t, "INFO token=[REDACTED]", r.SeverityText())
		count, _ := r.Attributes().Get(aind.AttrRedactedCount)
		assert.Equal(t, int64(4), count.Int(), "severity text, scope attribute and two resource attributes")
	}
}

func TestRedactionReportKeys(t *testing.T) {
	cfg := createDefaultConfig()
	cfg.Redaction.ReportKeys = true
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "token=abc123", "hostname": "h-` + awsKeyID + `",` +
		` "extra": {"pwd": "x", "list": [{"note": "` + jwtToken + `"}]}}`
	_, _, lr := mapOne(t, cfg, line)
	keys, ok := lr.Attributes().Get(aind.AttrRedactedKeys)
	require.True(t, ok)
	assert.Equal(t, []any{"attributes.extra.list.note", "attributes.extra.pwd", "body", "resource.host.name"}, keys.Slice().AsRaw())
}

func TestRedactionDisabled(t *testing.T) {
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "password=` + plainPass + `", "token": "t", "hostname": "` + awsKeyID + `"}`
	on := createDefaultConfig()
	off := createDefaultConfig()
	off.Redaction.Enabled = false
	withoutRedaction := process(t, off, linesToLogs(nil, line))
	_, _, lr := only(t, withoutRedaction)
	assert.Equal(t, "password="+plainPass, lr.Body().Str())
	_, ok := lr.Attributes().Get(aind.AttrRedactedCount)
	assert.False(t, ok)

	// Off changes nothing else: the output equals the redacting output with
	// the secrets put back.
	redacted := process(t, on, linesToLogs(nil, line))
	_, _, lr2 := only(t, redacted)
	lr2.Body().SetStr("password=" + plainPass)
	lr2.Attributes().PutStr("token", "t")
	lr2.Attributes().Remove(aind.AttrRedactedCount)
	redacted.ResourceLogs().At(0).Resource().Attributes().PutStr("host.name", awsKeyID)
	assert.Equal(t, marshalJSON(t, withoutRedaction), marshalJSON(t, redacted))
}

func marshalJSON(t testing.TB, ld plog.Logs) string {
	t.Helper()
	b, err := (&plog.JSONMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	return string(b)
}

func TestRedactionIdempotentChain(t *testing.T) {
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "password=` + plainPass + `", "token": "t", "hostname": "` + awsKeyID + `"}`
	once := process(t, createDefaultConfig(), linesToLogs(nil, line))
	first := marshalJSON(t, once)
	tb, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	require.NoError(t, err)
	rd := compileRedaction(&createDefaultConfig().Redaction, tb)
	rd.redactLogs(context.Background(), once)
	assert.Equal(t, first, marshalJSON(t, once))
}

func TestRedactionMetric(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	set := componenttest.NewNopTelemetrySettings()
	set.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	tb, err := metadata.NewTelemetryBuilder(set)
	require.NoError(t, err)
	p := newLogsProcessor(createDefaultConfig(), tb)
	p.guard.SkipTimestamps()
	line := `{"timestamp": "2026-03-01T08:15:02Z", "level": "INFO", "message": "id ` + awsKeyID + ` and ` + awsSTSKeyID + `", "password": "p"}`
	_, err = p.processLogs(context.Background(), linesToLogs(nil, line, line))
	require.NoError(t, err)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "otelcol_processor_aind_redactions" {
				continue
			}
			for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
				kind, _ := dp.Attributes.Value(attribute.Key("kind"))
				got[kind.AsString()] = dp.Value
				assert.Equal(t, 1, dp.Attributes.Len(), "only the kind")
			}
		}
	}
	assert.Equal(t, map[string]int64{"aws_access_key_id": 4, "key": 2}, got)
}

// TestRedactKeepsUTF8 checks that markers replace whole runes only.
func TestRedactKeepsUTF8(t *testing.T) {
	for _, in := range []string{
		"mot de passe: password=sécurité123 fin",
		"password=ключ,next",
		`{"token": "秘密の鍵"}`,
		"https://ü:pässwörd@hôst/",
	} {
		got, n := redactWith(t, defaultRedaction(), in)
		assert.Equal(t, 1, n, in)
		assert.True(t, utf8.ValidString(got), got)
	}
}

func TestHashKeyNeverPrints(t *testing.T) {
	c := defaultRedaction()
	c.HashKey = "super-secret-hmac-key-0123456789abcdef"
	for _, s := range []string{
		c.HashKey.String(),
		strings.Join([]string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c.HashKey), fmt.Sprintf("%q", c.HashKey)}, " "),
	} {
		assert.NotContains(t, s, "super-secret")
	}
	text, err := c.HashKey.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "[REDACTED]", string(text))
}

// The value types a blocked key replaces.
func TestReplaceWholeTypes(t *testing.T) {
	st := testScratch(t, defaultRedaction())
	m := pcommon.NewMap()
	m.PutStr("password", "x")
	m.PutInt("pwd", 1234)
	m.PutDouble("secret", 1.5)
	m.PutBool("token", true)
	m.PutEmptyBytes("api_key").FromRaw([]byte{1, 2})
	m.PutEmptySlice("cookie").AppendEmpty().SetStr("a")
	m.PutEmptyMap("credentials").PutStr("user", "bob")
	m.PutEmpty("auth")
	m.PutStr("session", "")
	m.PutEmptyMap("private_key")
	st.setPath("x")
	n := st.mapValue(m, true)
	assert.Equal(t, 7, n)
	assert.Equal(t, map[string]any{
		"password": "[REDACTED]", "pwd": "[REDACTED]", "secret": "[REDACTED]", "token": "[REDACTED]",
		"api_key": "[REDACTED]", "cookie": "[REDACTED]", "credentials": "[REDACTED]",
		"auth": nil, "session": "", "private_key": map[string]any{},
	}, m.AsRaw())
}

// TestRedactLinearTime: adversarial strings cost time linear in their
// length; a quadratic detector would take minutes here.
func TestRedactLinearTime(t *testing.T) {
	const n = 256 << 10
	st := testScratch(t, defaultRedaction())
	for name, unit := range map[string]string{
		"key words":    "tokentoken",
		"key chars":    "secret_token_password.",
		"github":       "ghp_",
		"google":       "AIza-",
		"slack":        "xoxb-",
		"jwt":          "eyJhbGciOiJIUzI1NiJ9.",
		"pem":          "-----BEGIN PRIVATE KEY-----",
		"url":          "://",
		"url userinfo": "a://b:",
		"json nesting": `{"password": `,
		"quotes":       `password="`,
		"markers":      "password=[REDACTED] ",
		"bearer":       "bearer ",
		"aws":          "AKIA",
	} {
		s := strings.Repeat(unit, n/len(unit))
		start := time.Now()
		out, _ := st.redactString(s)
		elapsed := time.Since(start)
		assert.Less(t, elapsed, 2*time.Second, name)
		again, _ := st.redactString(out)
		assert.Equal(t, out, again, name)
	}
	long := "Bearer " + strings.Repeat("a1", n/2)
	start := time.Now()
	st.redactString(long)
	assert.Less(t, time.Since(start), 2*time.Second)
}

// TestRedactScratchBounded: the report_keys path buffer does not grow when
// report_keys is off.
func TestRedactScratchBounded(t *testing.T) {
	st := testScratch(t, defaultRedaction())
	sc := pcommon.NewInstrumentationScope()
	sc.SetName("lib")
	sc.Attributes().PutStr("a", "b")
	for range 100 {
		st.scope(sc)
	}
	assert.Empty(t, st.path)
	assert.Nil(t, st.found)
}
