// Package httpstatus says how the HTTP input answers an error: the status,
// the message and whether the client should retry. Handlers answer every
// error through FromError, so a status is chosen in one place, as core's
// otlpreceiver does with its internal/errors.
//
// The errors of the receiver's own HTTP code are declared here; those of
// its codecs (lokipush, decompress) are theirs, mapped here. Any other
// error is the next consumer's refusal of the records.
package httpstatus // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpstatus"

import (
	"errors"
	"fmt"
	"net/http"

	"go.opentelemetry.io/collector/consumer/consumererror"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/decompress"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/lokipush"
)

// Error is an error of the HTTP input. Its message is the answer's: a
// fixed string that never quotes the request.
type Error string

func (e Error) Error() string { return string(e) }

// The errors of the HTTP input; rules says when each occurs.
const (
	// ErrUnauthorized replaces the auth extension's error, which may quote
	// request headers.
	ErrUnauthorized Error = "unauthorized"
	// ErrMethodNotAllowed: the endpoints take POST only.
	ErrMethodNotAllowed Error = "method not allowed: use POST"
	// ErrUnsupportedMediaType is returned by UnsupportedMediaType.
	ErrUnsupportedMediaType Error = "unsupported Content-Type"
	// ErrUnsupportedEncoding: a Content-Encoding the input does not decode.
	ErrUnsupportedEncoding Error = "unsupported Content-Encoding"
	// ErrBodyTooLarge: the body is over max_request_body_size.
	ErrBodyTooLarge Error = "request body too large"
	// ErrTooManyRecords: more than max_records_per_request records.
	ErrTooManyRecords Error = "too many records in one request: send fewer lines per request"
	// ErrBodyUnread: reading the body failed.
	ErrBodyUnread Error = "could not read the request body"
	// ErrBadEncoding: confighttp could not decompress the body; its error
	// is replaced, as it may quote the body.
	ErrBadEncoding Error = "could not decompress the request body"
	// ErrInvalidArray: a JSON array of AIND records that does not parse,
	// whose elements cannot be told apart.
	ErrInvalidArray Error = "the body is not a valid JSON array"
	// ErrBytesInFlight: the bodies of the requests in progress hold
	// max_bytes_in_flight; this one may be sent again once they are
	// answered.
	ErrBytesInFlight Error = "too many request bytes in progress: retry later"
)

// UnsupportedMediaType is ErrUnsupportedMediaType telling the client which
// types the endpoint accepts, e.g. "application/json or application/x-protobuf".
func UnsupportedMediaType(accepted string) error {
	return fmt.Errorf("%w: use %s", ErrUnsupportedMediaType, accepted)
}

// Answers to the next consumer's refusal. Its error is not passed on: it
// may quote the records.
const (
	msgRefusedPermanently = "the pipeline refused the records permanently"
	msgBusy               = "the pipeline is busy: retry later"
)

// A Retry-After is drawn from [MinRetryAfter, MaxRetryAfter] seconds, so
// that clients refused together do not all retry together.
const (
	MinRetryAfter = 1
	MaxRetryAfter = 5
)

// Response is how to answer an error.
type Response struct {
	// Code is the HTTP status.
	Code int
	// Message is the answer's error message.
	Message string
	// RetryAfter says the client should send the request again later: the
	// answer carries a Retry-After header (see MinRetryAfter).
	RetryAfter bool
}

// rule maps the errors it matches to an answer.
type rule struct {
	// err is the error the rule is for, matched with errors.Is; match
	// replaces that for the next consumer's refusals, which are not ours.
	err   error
	match func(error) bool
	code  int
	// message replaces the error's own in the answer; for a codec error
	// whose message is not the client's, and for the next consumer's.
	message string
	retry   bool
	// when says, in the README's table, when the error occurs.
	when string
}

