package aindprocessor // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor"

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// limitKind names a Loki limit the guard enforces; it is the value of the
// telemetry's `limit` attribute.
type limitKind uint8

const (
	limitLineSize limitKind = iota
	limitSMSize
	limitSMEntries
	limitTimestamp
	limitAttributeName
	numLimits
)

var limitNames = [numLimits]string{
	limitLineSize:      "line_size",
	limitSMSize:        "structured_metadata_size",
	limitSMEntries:     "structured_metadata_entries",
	limitTimestamp:     "timestamp",
	limitAttributeName: "attribute_name",
}

type limitMask uint8

func (m *limitMask) set(k limitKind)         { *m |= 1 << k }
func (m limitMask) has(k limitKind) bool     { return m&(1<<k) != 0 }
func (m *limitMask) or(o limitMask)          { *m |= o }
func bitIf(k limitKind, cond bool) limitMask { return limitMask(b2i(cond)) << k }

func b2i(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// truncateFloor is the length below which the guard does not cut an
// attribute value to fit the structured-metadata size; it folds attributes
// into the body instead.
const truncateFloor = 256

// Classes of attributes, in the order the guard gives them up.
const (
	classOther     uint8 = iota // folded first
	classKnown                  // the standard's fields: folded last
	classProtected              // aind.* flags: never folded or cut
)

// lokiLimits is the compiled loki_limits configuration.
type lokiLimits struct {
	maxLine, maxSize, maxEntries int // 0: unlimited
	// timestamps is false only in tests whose records hold fixed instants.
	timestamps  bool
	rejectOld   bool
	oldest      time.Duration // records older than this are moved
	grace       time.Duration
	indexLabels map[string]struct{}
	known       map[string]struct{}
	truncFlag   smCost // aind.truncated=true
	foldedName  int    // len of Loki's name of aind.folded.count
}

func compileLokiLimits(cfg *Config) *lokiLimits {
	c := cfg.LokiLimits
	if !c.Enabled {
		return nil
	}
	l := &lokiLimits{
		maxLine:     int(c.MaxLineSize),
		maxSize:     int(c.MaxStructuredMetadataSize),
		maxEntries:  c.MaxStructuredMetadataEntriesCount,
		timestamps:  true,
		rejectOld:   c.RejectOldSamples && c.RejectOldSamplesMaxAge > 0,
		oldest:      c.RejectOldSamplesMaxAge - c.MaxDeliveryDelay,
		grace:       c.CreationGracePeriod,
		indexLabels: make(map[string]struct{}, len(c.IndexLabels)),
		known:       make(map[string]struct{}),
	}
	for _, name := range c.IndexLabels {
		l.indexLabels[name] = struct{}{}
	}
	for _, f := range aind.Fields {
		if f.Target != "" {
			l.known[f.Target] = struct{}{}
		}
		if f.Role == aind.RoleID {
			l.known[f.Key] = struct{}{}
		}
	}
	for _, target := range cfg.Fields {
		l.known[target] = struct{}{}
	}
	l.known["log.file.name"] = struct{}{}
	l.known["log.file.path"] = struct{}{}
	name, _ := appendLabelName(nil, aind.AttrTruncated)
	l.truncFlag = smCost{1, len(name) + len("true")}
	name, _ = appendLabelName(name[:0], aind.AttrFoldedCount)
	l.foldedName = len(name)
	return l
}

// window is the range of timestamps Loki accepts, in Unix nanoseconds.
type window struct {
	check          bool
	now            int64
	oldest, newest int64
	checkOld       bool
}

func (l *lokiLimits) window(now time.Time) window {
	return window{
		check:    l.timestamps,
		now:      now.UnixNano(),
		checkOld: l.rejectOld,
		oldest:   now.Add(-l.oldest).UnixNano(),
		newest:   now.Add(l.grace).UnixNano(),
	}
}

// accepts mirrors Validator.ValidateEntry: older than the oldest or newer
// than the newest is rejected.
func (w window) accepts(ts int64) bool {
	return (!w.checkOld || ts >= w.oldest) && ts <= w.newest
}

// attrItem is one top-level record attribute during an exact fit.
type attrItem struct {
	key   string
	v     pcommon.Value
	cost  smCost
	valid bool // Loki accepts its name
	class uint8
	// what the fit does with it
	folded, moved, cut bool
}

func (it *attrItem) gone() bool { return it.folded || it.moved }

// leafRef is a string value the fit may cut.
type leafRef struct {
	item int
	v    pcommon.Value
	n    int
}

// fitter applies the limits to batches, one at a time; its buffers are
// reused across batches.
type fitter struct {
	lim  *lokiLimits
	acct accountant

	items  []attrItem
	leaves []leafRef
	order  []int
	body   bytes.Buffer
	json   bytes.Buffer
	enc    *json.Encoder

	// Per batch: records changed for a limit, and records that still break
	// one after the fit (their resource or scope alone is too large).
	fixes, unfixable [numLimits]int64
}

func newFitter(l *lokiLimits) *fitter {
	f := &fitter{lim: l}
	f.enc = json.NewEncoder(&f.json)
	f.enc.SetEscapeHTML(false)
	return f
}

// fitLogs fits every record of ld.
func (f *fitter) fitLogs(ld plog.Logs, now time.Time) {
	f.fixes, f.unfixable = [numLimits]int64{}, [numLimits]int64{}
	w := f.lim.window(now)
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		res := f.acct.resourceCost(rl.Resource(), f.lim.indexLabels)
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			fixed := res
			fixed.add(f.acct.scopeCost(sl.Scope()))
			lrs := sl.LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				fixes, unfixable := f.fitRecord(lrs.At(k), fixed, w)
				for l := limitKind(0); l < numLimits; l++ {
					f.fixes[l] += int64(b2i(fixes.has(l)))
					f.unfixable[l] += int64(b2i(unfixable.has(l)))
				}
			}
		}
	}
	// The fitter waits in a pool: keep no reference to the batch, and no
	// buffer grown by an outsized record.
	clear(f.items[:cap(f.items)])
	clear(f.leaves[:cap(f.leaves)])
	if f.body.Cap() > 1<<20 {
		f.body = bytes.Buffer{}
	}
	if f.json.Cap() > 1<<20 {
		f.json = bytes.Buffer{} // f.enc writes to &f.json, which stays
	}
}

