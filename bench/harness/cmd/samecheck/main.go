// Command samecheck checks that two collector runs produced the same log
// records: the end-to-end benchmark's equivalence check between otelcol-aind
// (bench/ours.yaml) and the stock contrib peer (bench/peer/config.yaml),
// both run with BENCH_EXPORTER=file on the same input.
//
// Each input is a file exporter's OTLP JSON output: one
// ExportLogsServiceRequest per line. The records of each side are
// flattened (resource and scope attached to every record), sorted by
// timestamp and body, paired, and compared field by field:
//
//   - Timestamp: ours' Loki limits guard replaces a timestamp older than
//     Loki accepts with the time of arrival and keeps the original as
//     aind.timestamp.original; that original is what is compared;
//   - SeverityNumber and SeverityText, the body, the scope name;
//   - every resource attribute and every record attribute, values with
//     their types (nested maps and slices included), except attributes
//     only one side is expected to add: aind.* (the project's flags),
//     log.file.* (both receivers add them; the file name is not part of
//     the mapping) and redaction.* (contrib's summary), plus -ignore.
//
// Strings redacted by both sides compare equal when they agree outside
// the redacted spans: contrib masks a whole regex match (password=x
// becomes [REDACTED]), ours only the secret (password=[REDACTED]). The
// peer's text around each of its markers must appear in ours in order,
// and every stretch of ours the peer masked must hold a marker of ours.
//
// Exit status: 0 when the records agree, 1 when they differ, 2 on a usage
// or input error.
package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const marker = "[REDACTED]"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("samecheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	oursPath := fs.String("ours", "", "file exporter output of otelcol-aind (OTLP JSON lines)")
	peerPath := fs.String("peer", "", "file exporter output of otelcol-peer (OTLP JSON lines)")
	ignore := fs.String("ignore", "", "more attribute keys to ignore, comma-separated; a key ending in * is a prefix")
	maxShown := fs.Int("show", 10, "records shown in full per kind of difference")
	want := fs.Int("records", 0, "with -wait: the number of records each side must have written")
	wait := fs.Duration("wait", 0, "wait up to this long for both files to hold -records records")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: samecheck -ours FILE -peer FILE [-records N -wait DURATION] [-ignore KEYS] [-show N]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *oursPath == "" || *peerPath == "" || fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	ign := newIgnorer(*ignore)
	if *wait > 0 && *want > 0 {
		if !waitFor(*want, *wait, *oursPath, *peerPath) {
			fmt.Fprintf(stdout, "samecheck: waited %s for %d records on each side; comparing what there is\n", *wait, *want)
		}
	}
	ours, err := readRecords(*oursPath, ign)
	if err != nil {
		fmt.Fprintf(stderr, "samecheck: %v\n", err)
		return 2
	}
	peer, err := readRecords(*peerPath, ign)
	if err != nil {
		fmt.Fprintf(stderr, "samecheck: %v\n", err)
		return 2
	}
	rep := compare(ours, peer)
	rep.print(stdout, *maxShown)
	if rep.differs() {
		return 1
	}
	return 0
}

