package httpinput

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// A lingering close (RFC 9112, section 9.6): after answering a request
// before its body was read to the end (413, 401, 415, 405, 503, ...), the
// rest of the body is read and thrown away before the connection is
// closed. Many clients, Python's http.client (urllib, requests) among
// them, write the whole body before they read the answer; closing a
// connection that still has unread data makes the kernel send a reset,
// and such a client sees "connection reset" instead of the status that
// tells it what to do (send less, authenticate, retry later).
//
// The lingering is bounded: a client whose body goes on for more than
// lingerBytes, or who is slower than that in lingerTimeout, is cut off as
// before. Reading and discarding costs a connection and bandwidth, no
// memory.
const (
	// lingerMinBytes is the least of the body read after an early
	// answer; max_request_body_size raises it (lingerBytes). 64 MiB covers
	// a body three times the default limit, beyond what the socket buffers
	// absorb, and is read on a LAN in well under a second.
	lingerMinBytes = 64 << 20
	// lingerTimeout bounds the time spent reading the rest: 64 MiB needs
	// about 54 Mbit/s to arrive in it.
	lingerTimeout = 10 * time.Second
)

// lingerBytes is the most of a body read after an early answer: at least
// a whole body of max_request_body_size, since an answer that is not
// about the size (401, 415, 503) may come before any of it is read.
func lingerBytes(maxBodySize int64) int64 {
	return max(lingerMinBytes, maxBodySize)
}

// lingerHandler wraps the server's handler (confighttp's, whose
// interceptors replace r.Body with a size limit and a decompressor) to
// see the body as it came off the connection, and, after an answer given
// before its end, to read the rest.
type lingerHandler struct {
	next     http.Handler
	maxBytes int64
	timeout  time.Duration

	// lingering holds the connections reading the rest of a body, which
	// a shutdown cuts short (stop): their requests were answered.
	mu        sync.Mutex
	lingering map[*http.ResponseController]struct{}
	stopped   bool
}

func newLingerHandler(next http.Handler, maxBytes int64, timeout time.Duration) *lingerHandler {
	return &lingerHandler{next: next, maxBytes: maxBytes, timeout: timeout, lingering: map[*http.ResponseController]struct{}{}}
}

func (h *lingerHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// HTTP/2 refuses a stream without closing the connection.
	if r.ProtoMajor != 1 || r.Body == nil || r.Body == http.NoBody {
		h.next.ServeHTTP(w, r)
		return
	}
	rc := http.NewResponseController(w)
	// Full duplex: the documented way to read the body after the answer
	// is written; without it the server reads 256 KiB of it itself when
	// the answer is written, then gives up.
	_ = rc.EnableFullDuplex()
	body := &wireBody{ReadCloser: r.Body}
	r.Body = body
	lw := &lingerWriter{ResponseWriter: w, body: body}
	h.next.ServeHTTP(lw, r)
	if lw.early && h.worthReading(r, lw) {
		h.linger(rc, body)
	}
}

// linger sends the answer, then reads the rest of the body, within the
// bounds, or until the server shuts down.
func (h *lingerHandler) linger(rc *http.ResponseController, body *wireBody) {
	// The answer goes out first, so a client that reads while it writes
	// has it at once.
	if rc.Flush() != nil {
		return
	}
	_ = rc.SetReadDeadline(time.Now().Add(h.timeout))
	if !h.track(rc) {
		return
	}
	_, _ = io.CopyN(io.Discard, body.ReadCloser, h.maxBytes)
	h.untrack(rc)
	// The end of a chunked answer is written when the handler returns:
	// give it the time the lingering took.
	_ = rc.SetWriteDeadline(time.Now().Add(h.timeout))
}

// track adds a lingering connection, unless the server is shutting down.
func (h *lingerHandler) track(rc *http.ResponseController) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped {
		return false
	}
	h.lingering[rc] = struct{}{}
	return true
}

func (h *lingerHandler) untrack(rc *http.ResponseController) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.lingering, rc)
}

// stop ends the lingering in progress, and any to come, so that a
// shutdown does not wait for bodies it throws away. It runs when the
// server starts shutting down (http.Server.RegisterOnShutdown).
func (h *lingerHandler) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	for rc := range h.lingering {
		_ = rc.SetReadDeadline(time.Now())
	}
}

// worthReading says whether the rest of the body of a request answered
// early can be read in the bounds, and will be sent at all: not after a
// failed read (read_timeout: a slow client is not given more time), and
// not to a client that asked "Expect: 100-continue" and was not told to
// continue before the answer, as it does not send the body.
func (h *lingerHandler) worthReading(r *http.Request, lw *lingerWriter) bool {
	if lw.body.failed || strings.EqualFold(r.Header.Get("Expect"), "100-continue") && !lw.readBeforeAnswer {
		return false
	}
	return r.ContentLength < 0 || r.ContentLength-lw.body.read <= h.maxBytes
}

// wireBody is the request body as the connection delivers it. Its Close
// does nothing: the decompressors close the body they read, and the rest
// may still have to be read; the server closes it after the handler.
type wireBody struct {
	io.ReadCloser
	// started: Read was called, which answers "Expect: 100-continue".
	started bool
	read    int64
	eof     bool
	// failed: a read failed (read_timeout, the client went away); the
	// connection is not read any more.
	failed bool
}

func (b *wireBody) Read(p []byte) (int, error) {
	b.started = true
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
	switch {
	case err == io.EOF:
		b.eof = true
	case err != nil:
		b.failed = true
	}
	return n, err
}

func (*wireBody) Close() error { return nil }

// lingerWriter notes an answer written before the body was read to its
// end, and makes it close the connection: what follows on the connection
// is the rest of the body, not a next request.
type lingerWriter struct {
	http.ResponseWriter
	body             *wireBody
	wroteHeader      bool
	early            bool
	readBeforeAnswer bool
}

func (w *lingerWriter) WriteHeader(code int) {
	if !w.wroteHeader && code >= http.StatusOK {
		w.wroteHeader = true
		if !w.body.eof {
			w.early = true
			w.readBeforeAnswer = w.body.started
			w.Header().Set("Connection", "close")
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *lingerWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *lingerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush is for the handlers that check for http.Flusher (otelhttp's
// wrapper does).
func (w *lingerWriter) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}
