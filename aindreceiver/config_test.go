package aindreceiver

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/consoleinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/fileinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/httpinput"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/socketinput"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)

	storageID := component.MustNewIDWithName("file_storage", "aind")
	tests := []struct {
		id       component.ID
		expected *Config
	}{
		{
			id: component.NewID(metadata.Type),
			expected: &Config{
				Include:            []string{"/var/log/aind/*.jsonl"},
				StartAt:            StartAtEnd,
				PollInterval:       200 * time.Millisecond,
				DrainTimeout:       time.Minute,
				MaxBatchesInFlight: 4,
				Format:             fileinput.FormatJSONL,
				MaxLogSize:         1 << 20,
				IncludeFileName:    true,
				HTTP:               configoptional.Default(httpinput.NewDefaultConfig()),
				Socket:             configoptional.Default(socketinput.NewDefaultConfig()),
				Console:            configoptional.Default(consoleinput.NewDefaultConfig()),
			},
		},
		{
			id: component.NewIDWithName(metadata.Type, "full"),
			expected: &Config{
				Include:            []string{"/data/logs/**/*.jsonl", "/var/log/rig/*.log"},
				Exclude:            []string{"/data/logs/**/tmp/*.jsonl"},
				StartAt:            StartAtBeginning,
				PollInterval:       time.Second,
				MaxLogSize:         256 << 10,
				DrainTimeout:       5 * time.Second,
				MaxBatchesInFlight: 8,
				Format:             fileinput.FormatJSONL,
				Storage:            &storageID,
				IncludeFileName:    false,
				IncludeFilePath:    true,
				Resource: map[string]string{
					"rig_id":                      "frg_1_a",
					"deployment.environment.name": "production",
				},
				HTTP:    configoptional.Default(httpinput.NewDefaultConfig()),
				Socket:  configoptional.Default(socketinput.NewDefaultConfig()),
				Console: configoptional.Default(consoleinput.NewDefaultConfig()),
			},
		},
		{
			// An empty http section turns the HTTP input on with its defaults.
			id: component.NewIDWithName(metadata.Type, "http"),
			expected: &Config{
				StartAt:            StartAtEnd,
				PollInterval:       200 * time.Millisecond,
				DrainTimeout:       time.Minute,
				MaxBatchesInFlight: 4,
				Format:             fileinput.FormatJSONL,
				MaxLogSize:         1 << 20,
				IncludeFileName:    true,
				HTTP:               configoptional.Some(httpinput.NewDefaultConfig()),
				Socket:             configoptional.Default(socketinput.NewDefaultConfig()),
				Console:            configoptional.Default(consoleinput.NewDefaultConfig()),
			},
		},
		{
			// Lists replace the defaults; maps are merged into them.
			id: component.NewIDWithName(metadata.Type, "http_loki"),
			expected: func() *Config {
				h := httpinput.NewDefaultConfig()
				h.LokiPathAliases = []string{"/api/prom/push"}
				h.LokiLabels.ServiceName = []string{"team", "application"}
				h.LokiLabels.Scope = []string{}
				h.LokiLabels.Resource["host"] = ""
				h.LokiLabels.Resource["rig"] = "aind.rig_id"
				return &Config{
					StartAt:            StartAtEnd,
					PollInterval:       200 * time.Millisecond,
					DrainTimeout:       time.Minute,
					MaxBatchesInFlight: 4,
					Format:             fileinput.FormatJSONL,
					MaxLogSize:         1 << 20,
					IncludeFileName:    true,
					HTTP:               configoptional.Some(h),
					Socket:             configoptional.Default(socketinput.NewDefaultConfig()),
					Console:            configoptional.Default(consoleinput.NewDefaultConfig()),
				}
			}(),
		},
		{
			id: component.NewIDWithName(metadata.Type, "http_full"),
			expected: func() *Config {
				h := httpinput.NewDefaultConfig()
				h.ServerConfig.NetAddr.Endpoint = "0.0.0.0:3600"
				h.ServerConfig.MaxRequestBodySize = 1 << 20
				h.ServerConfig.CompressionAlgorithms = []string{"", "gzip", "zstd"}
				h.AindPath = "/logs"
				h.LokiPath = ""
				h.IncludeClientAddress = true
				h.MaxRecordsPerRequest = 5000
				h.MaxBytesInFlight = 16 << 20
				h.HeadersAsResource = map[string]string{
					"X-Capsule-Id":     "capsule",
					"X-Computation-Id": "",
					"X-Rig-Id":         "rig_id",
				}
				return &Config{
					StartAt:            StartAtEnd,
					PollInterval:       200 * time.Millisecond,
					DrainTimeout:       time.Minute,
					MaxBatchesInFlight: 4,
					Format:             fileinput.FormatJSONL,
					MaxLogSize:         64 << 10,
					IncludeFileName:    true,
					Resource:           map[string]string{"deployment.environment.name": "production"},
					HTTP:               configoptional.Some(h),
					Socket:             configoptional.Default(socketinput.NewDefaultConfig()),
					Console:            configoptional.Default(consoleinput.NewDefaultConfig()),
				}
			}(),
		},
		{
			id: component.NewIDWithName(metadata.Type, "both"),
			expected: func() *Config {
				h := httpinput.NewDefaultConfig()
				h.ServerConfig.NetAddr.Endpoint = "localhost:3501"
				return &Config{
					Include:            []string{"/var/log/aind/*.jsonl"},
					StartAt:            StartAtEnd,
					PollInterval:       200 * time.Millisecond,
					DrainTimeout:       time.Minute,
					MaxBatchesInFlight: 4,
					Format:             fileinput.FormatJSONL,
					MaxLogSize:         1 << 20,
					IncludeFileName:    true,
					HTTP:               configoptional.Some(h),
					Socket:             configoptional.Default(socketinput.NewDefaultConfig()),
					Console:            configoptional.Default(consoleinput.NewDefaultConfig()),
				}
			}(),
		},
		{
			// An empty socket section turns the socket input on with its
			// defaults.
			id: component.NewIDWithName(metadata.Type, "socket"),
			expected: &Config{
				StartAt:            StartAtEnd,
				PollInterval:       200 * time.Millisecond,
				DrainTimeout:       time.Minute,
				MaxBatchesInFlight: 4,
				Format:             fileinput.FormatJSONL,
				MaxLogSize:         1 << 20,
				IncludeFileName:    true,
				HTTP:               configoptional.Default(httpinput.NewDefaultConfig()),
				Socket:             configoptional.Some(socketinput.NewDefaultConfig()),
				Console:            configoptional.Default(consoleinput.NewDefaultConfig()),
			},
		},
		{
			id: component.NewIDWithName(metadata.Type, "socket_full"),
			expected: func() *Config {
				s := socketinput.NewDefaultConfig()
				s.Endpoint = "0.0.0.0:9000"
				s.UDPEndpoint = "0.0.0.0:9000"
				s.MaxFrameSize = 256 << 10
				s.MaxConnections = 16
				s.IdleTimeout = time.Hour
				s.ReadTimeout = 5 * time.Second
				s.IncludeClientAddress = true
				return &Config{
					Include:            []string{"/var/log/aind/*.jsonl"},
					StartAt:            StartAtEnd,
					PollInterval:       200 * time.Millisecond,
					DrainTimeout:       time.Minute,
					MaxBatchesInFlight: 4,
					Format:             fileinput.FormatJSONL,
					MaxLogSize:         1 << 20,
					IncludeFileName:    true,
					HTTP:               configoptional.Default(httpinput.NewDefaultConfig()),
					Socket:             configoptional.Some(s),
					Console:            configoptional.Default(consoleinput.NewDefaultConfig()),
				}
			}(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(tt.id.String())
			require.NoError(t, err)
			require.NoError(t, sub.Unmarshal(cfg))
			require.NoError(t, confmap.Validate(cfg))
			assert.Equal(t, tt.expected, cfg)
		})
	}
}