// waitFor polls the files until each holds want records or timeout
// passes. A file still missing or ending in a partial line is not ready.
func waitFor(want int, timeout time.Duration, paths ...string) bool {
	deadline := time.Now().Add(timeout)
	for {
		ready := true
		for _, path := range paths {
			if n, err := countRecords(path); err != nil || n < want {
				ready = false
				break
			}
		}
		if ready {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// countRecords counts the log records of a file exporter's output.
func countRecords(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n := 0
	for line := range strings.SplitSeq(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var req struct {
			ResourceLogs []struct {
				ScopeLogs []struct {
					LogRecords []json.RawMessage `json:"logRecords"`
				} `json:"scopeLogs"`
			} `json:"resourceLogs"`
		}
		if err := json.Unmarshal([]byte(line), &req); err != nil {
			return n, err
		}
		for _, rl := range req.ResourceLogs {
			for _, sl := range rl.ScopeLogs {
				n += len(sl.LogRecords)
			}
		}
	}
	return n, nil
}

// ignorer says which attribute keys are left out of the comparison.
type ignorer struct {
	exact    map[string]bool
	prefixes []string
}

func newIgnorer(extra string) ignorer {
	ign := ignorer{exact: map[string]bool{}, prefixes: []string{"aind.", "log.file.", "redaction."}}
	for k := range strings.SplitSeq(extra, ",") {
		k = strings.TrimSpace(k)
		switch {
		case k == "":
		case strings.HasSuffix(k, "*"):
			ign.prefixes = append(ign.prefixes, strings.TrimSuffix(k, "*"))
		default:
			ign.exact[k] = true
		}
	}
	return ign
}

func (ign ignorer) ignored(key string) bool {
	if ign.exact[key] {
		return true
	}
	for _, p := range ign.prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// OTLP JSON, as the file exporter writes it (only the fields compared).
type (
	otlpRequest struct {
		ResourceLogs []struct {
			Resource struct {
				Attributes []otlpKV `json:"attributes"`
			} `json:"resource"`
			ScopeLogs []struct {
				Scope struct {
					Name string `json:"name"`
				} `json:"scope"`
				LogRecords []otlpRecord `json:"logRecords"`
			} `json:"scopeLogs"`
		} `json:"resourceLogs"`
	}
	otlpRecord struct {
		TimeUnixNano   string    `json:"timeUnixNano"`
		SeverityNumber int       `json:"severityNumber"`
		SeverityText   string    `json:"severityText"`
		Body           otlpValue `json:"body"`
		Attributes     []otlpKV  `json:"attributes"`
	}
	otlpKV struct {
		Key   string    `json:"key"`
		Value otlpValue `json:"value"`
	}
	otlpValue struct {
		StringValue *string  `json:"stringValue"`
		BoolValue   *bool    `json:"boolValue"`
		IntValue    *string  `json:"intValue"` // int64 as a JSON string
		DoubleValue *float64 `json:"doubleValue"`
		BytesValue  *string  `json:"bytesValue"`
		ArrayValue  *struct {
			Values []otlpValue `json:"values"`
		} `json:"arrayValue"`
		KvlistValue *struct {
			Values []otlpKV `json:"values"`
		} `json:"kvlistValue"`
	}
)

// value is a decoded AnyValue: kind is one of "empty", "str", "bool",
// "int", "double", "bytes", "slice", "map".
type value struct {
	kind  string
	str   string // str, bytes; also the text of bool, int and double
	slice []value
	m     map[string]value
}

func convert(v otlpValue) (value, error) {
	switch {
	case v.StringValue != nil:
		return value{kind: "str", str: *v.StringValue}, nil
	case v.BoolValue != nil:
		return value{kind: "bool", str: strconv.FormatBool(*v.BoolValue)}, nil
	case v.IntValue != nil:
		if _, err := strconv.ParseInt(*v.IntValue, 10, 64); err != nil {
			return value{}, fmt.Errorf("intValue %q: %w", *v.IntValue, err)
		}
		return value{kind: "int", str: *v.IntValue}, nil
	case v.DoubleValue != nil:
		return value{kind: "double", str: strconv.FormatFloat(*v.DoubleValue, 'g', -1, 64)}, nil
	case v.BytesValue != nil:
		return value{kind: "bytes", str: *v.BytesValue}, nil
	case v.ArrayValue != nil:
		out := value{kind: "slice", slice: []value{}}
		for _, e := range v.ArrayValue.Values {
			c, err := convert(e)
			if err != nil {
				return value{}, err
			}
			out.slice = append(out.slice, c)
		}
		return out, nil
	case v.KvlistValue != nil:
		m, err := convertKVs(v.KvlistValue.Values, nil)
		return value{kind: "map", m: m}, err
	}
	return value{kind: "empty"}, nil
}

// convertKVs converts attributes, leaving out the keys skip reports.
func convertKVs(kvs []otlpKV, skip func(string) bool) (map[string]value, error) {
	m := make(map[string]value, len(kvs))
	for _, kv := range kvs {
		if skip != nil && skip(kv.Key) {
			continue
		}
		c, err := convert(kv.Value)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", kv.Key, err)
		}
		m[kv.Key] = c
	}
	return m, nil
}

// String renders a value compactly, with its type where JSON would hide it.
func (v value) String() string {
	var b strings.Builder
	v.write(&b)
	return b.String()
}

func (v value) write(b *strings.Builder) {
	switch v.kind {
	case "empty":
		b.WriteString("<empty>")
	case "str":
		b.WriteString(strconv.Quote(v.str))
	case "bytes":
		b.WriteString("bytes(" + v.str + ")")
	case "int":
		b.WriteString(v.str)
	case "double":
		b.WriteString(v.str)
		if !strings.ContainsAny(v.str, ".eEnN") { // 20 as a double: 20.0
			b.WriteString(".0")
		}
	case "bool":
		b.WriteString(v.str)
	case "slice":
		b.WriteByte('[')
		for i, e := range v.slice {
			if i > 0 {
				b.WriteString(", ")
			}
			e.write(b)
		}
		b.WriteByte(']')
	case "map":
		b.WriteByte('{')
		for i, k := range slices.Sorted(maps.Keys(v.m)) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(k) + ": ")
			v.m[k].write(b)
		}
		b.WriteByte('}')
	}
}

// record is one log record with its resource and scope.
type record struct {
	source   string // file:line of the request, for messages
	ts       uint64
	tsNote   string // where ts came from when not Timestamp
	sevNum   int
	sevText  string
	body     value
	scope    string
	resource map[string]value
	attrs    map[string]value
	key      string // sort key: timestamp, then body
	full     string // everything, to order records with equal keys
}

func readRecords(path string, ign ignorer) ([]record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []record
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		src := fmt.Sprintf("%s:%d", path, i+1)
		var req otlpRequest
		if err := json.Unmarshal([]byte(line), &req); err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		for _, rl := range req.ResourceLogs {
			res, err := convertKVs(rl.Resource.Attributes, ign.ignored)
			if err != nil {
				return nil, fmt.Errorf("%s: resource %w", src, err)
			}
			for _, sl := range rl.ScopeLogs {
				for _, lr := range sl.LogRecords {
					r, err := newRecord(lr, sl.Scope.Name, res, ign)
					if err != nil {
						return nil, fmt.Errorf("%s: %w", src, err)
					}
					r.source = src
					out = append(out, r)
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b record) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.full, b.full))
	})
	return out, nil
}

