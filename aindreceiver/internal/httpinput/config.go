package httpinput

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"go.opentelemetry.io/collector/config/confighttp"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/lokipush"
)

const (
	// defaultMaxRequestBodySize is confighttp's default for
	// max_request_body_size (not exported there).
	defaultMaxRequestBodySize = 20 << 20 // 20 MiB

	// defaultHTTPEndpoint follows the collector's convention of listening on
	// localhost unless told otherwise; 3500 is the port Promtail's own Loki
	// push API examples use, so it does not clash with a Loki on 3100.
	defaultHTTPEndpoint = "localhost:3500"
	defaultAindPath     = "/aind/v1/logs"
	defaultLokiPath     = "/loki/api/v1/push"
	// The aliases of defaultLokiPath: Loki's legacy push path, and Alloy
	// loki.source.api's short one.
	lokiLegacyPath = "/api/prom/push"
	alloyPushPath  = "/api/v1/push"
	// defaultMaxRecordsPerRequest bounds the records one request makes: a
	// body of tiny lines would otherwise take many times its size in memory.
	defaultMaxRecordsPerRequest = 100_000
	// defaultMaxBytesInFlight bounds the request bodies held at once: six
	// bodies of the default max_request_body_size (20 MiB), or three
	// compressed ones (each holds twice its size while it is joined), or
	// thousands of the few-KiB batches logging handlers send. It is small
	// next to the memory a gateway is given, and leaves memory_limiter the
	// records made of the bodies.
	defaultMaxBytesInFlight = helper.ByteSize(128 << 20)

	// Resource attributes the default headers_as_resource sets.
	attrCapsuleID     = "co.capsule.id"
	attrComputationID = "co.computation.id"
)