func TestCreateDefaultConfig(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	assert.Equal(t, &Config{
		StartAt:            "end",
		PollInterval:       200 * time.Millisecond,
		DrainTimeout:       time.Minute,
		MaxBatchesInFlight: 4,
		Format:             fileinput.FormatJSONL,
		MaxLogSize:         1024 * 1024,
		IncludeFileName:    true,
		HTTP:               configoptional.Default(httpinput.NewDefaultConfig()),
		Socket:             configoptional.Default(socketinput.NewDefaultConfig()),
		Console:            configoptional.Default(consoleinput.NewDefaultConfig()),
	}, cfg)
	assert.False(t, cfg.HTTP.HasValue(), "the HTTP input is off unless configured")
	assert.False(t, cfg.Socket.HasValue(), "the socket input is off unless configured")
	assert.False(t, cfg.Console.HasValue(), "the console input is off unless otelcol-aind run sets it")
	// One input is required: include, or http.
	require.ErrorContains(t, confmap.Validate(cfg), "'include' must list at least one glob pattern, or 'http', 'socket' or 'console' must be set")
	cfg.Include = []string{"/tmp/*.log"}
	require.NoError(t, confmap.Validate(cfg))
	cfg.Include = nil
	cfg.HTTP.GetOrInsertDefault()
	require.NoError(t, confmap.Validate(cfg))
}

