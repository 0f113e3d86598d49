package checkpoint // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"google.golang.org/protobuf/encoding/protowire"
)

// KnownFilesKey is the storage key under which fileconsumer keeps the
// offsets of every file it knows (its checkpoint.Save and Load).
const KnownFilesKey = "knownFiles"

// The record under KnownFilesKey is the protobuf message MetadataList of
// fileconsumer's internal/checkpoint/proto/checkpoint.proto. These are the
// field numbers this package reads or writes; every other field of an
// entry is carried over byte for byte.
const (
	fieldMetadataList = 1 // MetadataList.metadata, repeated Metadata

	fieldFingerprint    = 1 // Metadata.fingerprint, Fingerprint
	fieldOffset         = 2 // Metadata.offset, int64
	fieldRecordNum      = 3 // Metadata.record_num, int64
	fieldFileAttributes = 4 // Metadata.file_attributes, JSON bytes
	fieldFlushState     = 6 // Metadata.flush_state, FlushState

	fieldFirstBytes     = 1 // Fingerprint.first_bytes, bytes
	fieldLastDataLength = 2 // FlushState.last_data_length, int32
)

var errMalformed = errors.New("malformed known-files record")

// knownFile is one entry of the known-files record.
type knownFile struct {
	// raw is the entry as fileconsumer wrote it.
	raw []byte
	// id is the file's checkpoint ID (see IDAttribute), "" if it has none.
	id  string
	pos Position
	// pendingPartial is set when fileconsumer holds the start of a line
	// whose newline has not been written yet (FlushState.last_data_length
	// > 0): it emits that line only after its flush period.
	pendingPartial bool
}

// parseKnownFiles decodes the known-files record. A nil or empty record has
// no entries.
func parseKnownFiles(b []byte) ([]knownFile, error) {
	var files []knownFile
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, errMalformed
		}
		b = b[n:]
		if num != fieldMetadataList || typ != protowire.BytesType {
			// Not fileconsumer's protobuf record (an older fileconsumer
			// wrote JSON): rewriting it would lose what it holds.
			return nil, errMalformed
		}
		raw, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return nil, errMalformed
		}
		b = b[n:]
		f, err := parseKnownFile(raw)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func parseKnownFile(raw []byte) (knownFile, error) {
	f := knownFile{raw: raw}
	b := raw
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return f, errMalformed
		}
		b = b[n:]
		switch {
		case num == fieldOffset && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return f, errMalformed
			}
			f.pos.Offset, b = int64(v), b[n:]
		case num == fieldRecordNum && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return f, errMalformed
			}
			f.pos.RecordNum, b = int64(v), b[n:]
		case num == fieldFileAttributes && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return f, errMalformed
			}
			f.id, b = idOf(v), b[n:]
		case num == fieldFlushState && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return f, errMalformed
			}
			f.pendingPartial, b = lastDataLength(v) > 0, b[n:]
		default:
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return f, errMalformed
			}
			b = b[n:]
		}
	}
	return f, nil
}

// idOf returns the checkpoint ID among a file's attributes (JSON), or "".
func idOf(attrsJSON []byte) string {
	var attrs map[string]any
	if json.Unmarshal(attrsJSON, &attrs) != nil {
		return ""
	}
	id, _ := attrs[IDAttribute].(string)
	return id
}

func lastDataLength(flushState []byte) int64 {
	b := flushState
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return 0
		}
		b = b[n:]
		if num == fieldLastDataLength && typ == protowire.VarintType {
			v, _ := protowire.ConsumeVarint(b)
			return int64(int32(v))
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return 0
		}
		b = b[n:]
	}
	return 0
}

// withPosition returns the entry with its offset and record number
// replaced, its other fields unchanged.
func (f knownFile) withPosition(pos Position) []byte {
	out := make([]byte, 0, len(f.raw)+2*protowire.SizeVarint(uint64(pos.Offset)))
	b := f.raw
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if num != fieldOffset && num != fieldRecordNum {
			out = append(out, b[:n+m]...)
		}
		b = b[n+m:]
	}
	return appendPosition(out, pos)
}