func newRecord(lr otlpRecord, scope string, res map[string]value, ign ignorer) (record, error) {
	r := record{sevNum: lr.SeverityNumber, sevText: lr.SeverityText, scope: scope, resource: res}
	if lr.TimeUnixNano != "" {
		ts, err := strconv.ParseUint(lr.TimeUnixNano, 10, 64)
		if err != nil {
			return r, fmt.Errorf("timeUnixNano %q: %w", lr.TimeUnixNano, err)
		}
		r.ts = ts
	}
	// Ours' Loki limits guard moved an out-of-range timestamp here.
	for _, kv := range lr.Attributes {
		if kv.Key == "aind.timestamp.original" && kv.Value.StringValue != nil {
			t, err := time.Parse(time.RFC3339Nano, *kv.Value.StringValue)
			if err != nil {
				return r, fmt.Errorf("aind.timestamp.original %q: %w", *kv.Value.StringValue, err)
			}
			r.ts, r.tsNote = uint64(t.UnixNano()), " (aind.timestamp.original)"
		}
	}
	var err error
	if r.body, err = convert(lr.Body); err != nil {
		return r, fmt.Errorf("body: %w", err)
	}
	if r.attrs, err = convertKVs(lr.Attributes, ign.ignored); err != nil {
		return r, err
	}
	body := r.body.String()
	r.key = fmt.Sprintf("%020d %s", r.ts, body)
	r.full = fmt.Sprintf("%s %d %q %q %v %v", r.key, r.sevNum, r.sevText, r.scope, value{kind: "map", m: r.resource}, value{kind: "map", m: r.attrs})
	return r, nil
}