// fitRecord makes one record fit. fixed is what its resource and scope add
// to its structured metadata.
func (f *fitter) fitRecord(lr plog.LogRecord, fixed smCost, w window) (fixes, unfixable limitMask) {
	if w.check && f.fitTimestamp(lr, w) {
		fixes.set(limitTimestamp)
	}
	if f.quickFits(lr, fixed) {
		return fixes, 0
	}
	// A cut line adds aind.truncated, which may push the structured
	// metadata over; the second round makes room for it.
	for round := 0; round < 2; round++ {
		fixes.or(f.fitMetadata(lr, fixed))
		cut, flagged := f.fitLine(lr)
		if cut {
			fixes.set(limitLineSize)
		}
		if !flagged {
			break
		}
	}
	return fixes, f.check(lr, fixed)
}

// fitTimestamp moves a timestamp Loki would reject to the observed time, or
// to now, keeping the original under aind.timestamp.original. A record
// without a timestamp is stamped by Loki with its observed time: if that is
// out of range, the record gets now, and Loki keeps the observed time as
// observed_timestamp.
func (f *fitter) fitTimestamp(lr plog.LogRecord, w window) bool {
	ts := int64(lr.Timestamp())
	obs := int64(lr.ObservedTimestamp())
	if ts == 0 {
		if obs == 0 || w.accepts(obs) {
			return false
		}
		lr.SetTimestamp(pcommon.Timestamp(w.now))
		return true
	}
	if w.accepts(ts) {
		return false
	}
	to := w.now
	if obs != 0 && w.accepts(obs) {
		to = obs
	}
	lr.Attributes().PutStr(aind.AttrTimestampOriginal, time.Unix(0, ts).UTC().Format(time.RFC3339Nano))
	lr.SetTimestamp(pcommon.Timestamp(to))
	return true
}

// quickFits checks cheap upper bounds: the common small record costs one
// walk over its attributes and no allocation.
func (f *fitter) quickFits(lr plog.LogRecord, fixed smCost) bool {
	l := f.lim
	if l.maxLine > 0 && lineBound(lr.Body()) > l.maxLine {
		return false
	}
	c := fixed
	c.add(recordFieldsBound(lr))
	ok := true
	lr.Attributes().Range(func(k string, v pcommon.Value) bool {
		if len(k) == 0 || !isLabelChar(rune(k[0])) && !validLabelName(k) {
			ok = false
			return false
		}
		c.add(attrBound(k, v))
		return true
	})
	return ok && l.fits(c)
}