// appendPosition appends offset and record number as proto3 does: zero
// values are left out.
func appendPosition(b []byte, pos Position) []byte {
	if pos.Offset != 0 {
		b = protowire.AppendTag(b, fieldOffset, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(pos.Offset))
	}
	if pos.RecordNum != 0 {
		b = protowire.AppendTag(b, fieldRecordNum, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(pos.RecordNum))
	}
	return b
}

// newKnownFile builds the entry fileconsumer would have saved for a file
// it first read during the poll that a crash interrupted: its fingerprint,
// position and attributes. The flush and token-length states are left at
// their zero values, as for a file read for the first time.
func newKnownFile(fingerprint []byte, pos Position, attrs map[string]any) ([]byte, error) {
	attrsJSON, err := json.Marshal(attrs)
	if err != nil {
		return nil, fmt.Errorf("encode file attributes: %w", err)
	}
	var fp []byte
	fp = protowire.AppendTag(fp, fieldFirstBytes, protowire.BytesType)
	fp = protowire.AppendBytes(fp, fingerprint)

	var b []byte
	b = protowire.AppendTag(b, fieldFingerprint, protowire.BytesType)
	b = protowire.AppendBytes(b, fp)
	b = appendPosition(b, pos)
	b = protowire.AppendTag(b, fieldFileAttributes, protowire.BytesType)
	b = protowire.AppendBytes(b, attrsJSON)
	return b, nil
}

// appendKnownFile appends one entry to a known-files record.
func appendKnownFile(record, entry []byte) []byte {
	record = protowire.AppendTag(record, fieldMetadataList, protowire.BytesType)
	return protowire.AppendBytes(record, entry)
}

// applyJournal returns the known-files record with the journal's positions
// applied: an entry whose file the journal has seen further is moved
// forward to the journal's position. With addMissing, a file the record does
// not know yet and whose fingerprint the journal kept gets an entry too
// (newKnownFile). It also reports whether any entry holds a partial line.
func applyJournal(record []byte, j map[string]journalEntry, addMissing bool) ([]byte, bool, error) {
	files, err := parseKnownFiles(record)
	if err != nil {
		return nil, false, err
	}
	out := make([]byte, 0, len(record)+64*len(j))
	seen := make(map[string]bool, len(files))
	partial := false
	for _, f := range files {
		partial = partial || f.pendingPartial
		e, ok := j[f.id]
		if f.id == "" || !ok {
			out = appendKnownFile(out, f.raw)
			continue
		}
		seen[f.id] = true
		pos := f.pos
		if e.pos.Offset <= pos.Offset && e.pos.RecordNum <= pos.RecordNum {
			out = appendKnownFile(out, f.raw)
			continue
		}
		pos.Offset, pos.RecordNum = max(pos.Offset, e.pos.Offset), max(pos.RecordNum, e.pos.RecordNum)
		out = appendKnownFile(out, f.withPosition(pos))
	}
	if !addMissing {
		return out, partial, nil
	}
	for id, e := range j {
		if seen[id] || len(e.fingerprint) == 0 {
			continue
		}
		attrs := make(map[string]any, len(e.attrs)+1)
		maps.Copy(attrs, e.attrs)
		attrs[IDAttribute] = id
		entry, err := newKnownFile(e.fingerprint, e.pos, attrs)
		if err != nil {
			return nil, false, err
		}
		out = appendKnownFile(out, entry)
	}
	return out, partial, nil
}

// holdBack returns the known-files record with each file of refused moved
// back to its position there, where the record has it further: the lines
// from there on were read but not accepted.
func holdBack(record []byte, refused map[string]Position) ([]byte, error) {
	files, err := parseKnownFiles(record)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(record))
	for _, f := range files {
		pos, ok := refused[f.id]
		if f.id == "" || !ok || f.pos.Offset <= pos.Offset {
			out = appendKnownFile(out, f.raw)
			continue
		}
		out = appendKnownFile(out, f.withPosition(pos))
	}
	return out, nil
}

// hasPartialLine reports whether any entry of the record holds a partial
// line.
func hasPartialLine(record []byte) bool {
	files, err := parseKnownFiles(record)
	if err != nil {
		return false
	}
	for _, f := range files {
		if f.pendingPartial {
			return true
		}
	}
	return false
}
