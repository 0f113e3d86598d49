package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/AllenNeuralDynamics/otelcol-aind/bench/harness/internal/corpus"
)

// curvesConfig holds the flags of -mode curves: ours' cost as one property
// of the lines moves and the others stay, to show where the cost bends.
type curvesConfig struct {
	curves      string // which of size,fields,secrets,clients
	dir         string // where the generated corpora go (removed after)
	seed        uint64
	bytes       int64 // each variant's corpus, at most …
	maxLines    int   // … and at most this many lines
	sizes       string
	sizeFields  int
	fields      string
	fieldsBytes int
	secrets     string
	clients     string
}

func (c *curvesConfig) flags() {
	flag.StringVar(&c.curves, "curves", "size,fields,secrets,clients", "curves mode: the curves to draw")
	flag.StringVar(&c.dir, "curves-dir", "build/bench/curves", "curves mode: where the generated corpora go (each curve's are removed after it)")
	flag.Uint64Var(&c.seed, "curves-seed", 1, "curves mode: seed of the generated corpora")
	flag.Int64Var(&c.bytes, "curve-bytes", 512<<20, "curves mode: bytes of each variant's corpus, at most …")
	flag.IntVar(&c.maxLines, "curve-lines", 500_000, "curves mode: … and lines at most, so that runs of small lines stay short")
	flag.StringVar(&c.sizes, "curve-sizes", "100,400,4096,65536", "curves mode: line sizes in bytes (newline included) of the size curve")
	flag.IntVar(&c.sizeFields, "curve-size-fields", 3, "curves mode: fields per line of the size curve (3: the standard's required timestamp, level, message; the message takes the size)")
	flag.StringVar(&c.fields, "curve-fields", "5,15,60", "curves mode: fields per line of the fields curve")
	flag.IntVar(&c.fieldsBytes, "curve-fields-bytes", 2048, "curves mode: line size of the fields curve, so that only the fields change (0: as they come)")
	flag.StringVar(&c.secrets, "curve-secrets", "0,0.01,0.1", "curves mode: fractions of lines with a secret of the secrets curve")
	flag.StringVar(&c.clients, "curve-clients", "1,8,64", "curves mode: concurrent clients of the gateway curve (shipped mode's gateway)")
}

// A curve is ours on a few corpora that differ in one property.
type curve struct {
	name     string // as -curves names it
	title    string
	variants []variant
}

// A variant is one point of a curve: a corpus shape.
type variant struct {
	label string
	opt   corpus.Options
}

// curves draws the curves -curves names and prints their tables.
func curves(ctx context.Context, cfg *config) int {
	ours, err := collectorTarget("ours", cfg.ours, []string{cfg.oursConfig}, cfg.oursMetric, cfg)
	if err != nil {
		return fail(fmt.Errorf("ours: %w", err))
	}
	defs, err := cfg.curves.definitions()
	if err != nil {
		return fail(err)
	}
	m := describeMachine()
	var report sections
	report.header(fmt.Sprintf("## Cost curves\n\n- Date: %s\n- Machine: %s, %d cores, %s, %s\n- ours: %s (%s)\n"+
		"- Each variant: a generated corpus of %.0f MiB or %d lines, whichever is less; %d run(s) of each, the variants of a curve interleaved; medians\n",
		m.date.Format("2006-01-02 15:04 UTC"), m.cpu, m.cores, m.kernel, m.goVer, ours.what, version(cfg.ours),
		float64(cfg.curves.bytes)/(1<<20), cfg.curves.maxLines, cfg.runs))
	for name := range strings.SplitSeq(cfg.curves.curves, ",") {
		md, err := drawCurve(ctx, cfg, ours, defs, strings.TrimSpace(name))
		if err != nil {
			return fail(err)
		}
		report.add(md)
	}
	return report.finish(cfg.md)
}

// drawCurve measures one curve and returns its Markdown section.
func drawCurve(ctx context.Context, cfg *config, ours target, defs []curve, name string) (string, error) {
	switch name {
	case "":
		return "", nil
	case "clients":
		return clientsCurve(ctx, cfg)
	}
	for _, cv := range defs {
		if cv.name == name {
			return oursCurve(ctx, cfg, ours, cv)
		}
	}
	return "", fmt.Errorf("unknown curve %q", name)
}

// definitions are the curves of ours into nop, from the flags.
func (c *curvesConfig) definitions() ([]curve, error) {
	sizes, err := parseList(c.sizes, strconv.Atoi)
	if err != nil {
		return nil, fmt.Errorf("-curve-sizes: %w", err)
	}
	fields, err := parseList(c.fields, strconv.Atoi)
	if err != nil {
		return nil, fmt.Errorf("-curve-fields: %w", err)
	}
	secrets, err := parseList(c.secrets, func(s string) (float64, error) { return strconv.ParseFloat(s, 64) })
	if err != nil {
		return nil, fmt.Errorf("-curve-secrets: %w", err)
	}
	size := curve{name: "size", title: fmt.Sprintf("Line size (%d fields; the message takes the size)", c.sizeFields)}
	for _, n := range sizes {
		size.variants = append(size.variants, variant{label: fmt.Sprintf("%d B", n),
			opt: corpus.Options{LineBytes: n, Fields: c.sizeFields, Secrets: corpus.DefaultSecrets}})
	}
	fieldsCurve := curve{name: "fields", title: fmt.Sprintf("Fields per line (lines of %d B)", c.fieldsBytes)}
	for _, n := range fields {
		fieldsCurve.variants = append(fieldsCurve.variants, variant{label: strconv.Itoa(n),
			opt: corpus.Options{LineBytes: c.fieldsBytes, Fields: n, Secrets: corpus.DefaultSecrets}})
	}
	secretsCurve := curve{name: "secrets", title: "Lines with a secret to mask (the realistic corpus otherwise)"}
	for _, f := range secrets {
		secretsCurve.variants = append(secretsCurve.variants, variant{label: strconv.FormatFloat(100*f, 'g', -1, 64) + " %",
			opt: corpus.Options{Secrets: f}})
	}
	return []curve{size, fieldsCurve, secretsCurve}, nil
}

// parseList parses a comma-separated list of positive or zero numbers.
func parseList[T int | float64](s string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for f := range strings.SplitSeq(s, ",") {
		v, err := parse(strings.TrimSpace(f))
		if err != nil || v < 0 {
			return nil, fmt.Errorf("%q: want numbers ≥ 0", s)
		}
		out = append(out, v)
	}
	return out, nil
}

// naturalLineBytes is the realistic corpus's average line, to size a
// variant whose lines are not of a set size.
const naturalLineBytes = 392

// lines sizes a variant's corpus: -curve-bytes, or -curve-lines if fewer.
func (c *curvesConfig) lines(opt corpus.Options) int {
	per := naturalLineBytes
	if opt.LineBytes > 0 {
		per = opt.LineBytes
	}
	return int(min(c.bytes/int64(per), int64(c.maxLines)))
}

// curveDir is where a curve's variant i is generated.
func (c *curvesConfig) curveDir(curve string, i int) string {
	return filepath.Join(c.dir, fmt.Sprintf("%s-%d", curve, i))
}
