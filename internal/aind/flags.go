package aind // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"

// Attributes the project adds to a record. Loki shows them as aind_….
const (
	// AttrParseError holds a short reason why a line was not a JSON object.
	// It never holds the line itself: the line may carry a secret.
	AttrParseError = "aind.parse.error"
	// AttrTruncated is true when the line, body or an attribute value was cut
	// to a size limit.
	AttrTruncated = "aind.truncated"
	// AttrValidationErrors lists the ids of the standard's rules a record broke.
	AttrValidationErrors = "aind.validation.errors"
	// AttrRedactedCount counts the values redacted in a record.
	AttrRedactedCount = "aind.redacted.count"
	// AttrRedactedKeys lists the paths of the redacted values (only with the
	// processor's redaction.report_keys: key names can leak what a record
	// held).
	AttrRedactedKeys = "aind.redacted.keys"
	// AttrTimestampOriginal holds, as an RFC 3339 string, a timestamp that
	// Loki would have rejected as too old or too far in the future; the
	// record's Timestamp was replaced.
	AttrTimestampOriginal = "aind.timestamp.original"
	// AttrFoldedCount counts the attributes that were moved into the body,
	// as JSON text after the message, to fit Loki's structured-metadata
	// limits.
	AttrFoldedCount = "aind.folded.count"
	// AttrClient names the client that wrote a record, as the gateway's
	// authenticator (aindauth) knows it from its token. The authenticator
	// puts it in the request's client.Info (client.AuthData attribute of
	// this name); the aind processor copies it onto every resource and
	// removes any a client sent, so no client can forge it.
	AttrClient = "aind.client"
)

// DefaultScopeName is the instrumentation scope of records without a logger name.
const DefaultScopeName = "aind"
