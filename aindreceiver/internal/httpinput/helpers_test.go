package httpinput

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// httpTestConfig is the HTTP input's defaults, on a free loopback port.
func httpTestConfig() Config {
	cfg := NewDefaultConfig()
	cfg.ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	return cfg
}

// startHTTP creates and starts an HTTP input; it is shut down at the end
// of the test. It returns the input and the server's base URL (scheme
// "http").
func startHTTP(t testing.TB, cfg Config, set input.Settings, host component.Host) (*Input, string) {
	t.Helper()
	in, err := New(set, cfg)
	require.NoError(t, err)
	if host == nil {
		host = componenttest.NewNopHost()
	}
	require.NoError(t, in.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, inputtest.Shutdown(context.Background(), in, set.DrainTimeout)) })
	return in, "http://" + in.addr.String()
}

// newClient returns a client of its own whose connections are closed at
// the end of the test (goleak).
func newClient(t testing.TB, tr *http.Transport) *http.Client {
	t.Helper()
	if tr == nil {
		tr = &http.Transport{}
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: inputtest.WaitFor}
}

// response is what a test needs of an answer.
type response struct {
	status int
	header http.Header
	body   string
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &m), "body %q", r.body)
	return m
}

// do sends a request with the given headers and returns the answer.
func do(t testing.TB, c *http.Client, method, url string, body []byte, headers ...string) response {
	t.Helper()
	resp, err := sendRequest(c, method, url, body, headers...)
	require.NoError(t, err)
	return resp
}

func post(t testing.TB, c *http.Client, url, contentType string, body []byte, headers ...string) response {
	t.Helper()
	return do(t, c, http.MethodPost, url, body, append([]string{"Content-Type", contentType}, headers...)...)
}

// answer is the response to a request sent from another goroutine than
// the test's, or the error that kept it from one.
type answer struct {
	response
	err error
}

// tryPost posts as post does but fails no test, so that it may run on
// another goroutine than the test's (require stops the goroutine it runs
// on, which must be the test's): the test checks the answer's err.
func tryPost(c *http.Client, url, contentType string, body []byte, headers ...string) answer {
	resp, err := sendRequest(c, http.MethodPost, url, body, append([]string{"Content-Type", contentType}, headers...)...)
	return answer{response: resp, err: err}
}

// sendRequest sends a request with the given headers and returns the
// answer, or why there was none.
func sendRequest(c *http.Client, method, url string, body []byte, headers ...string) (response, error) {
	if len(headers)%2 != 0 {
		return response{}, errors.New("headers come in pairs")
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	for i := 0; i < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}, nil
}

// lokiProtobuf marshals a push request and compresses it with snappy, as
// Promtail and Alloy send it.
func lokiProtobuf(t testing.TB, req *push.PushRequest) []byte {
	t.Helper()
	raw, err := req.Marshal()
	require.NoError(t, err)
	return snappy.Encode(nil, raw)
}

// writeTestCert writes a self-signed certificate for 127.0.0.1 and its key
// to dir and returns their paths and a pool that trusts the certificate.
func writeTestCert(t testing.TB, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "aindreceiver test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	certFile = filepath.Join(dir, "cert.pem")
	keyFile = filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
