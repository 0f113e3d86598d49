// Package queuemeta reads the metadata exporterhelper's persistent sending
// queue keeps in its storage client: how many requests and records it
// holds.
package queuemeta // import "github.com/AllenNeuralDynamics/otelcol-aind/drainstorage/internal/queuemeta"

import (
	"errors"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Key is the storage key of the queue's metadata (exporterhelper's
// persistent_queue.go, "qmv0").
const Key = "qmv0"

// The metadata is the protobuf message PersistentMetadata of
// exporterhelper's internal/queue/meta.proto.
const (
	fieldItemsSize                = 1 // sfixed64
	fieldReadIndex                = 3 // fixed64
	fieldWriteIndex               = 4 // fixed64
	fieldCurrentlyDispatchedItems = 5 // repeated fixed64, packed
)

var errMalformed = errors.New("malformed sending queue metadata")

// Backlog is what a persistent sending queue holds: requests not sent yet
// or being sent, and the records in them.
type Backlog struct {
	Requests int64
	Records  int64
}

// Parse reads the queue's metadata. Empty metadata is an empty queue.
func Parse(b []byte) (Backlog, error) {
	var (
		read, write uint64
		dispatched  int64
		records     int64
	)
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		// ConsumeTag takes field numbers up to 2^31-1; protobuf's own
		// decoding, the queue's, rejects those past MaxValidNumber.
		if n < 0 || num > protowire.MaxValidNumber {
			return Backlog{}, errMalformed
		}
		b = b[n:]
		switch {
		case typ == protowire.Fixed64Type && (num == fieldItemsSize || num == fieldReadIndex || num == fieldWriteIndex):
			v, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				return Backlog{}, errMalformed
			}
			switch num {
			case fieldItemsSize:
				records = int64(v)
			case fieldReadIndex:
				read = v
			default:
				write = v
			}
			b = b[n:]
		case num == fieldCurrentlyDispatchedItems && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 || len(v)%8 != 0 {
				return Backlog{}, errMalformed
			}
			dispatched += int64(len(v) / 8)
			b = b[n:]
		case num == fieldCurrentlyDispatchedItems && typ == protowire.Fixed64Type:
			if _, n = protowire.ConsumeFixed64(b); n < 0 {
				return Backlog{}, errMalformed
			}
			dispatched++
			b = b[n:]
		default:
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return Backlog{}, errMalformed
			}
			b = b[n:]
		}
	}
	if write < read || write-read > math.MaxInt64/2 {
		return Backlog{}, errMalformed
	}
	return Backlog{Requests: int64(write-read) + dispatched, Records: max(records, 0)}, nil
}