func (r record) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "      timestamp %s%s, severity %d %q, scope %q\n", fmtTime(r.ts), r.tsNote, r.sevNum, r.sevText, r.scope)
	fmt.Fprintf(&b, "      body      %s\n", clip(r.body.String()))
	fmt.Fprintf(&b, "      resource  %s\n", clip(value{kind: "map", m: r.resource}.String()))
	fmt.Fprintf(&b, "      attrs     %s\n", clip(value{kind: "map", m: r.attrs}.String()))
	return b.String()
}

func fmtTime(ts uint64) string {
	if ts == 0 {
		return "unset"
	}
	if ts > math.MaxInt64 {
		return strconv.FormatUint(ts, 10)
	}
	return time.Unix(0, int64(ts)).UTC().Format(time.RFC3339Nano)
}

func clip(s string) string {
	const maxLen = 300
	if len(s) <= maxLen {
		return s
	}
	return s[:maxLen] + fmt.Sprintf("… (%d bytes)", len(s))
}

// report collects the outcome of a comparison.
type report struct {
	ours, peer   int
	pairs        int
	identical    int
	redactedSame int // pairs equal only modulo redaction
	onlyOurs     []record
	onlyPeer     []record
	// differences by field, with examples
	fieldCount    map[string]int
	fieldExamples map[string][]string
	differing     int
}

func (rep *report) differs() bool {
	return rep.differing > 0 || len(rep.onlyOurs) > 0 || len(rep.onlyPeer) > 0
}

// compare pairs the records and compares each pair. Records pair when
// their timestamps are equal and their bodies equal modulo redaction:
// first those with identical bodies, then, among the rest of a timestamp,
// each record of ours with the peer's record it differs least from.
func compare(ours, peer []record) *report {
	rep := &report{ours: len(ours), peer: len(peer), fieldCount: map[string]int{}, fieldExamples: map[string][]string{}}
	i, j := 0, 0
	for i < len(ours) || j < len(peer) {
		// The next timestamp group on either side (both are sorted).
		var ts uint64
		switch {
		case i == len(ours):
			ts = peer[j].ts
		case j == len(peer):
			ts = ours[i].ts
		default:
			ts = min(ours[i].ts, peer[j].ts)
		}
		i2, j2 := i, j
		for i2 < len(ours) && ours[i2].ts == ts {
			i2++
		}
		for j2 < len(peer) && peer[j2].ts == ts {
			j2++
		}
		rep.compareGroup(ours[i:i2], peer[j:j2])
		i, j = i2, j2
	}
	return rep
}

// compareGroup pairs and compares the records of one timestamp.
func (rep *report) compareGroup(ours, peer []record) {
	usedPeer := make([]bool, len(peer))
	pairedOurs := make([]bool, len(ours))
	// Identical bodies first, in sorted order.
	byBody := map[string][]int{}
	for j, p := range peer {
		byBody[p.key] = append(byBody[p.key], j)
	}
	for i, o := range ours {
		if js := byBody[o.key]; len(js) > 0 {
			best, bestN := -1, 0
			for _, j := range js {
				if usedPeer[j] {
					continue
				}
				if n := len(diff(o, peer[j]).fields); best < 0 || n < bestN {
					best, bestN = j, n
				}
			}
			if best >= 0 {
				usedPeer[best], pairedOurs[i] = true, true
				rep.add(o, peer[best])
			}
		}
	}
	// Then bodies equal modulo redaction.
	for i, o := range ours {
		if pairedOurs[i] {
			continue
		}
		best, bestN := -1, 0
		for j, p := range peer {
			if usedPeer[j] || !sameValue(o.body, p.body) {
				continue
			}
			if n := len(diff(o, p).fields); best < 0 || n < bestN {
				best, bestN = j, n
			}
		}
		if best >= 0 {
			usedPeer[best], pairedOurs[i] = true, true
			rep.add(o, peer[best])
		}
	}
	for i, o := range ours {
		if !pairedOurs[i] {
			rep.onlyOurs = append(rep.onlyOurs, o)
		}
	}
	for j, p := range peer {
		if !usedPeer[j] {
			rep.onlyPeer = append(rep.onlyPeer, p)
		}
	}
}

