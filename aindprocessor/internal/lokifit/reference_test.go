package lokifit

import (
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// A straightforward port of what Loki v3.7.8 does with an OTLP push, for the
// tests to check the guard against. It follows Loki's code, not the guard's:
// pkg/loghttp/push/otlp.go (otlpToLokiPushRequest, otlpLogToPushEntry,
// attributeToLabels, timestampFromLogRecord), otlptranslator v1.0.0's
// LabelNamer.Build, pkg/util/entry_size.go and
// pkg/distributor/validator.go (ValidateEntry).

type refLabel struct{ Name, Value string }

type refEntry struct {
	Timestamp          time.Time
	Line               string
	StructuredMetadata []refLabel
}

func refBuild(label string) (string, error) {
	if len(label) == 0 {
		return "", errors.New("label name is empty")
	}
	name := label
	isReserved := len(name) >= 4 && strings.HasPrefix(name, "__") && strings.HasSuffix(name, "__")
	if isReserved {
		name = name[2 : len(name)-2]
	}
	var b strings.Builder
	prevWasUnderscore := false
	for _, r := range name {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			prevWasUnderscore = false
		} else if !prevWasUnderscore {
			b.WriteRune('_')
			prevWasUnderscore = true
		}
	}
	normalized := b.String()
	if isReserved {
		normalized = "__" + normalized + "__"
	}
	if unicode.IsDigit(rune(normalized[0])) {
		normalized = "key_" + normalized
	}
	if strings.Trim(normalized, "_") == "" {
		return "", fmt.Errorf("normalization for label name %q resulted in invalid name %q", label, normalized)
	}
	return normalized, nil
}

func refAttributeToLabels(k string, v pcommon.Value, prefix string) ([]refLabel, error) {
	keyWithPrefix := k
	if prefix != "" {
		keyWithPrefix = prefix + "_" + k
	}
	keyWithPrefix, err := refBuild(keyWithPrefix)
	if err != nil {
		return nil, err
	}
	if v.Type() != pcommon.ValueTypeMap {
		return []refLabel{{keyWithPrefix, v.AsString()}}, nil
	}
	var out []refLabel
	var rangeErr error
	v.Map().Range(func(k string, v pcommon.Value) bool {
		lbls, err := refAttributeToLabels(k, v, keyWithPrefix)
		if err != nil {
			rangeErr = err
			return false
		}
		out = append(out, lbls...)
		return true
	})
	return out, rangeErr
}

// refPush converts a batch as Loki's OTLP endpoint does: an error means Loki
// refuses the whole request.
// A record without timestamps gets now.
func refPush(ld plog.Logs, indexLabels []string, now time.Time) ([]refEntry, error) {
	var entries []refEntry
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		var resSM []refLabel
		var err error
		rls.At(i).Resource().Attributes().Range(func(k string, v pcommon.Value) bool {
			var lbls []refLabel
			lbls, err = refAttributeToLabels(k, v, "")
			if err != nil {
				return false
			}
			if !slices.Contains(indexLabels, k) {
				resSM = append(resSM, lbls...)
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			scope := sls.At(j).Scope()
			var scopeSM []refLabel
			scope.Attributes().Range(func(k string, v pcommon.Value) bool {
				var lbls []refLabel
				lbls, err = refAttributeToLabels(k, v, "")
				scopeSM = append(scopeSM, lbls...)
				return err == nil
			})
			if err != nil {
				return nil, err
			}
			if scope.Name() != "" {
				scopeSM = append(scopeSM, refLabel{"scope_name", scope.Name()})
			}
			if scope.Version() != "" {
				scopeSM = append(scopeSM, refLabel{"scope_version", scope.Version()})
			}
			if n := scope.DroppedAttributesCount(); n != 0 {
				scopeSM = append(scopeSM, refLabel{"scope_dropped_attributes_count", fmt.Sprintf("%d", n)})
			}
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				e, err := refEntryOf(lrs.At(k), now)
				if err != nil {
					return nil, err
				}
				e.StructuredMetadata = append(append(e.StructuredMetadata, resSM...), scopeSM...)
				entries = append(entries, e)
			}
		}
	}
	return entries, nil
}

func refEntryOf(log plog.LogRecord, now time.Time) (refEntry, error) {
	var sm []refLabel
	var err error
	log.Attributes().Range(func(k string, v pcommon.Value) bool {
		var lbls []refLabel
		lbls, err = refAttributeToLabels(k, v, "")
		sm = append(sm, lbls...)
		return err == nil
	})
	if err != nil {
		return refEntry{}, err
	}
	if log.Timestamp() != 0 && log.ObservedTimestamp() != 0 {
		sm = append(sm, refLabel{"observed_timestamp", fmt.Sprintf("%d", log.ObservedTimestamp().AsTime().UnixNano())})
	}
	if n := log.SeverityNumber(); n != plog.SeverityNumberUnspecified {
		sm = append(sm, refLabel{"severity_number", fmt.Sprintf("%d", n)})
	}
	if t := log.SeverityText(); t != "" {
		sm = append(sm, refLabel{"severity_text", t})
	}
	if n := log.DroppedAttributesCount(); n != 0 {
		sm = append(sm, refLabel{"dropped_attributes_count", fmt.Sprintf("%d", n)})
	}
	if f := log.Flags(); f != 0 {
		sm = append(sm, refLabel{"flags", fmt.Sprintf("%d", f)})
	}
	if id := log.TraceID(); !id.IsEmpty() {
		sm = append(sm, refLabel{"trace_id", hex.EncodeToString(id[:])})
	}
	if id := log.SpanID(); !id.IsEmpty() {
		sm = append(sm, refLabel{"span_id", hex.EncodeToString(id[:])})
	}
	ts := time.Unix(0, now.UnixNano())
	if log.Timestamp() != 0 {
		ts = time.Unix(0, int64(log.Timestamp()))
	} else if log.ObservedTimestamp() != 0 {
		ts = time.Unix(0, int64(log.ObservedTimestamp()))
	}
	return refEntry{Timestamp: ts, Line: log.Body().AsString(), StructuredMetadata: sm}, nil
}

func refSMSize(sm []refLabel) int {
	size := 0
	for _, l := range sm {
		if l.Name == "detected_level" {
			continue
		}
		size += len(l.Name) + len(l.Value)
	}
	return size
}

// refValidate is ValidateEntry: the limits an entry breaks at Loki's now.
func refValidate(e refEntry, c *Config, now time.Time) []string {
	var broken []string
	ts := e.Timestamp.UnixNano()
	if c.RejectOldSamples && c.RejectOldSamplesMaxAge > 0 && ts < now.Add(-c.RejectOldSamplesMaxAge).UnixNano() {
		broken = append(broken, "too old")
	}
	if ts > now.Add(c.CreationGracePeriod).UnixNano() {
		broken = append(broken, "too far in the future")
	}
	if max := int(c.MaxLineSize); max != 0 && len(e.Line) > max {
		broken = append(broken, fmt.Sprintf("line %d > %d", len(e.Line), max))
	}
	if max := int(c.MaxStructuredMetadataSize); max != 0 && refSMSize(e.StructuredMetadata) > max {
		broken = append(broken, fmt.Sprintf("structured metadata size %d > %d", refSMSize(e.StructuredMetadata), max))
	}
	if max := c.MaxStructuredMetadataEntriesCount; max != 0 && len(e.StructuredMetadata) > max {
		broken = append(broken, fmt.Sprintf("structured metadata entries %d > %d", len(e.StructuredMetadata), max))
	}
	return broken
}
