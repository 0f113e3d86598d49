package decompress

import (
	"errors"
	"testing"

	"github.com/golang/snappy"
	"github.com/stretchr/testify/require"
)

func FuzzSnappyBody(f *testing.F) {
	f.Add(snappy.Encode(nil, []byte(`{"timestamp": "2026-02-09T21:19:24.061270Z", "level": "INFO", "message": "x"}`)))
	f.Add(append(append([]byte(nil), snappyFramingHeader...), 0x01, 0x05, 0x00, 0x00))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		mem := &budget{left: 1 << 20}
		out, err := Snappy(body, 1<<16, mem)
		if err != nil {
			// Only the errors the HTTP input maps to a status.
			require.True(t, errors.Is(err, ErrCorrupt) || errors.Is(err, ErrTooLarge), "%v", err)
			return
		}
		require.LessOrEqual(t, len(out), 1<<16)
		require.GreaterOrEqual(t, mem.reserved, int64(len(out)), "what was decoded was charged")
	})
}
