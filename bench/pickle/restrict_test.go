package pickle_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// TestRestrictable runs hostile frames through each library (og-rek and
// gopickle as restricted as their APIs allow: gopickle's FindClass returns
// placeholders) and prints what happened: error, panic, bytes allocated,
// whether the error quotes the data. Run with -v; the README quotes it.
func TestRestrictable(t *testing.T) {
	const secret = "s3cr3t"
	hostile := []struct{ name, frame string }{
		{"os.system via REDUCE", "(dS'cmd'\ncos\nsystem\n(S'echo " + secret + "'\ntRs."},
		{"NEWOBJ", "\x80\x02}X\x01\x00\x00\x00kcsubprocess\nPopen\n)\x81s."},
		{"BINUNICODE8 claims 256 MiB", "\x80\x04}\x8c\x01k\x8d\x00\x00\x00\x10\x00\x00\x00\x00" + secret},
		{"BINBYTES claims 256 MiB", "\x80\x03}X\x01\x00\x00\x00kB\x00\x00\x00\x10" + secret},
		{"FRAME claims 256 MiB", "\x80\x04\x95\x00\x00\x00\x10\x00\x00\x00\x00}."},
		{"LONG4 claims 256 MiB", "\x80\x02}X\x01\x00\x00\x00k\x8b\x00\x00\x00\x10" + secret},
		{"GET of a missing memo key", "(dS'k'\ng" + secret + "\ns."},
		{"unhashable dict key", "}]K\x01s."},
		{"unhashable set item", "\x80\x04}\x8c\x01k\x8f(]\x90s."},
		{"bytes after STOP", "}." + secret},
		{"set at protocol 4", "\x80\x04}\x8c\x01k\x8f(K\x01\x90s."},
		{"truncated after a pair", "}(X\x01\x00\x00\x00kK\x01X\x01\x00\x00\x00"},
	}
	var rows []string
	for _, h := range hostile {
		for _, lib := range []string{"ours", "ogrek", "gopickle"} {
			dec := decoders()[lib]()
			rows = append(rows, fmt.Sprintf("| %s | %s | %s |", h.name, lib, run(dec, []byte(h.frame), secret)))
		}
	}
	t.Log("\n| frame | library | outcome |\n|---|---|---|\n" + strings.Join(rows, "\n"))
}

func run(dec decoder, frame []byte, secret string) (outcome string) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	defer func() {
		if r := recover(); r != nil {
			outcome = fmt.Sprintf("**panic**: %.60s", fmt.Sprint(r))
		}
	}()
	dst := pcommon.NewMap()
	start := time.Now()
	err := dec(frame, dst)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	var parts []string
	if err != nil {
		msg := err.Error()
		parts = append(parts, fmt.Sprintf("error %q", trim(msg)))
		if strings.Contains(msg, secret) {
			parts = append(parts, "**error quotes the data**")
		}
	} else {
		raw, _ := json.Marshal(dst.AsRaw())
		parts = append(parts, "ok "+trim(string(raw)))
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 1<<20 {
		parts = append(parts, fmt.Sprintf("**allocated %d MiB**", a>>20))
	}
	if elapsed > 100*time.Millisecond {
		parts = append(parts, "took "+elapsed.Round(time.Millisecond).String())
	}
	return strings.Join(parts, "; ")
}

func trim(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 70 {
		s = s[:70] + "…"
	}
	return s
}

// TestConformance decodes every CPython fixture (6 protocols) with each
// library and compares the map with ours, which TestFixtures holds to
// Python's own reading. Key order is ignored (og-rek's dicts are Go maps).
func TestConformance(t *testing.T) {
	paths, err := filepath.Glob(frames + "*.pickle")
	if err != nil || len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	sort.Strings(paths)
	var rows []string
	for _, lib := range []string{"ogrek", "gopickle"} {
		ok, bad := 0, map[string][]string{}
		for _, p := range paths {
			frame, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			want := pcommon.NewMap()
			if err := decoders()["ours"]()(frame, want); err != nil {
				t.Fatal(err)
			}
			got := pcommon.NewMap()
			err = func() (err error) {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("panic: %v", r)
					}
				}()
				return decoders()[lib]()(frame, got)
			}()
			name := strings.TrimSuffix(filepath.Base(p), ".pickle")
			switch {
			case err != nil:
				bad["error: "+trim(err.Error())] = append(bad["error: "+trim(err.Error())], name)
			case !sameMap(want, got):
				bad["different value"] = append(bad["different value"], name+" ("+diffKeys(want, got)+")")
			default:
				ok++
			}
		}
		rows = append(rows, fmt.Sprintf("%s: %d/%d frames as ours", lib, ok, len(paths)))
		for why, names := range bad {
			rows = append(rows, "  "+why+": "+strings.Join(names, ", "))
		}
	}
	t.Log("\n" + strings.Join(rows, "\n"))
}

func sameMap(a, b pcommon.Map) bool {
	ja, _ := json.Marshal(a.AsRaw())
	jb, _ := json.Marshal(b.AsRaw())
	return string(ja) == string(jb) // encoding/json sorts map keys
}

func diffKeys(a, b pcommon.Map) string {
	var keys []string
	for k, v := range a.All() {
		w, ok := b.Get(k)
		ja, _ := json.Marshal(v.AsRaw())
		jb, _ := json.Marshal(w.AsRaw())
		if !ok || string(ja) != string(jb) {
			keys = append(keys, strconv.Quote(k))
		}
	}
	if len(keys) > 4 {
		keys = append(keys[:4], "…")
	}
	return strings.Join(keys, " ")
}
