package queuemeta

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
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

// persistentMetadata describes exporterhelper's PersistentMetadata
// (internal/queue/meta.proto), which its queue decodes with proto.Unmarshal.
func persistentMetadata(tb testing.TB) protoreflect.MessageDescriptor {
	tb.Helper()
	field := func(name string, num int32, typ descriptorpb.FieldDescriptorProto_Type, label descriptorpb.FieldDescriptorProto_Label) *descriptorpb.FieldDescriptorProto {
		return &descriptorpb.FieldDescriptorProto{Name: proto.String(name), JsonName: proto.String(name), Number: proto.Int32(num), Type: typ.Enum(), Label: label.Enum()}
	}
	optional, repeated := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL, descriptorpb.FieldDescriptorProto_LABEL_REPEATED
	file, err := protodesc.NewFile(&descriptorpb.FileDescriptorProto{
		Name:    proto.String("meta.proto"),
		Package: proto.String("queuemeta.reference"),
		Syntax:  proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{{
			Name: proto.String("PersistentMetadata"),
			Field: []*descriptorpb.FieldDescriptorProto{
				field("items_size", fieldItemsSize, descriptorpb.FieldDescriptorProto_TYPE_SFIXED64, optional),
				field("bytes_size", 2, descriptorpb.FieldDescriptorProto_TYPE_SFIXED64, optional),
				field("read_index", fieldReadIndex, descriptorpb.FieldDescriptorProto_TYPE_FIXED64, optional),
				field("write_index", fieldWriteIndex, descriptorpb.FieldDescriptorProto_TYPE_FIXED64, optional),
				field("currently_dispatched_items", fieldCurrentlyDispatchedItems, descriptorpb.FieldDescriptorProto_TYPE_FIXED64, repeated),
			},
		}},
	}, nil)
	require.NoError(tb, err)
	return file.Messages().Get(0)
}

// Parse reads what exporterhelper's queue reads from the same bytes, the
// protobuf runtime's decoding of PersistentMetadata: the metadata the queue
// cannot decode (it then starts empty) is rejected, and of the rest the
// backlog is the queue's own count, write_index - read_index requests not
// sent plus the currently dispatched ones, with items_size records.
// Indexes that no queue writes (read past write, or a backlog beyond what
// an int64 counts) are rejected too.
func FuzzParse(f *testing.F) {
	md := persistentMetadata(f)
	f.Add(metadata(50, 3, 7, 1, 2))
	f.Add([]byte{})
	// Negative items, and the largest backlog counted and one past it.
	f.Add(metadata(-5, 0, math.MaxInt64/2))
	f.Add(metadata(-5, 0, math.MaxInt64/2+1))
	// A read index past the write index.
	f.Add(metadata(1, 9, 3))
	// Fields repeated: the last index wins, dispatched items add up.
	f.Add(append(metadata(1, 3, 7), metadata(2, 5, 9, 4)...))
	// A dispatched item not packed.
	f.Add(protowire.AppendFixed64(protowire.AppendTag(metadata(0, 1, 2), fieldCurrentlyDispatchedItems, protowire.Fixed64Type), 8))
	// A known field of another wire type.
	f.Add(protowire.AppendVarint(protowire.AppendTag(nil, fieldReadIndex, protowire.VarintType), 7))
	// Packed items cut short.
	f.Add(protowire.AppendBytes(protowire.AppendTag(nil, fieldCurrentlyDispatchedItems, protowire.BytesType), []byte{1, 2, 3}))
	// A field number protobuf does not allow.
	f.Add(protowire.AppendVarint(protowire.AppendTag(nil, protowire.MaxValidNumber+1, protowire.VarintType), 1))
	// Truncated.
	f.Add([]byte{0x19, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Parse(b)
		ref := dynamicpb.NewMessage(md)
		if uerr := proto.Unmarshal(b, ref); uerr != nil {
			require.Error(t, err, "metadata proto.Unmarshal rejects (%v) was read as %+v", uerr, got)
			return
		}
		fields := md.Fields()
		read := ref.Get(fields.ByNumber(fieldReadIndex)).Uint()
		write := ref.Get(fields.ByNumber(fieldWriteIndex)).Uint()
		if write < read || write-read > math.MaxInt64/2 {
			require.Error(t, err, "read index %d, write index %d", read, write)
			return
		}
		require.NoError(t, err)
		dispatched := int64(ref.Get(fields.ByNumber(fieldCurrentlyDispatchedItems)).List().Len())
		items := ref.Get(fields.ByNumber(fieldItemsSize)).Int()
		assert.Equal(t, Backlog{Requests: int64(write-read) + dispatched, Records: max(items, 0)}, got)
	})
}
