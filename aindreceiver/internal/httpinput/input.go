// Package httpinput is the aind receiver's HTTP input: AIND JSON Lines (or
// JSON) on aind_path and Loki's push API on loki_path, on one
// confighttp server. Each request becomes one plog.Logs handed to the next
// consumer in one call, so a request is accepted or refused whole. See
// design.md.
package httpinput // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpstatus"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/inflight"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/lokipush"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

const (
	// Formats named in the receiver's obsreport spans and metrics.
	formatAindJSONL    = "aind_jsonl"
	formatAindJSON     = "aind_json"
	formatLokiJSON     = "loki_json"
	formatLokiProtobuf = "loki_protobuf"

	headerContentType     = "Content-Type"
	headerContentEncoding = "Content-Encoding"
	headerRetryAfter      = "Retry-After"
)

// Input serves the HTTP input: POST aind_path (AIND JSON Lines or JSON) and
// POST loki_path (Loki's push API). Each request becomes one plog.Logs
// handed to the next consumer in a single call, so a request is accepted or
// refused as a whole.
type Input struct {
	set         input.Settings
	cfg         Config
	next        consumer.Logs
	obsrecv     *receiverhelper.ObsReport
	telemetry   *metadata.TelemetryBuilder
	maxLogSize  int
	maxBodySize int64
	maxRecords  int
	// budget is max_bytes_in_flight, shared by all requests.
	budget     *inflight.Budget
	resource   map[string]string
	headers    []headerAttr
	lokiLabels *lokipush.LabelRoles
	// snappyPassThrough is set when the "snappy" Content-Encoding is
	// enabled: confighttp then hands the body over still compressed, as
	// Loki's protobuf bodies are snappy blocks whether or not the client
	// says so in Content-Encoding.
	snappyPassThrough bool

	// retryAfter returns the Retry-After seconds of a 503.
	retryAfter func() int

	server *http.Server
	addr   net.Addr
	wg     sync.WaitGroup

	// Requests being handled, and the records of those being delivered:
	// what a drain that runs out of time cuts off.
	activeRequests  atomic.Int64
	deliveryRecords atomic.Int64
}

// undeliveredRequests counts the requests a drain cut off.
type undeliveredRequests struct {
	requests, records int64
}

var _ input.Input = (*Input)(nil)

// New returns the HTTP input of cfg.
func New(set input.Settings, cfg Config) (*Input, error) {
	obsrecv, err := set.NewObsReport("http", false)
	if err != nil {
		return nil, err
	}
	algorithms := cfg.ServerConfig.CompressionAlgorithms
	return &Input{
		set:               set,
		cfg:               cfg,
		next:              set.Next,
		obsrecv:           obsrecv,
		telemetry:         set.Telemetry,
		maxLogSize:        set.MaxLogSize,
		maxBodySize:       cfg.maxBodySize(),
		maxRecords:        cfg.MaxRecordsPerRequest,
		budget:            inflight.NewBudget(int64(cfg.MaxBytesInFlight)),
		resource:          maps.Clone(set.Resource),
		headers:           cfg.headerAttrs(),
		lokiLabels:        lokipush.NewLabelRoles(cfg.LokiLabels),
		snappyPassThrough: algorithms == nil || slices.Contains(algorithms, "snappy"),
		retryAfter: func() int {
			return httpstatus.MinRetryAfter + rand.IntN(httpstatus.MaxRetryAfter-httpstatus.MinRetryAfter+1) //nolint:gosec // jitter, not security
		},
	}, nil
}

// handler routes the configured paths; anything else is 404.
func (in *Input) handler() http.Handler {
	mux := http.NewServeMux()
	if in.cfg.AindPath != "" {
		mux.HandleFunc(in.cfg.AindPath, in.handleAind)
	}
	if in.cfg.LokiPath != "" {
		for _, path := range append([]string{in.cfg.LokiPath}, in.cfg.LokiPathAliases...) {
			mux.HandleFunc(path, in.handleLoki)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in.activeRequests.Add(1)
		defer in.activeRequests.Add(-1)
		mux.ServeHTTP(w, r)
	})
}

