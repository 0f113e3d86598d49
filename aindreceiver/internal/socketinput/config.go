package socketinput

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"go.opentelemetry.io/collector/config/confignet"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input"
)

const (
	// defaultSocketEndpoint is the SIPE Log Server's port, on localhost
	// unless told otherwise, as the collector's endpoints are.
	defaultSocketEndpoint = "localhost:9000"
	// defaultMaxFrameSize is max_log_size's default: a frame is one record.
	defaultMaxFrameSize = input.DefaultMaxLogSize
	// maxMaxFrameSize caps max_frame_size as max_log_size is capped.
	maxMaxFrameSize          = input.MaxMaxLogSize
	defaultMaxConnections    = 256
	defaultSocketReadTimeout = 30 * time.Second
)

// Config configures the socket input, the receiver's socket section:
// Python logging's SocketHandler (the SIPE Log Server's protocol) over TCP.
type Config struct {
	// TCPAddrConfig holds endpoint, the address to listen on.
	confignet.TCPAddrConfig `mapstructure:",squash"`
	// MaxFrameSize is the longest frame (one pickled record) accepted. A
	// longer length prefix closes the connection: the rest of the stream
	// cannot be trusted to be frames, and the claimed size is never
	// allocated.
	MaxFrameSize helper.ByteSize `mapstructure:"max_frame_size"`
	// MaxConnections bounds the connections open at once; one more is
	// closed as soon as it is accepted.
	MaxConnections int `mapstructure:"max_connections"`
	// IdleTimeout closes a connection that sent no frame for this long; 0
	// (the default) never does. SocketHandler keeps one connection for the
	// life of its program and loses the first record it sends after the
	// collector closed it, so a program that logs rarely would lose one
	// record per timeout. TCP keep-alive ends the connections of clients
	// that are gone.
	IdleTimeout time.Duration `mapstructure:"idle_timeout"`
	// ReadTimeout bounds the time from a frame's first byte to its last, so
	// that a client that stops mid-frame does not hold a connection.
	ReadTimeout time.Duration `mapstructure:"read_timeout"`
	// UDPEndpoint, when set, is a UDP address to read Python logging's
	// DatagramHandler from: the same frames, one per datagram, with no
	// backpressure and no delivery guarantee.
	UDPEndpoint string `mapstructure:"udp_endpoint"`
	// IncludeClientAddress puts the client's IP address on the resource as
	// client.address: a LogRecord does not say which machine sent it.
	IncludeClientAddress bool `mapstructure:"include_client_address"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// NewDefaultConfig returns the socket input's defaults.
func NewDefaultConfig() Config {
	return Config{
		TCPAddrConfig:  confignet.TCPAddrConfig{Endpoint: defaultSocketEndpoint},
		MaxFrameSize:   defaultMaxFrameSize,
		MaxConnections: defaultMaxConnections,
		ReadTimeout:    defaultSocketReadTimeout,
	}
}

// Validate checks the socket input's settings.
func (cfg *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(cfg.Endpoint); err != nil {
		errs = append(errs, fmt.Errorf("'socket': 'endpoint' must be host:port, got %q", cfg.Endpoint))
	}
	if cfg.UDPEndpoint != "" {
		if _, _, err := net.SplitHostPort(cfg.UDPEndpoint); err != nil {
			errs = append(errs, fmt.Errorf("'socket': 'udp_endpoint' must be host:port, got %q", cfg.UDPEndpoint))
		}
	}
	switch {
	case cfg.MaxFrameSize <= 0:
		errs = append(errs, fmt.Errorf("'socket': 'max_frame_size' must be positive, got %d", int64(cfg.MaxFrameSize)))
	case cfg.MaxFrameSize > maxMaxFrameSize:
		errs = append(errs, fmt.Errorf("'socket': 'max_frame_size' must be at most %d bytes (64MiB), got %d", int64(maxMaxFrameSize), int64(cfg.MaxFrameSize)))
	}
	if cfg.MaxConnections <= 0 {
		errs = append(errs, fmt.Errorf("'socket': 'max_connections' must be positive, got %d", cfg.MaxConnections))
	}
	if cfg.IdleTimeout < 0 {
		errs = append(errs, fmt.Errorf("'socket': 'idle_timeout' must not be negative, got %s", cfg.IdleTimeout))
	}
	if cfg.ReadTimeout <= 0 {
		errs = append(errs, errors.New("'socket': 'read_timeout' must be positive: a client that stops mid-frame would hold its connection"))
	}
	return errors.Join(errs...)
}