// Config configures the HTTP input, the receiver's http section: an AIND
// JSON Lines endpoint and a Loki-compatible push endpoint on one server.
type Config struct {
	// ServerConfig holds the listener settings: endpoint, tls, auth,
	// max_request_body_size, compression_algorithms, cors, timeouts, ...
	ServerConfig confighttp.ServerConfig `mapstructure:",squash"`
	// AindPath is the path of the AIND endpoint (JSON Lines or JSON); empty
	// disables it.
	AindPath string `mapstructure:"aind_path"`
	// LokiPath is the path of the Loki push API endpoint; empty disables it.
	LokiPath string `mapstructure:"loki_path"`
	// LokiPathAliases are other paths of the Loki push API endpoint:
	// Loki's legacy /api/prom/push (python-logging-loki's version "0") and
	// Alloy loki.source.api's /api/v1/push. Ignored when loki_path is
	// empty.
	LokiPathAliases []string `mapstructure:"loki_path_aliases"`
	// LokiLabels says what the stream labels of a Loki push mean.
	LokiLabels lokipush.LabelConfig `mapstructure:"loki_labels"`
	// HeadersAsResource maps request header names (any case) to the
	// resource attribute that gets the header's value. It is merged into
	// the defaults (defaultHeadersAsResource); a header mapped to "" turns a
	// default off. X-Scope-OrgID cannot be mapped (see tenantHeader).
	HeadersAsResource map[string]string `mapstructure:"headers_as_resource"`
	// IncludeClientAddress puts the client's IP address on the resource as
	// client.address.
	IncludeClientAddress bool `mapstructure:"include_client_address"`
	// MaxRecordsPerRequest is the most records (lines, array elements, Loki
	// entries) one request may carry; a request with more is refused (413).
	MaxRecordsPerRequest int `mapstructure:"max_records_per_request"`
	// MaxBytesInFlight bounds the bytes the bodies of all requests in
	// progress hold together, decompressed; a request that would go over
	// it is refused (503 with Retry-After). It must be at least twice
	// max_request_body_size: a compressed or snappy body is held twice
	// while it is decoded.
	MaxBytesInFlight helper.ByteSize `mapstructure:"max_bytes_in_flight"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// NewDefaultConfig returns the HTTP input's defaults.
func NewDefaultConfig() Config {
	server := confighttp.NewDefaultServerConfig()
	server.NetAddr.Endpoint = defaultHTTPEndpoint
	return Config{
		ServerConfig: server,
		AindPath:     defaultAindPath,
		LokiPath:     defaultLokiPath,

		LokiPathAliases: []string{lokiLegacyPath, alloyPushPath},
		LokiLabels:      lokipush.DefaultLabelConfig(),

		MaxRecordsPerRequest: defaultMaxRecordsPerRequest,
		MaxBytesInFlight:     defaultMaxBytesInFlight,
	}
}

// defaultHeadersAsResource lists the headers that become resource
// attributes unless headers_as_resource turns them off.
func defaultHeadersAsResource() map[string]string {
	return map[string]string{
		"X-Capsule-Id":     attrCapsuleID,
		"X-Computation-Id": attrComputationID,
	}
}

// tenantHeader is Loki's tenant header. The receiver does not honour it:
// the records go to the tenant of the pipeline's exporter, whatever a
// client sends. Copying it onto the records would make them look as if
// they had been stored for that tenant.
var tenantHeader = http.CanonicalHeaderKey("X-Scope-OrgID")

// Validate checks the HTTP input's own settings; the server settings are
// checked by their own Validate methods.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.AindPath == "" && cfg.LokiPath == "" {
		errs = append(errs, errors.New("'http': at least one of 'aind_path' and 'loki_path' must be set"))
	}
	errs = append(errs, cfg.validatePaths()...)
	if cfg.ServerConfig.MaxRequestBodySize < 0 {
		errs = append(errs, fmt.Errorf("'http': 'max_request_body_size' must not be negative, got %d", cfg.ServerConfig.MaxRequestBodySize))
	}
	if maxBody := cfg.maxBodySize(); int64(cfg.MaxBytesInFlight) < 2*maxBody {
		errs = append(errs, fmt.Errorf("'http': 'max_bytes_in_flight' must be at least twice 'max_request_body_size' (%d), got %d", maxBody, int64(cfg.MaxBytesInFlight)))
	}
	if cfg.MaxRecordsPerRequest <= 0 {
		errs = append(errs, fmt.Errorf("'http': 'max_records_per_request' must be positive, got %d", cfg.MaxRecordsPerRequest))
	}
	seen := map[string]string{}
	for header, attr := range cfg.HeadersAsResource {
		canonical := http.CanonicalHeaderKey(strings.TrimSpace(header))
		if canonical == "" || !validHeaderName(canonical) {
			errs = append(errs, fmt.Errorf("'http': 'headers_as_resource' has an invalid header name %q", header))
			continue
		}
		if other, ok := seen[canonical]; ok {
			errs = append(errs, fmt.Errorf("'http': 'headers_as_resource' lists header %q twice (%q and %q)", canonical, other, header))
			continue
		}
		seen[canonical] = header
		if canonical == tenantHeader && attr != "" {
			errs = append(errs, fmt.Errorf("'http': 'headers_as_resource' must not map %q: the records go to the tenant of the exporter, not to the one a client names; a tenant per client needs a pipeline per tenant", header))
			continue
		}
		if attr != "" && strings.TrimSpace(attr) == "" {
			errs = append(errs, fmt.Errorf("'http': 'headers_as_resource' maps %q to a blank attribute name", header))
		}
	}
	return errors.Join(errs...)
}

// validatePaths checks each path and that no two are the same.
func (cfg *Config) validatePaths() []error {
	var errs []error
	seen := map[string]string{}
	check := func(key, path string) {
		if path == "" {
			return
		}
		if err := validatePath(key, path); err != nil {
			errs = append(errs, err)
			return
		}
		if other, ok := seen[path]; ok {
			errs = append(errs, fmt.Errorf("'http': '%s' and '%s' must differ, both are %q", other, key, path))
			return
		}
		seen[path] = key
	}
	check("aind_path", cfg.AindPath)
	check("loki_path", cfg.LokiPath)
	if cfg.LokiPath != "" {
		for _, alias := range cfg.LokiPathAliases {
			if alias == "" {
				errs = append(errs, errors.New("'http': 'loki_path_aliases' lists an empty path"))
				continue
			}
			check("loki_path_aliases", alias)
		}
	}
	return errs
}

// maxBodySize is max_request_body_size, or confighttp's default when unset.
func (cfg *Config) maxBodySize() int64 {
	if cfg.ServerConfig.MaxRequestBodySize <= 0 {
		return defaultMaxRequestBodySize
	}
	return cfg.ServerConfig.MaxRequestBodySize
}

// validatePath accepts an absolute URL path that http.ServeMux matches
// exactly: no wildcards, no trailing slash (a subtree), no white space.
func validatePath(key, path string) error {
	if path == "" {
		return nil
	}
	switch {
	case !strings.HasPrefix(path, "/"):
		return fmt.Errorf("'http': '%s' must start with '/', got %q", key, path)
	case path == "/" || strings.HasSuffix(path, "/"):
		return fmt.Errorf("'http': '%s' must not end with '/', got %q", key, path)
	case strings.ContainsAny(path, "{}?# \t\r\n"):
		return fmt.Errorf("'http': '%s' must be a plain path without '{', '}', '?', '#' or white space, got %q", key, path)
	case strings.Contains(path, "//") || strings.Contains(path, "/./") || strings.Contains(path, "/../") ||
		strings.HasSuffix(path, "/.") || strings.HasSuffix(path, "/.."):
		return fmt.Errorf("'http': '%s' must be a clean path, got %q", key, path)
	}
	return nil
}

// validHeaderName reports whether name is an HTTP token (RFC 9110).
func validHeaderName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return name != ""
}

// headerAttr is one header → resource attribute mapping, resolved.
type headerAttr struct {
	header string // canonical
	attr   string
}

// headerAttrs merges HeadersAsResource into the defaults, by canonical
// header name, and drops the entries turned off, in a stable order.
func (cfg *Config) headerAttrs() []headerAttr {
	merged := map[string]string{}
	for _, m := range []map[string]string{defaultHeadersAsResource(), cfg.HeadersAsResource} {
		for header, attr := range m {
			merged[http.CanonicalHeaderKey(strings.TrimSpace(header))] = strings.TrimSpace(attr)
		}
	}
	out := make([]headerAttr, 0, len(merged))
	for header, attr := range merged {
		if attr != "" {
			out = append(out, headerAttr{header: header, attr: attr})
		}
	}
	slices.SortFunc(out, func(a, b headerAttr) int { return strings.Compare(a.header, b.header) })
	return out
}
