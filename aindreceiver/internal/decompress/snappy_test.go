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
	var framed bytes.Buffer
	w := snappy.NewBufferedWriter(&framed)
	_, _ = w.Write(plain)
	require.NoError(t, w.Close())

	for name, data := range map[string][]byte{"block": snappy.Encode(nil, plain), "framed": framed.Bytes()} {
		out, err := Snappy(data, int64(len(plain)))
		require.NoError(t, err, name)
		assert.Equal(t, plain, out, name)
		_, err = Snappy(data, int64(len(plain)-1))
		assert.ErrorIs(t, err, ErrTooLarge, name)
	}
	_, err := Snappy([]byte("\xff\xff\xff\xff\xff"), 1<<10)
	assert.ErrorIs(t, err, ErrCorrupt)
	_, err = Snappy(append(append([]byte(nil), snappyFramingHeader...), 0x01, 0x05, 0x00, 0x00), 1<<10)
	assert.ErrorIs(t, err, ErrCorrupt)
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
