package pickle_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// TestRestrictable runs hostile frames through each library (og-rek and
// gopickle as restricted as their APIs allow: gopickle's FindClass returns
// placeholders), logs what happened (error, panic, bytes allocated, whether
// the error quotes the data) as the table the README quotes (run with -v),
// and holds each library to the README's verdict on it.
func TestRestrictable(t *testing.T) {
	const secret = "s3cr3t"
	// want is each library's verdict: "ok" (a value), "error", "quotes"
	// (an error quoting the data), "allocates" (an error after allocating
	// what the frame claims), "salvages" (an error, with the fields before
	// it).
	hostile := []struct {
		name, frame string
		want        map[string]string
	}{
		// Nothing executed: REDUCE gives a placeholder.
		{"os.system via REDUCE", "(dS'cmd'\ncos\nsystem\n(S'echo " + secret + "'\ntRs.", verdicts("ok", "ok", "ok")},
		{"NEWOBJ", "\x80\x02}X\x01\x00\x00\x00kcsubprocess\nPopen\n)\x81s.", verdicts("ok", "error", "ok")},
		// A hostile claimed length costs nothing, but to gopickle.
		{"BINUNICODE8 claims 256 MiB", "\x80\x04}\x8c\x01k\x8d\x00\x00\x00\x10\x00\x00\x00\x00" + secret, verdicts("error", "error", "allocates")},
		{"BINBYTES claims 256 MiB", "\x80\x03}X\x01\x00\x00\x00kB\x00\x00\x00\x10" + secret, verdicts("error", "error", "allocates")},
		{"FRAME claims 256 MiB", "\x80\x04\x95\x00\x00\x00\x10\x00\x00\x00\x00}.", verdicts("ok", "ok", "allocates")},
		{"LONG4 claims 256 MiB", "\x80\x02}X\x01\x00\x00\x00k\x8b\x00\x00\x00\x10" + secret, verdicts("error", "error", "allocates")},
		// Errors never quote the data, but the libraries'.
		{"GET of a missing memo key", "(dS'k'\ng" + secret + "\ns.", verdicts("error", "quotes", "quotes")},
		{"unhashable dict key", "}]K\x01s.", verdicts("ok", "error", "ok")},
		{"unhashable set item", "\x80\x04}\x8c\x01k\x8f(]\x90s.", verdicts("ok", "error", "ok")},
		// Exactly one pickle per frame.
		{"bytes after STOP", "}." + secret, verdicts("error", "ok", "ok")},
		{"set at protocol 4", "\x80\x04}\x8c\x01k\x8f(K\x01\x90s.", verdicts("ok", "error", "ok")},
		// Salvage of a cut frame.
		{"truncated after a pair", "}(X\x01\x00\x00\x00kK\x01X\x01\x00\x00\x00", verdicts("salvages", "error", "error")},
	}
	var rows []string
	for _, h := range hostile {
		for _, lib := range []string{"ours", "ogrek", "gopickle"} {
			dec := decoders()[lib]()
			o := run(dec, []byte(h.frame), secret)
			rows = append(rows, fmt.Sprintf("| %s | %s | %s |", h.name, lib, o))
			if got := o.verdict(); got != h.want[lib] {
				t.Errorf("%s, %s: %s (%s), the README says %s", h.name, lib, got, o, h.want[lib])
			}
		}
	}
	t.Log("\n| frame | library | outcome |\n|---|---|---|\n" + strings.Join(rows, "\n"))
}

// verdicts are the verdicts of ours, og-rek and gopickle.
func verdicts(ours, ogrek, gopickle string) map[string]string {
	return map[string]string{"ours": ours, "ogrek": ogrek, "gopickle": gopickle}
}

// outcome is what decoding one frame did.
type outcome struct {
	err       error
	panicked  any
	quotes    bool   // the error quotes the data
	value     string // the map decoded, as JSON, even after an error
	allocated uint64
	elapsed   time.Duration
}

// verdict sorts the outcome as TestRestrictable's want does.
func (o outcome) verdict() string {
	switch {
	case o.panicked != nil:
		return "panic"
	case o.err == nil:
		return "ok"
	case o.quotes:
		return "quotes"
	case o.allocated >= 256<<20:
		return "allocates"
	case o.value != "{}":
		return "salvages"
	}
	return "error"
}

func (o outcome) String() string {
	if o.panicked != nil {
		return fmt.Sprintf("**panic**: %.60s", fmt.Sprint(o.panicked))
	}
	var parts []string
	if o.err != nil {
		parts = append(parts, fmt.Sprintf("error %q", trim(o.err.Error())))
		if o.quotes {
			parts = append(parts, "**error quotes the data**")
		}
		if o.value != "{}" {
			parts = append(parts, "kept "+trim(o.value))
		}
	} else {
		parts = append(parts, "ok "+trim(o.value))
	}
	if o.allocated > 1<<20 {
		parts = append(parts, fmt.Sprintf("**allocated %d MiB**", o.allocated>>20))
	}
	if o.elapsed > 100*time.Millisecond {
		parts = append(parts, "took "+o.elapsed.Round(time.Millisecond).String())
	}
	return strings.Join(parts, "; ")
}

func run(dec decoder, frame []byte, secret string) (o outcome) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	defer func() {
		if r := recover(); r != nil {
			o = outcome{panicked: r}
		}
	}()
	dst := pcommon.NewMap()
	start := time.Now()
	o.err = dec(frame, dst)
	o.elapsed = time.Since(start)
	runtime.ReadMemStats(&after)
	o.allocated = after.TotalAlloc - before.TotalAlloc
	o.quotes = o.err != nil && strings.Contains(o.err.Error(), secret)
	raw, _ := json.Marshal(dst.AsRaw())
	o.value = string(raw)
	return o
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
// The frames a library does not read as ours are the README's: og-rek
// fails the protocol 0 extra record and the protocol 4 and 5 records with
// a set, gopickle reads protocol 0 UNICODE wrong.
func TestConformance(t *testing.T) {
	wantDiffer := map[string][]string{
		"ogrek":    {"extra.p0", "extra.p4", "extra.p5"},
		"gopickle": {"exc_info.p0", "unicode.p0"},
	}
	paths, err := filepath.Glob(frames + "*.pickle")
	if err != nil || len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	sort.Strings(paths)
	var rows []string
	for _, lib := range []string{"ogrek", "gopickle"} {
		bad := map[string][]string{}
		var differ []string
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
				differ = append(differ, name)
			case !sameMap(want, got):
				bad["different value"] = append(bad["different value"], name+" ("+diffKeys(want, got)+")")
				differ = append(differ, name)
			}
		}
		if !slices.Equal(differ, wantDiffer[lib]) {
			t.Errorf("%s does not read as ours %v, the README says %v", lib, differ, wantDiffer[lib])
		}
		rows = append(rows, fmt.Sprintf("%s: %d/%d frames as ours", lib, len(paths)-len(differ), len(paths)))
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
