package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

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
		"webapi", "cwd", "log_session", "logSession",
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
			out = append(out, toLower(k[w.start:w.end]))
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