// Start builds the server with confighttp (TLS, auth, CORS, decompression,
// body limit), listens and serves in the background.
func (in *Input) Start(ctx context.Context, host component.Host) error {
	opts := []confighttp.ToServerOption{confighttp.WithErrorHandler(in.serverError)}
	if in.snappyPassThrough {
		opts = append(opts, confighttp.WithDecoder("snappy", func(io.ReadCloser) (io.ReadCloser, error) {
			return nil, nil // keep the body and the header: see snappyPassThrough
		}))
	}
	server, err := in.cfg.ServerConfig.ToServer(ctx, host.GetExtensions(), in.set.TelemetrySettings, in.handler(), opts...)
	if err != nil {
		return fmt.Errorf("create HTTP server: %w", err)
	}
	linger := newLingerHandler(server.Handler, lingerBytes(in.maxBodySize), lingerTimeout)
	server.Handler = linger
	server.RegisterOnShutdown(linger.stop)
	listener, err := in.cfg.ServerConfig.ToListener(ctx)
	if err != nil {
		return fmt.Errorf("listen on %q: %w", in.cfg.ServerConfig.NetAddr.Endpoint, err)
	}
	in.server = server
	in.addr = listener.Addr()
	in.set.Logger.Info("HTTP input listening", zap.String("address", in.addr.String()),
		zap.String("aind_path", in.cfg.AindPath), zap.String("loki_path", in.cfg.LokiPath))
	in.wg.Add(1)
	go func() {
		defer in.wg.Done()
		if err := server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			componentstatus.ReportStatus(host, componentstatus.NewFatalErrorEvent(err))
		}
	}()
	return nil
}

// Addr is the address the server listens on, once started.
func (in *Input) Addr() net.Addr {
	return in.addr
}

// Shutdown stops accepting requests and waits for those in progress, which
// answer once the pipeline accepted their records, until drainCtx is done.
// Then it closes the remaining connections, and logs and returns the count
// of the requests it cut off: their clients were disconnected, and may
// retry.
func (in *Input) Shutdown(_, drainCtx context.Context) error {
	cut, err := in.drain(drainCtx)
	var errs []error
	if err != nil {
		errs = append(errs, fmt.Errorf("stop HTTP input: %w", err))
	}
	if cut.requests > 0 && in.set.DrainTimeout > 0 {
		in.set.Logger.Error("Drain ran out of time: HTTP requests in progress were not delivered; their clients were disconnected and may retry",
			zap.Int64("requests", cut.requests), zap.Int64("records", cut.records),
			zap.Stringer("drain_timeout", in.set.DrainTimeout))
		errs = append(errs, fmt.Errorf("drain: %d records of %d HTTP requests not delivered within %s", cut.records, cut.requests, in.set.DrainTimeout))
	}
	return errors.Join(errs...)
}

// drain is Shutdown's drain; it returns the requests it cut off.
func (in *Input) drain(ctx context.Context) (undeliveredRequests, error) {
	if in.server == nil {
		return undeliveredRequests{}, nil
	}
	server := in.server
	in.server = nil
	var (
		cut undeliveredRequests
		err error
	)
	if server.Shutdown(ctx) != nil {
		cut = undeliveredRequests{requests: in.activeRequests.Load(), records: in.deliveryRecords.Load()}
		err = server.Close()
	}
	in.wg.Wait()
	return cut, err
}

// serverError answers the errors confighttp detects before the handlers:
// failed authentication (401) and bodies it cannot decompress (400, or an
// unsupported Content-Encoding). Its messages are replaced: they may quote
// request headers.
func (in *Input) serverError(w http.ResponseWriter, r *http.Request, msg string, status int) {
	err := httpstatus.ErrBadEncoding
	switch {
	case status == http.StatusUnauthorized:
		err = httpstatus.ErrUnauthorized
	case strings.HasPrefix(msg, "unsupported "+headerContentEncoding):
		err = httpstatus.ErrUnsupportedEncoding
	}
	in.writeError(w, r, err)
}

