// Package decompress decodes the compressed request bodies the HTTP input
// decodes itself rather than leaving them to confighttp: snappy blocks (a
// Loki protobuf push is one by definition) and snappy framed streams sent
// as "snappy". The decoded size is bounded, checked before allocating where
// the format declares it, so a small body cannot make it allocate more, and
// charged to a Reserver before it is held.
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

// Reserver is charged for decoded bytes before they are held: the HTTP
// input's bound on the bytes of the requests in progress. Its error is
// returned as it is.
type Reserver interface {
	Reserve(n int64) error
}

// Snappy decodes a snappy block, or a snappy framed stream (which some
// clients send as "snappy", as confighttp accepts), into at most limit
// bytes, charged to mem: a block's declared size before decoding it, a
// stream's bytes as they are decoded.
func Snappy(data []byte, limit int64, mem Reserver) ([]byte, error) {
	if bytes.HasPrefix(data, snappyFramingHeader) {
		return snappyFramed(data, limit, mem)
	}
	if err := ReserveBlock(data, limit, mem); err != nil {
		return nil, err
	}
	return SnappyBlock(data, limit)
}

func snappyFramed(data []byte, limit int64, mem Reserver) ([]byte, error) {
	src := &reservingReader{r: snappy.NewReader(bytes.NewReader(data)), mem: mem}
	out, err := io.ReadAll(io.LimitReader(src, limit+1))
	switch {
	case src.err != nil:
		return nil, src.err
	case err != nil:
		return nil, ErrCorrupt
	case int64(len(out)) > limit:
		return nil, ErrTooLarge
	}
	return out, nil
}

// reservingReader charges mem for what it reads, before handing it on.
type reservingReader struct {
	r   io.Reader
	mem Reserver
	err error // mem's
}

func (r *reservingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		if r.err = r.mem.Reserve(int64(n)); r.err != nil {
			return 0, r.err
		}
	}
	return n, err
}

// ReserveBlock charges mem for what SnappyBlock(data, limit) allocates:
// the size data declares, unless SnappyBlock refuses it without
// allocating (corrupt, or over limit).
func ReserveBlock(data []byte, limit int64, mem Reserver) error {
	n, err := snappy.DecodedLen(data)
	if err != nil || int64(n) > limit {
		return nil
	}
	return mem.Reserve(int64(n))
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
