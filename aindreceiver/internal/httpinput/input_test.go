package httpinput

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configauth"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindauth"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpstatus"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
	"github.com/AllenNeuralDynamics/otelcol-aind/internal/telemetrytest"
)

const (
	ctNDJSON   = "application/x-ndjson"
	ctJSONL    = "application/jsonl"
	ctJSON     = "application/json"
	ctProtobuf = "application/x-protobuf"
)

func TestHTTPCompression(t *testing.T) {
	sink := new(consumertest.LogsSink)
	_, base := startHTTP(t, httpTestConfig(), inputtest.Settings(t, sink, nil), nil)
	c := newClient(t, nil)
	plain := []byte(inputtest.AindLine("compressed") + "\n")

	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	_, _ = gw.Write(plain)
	require.NoError(t, gw.Close())

	zw, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	zs := zw.EncodeAll(plain, nil)
	require.NoError(t, zw.Close())

	var zl bytes.Buffer
	fw := zlib.NewWriter(&zl)
	_, _ = fw.Write(plain)
	require.NoError(t, fw.Close())

	var framed bytes.Buffer
	sw := snappy.NewBufferedWriter(&framed)
	_, _ = sw.Write(plain)
	require.NoError(t, sw.Close())

	for _, tc := range []struct {
		encoding string
		body     []byte
	}{
		{"gzip", gz.Bytes()},
		{"zstd", zs},
		{"deflate", zl.Bytes()},
		{"zlib", zl.Bytes()},
		{"snappy", snappy.Encode(nil, plain)},
		{"snappy", framed.Bytes()},
		{"x-snappy-framed", framed.Bytes()},
		{"identity", plain},
	} {
		before := sink.LogRecordCount()
		resp := post(t, c, base+defaultAindPath, ctNDJSON, tc.body, "Content-Encoding", tc.encoding)
		require.Equal(t, http.StatusOK, resp.status, "%s: %s", tc.encoding, resp.body)
		require.Equal(t, before+1, sink.LogRecordCount(), tc.encoding)
		assert.Equal(t, "compressed", inputtest.Messages(sink)[before], tc.encoding)
	}

	// A Loki JSON body compressed with gzip.
	var lgz bytes.Buffer
	gw = gzip.NewWriter(&lgz)
	_, _ = gw.Write([]byte(`{"streams": [{"stream": {"job": "x"}, "values": [["1700000000000000000", "gz line"]]}]}`))
	require.NoError(t, gw.Close())
	resp := post(t, c, base+defaultLokiPath, ctJSON, lgz.Bytes(), "Content-Encoding", "gzip")
	require.Equal(t, http.StatusNoContent, resp.status, resp.body)

	resp = post(t, c, base+defaultAindPath, ctNDJSON, plain, "Content-Encoding", "br")
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.status)
	assert.Equal(t, map[string]any{"error": "unsupported Content-Encoding"}, resp.json(t))
	resp = post(t, c, base+defaultAindPath, ctNDJSON, plain, "Content-Encoding", "gzip")
	assert.Equal(t, http.StatusBadRequest, resp.status)
	assert.Equal(t, map[string]any{"error": "could not decompress the request body"}, resp.json(t))
	resp = post(t, c, base+defaultAindPath, ctNDJSON, []byte("\xff\xff\xff\xff\xff"), "Content-Encoding", "snappy")
	assert.Equal(t, http.StatusBadRequest, resp.status)
}

func TestHTTPCompressionAlgorithmsRestricted(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.ServerConfig.CompressionAlgorithms = []string{"", "gzip"}
	_, base := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), nil)
	c := newClient(t, nil)
	plain := []byte(inputtest.AindLine("x"))
	resp := post(t, c, base+defaultAindPath, ctNDJSON, snappy.Encode(nil, plain), "Content-Encoding", "snappy")
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.status)
	// Loki's protobuf bodies are snappy blocks by definition, not by
	// Content-Encoding: they are still accepted.
	resp = post(t, c, base+defaultLokiPath, ctProtobuf, lokiProtobuf(t, &push.PushRequest{Streams: []push.Stream{{
		Labels: `{job="x"}`, Entries: []push.Entry{{Timestamp: time.Unix(1, 0), Line: "l"}},
	}}}))
	assert.Equal(t, http.StatusNoContent, resp.status, resp.body)
	assert.Equal(t, 1, sink.LogRecordCount())
}