func (l *lokiLimits) fits(c smCost) bool {
	return (l.maxSize == 0 || c.size <= l.maxSize) && (l.maxEntries == 0 || c.entries <= l.maxEntries)
}

// collect does the exact accounting of a record's attributes into f.items
// and returns the record's total, resource and scope included.
func (f *fitter) collect(lr plog.LogRecord, fixed smCost) smCost {
	total := fixed
	total.add(recordFieldsCost(lr))
	f.items = f.items[:0]
	lr.Attributes().Range(func(k string, v pcommon.Value) bool {
		c, ok := f.acct.attrCost(k, v)
		class := classOther
		if strings.HasPrefix(k, "aind.") {
			class = classProtected
		} else if _, known := f.lim.known[k]; known {
			class = classKnown
		}
		f.items = append(f.items, attrItem{key: k, v: v, cost: c, valid: ok, class: class})
		if ok {
			total.add(c)
		}
		return true
	})
	return total
}

func (f *fitter) find(key string) int {
	for i := range f.items {
		if f.items[i].key == key {
			return i
		}
	}
	return -1
}

// flagReserve is what setting a flag to a value costing want adds to the
// total, given the flag's current item (or -1).
func (f *fitter) flagReserve(idx int, want smCost) smCost {
	if idx < 0 {
		return want
	}
	return smCost{0, max(0, want.size-f.items[idx].cost.size)}
}

// fitMetadata makes the structured metadata fit, in this order:
//  1. attributes whose names Loki refuses are folded into the body;
//  2. exception.stacktrace moves into the body, after the message;
//  3. over the entry count, attributes are folded into the body as JSON,
//     most entries first, the standard's fields last, aind.* flags never;
//  4. over the size, the longest string values are cut to a common length
//     (not below truncateFloor) and aind.truncated is set;
//  5. still over the size, attributes are folded, largest first.
func (f *fitter) fitMetadata(lr plog.LogRecord, fixed smCost) (fixes limitMask) {
	l := f.lim
	total := f.collect(lr, fixed)
	invalid := false
	for i := range f.items {
		invalid = invalid || !f.items[i].valid
	}
	sizeOver := l.maxSize > 0 && total.size > l.maxSize
	entriesOver := l.maxEntries > 0 && total.entries > l.maxEntries
	if !sizeOver && !entriesOver && !invalid {
		return 0
	}
	// What the record keeps whatever the fit does: its resource and scope,
	// the fields Loki adds, and the aind.* flags. Over a limit already, the
	// record cannot be made to fit: leave it as it is.
	base := fixed
	base.add(recordFieldsCost(lr))
	for i := range f.items {
		if f.items[i].class == classProtected {
			base.add(f.items[i].cost)
		}
	}
	if !l.fits(base) {
		return 0
	}
	fixes = bitIf(limitSMSize, sizeOver) | bitIf(limitSMEntries, entriesOver) | bitIf(limitAttributeName, invalid)

	// The flags the fit may set, and what they would add.
	var existing int64
	foldIdx := f.find(aind.AttrFoldedCount)
	if foldIdx >= 0 && f.items[foldIdx].v.Type() == pcommon.ValueTypeInt {
		existing = f.items[foldIdx].v.Int()
	}
	foldCost := f.flagReserve(foldIdx, smCost{1, l.foldedName + intLen(existing+int64(len(f.items)))})
	truncIdx := f.find(aind.AttrTruncated)
	truncCost := f.flagReserve(truncIdx, l.truncFlag)
	var reserve smCost
	folding, cutting := false, false
	startFolding := func() {
		if !folding {
			folding = true
			reserve.add(foldCost)
		}
	}

	// 1. Names Loki refuses: the whole request would fail.
	for i := range f.items {
		if !f.items[i].valid && f.items[i].class != classProtected {
			f.items[i].folded = true
			startFolding()
		}
	}
	// 2. The stack trace reads best in the body anyway.
	if sizeOver || entriesOver {
		if i := f.find(aind.AttrExceptionStack); i >= 0 && f.items[i].valid && f.items[i].v.Type() == pcommon.ValueTypeStr {
			f.items[i].moved = true
			total.sub(f.items[i].cost)
		}
	}
	// 3. The entry count, leaving room for the flags.
	if l.maxEntries > 0 {
		truncE := 0
		if l.maxSize > 0 && total.size > l.maxSize {
			truncE = truncCost.entries
		}
		if total.entries+reserve.entries+truncE > l.maxEntries {
			startFolding()
			f.fold(&total, true, func() bool { return total.entries+reserve.entries+truncE <= l.maxEntries })
		}
	}
	// 4. The size: cut the longest values.
	if l.maxSize > 0 && total.size+reserve.size > l.maxSize {
		if cut, ok := f.truncate(total.size + reserve.size + truncCost.size - l.maxSize); ok {
			cutting = true
			total.size -= cut
			reserve.add(truncCost)
		}
		// 5. Still over: fold.
		if total.size+reserve.size > l.maxSize {
			startFolding()
			f.fold(&total, false, func() bool { return total.size+reserve.size <= l.maxSize })
		}
	}
	f.apply(lr, existing, cutting)
	return fixes
}

