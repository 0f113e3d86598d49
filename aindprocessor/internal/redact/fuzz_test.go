package redact

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSecrets are planted into the fuzzer's strings; each is the text that
// must disappear and the form it is planted in.
var fuzzSecrets = []struct{ secret, planted string }{
	{"AKIAPLANTED000000009", "AKIAPLANTED000000009"},
	{"ghp_PLANTED0123456789abcdefghijklmnopqrstu", "ghp_PLANTED0123456789abcdefghijklmnopqrstu"},
	{"github_pat_PLANTED0123456789_abcdefghijkl", "github_pat_PLANTED0123456789_abcdefghijkl"},
	{"xoxb-PLANTED-1234567890", "xoxb-PLANTED-1234567890"},
	{"AIzaPLANTED0123456789abcdefghijklmnopqr", "AIzaPLANTED0123456789abcdefghijklmnopqr"},
	{"eyJQTEFOVEVEIjoxfQ.PLANTEDsig", "eyJhbGciOiJIUzI1NiJ9.eyJQTEFOVEVEIjoxfQ.PLANTEDsig"},
	{"MIIEPLANTEDowIBAAKCAQEA", "-----BEGIN RSA PRIVATE KEY-----\nMIIEPLANTEDowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"},
	{"PLANTEDpw9", "postgres://aind:PLANTEDpw9@db.example.org/x"},
	{"PLANTEDtok3n0123456789", "Bearer PLANTEDtok3n0123456789"},
	{"PLANTEDpw1", "password=PLANTEDpw1"},
	{"PLANTEDq7", "https://h/x?token=PLANTEDq7&z=2"},
	{"PLANTEDaws0", "aws_secret_access_key=PLANTEDaws0"},
}

// FuzzRedact feeds arbitrary strings through the string redactor: it must
// not panic, must keep valid UTF-8 valid, must be idempotent, and a secret
// planted (between blanks) anywhere in the string must not survive.
func FuzzRedact(f *testing.F) {
	for _, name := range []string{"planted.jsonl", "clean.jsonl"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "redaction", name))
		if err != nil {
			f.Fatalf("the seed corpus: %v", err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f.Add(line, uint8(0), uint16(0))
		}
	}
	for i, s := range []string{
		"password=[REDACTED]", `{"token": "x", "a": [1, {"b": "c"}]}`, "Authorization: Bearer abc",
		"https://u:p@h", "-----BEGIN PRIVATE KEY-----", "eyJ.eyJ.", `\"pwd\": \"`, "--token -x",
		"[REDACTED:hmac:0123456789abcdef]", "ünï password: cödé", "token: " + strings.Repeat("a", 40),
	} {
		f.Add(s, uint8(i), uint16(i*3))
	}
	w := testWalker(f, DefaultConfig())
	hc := DefaultConfig()
	hc.Mode = ModeHash
	hc.HashKey = testHashKey
	hw := testWalker(f, hc)
	f.Fuzz(func(t *testing.T, s string, which uint8, at uint16) {
		for _, sc := range []*walker{w, hw} {
			out, n := sc.redact(s)
			if n == 0 && out != s {
				t.Fatalf("changed without a redaction: %q → %q", s, out)
			}
			if utf8.ValidString(s) && !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of valid %q: %q", s, out)
			}
			again, n2 := sc.redact(out)
			if again != out || n2 != 0 {
				t.Fatalf("not idempotent: %q → %q → %q", s, out, again)
			}

			p := fuzzSecrets[int(which)%len(fuzzSecrets)]
			if strings.Contains(s, p.secret) {
				continue
			}
			i := int(at) % (len(s) + 1)
			for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
				i--
			}
			in := s[:i] + " " + p.planted + " " + s[i:]
			out, _ = sc.redact(in)
			if strings.Contains(out, p.secret) {
				t.Fatalf("planted secret survived: %q → %q", in, out)
			}
		}
	})
}
