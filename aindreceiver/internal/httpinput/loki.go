package httpinput

import (
	"net/http"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/decompress"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpstatus"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/lokipush"
)

// lokiMediaTypes names the Content-Types the Loki endpoint reads, for the
// answer to another one.
const lokiMediaTypes = "application/json or application/x-protobuf"

// handleLoki serves POST loki_path and its aliases like Loki's own push API:
// JSON (of the API's version 1 or of the legacy one), or protobuf compressed
// with snappy; 204 when accepted. What the stream labels mean is
// loki_labels'.
func (in *Input) handleLoki(w http.ResponseWriter, r *http.Request) {
	if !in.checkMethod(w, r) {
		return
	}
	mt, ok := mediaType(r)
	format, known := lokipush.FormatOf(mt)
	if !ok || !known {
		in.writeError(w, r, httpstatus.UnsupportedMediaType(lokiMediaTypes))
		return
	}
	mem := in.openMemory(r.Context())
	defer mem.close()
	raw, err := in.readBody(r, mem)
	if err != nil {
		in.writeError(w, r, err)
		return
	}
	defer raw.release()
	body := raw.data
	obsFormat := formatLokiProtobuf
	if format == lokipush.JSON {
		// A protobuf body is a snappy block whatever Content-Encoding
		// says (Loki's behaviour); a JSON body may be encoded.
		obsFormat = formatLokiJSON
		body, err = in.decodeContentEncoding(r, body, mem)
	} else {
		err = decompress.ReserveBlock(body, in.maxBodySize, mem)
	}
	if err != nil {
		in.writeError(w, r, err)
		return
	}
	streams, err := lokipush.Decode(body, format, in.maxBodySize)
	if err != nil {
		in.writeError(w, r, err)
		return
	}
	if lokipush.Entries(streams) > in.maxRecords {
		in.writeError(w, r, httpstatus.ErrTooManyRecords)
		return
	}

	request := in.resourceAttrs(r)
	ld, counts := lokipush.Logs(streams, lokipush.Options{
		MaxLogSize: in.maxLogSize,
		Observed:   observedNow(),
		Labels:     in.lokiLabels,
		Resource: func(m pcommon.Map, putLabels func(pcommon.Map)) {
			in.putResource(m, putLabels, request)
		},
	})
	if count := ld.LogRecordCount(); count > 0 {
		if err := in.consume(r.Context(), ld, obsFormat); err != nil {
			in.refused(w, r, count, err)
			return
		}
		input.CountLines(r.Context(), in.telemetry, counts)
	}
	w.WriteHeader(http.StatusNoContent)
}