// writeError answers an error with the status, message and Retry-After
// httpstatus.FromError gives it: JSON on the AIND path, plain text (like
// Loki) elsewhere.
func (in *Input) writeError(w http.ResponseWriter, r *http.Request, err error) {
	resp := httpstatus.FromError(err)
	if resp.RetryAfter {
		w.Header().Set(headerRetryAfter, strconv.Itoa(in.retryAfter()))
	}
	if r.URL.Path == in.cfg.AindPath {
		writeJSON(w, resp.Code, errorResponse{Error: resp.Message})
		return
	}
	http.Error(w, resp.Message, resp.Code)
}

type errorResponse struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil { // cannot happen with the response types here
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set(headerContentType, "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// checkMethod answers 405 to anything but POST.
func (in *Input) checkMethod(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodPost {
		return true
	}
	w.Header().Set("Allow", http.MethodPost)
	in.writeError(w, r, httpstatus.ErrMethodNotAllowed)
	return false
}

// mediaType returns the media type of the request's Content-Type, lower
// case, without parameters ("" when absent).
func mediaType(r *http.Request) (string, bool) {
	ct := r.Header.Get(headerContentType)
	if ct == "" {
		return "", true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", false
	}
	return mt, true
}

// resourceAttrs lists the attributes a request puts on every resource, in
// the order they are applied: the headers, then client.address.
func (in *Input) resourceAttrs(r *http.Request) [][2]string {
	var attrs [][2]string
	for _, h := range in.headers {
		if v := r.Header.Get(h.header); v != "" {
			attrs = append(attrs, [2]string{h.attr, utf8text.Repair(v)})
		}
	}
	if in.cfg.IncludeClientAddress {
		if addr := client.FromContext(r.Context()).Addr; addr != nil {
			host := addr.String()
			if h, _, err := net.SplitHostPort(host); err == nil {
				host = h
			}
			attrs = append(attrs, [2]string{input.AttrClientAddress, host})
		}
	}
	return attrs
}

// putResource sets a resource's attributes: the static resource, then
// extra (e.g. Loki stream labels), then the request's attributes.
func (in *Input) putResource(m pcommon.Map, extra func(pcommon.Map), request [][2]string) {
	m.EnsureCapacity(len(in.resource) + len(request))
	for k, v := range in.resource {
		m.PutStr(k, v)
	}
	if extra != nil {
		extra(m)
	}
	for _, kv := range request {
		m.PutStr(kv[0], kv[1])
	}
}

// consume hands the request's records to the next consumer in one call.
func (in *Input) consume(ctx context.Context, ld plog.Logs, format string) error {
	count := ld.LogRecordCount()
	in.deliveryRecords.Add(int64(count))
	defer in.deliveryRecords.Add(-int64(count))
	obsCtx := in.obsrecv.StartLogsOp(ctx)
	err := in.next.ConsumeLogs(obsCtx, ld)
	in.obsrecv.EndLogsOp(obsCtx, format, count, err)
	return err
}

// refused answers a request whose records the pipeline refused (none was
// accepted): 400 when the error is permanent, else 503 with Retry-After
// (httpstatus.FromError).
func (in *Input) refused(w http.ResponseWriter, r *http.Request, records int, err error) {
	if consumererror.IsPermanent(err) {
		in.set.Logger.Warn("Pipeline refused an HTTP request permanently",
			zap.Int("records", records), zap.Error(err))
	} else {
		in.set.Logger.Debug("Pipeline refused an HTTP request; the client may retry",
			zap.Int("records", records), zap.Error(err))
	}
	in.writeError(w, r, err)
}

// observedNow is the ObservedTimestamp of the records of a request.
func observedNow() pcommon.Timestamp {
	return pcommon.NewTimestampFromTime(time.Now())
}