func TestHTTPBodyLimits(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.ServerConfig.MaxRequestBodySize = 4096
	_, base := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), nil)
	c := newClient(t, nil)

	big := bytes.Repeat([]byte(inputtest.AindLine("x")+"\n"), 200) // > 4 KiB
	var bomb bytes.Buffer                                          // small compressed, large decompressed
	gw := gzip.NewWriter(&bomb)
	_, _ = gw.Write(bytes.Repeat([]byte(" "), 1<<20))
	require.NoError(t, gw.Close())
	require.Less(t, bomb.Len(), 4096)
	zw, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	zbomb := zw.EncodeAll(bytes.Repeat([]byte(" "), 1<<20), nil)
	require.NoError(t, zw.Close())
	require.Less(t, len(zbomb), 4096)
	snappyBomb := snappy.Encode(nil, bytes.Repeat([]byte(" "), 1<<20))
	require.Less(t, len(snappyBomb), 4096*16)

	for name, tc := range map[string]struct {
		path, contentType string
		body              []byte
		headers           []string
	}{
		"plain":                {defaultAindPath, ctNDJSON, big, nil},
		"plain chunked":        {defaultAindPath, ctNDJSON, big, []string{"Transfer-Encoding", "chunked"}},
		"gzip bomb":            {defaultAindPath, ctNDJSON, bomb.Bytes(), []string{"Content-Encoding", "gzip"}},
		"zstd bomb":            {defaultAindPath, ctNDJSON, zbomb, []string{"Content-Encoding", "zstd"}},
		"loki json gzip bomb":  {defaultLokiPath, ctJSON, bomb.Bytes(), []string{"Content-Encoding", "gzip"}},
		"loki protobuf snappy": {defaultLokiPath, ctProtobuf, snappy.Encode(nil, bytes.Repeat([]byte{0}, 8192)), nil},
	} {
		resp := post(t, c, base+tc.path, tc.contentType, tc.body, tc.headers...)
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.status, "%s: %s", name, resp.body)
		if tc.path == defaultAindPath {
			assert.Equal(t, map[string]any{"error": "request body too large"}, resp.json(t), name)
		}
	}
	assert.Zero(t, sink.LogRecordCount())
}

func TestHTTPMethodsPathsAndContentTypes(t *testing.T) {
	sink := new(consumertest.LogsSink)
	_, base := startHTTP(t, httpTestConfig(), inputtest.Settings(t, sink, nil), nil)
	c := newClient(t, nil)

	for _, path := range []string{defaultAindPath, defaultLokiPath} {
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
			resp := do(t, c, method, base+path, nil)
			assert.Equal(t, http.StatusMethodNotAllowed, resp.status, "%s %s", method, path)
			assert.Equal(t, "POST", resp.header.Get("Allow"))
		}
	}
	resp := do(t, c, http.MethodGet, base+defaultAindPath, nil)
	assert.Equal(t, map[string]any{"error": "method not allowed: use POST"}, resp.json(t))
	resp = do(t, c, http.MethodGet, base+defaultLokiPath, nil)
	assert.Equal(t, "text/plain; charset=utf-8", resp.header.Get("Content-Type"))

	for _, ct := range []string{"", "text/plain", "application/x-protobuf", "application/json; charset", "multipart/form-data; boundary=x"} {
		resp := post(t, c, base+defaultAindPath, ct, []byte(inputtest.AindLine("x")))
		assert.Equal(t, http.StatusUnsupportedMediaType, resp.status, "content type %q", ct)
	}
	for _, ct := range []string{"text/plain", "application/x-ndjson"} {
		resp := post(t, c, base+defaultLokiPath, ct, []byte(`{"streams": []}`))
		assert.Equal(t, http.StatusUnsupportedMediaType, resp.status, "content type %q", ct)
	}
	resp = post(t, c, base+"/other", ctNDJSON, []byte(inputtest.AindLine("x")))
	assert.Equal(t, http.StatusNotFound, resp.status)
	resp = post(t, c, base+defaultAindPath+"/", ctNDJSON, []byte(inputtest.AindLine("x")))
	assert.Equal(t, http.StatusNotFound, resp.status)
	assert.Zero(t, sink.LogRecordCount())
}

func TestHTTPPathsConfigurable(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.AindPath = "/ingest"
	cfg.LokiPath = ""
	_, base := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), nil)
	c := newClient(t, nil)
	assert.Equal(t, http.StatusOK, post(t, c, base+"/ingest", ctNDJSON, []byte(inputtest.AindLine("x"))).status)
	assert.Equal(t, http.StatusNotFound, post(t, c, base+defaultAindPath, ctNDJSON, []byte(inputtest.AindLine("x"))).status)
	assert.Equal(t, http.StatusNotFound, post(t, c, base+defaultLokiPath, ctJSON, []byte(`{}`)).status)
}

