package decompress

import (
	"bytes"
	"errors"
	"testing"

	"github.com/golang/snappy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSnappy(t *testing.T) {
	plain := []byte("a line of text, a line of text, a line of text")
	for name, data := range map[string][]byte{"block": snappy.Encode(nil, plain), "framed": framed(t, plain)} {
		mem := &budget{left: 1 << 20}
		out, err := Snappy(data, int64(len(plain)), mem)
		require.NoError(t, err, name)
		assert.Equal(t, plain, out, name)
		assert.Equal(t, int64(len(plain)), mem.reserved, "%s: the decoded bytes are charged", name)
		_, err = Snappy(data, int64(len(plain)-1), &budget{left: 1 << 20})
		assert.ErrorIs(t, err, ErrTooLarge, name)
		_, err = Snappy(data, int64(len(plain)), &budget{left: int64(len(plain) - 1)})
		assert.ErrorIs(t, err, errNoBudget, "%s: the reserver's error", name)
	}
	_, err := Snappy([]byte("\xff\xff\xff\xff\xff"), 1<<10, &budget{})
	assert.ErrorIs(t, err, ErrCorrupt)
	_, err = Snappy(append(append([]byte(nil), snappyFramingHeader...), 0x01, 0x05, 0x00, 0x00), 1<<10, &budget{left: 1 << 20})
	assert.ErrorIs(t, err, ErrCorrupt)
}

var errNoBudget = errors.New("no budget left")

// budget is a Reserver of left bytes that sums what it was charged.
type budget struct {
	left, reserved int64
}

func (b *budget) Reserve(n int64) error {
	if n > b.left {
		return errNoBudget
	}
	b.left -= n
	b.reserved += n
	return nil
}

// A block is charged its declared size, and nothing when SnappyBlock
// refuses it without allocating.
func TestReserveBlock(t *testing.T) {
	block := snappy.Encode(nil, make([]byte, 1000))
	mem := &budget{left: 1 << 20}
	require.NoError(t, ReserveBlock(block, 1000, mem))
	assert.Equal(t, int64(1000), mem.reserved)
	for name, data := range map[string][]byte{"over the limit": block, "corrupt": []byte("\xff\xff\xff\xff\xff")} {
		mem := &budget{}
		require.NoError(t, ReserveBlock(data, 999, mem), name)
		assert.Zero(t, mem.reserved, name)
	}
	assert.ErrorIs(t, ReserveBlock(block, 1000, &budget{left: 999}), errNoBudget)
}

// A block declares its size: a bomb is refused before anything is
// allocated for it.
func TestSnappyBlockChecksTheDeclaredSize(t *testing.T) {
	bomb := snappy.Encode(nil, bytes.Repeat([]byte{0}, 1<<20))
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := SnappyBlock(bomb, 1<<10); !errors.Is(err, ErrTooLarge) {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
	_, err := SnappyBlock([]byte("not snappy"), 1<<10)
	assert.ErrorIs(t, err, ErrCorrupt)
}
