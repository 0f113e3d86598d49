package redact

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testHashKey = "0123456789abcdef0123456789abcdef-test"

// testWalker is a walker of c, whose scanner the string tests use.
func testWalker(t testing.TB, c Config) *walker {
	t.Helper()
	r, err := New(&c)
	require.NoError(t, err)
	return r.newWalker()
}

func redactWith(t testing.TB, c Config, s string) (string, int) {
	t.Helper()
	return testWalker(t, c).redact(s)
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
			w := testWalker(t, DefaultConfig())
			got, n := w.redact(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Positive(t, n)
			found := false
			for k, c := range w.counts {
				if c > 0 && w.r.kinds[k] == tt.kind {
					found = true
				}
			}
			assert.True(t, found, "kind %s not counted: %v", tt.kind, w.counts)
			again, n2 := w.redact(got)
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
		got, n := redactWith(t, DefaultConfig(), in)
		assert.Zero(t, n, "%q", in)
		assert.Equal(t, in, got)
		if n == 0 && in != "" {
			// The very same string, not an equal copy.
			assert.Equal(t, strings.Clone(in), got)
		}
	}
}

func TestRedactHashMode(t *testing.T) {
	c := DefaultConfig()
	c.Mode = ModeHash
	c.HashKey = testHashKey
	w := testWalker(t, c)
	a, n := w.redact("password=alpha1 token=alpha1 secret=beta22")
	require.Equal(t, 3, n)
	parts := strings.Fields(a)
	require.Len(t, parts, 3)
	da := strings.SplitN(parts[0], "=", 2)[1]
	db := strings.SplitN(parts[1], "=", 2)[1]
	dc := strings.SplitN(parts[2], "=", 2)[1]
	assert.True(t, isMarker(da), da)
	assert.Regexp(t, `^\[REDACTED:hmac:[0-9a-f]{16}\]$`, da)
	assert.Equal(t, da, db, "equal secrets, equal digests")
	assert.NotEqual(t, da, dc, "different secrets, different digests")
	assert.NotContains(t, a, "alpha1")

	again, n := w.redact(a)
	assert.Equal(t, a, again, "idempotent")
	assert.Zero(t, n)

	// Another key, other digests: the digest is keyed.
	c.HashKey = testHashKey + "-other"
	b, _ := redactWith(t, c, "password=alpha1")
	assert.NotEqual(t, "password="+da, b)

	// A mask marker is not hashed again, nor a hash marker masked.
	masked, n := w.redact("password=[REDACTED]")
	assert.Equal(t, "password=[REDACTED]", masked)
	assert.Zero(t, n)
	hashed, n := redactWith(t, DefaultConfig(), a)
	assert.Equal(t, a, hashed)
	assert.Zero(t, n)
}

func TestRedactDisabledPatterns(t *testing.T) {
	c := DefaultConfig()
	c.DisabledPatterns = []string{"jwt", "secret_assignment"}
	in := jwtToken + " password=" + plainPass + " " + awsKeyID
	got, n := redactWith(t, c, in)
	assert.Equal(t, jwtToken+" password="+plainPass+" [REDACTED]", got)
	assert.Equal(t, 1, n)
}

// TestRedactKeepsUTF8 checks that markers replace whole runes only.
func TestRedactKeepsUTF8(t *testing.T) {
	for _, in := range []string{
		"mot de passe: password=sécurité123 fin",
		"password=ключ,next",
		`{"token": "秘密の鍵"}`,
		"https://ü:pässwörd@hôst/",
	} {
		got, n := redactWith(t, DefaultConfig(), in)
		assert.Equal(t, 1, n, in)
		assert.True(t, utf8.ValidString(got), got)
	}
}

// TestRedactLinearTime: adversarial strings cost time linear in their
// length; a quadratic detector would take minutes here.
func TestRedactLinearTime(t *testing.T) {
	const n = 256 << 10
	w := testWalker(t, DefaultConfig())
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
		out, _ := w.redact(s)
		elapsed := time.Since(start)
		assert.Less(t, elapsed, 2*time.Second, name)
		again, _ := w.redact(out)
		assert.Equal(t, out, again, name)
	}
	long := "Bearer " + strings.Repeat("a1", n/2)
	start := time.Now()
	w.redact(long)
	assert.Less(t, time.Since(start), 2*time.Second)
}
