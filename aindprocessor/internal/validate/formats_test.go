package validate

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// Oracles: the grammars as their specifications write them, as regular
// expressions (RE2 tries every alternative, so they cannot be greedy where
// the hand-written scanners must not be).
var (
	// PEP 440's VERSION_PATTERN, as the packaging library has it.
	pep440Oracle = regexp.MustCompile(`(?i)^v?(?:(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*` +
		`(?:[-_.]?(?:alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*)?` +
		`(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?` +
		`(?:[-_.]?dev[-_.]?[0-9]*)?)` +
		`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$`)
	// semver.org's regular expression, with an optional "v".
	semverOracle = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
		`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
		`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)
	acquisitionOracle = regexp.MustCompile(`^[A-Za-z0-9_.-]+_([0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}-[0-9]{2}-[0-9]{2})$`)
)

func acquisitionNameOracle(s string) bool {
	m := acquisitionOracle.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	t, err := time.Parse("2006-01-02_15-04-05", m[1])
	return err == nil && t.Year() >= 1
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestVersionForms(t *testing.T) {
	valid := []string{
		"1.0.4", "1.0.4.dev0", "2.1.0rc1", "v1.2.3-beta.1+build", "1", "1.0", "0.0.0",
		"1!2.0.post1+local", "1.0a1", "1.0.ALPHA.1", "1.0b2.post345.dev456", "1.0-1", "1.0.post", "1.0rev2",
		"1.0r", "1.0c1", "1.0preview2", "1.0.dev", "1.0+ubuntu-1", "1.0+abc.5", "V1.0", "01.02",
		"1.0.0-alpha", "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0-alpha+001", "1.0.0+20130313144700",
		"1.0.0-x-y-z.--", "1.0.0+21AF26D3----117B344092BD", "1.0a.", "1.0a-", "1.0.0-SNAPSHOT", "1.0.0-01",
	}
	invalid := []string{
		"", "latest", "v", "1.", ".1", "1..0", "1.0 ", " 1.0", "1.0+", "1.0+a..b", "1.0-", "a1",
		"1.0.0-", "1.0.0+", "1.0.0-01.a", "1.0.0-alpha..1", "01.0.0-alpha..1", "1.0.0-+", "1.0-SNAPSHOT.0.0x",
		"1,0", "1.0é", "1.0_", "release-1.0", "1.0dev0rc1", "1.0.post1.a1", "3f2a9c1", "1.0~rc1", "1.0--post", "1.0-_r1",
	}
	for _, s := range valid {
		assert.True(t, isVersion(s), "%q", s)
		assert.Equal(t, pep440Oracle.MatchString(s) || semverOracle.MatchString(s), isVersion(s), "%q", s)
	}
	for _, s := range invalid {
		assert.False(t, isVersion(s), "%q", s)
		assert.Equal(t, pep440Oracle.MatchString(s) || semverOracle.MatchString(s), isVersion(s), "%q", s)
	}
	// The forms apart.
	assert.True(t, isSemVer("1.0.0-x-y-z.--") && !isPEP440("1.0.0-x-y-z.--"))
	assert.True(t, isPEP440("1.0.4.dev0") && !isSemVer("1.0.4.dev0"))
}

// FuzzValidators feeds arbitrary strings to the version, acquisition_name
// and timestamp checks: no panic, the same answer twice, the answer of the
// specification's regular expression, and at most one timestamp rule broken.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{
		"1.0.4", "1.0.4.dev0", "2.1.0rc1", "v1.2.3-beta.1+build", "1!2.0.post1.dev3+local.1", "1.0.0-x-y-z.--",
		"1.0a-1", "1.0.post-1", "1.0alpha", "1.0rc", "1.0-r", "v", "1.0+", "1.0.0-01",
		"123456_2026-01-01_23-00-00", "ecephys_123456_2024-02-29_00-00-59", "_2026-01-01_23-00-00",
		"1_0000-01-01_00-00-00", "1_2026-02-29_00-00-00", "1_2026-01-01_23-59-60",
		"2026-02-09T21:19:24.061270Z", "2026-02-09T22:19:24+01:00", "2026-02-09 21:19:24,061",
		"2026-02-09T21:19:24", "1770671964", "1770671964.5", "-1", "1e999", "NaN", "", "\x00", "é",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		version, acquisition := isVersion(s), isAcquisitionName(s)
		if isVersion(s) != version || isAcquisitionName(s) != acquisition {
			t.Fatalf("%q: not deterministic", s)
		}
		if asciiOnly(s) {
			if want := pep440Oracle.MatchString(s); isPEP440(s) != want {
				t.Fatalf("isPEP440(%q) = %v, the specification says %v", s, !want, want)
			}
			if want := semverOracle.MatchString(s); isSemVer(s) != want {
				t.Fatalf("isSemVer(%q) = %v, the specification says %v", s, !want, want)
			}
		} else if version {
			t.Fatalf("isVersion(%q): not ASCII", s)
		}
		if want := acquisitionNameOracle(s); acquisition != want {
			t.Fatalf("isAcquisitionName(%q) = %v, want %v", s, acquisition, want)
		}

		// Every rule on a record whose every field is s.
		broken := func() []string {
			r := recordFields{vals: make([]pcommon.Value, numFixedFields), seen: make([]bool, numFixedFields)}
			for f := range r.vals {
				r.vals[f] = pcommon.NewValueStr(s)
				r.seen[f] = true
			}
			var ids []string
			for _, rl := range rules {
				if !rl.check(&r) {
					ids = append(ids, rl.id)
				}
			}
			return ids
		}
		first := broken()
		assert.Equal(t, first, broken(), "deterministic")
		var timestamp []string
		for _, id := range first {
			if len(id) > 10 && id[:10] == "timestamp." {
				timestamp = append(timestamp, id)
			}
		}
		_, zone, ok := aind.ParseTimestamp(pcommon.NewValueStr(s))
		switch {
		case !ok:
			assert.Equal(t, []string{"timestamp.unparseable"}, timestamp, "%q", s)
		case zone == aind.ZoneUTC:
			assert.Empty(t, timestamp, "%q", s)
		default:
			assert.Len(t, timestamp, 1, "%q", s)
		}
		// The record's own subject always matches, when it has the form.
		if acquisition {
			subject := s[:len(s)-len(acquisitionTail)]
			r := recordFields{vals: make([]pcommon.Value, numFixedFields), seen: make([]bool, numFixedFields)}
			r.vals[fAcquisitionName], r.vals[fSubjectID], r.vals[fSpecimenID] = pcommon.NewValueStr(s), pcommon.NewValueStr(subject), pcommon.NewValueStr(subject+"_001")
			for _, rl := range rules {
				if rl.id == "acquisition_name.subject_mismatch" || rl.id == "specimen_id.subject_mismatch" {
					assert.True(t, rl.check(&r), "%s: %q", rl.id, s)
				}
			}
		}
	})
}
