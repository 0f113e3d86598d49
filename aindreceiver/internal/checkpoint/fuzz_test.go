package checkpoint

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Whatever storage holds, the known-files record is read without panicking,
// and applying a journal to a record this package can read gives one it
// reads back with the journal's positions.
func FuzzKnownFiles(f *testing.F) {
	entry, err := newKnownFile([]byte("first bytes"), Position{Offset: 10, RecordNum: 2}, map[string]any{IDAttribute: "x", "log.file.name": "a.log"})
	require.NoError(f, err)
	f.Add(appendKnownFile(nil, entry), int64(20))
	f.Add([]byte("1\n{\"Offset\":3}\n"), int64(1))
	f.Add([]byte{0x0a, 0x02, 0x10}, int64(1))
	f.Fuzz(func(t *testing.T, record []byte, offset int64) {
		files, err := parseKnownFiles(record)
		if err != nil {
			return
		}
		j := map[string]journalEntry{}
		for _, kf := range files {
			if kf.id != "" {
				j[kf.id] = journalEntry{pos: Position{Offset: offset, RecordNum: 1}}
			}
		}
		out, _, err := applyJournal(record, j, true)
		require.NoError(t, err)
		again, err := parseKnownFiles(out)
		require.NoError(t, err)
		require.Len(t, again, len(files))
		for i, kf := range again {
			assert.Equal(t, files[i].id, kf.id)
			if _, ok := j[kf.id]; ok {
				assert.GreaterOrEqual(t, kf.pos.Offset, offset)
			}
		}
	})
}

// The journal is read without panicking, and what it decodes to encodes
// back to the same entries.
func FuzzJournal(f *testing.F) {
	f.Add(encodeJournal(map[string]journalEntry{
		"a": {pos: Position{Offset: 5000, RecordNum: 50}},
		"b": {pos: Position{Offset: 7, RecordNum: 1}, fingerprint: []byte("fp"), attrs: map[string]any{"log.file.name": "b.log"}},
	}))
	f.Add([]byte{0x0a, 0x80})
	f.Fuzz(func(t *testing.T, raw []byte) {
		j, err := decodeJournal(raw)
		if err != nil {
			return
		}
		again, err := decodeJournal(encodeJournal(j))
		require.NoError(t, err)
		assert.Equal(t, len(j), len(again))
		for id, e := range j {
			assert.Equal(t, e.pos, again[id].pos)
			assert.Equal(t, e.fingerprint, again[id].fingerprint)
		}
	})
}
