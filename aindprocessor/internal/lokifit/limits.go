package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

import (
	"time"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// limits is the compiled Config.
type limits struct {
	maxLine, maxSize, maxEntries int // 0: unlimited
	// timestamps is false only for callers whose records hold fixed instants
	// (Guard.SkipTimestamps).
	timestamps  bool
	rejectOld   bool
	oldest      time.Duration // records older than this are moved
	grace       time.Duration
	indexLabels map[string]struct{}
	// known are the standard's fields: folded last.
	known      map[string]struct{}
	truncFlag  smCost // aind.truncated=true
	foldedName int    // len of Loki's name of aind.folded.count
}

// compile resolves c once: fitting reads plain fields and sets, and the
// lengths of the flags' Loki names are known before any record.
func compile(c *Config, alsoKnown []string) *limits {
	l := &limits{
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
	for _, name := range alsoKnown {
		l.known[name] = struct{}{}
	}
	l.known["log.file.name"] = struct{}{}
	l.known["log.file.path"] = struct{}{}
	name, _ := appendLabelName(nil, aind.AttrTruncated)
	l.truncFlag = smCost{1, len(name) + len("true")}
	name, _ = appendLabelName(name[:0], aind.AttrFoldedCount)
	l.foldedName = len(name)
	return l
}

// sizeOver and entriesOver report whether c breaks the size or the entry
// count; fits whether it breaks neither.
func (l *limits) sizeOver(c smCost) bool    { return l.maxSize > 0 && c.size > l.maxSize }
func (l *limits) entriesOver(c smCost) bool { return l.maxEntries > 0 && c.entries > l.maxEntries }
func (l *limits) fits(c smCost) bool        { return !l.sizeOver(c) && !l.entriesOver(c) }