// fold marks attributes as folded until done reports true: by entries (most
// first) or by size (largest first); other attributes before the standard's
// fields, later ones before earlier ones.
func (f *fitter) fold(total *smCost, byEntries bool, done func() bool) {
	f.order = f.order[:0]
	for i := range f.items {
		it := &f.items[i]
		if !it.gone() && it.valid && it.class != classProtected && (it.cost.entries > 0 || it.cost.size > 0) {
			f.order = append(f.order, i)
		}
	}
	sort.Slice(f.order, func(a, b int) bool {
		x, y := &f.items[f.order[a]], &f.items[f.order[b]]
		if x.class != y.class {
			return x.class < y.class
		}
		if byEntries && x.cost.entries != y.cost.entries {
			return x.cost.entries > y.cost.entries
		}
		if x.cost.size != y.cost.size {
			return x.cost.size > y.cost.size
		}
		return f.order[a] > f.order[b]
	})
	for _, i := range f.order {
		if done() {
			return
		}
		f.items[i].folded = true
		total.sub(f.items[i].cost)
	}
}

// truncate cuts the longest string values (top-level or in maps) of the
// attributes that stay, to one common length, so that together they lose
// at least excess bytes, and returns the bytes cut. It cuts nothing below
// truncateFloor. It reports whether it cut anything.
func (f *fitter) truncate(excess int) (int, bool) {
	f.leaves = f.leaves[:0]
	for i := range f.items {
		it := &f.items[i]
		if !it.gone() && it.valid && it.class != classProtected {
			f.addLeaves(i, it.v)
		}
	}
	sort.Slice(f.leaves, func(a, b int) bool { return f.leaves[a].n > f.leaves[b].n })
	level := max(waterLevel(f.leaves, excess), truncateFloor)
	changed := false
	for _, lf := range f.leaves {
		if lf.n <= level {
			break
		}
		s := lf.v.Str()
		lf.v.SetStr(strings.Clone(utf8text.Cut(s, level)))
		f.items[lf.item].cut = true
		changed = true
	}
	if !changed {
		return 0, false
	}
	// Recount what was cut: a value under Loki's excluded name counted
	// nothing to begin with.
	cut := 0
	for i := range f.items {
		if it := &f.items[i]; it.cut {
			c, _ := f.acct.attrCost(it.key, it.v)
			cut += it.cost.size - c.size
			it.cost = c
		}
	}
	return cut, true
}

func (f *fitter) addLeaves(item int, v pcommon.Value) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		f.leaves = append(f.leaves, leafRef{item: item, v: v, n: len(v.Str())})
	case pcommon.ValueTypeMap:
		v.Map().Range(func(_ string, child pcommon.Value) bool {
			f.addLeaves(item, child)
			return true
		})
	}
}

// waterLevel is the largest length C such that cutting every leaf (sorted
// longest first) to C removes at least excess bytes; 0 if none does.
func waterLevel(leaves []leafRef, excess int) int {
	sum := 0
	for k := 1; k <= len(leaves); k++ {
		sum += leaves[k-1].n
		if sum < excess {
			continue
		}
		level := (sum - excess) / k
		next := 0
		if k < len(leaves) {
			next = leaves[k].n
		}
		if level >= next {
			return level
		}
	}
	return 0
}

