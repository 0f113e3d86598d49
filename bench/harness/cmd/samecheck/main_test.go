package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSameRedacted(t *testing.T) {
	for _, tc := range []struct {
		ours, peer string
		want       bool
	}{
		// contrib masks the whole match, ours the secret only
		{"login password=[REDACTED] ok", "login [REDACTED] ok", true},
		{"postgres://aind:[REDACTED]@db:5432/x", "postgres[REDACTED]db:5432/x", true},
		{"a [REDACTED] b [REDACTED] c", "a [REDACTED] b [REDACTED] c", true},
		{"[REDACTED]", "[REDACTED]", true},
		// one side did not redact
		{"login password=hunter2 ok", "login [REDACTED] ok", false},
		{"login password=[REDACTED] ok", "login password=hunter2 ok", false},
		// the peer masked a stretch where ours kept the text
		{"a [REDACTED] b c", "a [REDACTED] b [REDACTED]", false},
		// text outside the markers differs
		{"x password=[REDACTED] ok", "y [REDACTED] ok", false},
	} {
		if got := sameRedacted(tc.ours, tc.peer); got != tc.want {
			t.Errorf("sameRedacted(%q, %q) = %v, want %v", tc.ours, tc.peer, got, tc.want)
		}
	}
}

func TestSameValueTypes(t *testing.T) {
	i := value{kind: "int", str: "20"}
	d := value{kind: "double", str: "20"}
	s := value{kind: "str", str: "20"}
	if sameValue(i, d) || sameValue(i, s) || !sameValue(i, i) {
		t.Error("values of different types must differ, equal ones agree")
	}
	// A blocked key's value of any type, masked whole.
	if !sameValue(value{kind: "str", str: marker}, value{kind: "str", str: marker}) {
		t.Error("two markers must agree")
	}
	if sameValue(value{kind: "str", str: marker}, i) {
		t.Error("a marker must not agree with an unredacted int")
	}
}

const (
	oursLine = `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"waterlog"}},{"key":"aind.redacted.count","value":{"intValue":"1"}}]},"scopeLogs":[{"scope":{"name":"aind"},"logRecords":[` +
		`{"timeUnixNano":"1795743434369113153","severityNumber":9,"severityText":"INFO","body":{"stringValue":"login password=[REDACTED]"},"attributes":[{"key":"log.file.name","value":{"stringValue":"a.jsonl"}},{"key":"aind.timestamp.original","value":{"stringValue":"2026-03-01T10:00:00Z"}},{"key":"code.line.number","value":{"intValue":"20"}}]},` +
		`{"timeUnixNano":"1772359201000000000","severityNumber":9,"severityText":"INFO","body":{"stringValue":"second"},"attributes":[{"key":"subject_id","value":{"stringValue":"714392"}}]}]}]}]}`
	peerSame = `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"waterlog"}}]},"scopeLogs":[{"scope":{"name":"aind"},"logRecords":[` +
		`{"timeUnixNano":"1772359201000000000","severityNumber":9,"severityText":"INFO","body":{"stringValue":"second"},"attributes":[{"key":"subject_id","value":{"stringValue":"714392"}}]},` +
		`{"timeUnixNano":"1772359200000000000","severityNumber":9,"severityText":"INFO","body":{"stringValue":"login [REDACTED]"},"attributes":[{"key":"code.line.number","value":{"intValue":"20"}}]}]}]}]}`
	peerDiff = `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"waterlog"}}]},"scopeLogs":[{"scope":{"name":"aind"},"logRecords":[` +
		`{"timeUnixNano":"1772359201000000000","severityNumber":9,"severityText":"INFO","body":{"stringValue":"second"},"attributes":[{"key":"subject_id","value":{"intValue":"714392"}}]},` +
		`{"timeUnixNano":"1772359200000000000","severityNumber":9,"severityText":"INFO","body":{"stringValue":"login password=hunter2"},"attributes":[{"key":"code.line.number","value":{"intValue":"20"}}]}]}]}]}`
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ours := write("ours.json", oursLine)
	for _, tc := range []struct {
		peer     string
		wantCode int
		wantOut  []string
	}{
		{write("same.json", peerSame), 0, []string{"identical 1, equal modulo redaction 1, differing 0", "OK"}},
		{write("diff.json", peerDiff), 1, []string{
			"differing 1", "only in ours: 1, only in peer: 1", "attribute subject_id",
			`ours "714392"`, "peer 714392", "FAIL",
		}},
	} {
		var out, errOut bytes.Buffer
		code := run([]string{"-ours", ours, "-peer", tc.peer, "-records", "2", "-wait", "1s"}, &out, &errOut)
		if code != tc.wantCode {
			t.Errorf("%s: exit %d, want %d\n%s%s", tc.peer, code, tc.wantCode, out.String(), errOut.String())
		}
		for _, w := range tc.wantOut {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: output lacks %q:\n%s", tc.peer, w, out.String())
			}
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"-ours", ours}, &out, &errOut); code != 2 {
		t.Errorf("without -peer: exit %d, want 2", code)
	}
}