// failingConsumer refuses every call with err and counts the records it
// was offered.
type failingConsumer struct {
	consumertest.LogsSink
	err error
}

func (c *failingConsumer) ConsumeLogs(context.Context, plog.Logs) error { return c.err }

func TestHTTPRefusals(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		retryAfter bool
	}{
		{"retryable", errors.New("data refused due to high memory usage"), http.StatusServiceUnavailable, true},
		{"queue full", consumererror.NewRetryableError(errors.New("sending queue is full")), http.StatusServiceUnavailable, true},
		{"permanent", consumererror.NewPermanent(errors.New("bad data")), http.StatusBadRequest, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tel := componenttest.NewTelemetry()
			t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
			_, base := startHTTP(t, httpTestConfig(), inputtest.Settings(t, &failingConsumer{err: tc.err}, tel), nil)
			c := newClient(t, nil)

			resp := post(t, c, base+defaultAindPath, ctNDJSON, []byte(inputtest.AindLine("a")+"\n"+inputtest.AindLine("b")))
			assert.Equal(t, tc.status, resp.status)
			assertRetryAfter(t, resp, tc.retryAfter)
			assert.Contains(t, resp.json(t), "error")
			assert.NotContains(t, resp.body, tc.err.Error(), "the pipeline's error is not passed on")

			resp = post(t, c, base+defaultLokiPath, ctProtobuf, lokiProtobuf(t, &push.PushRequest{Streams: []push.Stream{{
				Labels: `{job="x"}`, Entries: []push.Entry{{Timestamp: time.Unix(1, 0), Line: "l"}},
			}}}))
			assert.Equal(t, tc.status, resp.status)
			assertRetryAfter(t, resp, tc.retryAfter)
			assert.True(t, strings.HasPrefix(resp.header.Get("Content-Type"), "text/plain"))

			assert.Equal(t, int64(3), telemetrytest.Sum(t, tel, "otelcol_receiver_refused_log_records"))
			assert.Zero(t, telemetrytest.Sum(t, tel, "otelcol_receiver_accepted_log_records"))
		})
	}
}

func assertRetryAfter(t *testing.T, resp response, want bool) {
	t.Helper()
	ra := resp.header.Get("Retry-After")
	if !want {
		assert.Empty(t, ra)
		return
	}
	n, err := strconv.Atoi(ra)
	require.NoError(t, err, "Retry-After %q", ra)
	assert.GreaterOrEqual(t, n, httpstatus.MinRetryAfter)
	assert.LessOrEqual(t, n, httpstatus.MaxRetryAfter)
}

// A refused request delivers nothing, the same request sent again is
// delivered whole: no half requests, no duplicates.
func TestHTTPWholeRequestAcceptedOrRefused(t *testing.T) {
	next := inputtest.NewRefusingConsumer(func(call int) error {
		if call <= 2 {
			return inputtest.ErrBusy
		}
		return nil
	})
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	_, base := startHTTP(t, httpTestConfig(), inputtest.Settings(t, next, tel), nil)
	c := newClient(t, nil)
	msgs := inputtest.Numbered("whole", 0, 50)
	body := []byte(strings.Join(inputtest.AindLines(msgs), "\n"))
	for i := 0; i < 2; i++ {
		resp := post(t, c, base+defaultAindPath, ctNDJSON, body)
		require.Equal(t, http.StatusServiceUnavailable, resp.status)
		assert.Zero(t, next.LogRecordCount())
	}
	resp := post(t, c, base+defaultAindPath, ctNDJSON, body)
	require.Equal(t, http.StatusOK, resp.status)
	inputtest.RequireExactlyOnce(t, inputtest.Messages(&next.LogsSink), msgs)
	assert.Equal(t, int64(50), telemetrytest.Sum(t, tel, "otelcol_receiver_accepted_log_records"))
	assert.Equal(t, int64(100), telemetrytest.Sum(t, tel, "otelcol_receiver_refused_log_records"))
}