// apply carries out what fitMetadata decided: the body becomes the line
// Loki would show, then the stack trace, then the folded attributes as one
// JSON object; those attributes leave, and the flags are set.
func (f *fitter) apply(lr plog.LogRecord, existingFolded int64, cut bool) {
	moved, folded := -1, 0
	for i := range f.items {
		if f.items[i].moved {
			moved = i
		}
		if f.items[i].folded {
			folded++
		}
	}
	attrs := lr.Attributes()
	if moved >= 0 || folded > 0 {
		body := lr.Body()
		f.body.Reset()
		if body.Type() == pcommon.ValueTypeStr {
			f.body.WriteString(body.Str())
		} else {
			f.body.WriteString(body.AsString())
		}
		if moved >= 0 {
			if f.body.Len() > 0 {
				f.body.WriteByte('\n')
			}
			f.body.WriteString(f.items[moved].v.Str())
		}
		if folded > 0 {
			if f.body.Len() > 0 {
				f.body.WriteByte('\n')
			}
			f.writeFolded()
		}
		body.SetStr(f.body.String())
		i := 0
		attrs.RemoveIf(func(string, pcommon.Value) bool {
			gone := f.items[i].gone()
			i++
			return gone
		})
	}
	if cut {
		attrs.PutBool(aind.AttrTruncated, true)
	}
	if folded > 0 {
		attrs.PutInt(aind.AttrFoldedCount, existingFolded+int64(folded))
	}
}

// writeFolded writes the folded attributes to f.body as one JSON object, in
// their order, under their own names. It stops once the body is longer than
// the line size: fitLine cuts the rest anyway.
func (f *fitter) writeFolded() {
	f.body.WriteByte('{')
	first := true
	for i := range f.items {
		it := &f.items[i]
		if !it.folded {
			continue
		}
		if f.lim.maxLine > 0 && f.body.Len() > f.lim.maxLine {
			return
		}
		if !first {
			f.body.WriteByte(',')
		}
		first = false
		f.writeJSONString(it.key)
		f.body.WriteByte(':')
		f.writeJSONValue(it.v)
	}
	f.body.WriteByte('}')
}

func (f *fitter) writeJSONString(s string) {
	f.json.Reset()
	_ = f.enc.Encode(s) // a string always encodes
	f.body.Write(bytes.TrimSuffix(f.json.Bytes(), []byte{'\n'}))
}

func (f *fitter) writeJSONValue(v pcommon.Value) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		f.writeJSONString(v.Str())
	case pcommon.ValueTypeInt:
		f.body.WriteString(strconv.FormatInt(v.Int(), 10))
	case pcommon.ValueTypeBool:
		f.body.WriteString(strconv.FormatBool(v.Bool()))
	case pcommon.ValueTypeDouble:
		if d := v.Double(); math.IsNaN(d) || math.IsInf(d, 0) {
			f.writeJSONString(v.AsString()) // JSON has no NaN or Infinity
		} else {
			f.body.WriteString(v.AsString())
		}
	case pcommon.ValueTypeBytes:
		f.writeJSONString(v.AsString())
	case pcommon.ValueTypeMap, pcommon.ValueTypeSlice:
		if s := v.AsString(); s != "" {
			f.body.WriteString(s)
		} else {
			f.body.WriteString("null") // holds a NaN: encoding/json refuses it
		}
	default:
		f.body.WriteString("null")
	}
}

// fitLine cuts the body to the line size, on a UTF-8 boundary. A non-string
// body is cut as the JSON text Loki would show and becomes a string. It
// reports whether it cut and whether it had to add aind.truncated.
func (f *fitter) fitLine(lr plog.LogRecord) (cut, flagged bool) {
	limit := f.lim.maxLine
	body := lr.Body()
	if limit == 0 || lineBound(body) <= limit {
		return false, false
	}
	var s string
	if body.Type() == pcommon.ValueTypeStr {
		s = body.Str()
	} else {
		s = body.AsString()
	}
	if len(s) <= limit {
		return false, false
	}
	body.SetStr(strings.Clone(utf8text.Cut(s, limit)))
	attrs := lr.Attributes()
	if v, ok := attrs.Get(aind.AttrTruncated); ok && v.Type() == pcommon.ValueTypeBool && v.Bool() {
		return true, false
	}
	attrs.PutBool(aind.AttrTruncated, true)
	return true, true
}

// check returns the limits the record still breaks after the fit.
func (f *fitter) check(lr plog.LogRecord, fixed smCost) (broken limitMask) {
	l := f.lim
	total := f.collect(lr, fixed)
	for i := range f.items {
		if !f.items[i].valid {
			broken.set(limitAttributeName)
		}
	}
	if l.maxSize > 0 && total.size > l.maxSize {
		broken.set(limitSMSize)
	}
	if l.maxEntries > 0 && total.entries > l.maxEntries {
		broken.set(limitSMEntries)
	}
	if l.maxLine > 0 && lineBound(lr.Body()) > l.maxLine && len(lr.Body().AsString()) > l.maxLine {
		broken.set(limitLineSize)
	}
	return broken
}
