package httpinput

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/decompress"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpstatus"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/inflight"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
)

const (
	// bodyChunkSize is the piece a body of unknown length (decompressed by
	// confighttp, or chunked) is read in: pieces come from a pool, so a
	// body refused half-read (a zip bomb) leaves no garbage.
	bodyChunkSize = 64 << 10
	// maxPooledBuffer is the largest body buffer kept for reuse.
	maxPooledBuffer = 4 << 20
)

var (
	chunkPool = sync.Pool{New: func() any { b := make([]byte, bodyChunkSize); return &b }}
	bufPool   = sync.Pool{New: func() any { return new([]byte) }}
)

// requestMemory is a request's share of max_bytes_in_flight: what its
// body holds, reserved before it is held. It is a decompress.Reserver.
type requestMemory struct {
	ctx       context.Context
	held      *inflight.Reservation
	telemetry *metadata.TelemetryBuilder
	refused   bool
}

func (in *Input) openMemory(ctx context.Context) *requestMemory {
	return &requestMemory{ctx: ctx, held: in.budget.Open(), telemetry: in.telemetry}
}

// Reserve takes n bytes more, or answers httpstatus.ErrBytesInFlight.
func (m *requestMemory) Reserve(n int64) error {
	if !m.held.Reserve(n) {
		m.refused = true
		return httpstatus.ErrBytesInFlight
	}
	m.telemetry.ReceiverAindHttpBodyInFlight.Add(m.ctx, n)
	return nil
}

func (m *requestMemory) release(n int64) {
	m.telemetry.ReceiverAindHttpBodyInFlight.Add(m.ctx, -m.held.Release(n))
}

// close gives everything back, once the request is answered.
func (m *requestMemory) close() {
	m.telemetry.ReceiverAindHttpBodyInFlight.Add(m.ctx, -m.held.Close())
	if m.refused {
		m.telemetry.ReceiverAindHttpBodyInFlightRefusals.Add(m.ctx, 1)
	}
}

// requestBody is a request's body in memory. The records made of it copy
// what they keep, so its buffer is reused once the request is answered.
type requestBody struct {
	data []byte
	buf  *[]byte // data's buffer, from bufPool
}

func (b *requestBody) release() {
	if cap(*b.buf) <= maxPooledBuffer {
		bufPool.Put(b.buf)
	}
}

// newBody returns a body of n bytes, in a pooled buffer when one is big
// enough.
func newBody(n int) *requestBody {
	buf := bufPool.Get().(*[]byte)
	if cap(*buf) < n {
		*buf = make([]byte, n)
	}
	return &requestBody{data: (*buf)[:n], buf: buf}
}

// readBody reads the whole body, decompressed by confighttp, at most
// maxBodySize bytes, each byte reserved in mem before it is read. A body
// with a Content-Length is read straight into a buffer of that size;
// another is read in pooled pieces, then joined.
func (in *Input) readBody(r *http.Request, mem *requestMemory) (*requestBody, error) {
	if r.ContentLength > in.maxBodySize {
		return nil, httpstatus.ErrBodyTooLarge
	}
	if r.ContentLength < 0 {
		return in.readChunked(r.Body, mem)
	}
	if err := mem.Reserve(r.ContentLength); err != nil {
		return nil, err
	}
	body := newBody(int(r.ContentLength))
	if _, err := io.ReadFull(r.Body, body.data); err != nil {
		body.release()
		return nil, bodyReadError(err)
	}
	return body, nil
}

// readChunked reads a body of unknown length in pooled pieces of
// bodyChunkSize, each reserved before it is read into (what the last one
// leaves empty is given back), then copies them into one buffer, reserved
// too, and gives the pieces back.
func (in *Input) readChunked(src io.Reader, mem *requestMemory) (*requestBody, error) {
	var (
		chunks []*[]byte
		size   int64 // read, and reserved for the pieces
	)
	defer func() {
		for _, c := range chunks {
			chunkPool.Put(c)
		}
		mem.release(size)
	}()
	src = io.LimitReader(src, in.maxBodySize+1)
	for {
		if err := mem.Reserve(bodyChunkSize); err != nil {
			return nil, err
		}
		chunk := chunkPool.Get().(*[]byte)
		chunks = append(chunks, chunk)
		n, err := io.ReadFull(src, *chunk)
		size += int64(n)
		mem.release(int64(bodyChunkSize - n))
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, bodyReadError(err)
		}
	}
	if size > in.maxBodySize {
		return nil, httpstatus.ErrBodyTooLarge
	}
	if err := mem.Reserve(size); err != nil {
		return nil, err
	}
	body := newBody(int(size))
	for i, off := 0, 0; off < len(body.data); i++ {
		off += copy(body.data[off:], *chunks[i])
	}
	return body, nil
}

// bodyReadError is the answer to a body that could not be read: too large
// (http.MaxBytesReader's error), or cut off.
func bodyReadError(err error) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return httpstatus.ErrBodyTooLarge
	}
	return httpstatus.ErrBodyUnread
}

// decodeContentEncoding undoes a "snappy" Content-Encoding that confighttp
// left in place (see snappyPassThrough), reserving the decoded bytes in
// mem. Any other encoding was undone by confighttp, which removed the
// header.
func (in *Input) decodeContentEncoding(r *http.Request, body []byte, mem *requestMemory) ([]byte, error) {
	switch r.Header.Get(headerContentEncoding) {
	case "", "identity":
		return body, nil
	case "snappy":
		if !in.snappyPassThrough {
			return nil, httpstatus.ErrUnsupportedEncoding
		}
		return decompress.Snappy(body, in.maxBodySize, mem)
	default:
		return nil, httpstatus.ErrUnsupportedEncoding
	}
}
