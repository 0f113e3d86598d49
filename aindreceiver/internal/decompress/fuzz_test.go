package decompress

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	"github.com/golang/snappy"
	ksnappy "github.com/klauspost/compress/snappy"
	"github.com/stretchr/testify/require"
)

// fuzzLimit bounds the decoded size in FuzzSnappyBody: small enough that the
// fuzzer reaches past it, and that each input decodes fast.
const fuzzLimit = 1 << 12

// A body decodes to what another implementation of snappy decodes it to,
// klauspost/compress's: its strict block decoder for a block, its stream
// reader for a framed stream. Within the limit the bytes are the same; past
// it the body is refused as too large, and what the reference refuses is
// refused as corrupt. What was decoded was charged.
func FuzzSnappyBody(f *testing.F) {
	line := []byte(`{"timestamp": "2026-02-09T21:19:24.061270Z", "level": "INFO", "message": "x"}`)
	f.Add(snappy.Encode(nil, line))
	f.Add(snappy.Encode(nil, bytes.Repeat(line, 100)))        // copies
	f.Add(snappy.Encode(nil, make([]byte, fuzzLimit+1)))      // past the limit
	f.Add(snappy.Encode(nil, bytes.Repeat(line, 1000))[:500]) // cut short
	f.Add(framed(f, line, line))
	f.Add(framed(f, make([]byte, fuzzLimit), []byte("past the limit")))
	f.Add(append(bytes.Clone(snappyFramingHeader), 0x01, 0x05, 0x00, 0x00))
	f.Add(bytes.Clone(snappyFramingHeader))
	// A copy with offset 0 after one with offset 1: S2, not snappy, reads it
	// as a repeat of the last offset.
	f.Add([]byte{0x09, 0x00, 'a', 0x01, 0x01, 0x01, 0x00})
	f.Add([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}) // a length of 0 in 7 bytes
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		mem := &budget{left: 1 << 20}
		got, err := Snappy(body, fuzzLimit, mem)
		want, wantErr := referenceSnappy(body, fuzzLimit)
		if wantErr != nil {
			require.ErrorIs(t, err, wantErr)
			return
		}
		require.NoError(t, err)
		require.Equal(t, want, got)
		require.GreaterOrEqual(t, mem.reserved, int64(len(got)), "what was decoded was charged")
	})
}

// framed is a snappy framed stream of one chunk per part.
func framed(tb testing.TB, parts ...[]byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := snappy.NewWriter(&b)
	for _, p := range parts {
		_, err := w.Write(p)
		require.NoError(tb, err)
	}
	require.NoError(tb, w.Close())
	return b.Bytes()
}

// referenceSnappy decodes body with klauspost/compress's snappy into at
// most limit bytes.
func referenceSnappy(body []byte, limit int) ([]byte, error) {
	if bytes.HasPrefix(body, snappyFramingHeader) {
		out, err := io.ReadAll(io.LimitReader(ksnappy.NewReader(bytes.NewReader(body)), int64(limit)+1))
		switch {
		case err != nil:
			return nil, ErrCorrupt
		case len(out) > limit:
			return nil, ErrTooLarge
		}
		return out, nil
	}
	// DecodeStrict allocates the size a block declares: it is checked first.
	declared, n := binary.Uvarint(body)
	switch {
	case n <= 0 || declared > 0xffffffff:
		return nil, ErrCorrupt
	case declared > uint64(limit):
		return nil, ErrTooLarge
	}
	if n > binary.MaxVarintLen32 {
		// The format writes the length in at most 5 bytes, and the reference
		// refuses more; golang/snappy, the decoder of Loki's push API too,
		// reads the value of a longer varint: what Loki takes is taken here.
		body = append(binary.AppendUvarint(nil, declared), body[n:]...)
	}
	out, err := ksnappy.DecodeStrict(nil, body)
	if err != nil {
		return nil, ErrCorrupt
	}
	return out, nil
}
