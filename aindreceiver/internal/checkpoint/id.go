package checkpoint // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"

import (
	"crypto/rand"
	"encoding/hex"
)

// IDAttribute is the file attribute that holds a file's checkpoint ID.
//
// The emit callback of fileconsumer is told a batch's lines, offsets and
// file attributes, but not which of its known files they belong to. The
// attributes are that file's own map, which fileconsumer carries from poll
// to poll and saves with the file's offset; an ID put there the first time
// a file's lines are emitted therefore names the file both in emit and in
// the saved known-files record, across restarts. It is never put on a
// record.
const IDAttribute = "aind.checkpoint_id"

// FileID returns the checkpoint ID of the file whose attributes emit was
// handed, and gives the file one the first time. emit runs on the file's
// reader goroutine, the only one using the map while the file is read.
func FileID(attrs map[string]any) string {
	if id, ok := attrs[IDAttribute].(string); ok && id != "" {
		return id
	}
	id := newID()
	attrs[IDAttribute] = id
	return id
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