// difference is one field that differs in a pair.
type difference struct{ field, ours, peer string }

type pairDiff struct {
	fields   []difference
	redacted bool // equal only modulo redaction
}

func diff(o, p record) pairDiff {
	var d pairDiff
	note := func(field, ov, pv string) {
		d.fields = append(d.fields, difference{field, ov, pv})
	}
	if o.sevNum != p.sevNum {
		note("severity_number", strconv.Itoa(o.sevNum), strconv.Itoa(p.sevNum))
	}
	if o.sevText != p.sevText {
		note("severity_text", strconv.Quote(o.sevText), strconv.Quote(p.sevText))
	}
	switch {
	case o.scope == p.scope:
	case sameRedacted(o.scope, p.scope):
		d.redacted = true
	default:
		note("scope.name", strconv.Quote(o.scope), strconv.Quote(p.scope))
	}
	switch {
	case o.body.equal(p.body):
	case sameValue(o.body, p.body):
		d.redacted = true
	default:
		note("body", o.body.String(), p.body.String())
	}
	for _, side := range []struct {
		name string
		o, p map[string]value
	}{{"resource", o.resource, p.resource}, {"attribute", o.attrs, p.attrs}} {
		for _, k := range slices.Sorted(maps.Keys(union(side.o, side.p))) {
			ov, inO := side.o[k]
			pv, inP := side.p[k]
			field := side.name + " " + k
			switch {
			case !inO:
				note(field, "(absent)", pv.String())
			case !inP:
				note(field, ov.String(), "(absent)")
			case ov.equal(pv):
			case sameValue(ov, pv):
				d.redacted = true
			default:
				note(field, ov.String(), pv.String())
			}
		}
	}
	return d
}

// add records the comparison of a pair.
func (rep *report) add(o, p record) {
	rep.pairs++
	d := diff(o, p)
	for _, f := range d.fields {
		rep.fieldCount[f.field]++
		ex := fmt.Sprintf("    %s\n      ours %s\n      peer %s\n      (ours %s, peer %s)", f.field, clip(f.ours), clip(f.peer), o.source, p.source)
		rep.fieldExamples[f.field] = append(rep.fieldExamples[f.field], ex)
	}
	switch {
	case len(d.fields) > 0:
		rep.differing++
	case d.redacted:
		rep.redactedSame++
	default:
		rep.identical++
	}
}

func union(a, b map[string]value) map[string]value {
	u := maps.Clone(a)
	maps.Copy(u, b)
	return u
}

func (v value) equal(w value) bool {
	if v.kind != w.kind || v.str != w.str || len(v.slice) != len(w.slice) || len(v.m) != len(w.m) {
		return false
	}
	for i := range v.slice {
		if !v.slice[i].equal(w.slice[i]) {
			return false
		}
	}
	for k, e := range v.m {
		f, ok := w.m[k]
		if !ok || !e.equal(f) {
			return false
		}
	}
	return true
}

