package queuemeta

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
)

// metadata encodes PersistentMetadata as exporterhelper does.
func metadata(items int64, read, write uint64, dispatched ...uint64) []byte {
	var b []byte
	if items != 0 {
		b = protowire.AppendTag(b, fieldItemsSize, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, uint64(items))
	}
	b = protowire.AppendTag(b, 2, protowire.Fixed64Type) // bytes_size
	b = protowire.AppendFixed64(b, 12345)
	if read != 0 {
		b = protowire.AppendTag(b, fieldReadIndex, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, read)
	}
	if write != 0 {
		b = protowire.AppendTag(b, fieldWriteIndex, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, write)
	}
	if len(dispatched) > 0 {
		var packed []byte
		for _, d := range dispatched {
			packed = protowire.AppendFixed64(packed, d)
		}
		b = protowire.AppendTag(b, fieldCurrentlyDispatchedItems, protowire.BytesType)
		b = protowire.AppendBytes(b, packed)
	}
	return b
}

func TestParse(t *testing.T) {
	got, err := Parse(metadata(50, 3, 7, 1, 2))
	require.NoError(t, err)
	assert.Equal(t, Backlog{Requests: 6, Records: 50}, got)

	got, err = Parse(nil)
	require.NoError(t, err)
	assert.Equal(t, Backlog{}, got, "no metadata is an empty queue")

	_, err = Parse(metadata(1, 9, 3))
	assert.Error(t, err, "a read index past the write index")
	_, err = Parse([]byte{0x19, 1, 2})
	assert.Error(t, err, "truncated")
}

func FuzzParse(f *testing.F) {
	f.Add(metadata(50, 3, 7, 1, 2))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Parse(b)
		if err != nil {
			return
		}
		assert.GreaterOrEqual(t, got.Requests, int64(0))
		assert.GreaterOrEqual(t, got.Records, int64(0))
	})
}