func TestHTTPAuth(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	host := withAuth(t, &cfg, map[string]any{"clients": []any{
		map[string]any{"name": "team-a", "token": "s3cret-token-0123456789"},
	}})
	_, base := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), host)
	c := newClient(t, nil)
	body := []byte(inputtest.AindLine("authenticated"))

	for name, headers := range map[string][]string{
		"no token":    nil,
		"wrong token": {"Authorization", "Bearer wrong"},
		"no scheme":   {"Authorization", "s3cret-token-0123456789"},
	} {
		resp := post(t, c, base+defaultAindPath, ctNDJSON, body, headers...)
		assert.Equal(t, http.StatusUnauthorized, resp.status, name)
		assert.Equal(t, map[string]any{"error": "unauthorized"}, resp.json(t), name)
		resp = post(t, c, base+defaultLokiPath, ctJSON, []byte(`{"streams": []}`), headers...)
		assert.Equal(t, http.StatusUnauthorized, resp.status, name)
	}
	assert.Zero(t, sink.LogRecordCount())

	resp := post(t, c, base+defaultAindPath, ctNDJSON, body, "Authorization", "Bearer s3cret-token-0123456789")
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	assert.Equal(t, []string{"authenticated"}, inputtest.Messages(sink))
}

func TestHTTPTLS(t *testing.T) {
	certFile, keyFile, pool := writeTestCert(t, t.TempDir())
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	tlsCfg := configtls.NewDefaultServerConfig()
	tlsCfg.CertFile = certFile
	tlsCfg.KeyFile = keyFile
	cfg.ServerConfig.TLS = configoptional.Some(tlsCfg)
	in, _ := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), nil)
	url := "https://" + in.addr.String()

	c := newClient(t, &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}})
	resp := post(t, c, url+defaultAindPath, ctNDJSON, []byte(inputtest.AindLine("over TLS")))
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	assert.Equal(t, []string{"over TLS"}, inputtest.Messages(sink))

	// Plain HTTP to the TLS port is refused; so is a client that does not
	// trust the certificate.
	resp = post(t, newClient(t, nil), "http://"+in.addr.String()+defaultAindPath, ctNDJSON, []byte(inputtest.AindLine("plain")))
	assert.Equal(t, http.StatusBadRequest, resp.status)
	untrusting := newClient(t, &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url+defaultAindPath, strings.NewReader(inputtest.AindLine("x")))
	require.NoError(t, err)
	_, err = untrusting.Do(req) //nolint:bodyclose // there is no response
	require.Error(t, err)
	assert.Equal(t, []string{"over TLS"}, inputtest.Messages(sink))
}

func TestHTTPIdentityHeaders(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.HeadersAsResource = map[string]string{"x-team": "team", "X-Computation-Id": ""}
	set := inputtest.Settings(t, sink, nil)
	set.Resource = map[string]string{"co.capsule.id": "static", "team": "static-team"}
	_, base := startHTTP(t, cfg, set, nil)
	resp := post(t, newClient(t, nil), base+defaultAindPath, ctNDJSON, []byte(inputtest.AindLine("x")),
		"X-Capsule-Id", "cap-1", "X-Computation-Id", "comp-1", "X-Team", "neuro-\xff", "X-Scope-OrgID", "tenant")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, []map[string]any{{
		"co.capsule.id": "cap-1",
		"team":          "neuro-\ufffd",
	}}, inputtest.ResourcesOf(sink.AllLogs()), "headers win over static attributes; co.computation.id turned off; no X-Scope-OrgID; no client.address by default")
}

func TestHTTPLifecycle(t *testing.T) {
	cfg := httpTestConfig()
	set := inputtest.Settings(t, consumertest.NewNop(), nil)
	shutdown := func(in *Input) error { return inputtest.Shutdown(context.Background(), in, set.DrainTimeout) }

	// Shutdown without Start.
	in, err := New(set, cfg)
	require.NoError(t, err)
	require.NoError(t, shutdown(in))

	// Start, Shutdown, twice; Shutdown again is a no-op.
	for i := 0; i < 2; i++ {
		in, err = New(set, cfg)
		require.NoError(t, err)
		require.NoError(t, in.Start(context.Background(), componenttest.NewNopHost()))
		require.NoError(t, shutdown(in))
		require.NoError(t, shutdown(in))
	}

	// A port in use fails Start.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	busy := httpTestConfig()
	busy.ServerConfig.NetAddr.Endpoint = ln.Addr().String()
	in, err = New(set, busy)
	require.NoError(t, err)
	require.Error(t, in.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, shutdown(in))

	// Auth configured with an extension the host does not have fails Start.
	noExt := httpTestConfig()
	noExt.ServerConfig.Auth = configoptional.Some(confighttp.AuthConfig{
		Config: configauth.Config{AuthenticatorID: component.MustNewID("aindauth")},
	})
	in, err = New(set, noExt)
	require.NoError(t, err)
	require.Error(t, in.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, shutdown(in))
}

