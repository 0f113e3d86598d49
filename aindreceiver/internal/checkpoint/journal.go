package checkpoint // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"

import (
	"encoding/json"
	"maps"

	"google.golang.org/protobuf/encoding/protowire"
)

// JournalKey is the storage key of the journal: the positions of the files
// whose batches were accepted since fileconsumer last saved KnownFilesKey.
const JournalKey = "aind.journal"

// Position is where a file's next unread line begins.
type Position struct {
	// Offset is in bytes from the start of the file.
	Offset int64
	// RecordNum is the number of lines read before Offset.
	RecordNum int64
}

// journalEntry is what the journal knows of one file.
type journalEntry struct {
	pos Position
	// fingerprint and attrs are kept for a file first read from its start
	// in the current poll: fileconsumer has saved no entry for it yet, and
	// after a crash one is made from them (newKnownFile).
	fingerprint []byte
	attrs       map[string]any
}

// Journal fields (a protobuf message of this package, not fileconsumer's).
const (
	fieldJournalEntry = 1 // repeated entry

	fieldEntryID          = 1 // string
	fieldEntryOffset      = 2 // int64
	fieldEntryRecordNum   = 3 // int64
	fieldEntryFingerprint = 4 // bytes
	fieldEntryAttributes  = 5 // JSON bytes
)

func encodeJournal(j map[string]journalEntry) []byte {
	var b []byte
	for id, e := range j {
		var eb []byte
		eb = protowire.AppendTag(eb, fieldEntryID, protowire.BytesType)
		eb = protowire.AppendString(eb, id)
		eb = protowire.AppendTag(eb, fieldEntryOffset, protowire.VarintType)
		eb = protowire.AppendVarint(eb, uint64(e.pos.Offset))
		eb = protowire.AppendTag(eb, fieldEntryRecordNum, protowire.VarintType)
		eb = protowire.AppendVarint(eb, uint64(e.pos.RecordNum))
		if len(e.fingerprint) > 0 {
			eb = protowire.AppendTag(eb, fieldEntryFingerprint, protowire.BytesType)
			eb = protowire.AppendBytes(eb, e.fingerprint)
			if attrs, err := json.Marshal(e.attrs); err == nil {
				eb = protowire.AppendTag(eb, fieldEntryAttributes, protowire.BytesType)
				eb = protowire.AppendBytes(eb, attrs)
			}
		}
		b = protowire.AppendTag(b, fieldJournalEntry, protowire.BytesType)
		b = protowire.AppendBytes(b, eb)
	}
	return b
}

func decodeJournal(b []byte) (map[string]journalEntry, error) {
	j := map[string]journalEntry{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, errMalformed
		}
		b = b[n:]
		if num != fieldJournalEntry || typ != protowire.BytesType {
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return nil, errMalformed
			}
			b = b[n:]
			continue
		}
		eb, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return nil, errMalformed
		}
		b = b[n:]
		id, e, err := decodeJournalEntry(eb)
		if err != nil {
			return nil, err
		}
		if id != "" {
			j[id] = e
		}
	}
	return j, nil
}

func decodeJournalEntry(b []byte) (string, journalEntry, error) {
	var (
		id string
		e  journalEntry
	)
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return "", e, errMalformed
		}
		b = b[n:]
		switch {
		case typ == protowire.VarintType && (num == fieldEntryOffset || num == fieldEntryRecordNum):
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return "", e, errMalformed
			}
			if num == fieldEntryOffset {
				e.pos.Offset = int64(v)
			} else {
				e.pos.RecordNum = int64(v)
			}
			b = b[n:]
		case typ == protowire.BytesType && (num == fieldEntryID || num == fieldEntryFingerprint || num == fieldEntryAttributes):
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return "", e, errMalformed
			}
			switch num {
			case fieldEntryID:
				id = string(v)
			case fieldEntryFingerprint:
				e.fingerprint = append([]byte(nil), v...)
			default:
				if err := json.Unmarshal(v, &e.attrs); err != nil {
					return "", e, errMalformed
				}
			}
			b = b[n:]
		default:
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return "", e, errMalformed
			}
			b = b[n:]
		}
	}
	return id, e, nil
}

// advance moves the entry forward to pos. A position never moves back: with
// on_truncate "ignore" (the receiver's setting) fileconsumer never moves a
// file's offset back either, so the further position is always the newer.
func (e *journalEntry) advance(pos Position) {
	if pos.Offset > e.pos.Offset {
		e.pos.Offset = pos.Offset
	}
	if pos.RecordNum > e.pos.RecordNum {
		e.pos.RecordNum = pos.RecordNum
	}
}

// mergeJournals returns a with every entry of b merged in.
func mergeJournals(a, b map[string]journalEntry) map[string]journalEntry {
	out := maps.Clone(a)
	if out == nil {
		out = map[string]journalEntry{}
	}
	for id, e := range b {
		cur, ok := out[id]
		if !ok {
			out[id] = e
			continue
		}
		cur.advance(e.pos)
		if cur.fingerprint == nil {
			cur.fingerprint, cur.attrs = e.fingerprint, e.attrs
		}
		out[id] = cur
	}
	return out
}