// rules is the mapping, first match wins. The README's table is made of
// it and of retryable (TestREADMEStatusTable).
var rules = []rule{
	{err: ErrInvalidArray, code: http.StatusBadRequest, when: "an `application/json` body starts with `[` but is not a valid array"},
	{err: lokipush.ErrJSON, code: http.StatusBadRequest, when: "a Loki JSON body does not parse"},
	{err: lokipush.ErrProtobuf, code: http.StatusBadRequest, when: "a Loki protobuf body does not parse"},
	{err: lokipush.ErrNotSnappy, code: http.StatusBadRequest, when: "a Loki protobuf body is not a snappy block"},
	{err: lokipush.ErrLabels, code: http.StatusBadRequest, when: "a Loki stream's label string (protobuf, or a legacy JSON body's `labels`) does not parse (the message is prefixed with `stream N: `)"},
	{err: ErrBadEncoding, code: http.StatusBadRequest, when: "a `gzip`, `zstd`, `deflate`/`zlib`, `lz4` or `x-snappy-framed` body does not decompress"},
	{err: decompress.ErrCorrupt, code: http.StatusBadRequest, message: ErrBadEncoding.Error(), when: "a `snappy` body does not decompress"},
	{err: ErrBodyUnread, code: http.StatusBadRequest, when: "the body could not be read to its end (the connection failed)"},
	{
		match: consumererror.IsPermanent, code: http.StatusBadRequest, message: msgRefusedPermanently,
		when: "the pipeline refused the records with a permanent error: sending them again cannot succeed",
	},
	{err: ErrUnauthorized, code: http.StatusUnauthorized, when: "the auth extension refused the request"},
	{err: ErrMethodNotAllowed, code: http.StatusMethodNotAllowed, when: "not `POST` (the answer has `Allow: POST`)"},
	{err: ErrBodyTooLarge, code: http.StatusRequestEntityTooLarge, when: "the body is over `max_request_body_size`, as received or decompressed (zip bombs included)"},
	{err: decompress.ErrTooLarge, code: http.StatusRequestEntityTooLarge, message: ErrBodyTooLarge.Error(), when: "a `snappy` body (a Loki protobuf push included) would decompress to more than `max_request_body_size`"},
	{err: ErrTooManyRecords, code: http.StatusRequestEntityTooLarge, when: "more than `max_records_per_request` records"},
	{err: ErrUnsupportedMediaType, code: http.StatusUnsupportedMediaType, when: "a `Content-Type` the endpoint does not read (the message goes on to name those it reads)"},
	{err: ErrUnsupportedEncoding, code: http.StatusUnsupportedMediaType, when: "a `Content-Encoding` not in `compression_algorithms`"},
	{
		err: ErrBytesInFlight, code: http.StatusServiceUnavailable, retry: true,
		when: fmt.Sprintf("the bodies of the requests in progress hold `max_bytes_in_flight` bytes (decompressed): "+
			"send the request again after `Retry-After` seconds (%d to %d, random)", MinRetryAfter, MaxRetryAfter),
	},
}

// retryable answers every error no rule matches: the pipeline refused the
// records, and the client may send them again.
var retryable = rule{
	code: http.StatusServiceUnavailable, message: msgBusy, retry: true,
	when: fmt.Sprintf("the pipeline refused the records with any other error (`memory_limiter`, a full sending queue): "+
		"send the request again after `Retry-After` seconds (%d to %d, random)", MinRetryAfter, MaxRetryAfter),
}

// FromError returns the answer to err. An error of the HTTP input or of
// its codecs is answered with its own message (or the rule's); any other
// error is taken for the next consumer's refusal: 400 when it is permanent,
// else 503 with Retry-After, never with the error's message.
func FromError(err error) Response {
	for i := range rules {
		if rules[i].matches(err) {
			return rules[i].response(err)
		}
	}
	return retryable.response(err)
}

func (r *rule) matches(err error) bool {
	if r.match != nil {
		return r.match(err)
	}
	return errors.Is(err, r.err)
}

func (r *rule) response(err error) Response {
	msg := r.message
	if msg == "" {
		msg = err.Error()
	}
	return Response{Code: r.code, Message: msg, RetryAfter: r.retry}
}
