// Package decompress decodes the compressed request bodies the HTTP input
// decodes itself rather than leaving them to confighttp: snappy blocks (a
// Loki protobuf push is one by definition) and snappy framed streams sent
// as "snappy". The decoded size is bounded, checked before allocating where
// the format declares it, so a small body cannot make it allocate more.
package decompress // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/decompress"

import (
	"bytes"
	"errors"
	"io"

	"github.com/golang/snappy"
)

var (
	// ErrTooLarge is returned when the decoded data would be larger than
	// the limit.
	ErrTooLarge = errors.New("decompressed data larger than the limit")
	// ErrCorrupt is returned when the data is not of the format.
	ErrCorrupt = errors.New("corrupt compressed data")
)

// snappyFramingHeader starts every snappy framed stream.
var snappyFramingHeader = []byte("\xff\x06\x00\x00sNaPpY")

// Snappy decodes a snappy block, or a snappy framed stream (which some
// clients send as "snappy", as confighttp accepts), into at most limit
// bytes.
func Snappy(data []byte, limit int64) ([]byte, error) {
	if bytes.HasPrefix(data, snappyFramingHeader) {
		out, err := io.ReadAll(io.LimitReader(snappy.NewReader(bytes.NewReader(data)), limit+1))
		if err != nil {
			return nil, ErrCorrupt
		}
		if int64(len(out)) > limit {
			return nil, ErrTooLarge
		}
		return out, nil
	}
	return SnappyBlock(data, limit)
}

// SnappyBlock decodes a snappy block after checking the size it declares
// is at most limit bytes.
func SnappyBlock(data []byte, limit int64) ([]byte, error) {
	n, err := snappy.DecodedLen(data)
	if err != nil {
		return nil, ErrCorrupt
	}
	if int64(n) > limit {
		return nil, ErrTooLarge
	}
	out, err := snappy.Decode(nil, data)
	if err != nil {
		return nil, ErrCorrupt
	}
	return out, nil
}