func TestConfigValidateErrors(t *testing.T) {
	tests := []struct {
		name    string
		conf    map[string]any
		wantErr []string
	}{
		{
			name:    "no include",
			conf:    map[string]any{},
			wantErr: []string{"'include' must list at least one glob pattern, or 'http', 'socket' or 'console' must be set"},
		},
		{
			name:    "empty include pattern",
			conf:    map[string]any{"include": []string{" "}},
			wantErr: []string{"'include[0]' is empty"},
		},
		{
			name:    "bad include glob",
			conf:    map[string]any{"include": []string{"/var/log/*.log", "/var/log/[a.log"}},
			wantErr: []string{`'include[1]' "/var/log/[a.log" is not a valid glob pattern`},
		},
		{
			name:    "bad exclude glob",
			conf:    map[string]any{"include": []string{"/var/log/*.log"}, "exclude": []string{"/var/log/{a"}},
			wantErr: []string{`'exclude[0]' "/var/log/{a" is not a valid glob pattern`},
		},
		{
			name:    "bad start_at",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "start_at": "middle"},
			wantErr: []string{`'start_at' must be "beginning" or "end", got "middle"`},
		},
		{
			name:    "zero max_batches_in_flight",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "max_batches_in_flight": 0},
			wantErr: []string{"'max_batches_in_flight' must be between 1 and 64, got 0"},
		},
		{
			name:    "too many max_batches_in_flight",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "max_batches_in_flight": 65},
			wantErr: []string{"'max_batches_in_flight' must be between 1 and 64, got 65"},
		},
		{
			name:    "zero poll_interval",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "poll_interval": "0s"},
			wantErr: []string{"'poll_interval' must be positive, got 0s"},
		},
		{
			name:    "negative drain_timeout",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "drain_timeout": "-1s"},
			wantErr: []string{"'drain_timeout' must not be negative, got -1s"},
		},
		{
			name:    "negative poll_interval",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "poll_interval": "-1s"},
			wantErr: []string{"'poll_interval' must be positive, got -1s"},
		},
		{
			name:    "zero max_log_size",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "max_log_size": 0},
			wantErr: []string{"'max_log_size' must be positive, got 0"},
		},
		{
			name:    "negative max_log_size",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "max_log_size": -5},
			wantErr: []string{"'max_log_size' must be positive, got -5"},
		},
		{
			name:    "huge max_log_size",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "max_log_size": "1GiB"},
			wantErr: []string{"'max_log_size' must be at most 67108864 bytes (64MiB), got 1073741824"},
		},
		{
			name:    "empty resource key",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "resource": map[string]any{"": "x"}},
			wantErr: []string{"'resource' must not have an empty attribute name"},
		},
		{
			name:    "exclude without include",
			conf:    map[string]any{"exclude": []string{"/a/*.log"}, "http": map[string]any{}},
			wantErr: []string{"'exclude' is set but 'include' is empty"},
		},
		{
			name:    "no HTTP path",
			conf:    map[string]any{"http": map[string]any{"aind_path": "", "loki_path": ""}},
			wantErr: []string{"at least one of 'aind_path' and 'loki_path' must be set"},
		},
		{
			name:    "relative path",
			conf:    map[string]any{"http": map[string]any{"aind_path": "logs"}},
			wantErr: []string{`'aind_path' must start with '/', got "logs"`},
		},
		{
			name:    "subtree path",
			conf:    map[string]any{"http": map[string]any{"loki_path": "/loki/"}},
			wantErr: []string{`'loki_path' must not end with '/', got "/loki/"`},
		},
		{
			name:    "wildcard path",
			conf:    map[string]any{"http": map[string]any{"aind_path": "/logs/{id}"}},
			wantErr: []string{`'aind_path' must be a plain path`},
		},
		{
			name:    "unclean path",
			conf:    map[string]any{"http": map[string]any{"aind_path": "/a//b"}},
			wantErr: []string{`'aind_path' must be a clean path`},
		},
		{
			name:    "same paths",
			conf:    map[string]any{"http": map[string]any{"aind_path": "/push", "loki_path": "/push"}},
			wantErr: []string{`'aind_path' and 'loki_path' must differ`},
		},
		{
			name:    "alias is the AIND path",
			conf:    map[string]any{"http": map[string]any{"aind_path": "/api/v1/push"}},
			wantErr: []string{`'aind_path' and 'loki_path_aliases' must differ, both are "/api/v1/push"`},
		},
		{
			name:    "empty alias",
			conf:    map[string]any{"http": map[string]any{"loki_path_aliases": []any{""}}},
			wantErr: []string{`'loki_path_aliases' lists an empty path`},
		},
		{
			name:    "label with two roles",
			conf:    map[string]any{"http": map[string]any{"loki_labels": map[string]any{"scope": []any{"job"}}}},
			wantErr: []string{`'loki_labels': label "job" has two roles, 'service_name' and 'scope'`},
		},
		{
			name:    "negative body size",
			conf:    map[string]any{"http": map[string]any{"max_request_body_size": -1}},
			wantErr: []string{`'max_request_body_size' must not be negative`},
		},
		{
			name:    "max_bytes_in_flight under twice the default body size",
			conf:    map[string]any{"http": map[string]any{"max_bytes_in_flight": "39MiB"}},
			wantErr: []string{`'max_bytes_in_flight' must be at least twice 'max_request_body_size' (20971520), got 40894464`},
		},
		{
			name:    "max_bytes_in_flight under twice max_request_body_size",
			conf:    map[string]any{"http": map[string]any{"max_request_body_size": 1 << 30}},
			wantErr: []string{`'max_bytes_in_flight' must be at least twice 'max_request_body_size' (1073741824), got 134217728`},
		},
		{
			name:    "zero max_records_per_request",
			conf:    map[string]any{"http": map[string]any{"max_records_per_request": 0}},
			wantErr: []string{`'max_records_per_request' must be positive, got 0`},
		},
		{
			name:    "bad header name",
			conf:    map[string]any{"http": map[string]any{"headers_as_resource": map[string]any{"X Bad": "a"}}},
			wantErr: []string{`invalid header name "X Bad"`},
		},
		{
			name: "header listed twice",
			conf: map[string]any{"http": map[string]any{"headers_as_resource": map[string]any{
				"X-Team": "team", "x-team": "team2",
			}}},
			wantErr: []string{`lists header "X-Team" twice`},
		},
		{
			name:    "blank attribute",
			conf:    map[string]any{"http": map[string]any{"headers_as_resource": map[string]any{"X-Team": " "}}},
			wantErr: []string{`maps "X-Team" to a blank attribute name`},
		},
		{
			name:    "tenant header",
			conf:    map[string]any{"http": map[string]any{"headers_as_resource": map[string]any{"x-scope-orgid": "loki.tenant"}}},
			wantErr: []string{`'http': 'headers_as_resource' must not map "x-scope-orgid": the records go to the tenant of the exporter, not to the one a client names; a tenant per client needs a pipeline per tenant`},
		},
		{
			name:    "socket endpoint without port",
			conf:    map[string]any{"socket": map[string]any{"endpoint": "localhost"}},
			wantErr: []string{`'socket': 'endpoint' must be host:port, got "localhost"`},
		},
		{
			name: "socket limits",
			conf: map[string]any{"socket": map[string]any{"max_frame_size": 0, "max_connections": 0, "idle_timeout": "-1s", "read_timeout": "0s"}},
			wantErr: []string{
				"'socket': 'max_frame_size' must be positive, got 0",
				"'socket': 'max_connections' must be positive, got 0",
				"'socket': 'idle_timeout' must not be negative, got -1s",
				"'socket': 'read_timeout' must be positive",
			},
		},
		{
			name:    "socket udp_endpoint without port",
			conf:    map[string]any{"socket": map[string]any{"udp_endpoint": "9000"}},
			wantErr: []string{`'socket': 'udp_endpoint' must be host:port, got "9000"`},
		},
		{
			name:    "huge socket max_frame_size",
			conf:    map[string]any{"socket": map[string]any{"max_frame_size": "1GiB"}},
			wantErr: []string{"'socket': 'max_frame_size' must be at most 67108864 bytes (64MiB), got 1073741824"},
		},
		{
			name: "several errors at once",
			conf: map[string]any{"start_at": "now", "poll_interval": "0s"},
			wantErr: []string{
				"'include' must list at least one glob pattern",
				`'start_at' must be "beginning" or "end", got "now"`,
				"'poll_interval' must be positive",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig()
			require.NoError(t, confmap.NewFromStringMap(tt.conf).Unmarshal(cfg))
			err := confmap.Validate(cfg)
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.ErrorContains(t, err, want)
			}
		})
	}
}

func TestMaxLogSizeUnits(t *testing.T) {
	for in, want := range map[any]helper.ByteSize{
		"1MiB":  1 << 20,
		"16KiB": 16 << 10,
		"2kb":   2000,
		4096:    4096,
	} {
		cfg := createDefaultConfig().(*Config)
		require.NoError(t, confmap.NewFromStringMap(map[string]any{"max_log_size": in}).Unmarshal(cfg))
		assert.Equal(t, want, cfg.MaxLogSize, "max_log_size: %v", in)
	}
}
