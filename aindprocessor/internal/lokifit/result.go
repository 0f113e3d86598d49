package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

// Limit names a Loki limit the guard enforces.
type Limit uint8

// The limits; their names are the enum of the telemetry's limit attribute
// (the processor's metadata.yaml).
const (
	LineSize Limit = iota
	StructuredMetadataSize
	StructuredMetadataEntries
	Timestamp
	AttributeName
	// NumLimits is the number of limits, for arrays indexed by Limit.
	NumLimits
)

var limitNames = [NumLimits]string{
	LineSize:                  "line_size",
	StructuredMetadataSize:    "structured_metadata_size",
	StructuredMetadataEntries: "structured_metadata_entries",
	Timestamp:                 "timestamp",
	AttributeName:             "attribute_name",
}

// String is the limit's name in the processor's telemetry (its `limit`
// attribute).
func (l Limit) String() string { return limitNames[l] }

// Result counts the records of one batch by limit: Fixes those the guard
// changed for it, Unfixable those that still break it after the fit (their
// resource or scope alone is too large).
type Result struct {
	Fixes, Unfixable [NumLimits]int64
}

// limitMask is a set of limits: what one record needed or still breaks.
type limitMask uint8

func (m *limitMask) set(k Limit)         { *m |= 1 << k }
func (m limitMask) has(k Limit) bool     { return m&(1<<k) != 0 }
func (m *limitMask) or(o limitMask)      { *m |= o }
func bitIf(k Limit, cond bool) limitMask { return limitMask(b2i(cond)) << k }

func b2i(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// add counts one record's masks.
func (r *Result) add(fixes, unfixable limitMask) {
	for l := range NumLimits {
		r.Fixes[l] += int64(b2i(fixes.has(l)))
		r.Unfixable[l] += int64(b2i(unfixable.has(l)))
	}
}