// sameValue is equal, except that strings redacted on both sides compare
// with sameRedacted. A value either side replaced whole by the marker
// (a blocked key's value, of any type) matches a marker on the other.
func sameValue(o, p value) bool {
	if o.kind == "str" && p.kind == "str" {
		return o.str == p.str || sameRedacted(o.str, p.str)
	}
	if (o.kind == "str" && o.str == marker) || (p.kind == "str" && p.str == marker) {
		return o.kind == "str" && p.kind == "str" && strings.Contains(o.str, marker) && strings.Contains(p.str, marker)
	}
	if o.kind != p.kind || o.str != p.str || len(o.slice) != len(p.slice) || len(o.m) != len(p.m) {
		return false
	}
	for i := range o.slice {
		if !sameValue(o.slice[i], p.slice[i]) {
			return false
		}
	}
	for k, e := range o.m {
		f, ok := p.m[k]
		if !ok || !sameValue(e, f) {
			return false
		}
	}
	return true
}

// sameRedacted reports whether ours and peer are the same text redacted by
// both: the peer's text between its markers appears in ours in order, and
// each stretch of ours in place of a peer marker holds a marker of ours.
// Contrib masks whole regex matches, so its markers cover ours.
func sameRedacted(ours, peer string) bool {
	if !strings.Contains(ours, marker) || !strings.Contains(peer, marker) {
		return false
	}
	pieces := strings.Split(peer, marker)
	var pat strings.Builder
	pat.WriteString(`(?s)\A`)
	for i, piece := range pieces {
		if i > 0 {
			pat.WriteString(`(.*?)`)
		}
		pat.WriteString(regexp.QuoteMeta(piece))
	}
	pat.WriteString(`\z`)
	re, err := regexp.Compile(pat.String())
	if err != nil {
		return false
	}
	m := re.FindStringSubmatch(ours)
	if m == nil {
		return false
	}
	for _, gap := range m[1:] {
		if !strings.Contains(gap, marker) {
			return false
		}
	}
	return true
}

func (rep *report) print(w io.Writer, maxShown int) {
	fmt.Fprintf(w, "samecheck: ours %d records, peer %d records\n", rep.ours, rep.peer)
	fmt.Fprintf(w, "  paired by timestamp and body: %d (identical %d, equal modulo redaction %d, differing %d)\n",
		rep.pairs, rep.identical, rep.redactedSame, rep.differing)
	fmt.Fprintf(w, "  only in ours: %d, only in peer: %d\n", len(rep.onlyOurs), len(rep.onlyPeer))
	if len(rep.fieldCount) > 0 {
		fmt.Fprintf(w, "differences by field (records):\n")
		fields := slices.Collect(maps.Keys(rep.fieldCount))
		slices.SortFunc(fields, func(a, b string) int {
			return cmp.Or(cmp.Compare(rep.fieldCount[b], rep.fieldCount[a]), cmp.Compare(a, b))
		})
		for _, f := range fields {
			fmt.Fprintf(w, "  %6d  %s\n", rep.fieldCount[f], f)
		}
		for _, f := range fields {
			ex := rep.fieldExamples[f]
			fmt.Fprintf(w, "examples of %s:\n", f)
			for _, e := range ex[:min(len(ex), maxShown)] {
				fmt.Fprintln(w, e)
			}
			if len(ex) > maxShown {
				fmt.Fprintf(w, "    … %d more\n", len(ex)-maxShown)
			}
		}
	}
	for _, side := range []struct {
		name string
		recs []record
	}{{"ours", rep.onlyOurs}, {"peer", rep.onlyPeer}} {
		if len(side.recs) == 0 {
			continue
		}
		fmt.Fprintf(w, "records only in %s (no partner with the same timestamp and body):\n", side.name)
		for _, r := range side.recs[:min(len(side.recs), maxShown)] {
			fmt.Fprintf(w, "    %s\n%s", r.source, r.describe())
		}
		if len(side.recs) > maxShown {
			fmt.Fprintf(w, "    … %d more\n", len(side.recs)-maxShown)
		}
	}
	if rep.differs() {
		fmt.Fprintln(w, "samecheck: FAIL: the outputs differ")
		return
	}
	fmt.Fprintln(w, "samecheck: OK: the outputs agree")
}
