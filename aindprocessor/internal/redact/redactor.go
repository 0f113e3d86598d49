package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import (
	"slices"
	"sync"

	"go.opentelemetry.io/collector/pdata/plog"
)

// Redactor is a compiled Config. It is immutable, and Redact may be called
// from several goroutines at once.
type Redactor struct {
	keys       *keyRule
	values     anchorSet // the anchors of every detector
	custom     []customPattern
	always     []int // user patterns without a literal: they run on every string
	foldCustom []int // user patterns with a case-insensitive literal
	disabled   [numBuiltinKinds]bool
	hash       bool // mode hash, keyed with hashKey
	hashKey    []byte
	report     bool     // report_keys
	kinds      []string // kind names: built-in, then custom_<i>
	// walkers hold the per-goroutine buffers, reused from batch to batch.
	walkers sync.Pool
}

// New compiles c, whether or not it is enabled. It fails only on patterns
// that do not compile: the error joins a *PatternError for each.
func New(c *Config) (*Redactor, error) {
	r := &Redactor{
		keys:    newKeyRule(c.BlockedKeys, c.AllowedKeys),
		hash:    c.Mode == ModeHash,
		hashKey: []byte(string(c.HashKey)),
		report:  c.ReportKeys,
		kinds:   slices.Clone(builtinKindNames[:]),
	}
	for _, id := range c.DisabledPatterns {
		if k := builtinKind(id); k >= 0 {
			r.disabled[k] = true
		}
	}
	lits, err := r.compileCustom(c.Patterns, r.builtinAnchors())
	if err != nil {
		return nil, err
	}
	r.values = newAnchorSet(lits)
	r.walkers.New = func() any { return r.newWalker() }
	return r, nil
}

// builtinAnchors returns the literals of the detectors that are on.
func (r *Redactor) builtinAnchors() []anchorLit {
	var lits []anchorLit
	for _, d := range builtinAnchors {
		if !slices.ContainsFunc(d.kinds, func(k int) bool { return !r.disabled[k] }) {
			continue
		}
		words := d.lits
		if d.det == detAssign {
			words = keyAnchors(r.keys.blockList)
		}
		for _, l := range words {
			lits = append(lits, anchorLit{lit: l, fold: d.fold, det: d.det, arg: d.arg})
		}
	}
	return lits
}

// Kinds are the kinds Redact counts under: "key" (a blocked key), the
// built-in pattern ids, then custom_<i> for the i-th user pattern.
func (r *Redactor) Kinds() []string { return slices.Clone(r.kinds) }

// Redact replaces the secrets of every record, resource and scope of ld in
// place, then calls count once for each kind with redactions in the batch,
// with their number. A record's aind.redacted.count counts what was
// redacted in it and in its resource and scope: all of that is exported
// with the record.
func (r *Redactor) Redact(ld plog.Logs, count func(kind string, n int64)) {
	w := r.walkers.Get().(*walker)
	defer r.walkers.Put(w)
	clear(w.counts)
	w.logs(ld)
	for k, n := range w.counts {
		if n > 0 {
			count(r.kinds[k], n)
		}
	}
}

func (r *Redactor) newWalker() *walker {
	return &walker{
		scanner: scanner{
			r:      r,
			run:    make([]bool, len(r.custom)),
			counts: make([]int64, len(r.kinds)),
			marks:  newMarkerWriter(r.hash, r.hashKey),
		},
		paths: pathReport{on: r.report},
	}
}