// Loki clients that only do basic auth (python-logging-loki 0.3.1) get in
// through aindauth's default config: the password is the token, whatever
// the user name; bearer tokens work alongside.
func TestHTTPAuthBasicForLokiClients(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	host := withAuth(t, &cfg, map[string]any{"clients": []any{
		map[string]any{"name": "team-a", "token": "s3cret-0123456789"},
	}})
	_, base := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), host)
	c := newClient(t, nil)
	send := func(user, pass string) int {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, base+defaultLokiPath,
			strings.NewReader(`{"streams": [{"stream": {"job": "py"}, "values": [["1", "line"]]}]}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", ctJSON)
		req.SetBasicAuth(user, pass)
		resp, err := c.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusUnauthorized, send("team-a", "wrong"))
	assert.Equal(t, http.StatusNoContent, send("aind-airflow", "s3cret-0123456789"))
	assert.Equal(t, http.StatusOK, post(t, c, base+defaultAindPath, ctNDJSON, []byte(inputtest.AindLine("x")), "Authorization", "Bearer s3cret-0123456789").status)
	assert.Equal(t, 2, sink.LogRecordCount())
}

func TestHTTPMaxRecordsPerRequest(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cfg.MaxRecordsPerRequest = 3
	_, base := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), nil)
	c := newClient(t, nil)

	three := strings.Join(inputtest.AindLines([]string{"a", "b", "c"}), "\n\n\n") // empty lines do not count
	resp := post(t, c, base+defaultAindPath, ctNDJSON, []byte(three))
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	require.Equal(t, 3, sink.LogRecordCount())

	for name, tc := range map[string]struct{ path, ct, body string }{
		"ndjson":     {defaultAindPath, ctNDJSON, three + "\nx"},
		"json array": {defaultAindPath, ctJSON, "[1, 2, 3, 4]"},
		"loki json":  {defaultLokiPath, ctJSON, `{"streams": [{"stream": {}, "values": [["1", "a"], ["2", "b"]]}, {"stream": {}, "values": [["1", "a"], ["2", "b"]]}]}`},
	} {
		resp := post(t, c, base+tc.path, tc.ct, []byte(tc.body))
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.status, name)
		assert.Contains(t, resp.body, "too many records in one request", name)
	}
	assert.Equal(t, 3, sink.LogRecordCount(), "refused requests deliver nothing")
}

func TestHTTPCORS(t *testing.T) {
	sink := new(consumertest.LogsSink)
	cfg := httpTestConfig()
	cors := confighttp.NewDefaultCORSConfig()
	cors.AllowedOrigins = []string{"https://grafana.example.org"}
	cors.AllowedHeaders = []string{"Authorization", "Content-Type", "X-Capsule-Id"}
	cfg.ServerConfig.CORS = configoptional.Some(cors)
	_, base := startHTTP(t, cfg, inputtest.Settings(t, sink, nil), nil)
	c := newClient(t, nil)

	resp := do(t, c, http.MethodOptions, base+defaultAindPath, nil,
		"Origin", "https://grafana.example.org", "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "authorization,content-type") // as browsers send it
	assert.Equal(t, http.StatusNoContent, resp.status)
	assert.Equal(t, "https://grafana.example.org", resp.header.Get("Access-Control-Allow-Origin"))

	resp = post(t, c, base+defaultAindPath, ctNDJSON, []byte(inputtest.AindLine("cors")), "Origin", "https://grafana.example.org")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, "https://grafana.example.org", resp.header.Get("Access-Control-Allow-Origin"))
	resp = post(t, c, base+defaultAindPath, ctNDJSON, []byte(inputtest.AindLine("other")), "Origin", "https://evil.example.org")
	assert.Empty(t, resp.header.Get("Access-Control-Allow-Origin"))
}

// withAuth starts an aindauth extension configured by conf (its
// configuration as YAML would give it), makes cfg's HTTP server
// authenticate with it, and returns a host holding it.
func withAuth(t *testing.T, cfg *Config, conf map[string]any) component.Host {
	t.Helper()
	factory := aindauth.NewFactory()
	extCfg := factory.CreateDefaultConfig()
	require.NoError(t, confmap.NewFromStringMap(conf).Unmarshal(extCfg))
	require.NoError(t, confmap.Validate(extCfg))
	ext, err := factory.Create(context.Background(), extensiontest.NewNopSettings(factory.Type()), extCfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, ext.Shutdown(context.Background())) })
	id := component.NewID(factory.Type())
	cfg.ServerConfig.Auth = configoptional.Some(confighttp.AuthConfig{Config: configauth.Config{AuthenticatorID: id}})
	return inputtest.NewHost(map[component.ID]component.Component{id: ext})
}
