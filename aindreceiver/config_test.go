package aindreceiver

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/metadata"
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
				Include:         []string{"/var/log/aind/*.jsonl"},
				StartAt:         StartAtEnd,
				PollInterval:    200 * time.Millisecond,
				MaxLogSize:      1 << 20,
				IncludeFileName: true,
			},
		},
		{
			id: component.NewIDWithName(metadata.Type, "full"),
			expected: &Config{
				Include:         []string{"/data/logs/**/*.jsonl", "/var/log/rig/*.log"},
				Exclude:         []string{"/data/logs/**/tmp/*.jsonl"},
				StartAt:         StartAtBeginning,
				PollInterval:    time.Second,
				MaxLogSize:      256 << 10,
				Storage:         &storageID,
				IncludeFileName: false,
				IncludeFilePath: true,
				Resource: map[string]string{
					"rig_id":                      "frg_1_a",
					"deployment.environment.name": "production",
				},
			},
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
		StartAt:         "end",
		PollInterval:    200 * time.Millisecond,
		MaxLogSize:      1024 * 1024,
		IncludeFileName: true,
	}, cfg)
	// The only required setting is include.
	require.ErrorContains(t, confmap.Validate(cfg), "'include' must list at least one glob pattern")
	cfg.Include = []string{"/tmp/*.log"}
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
			wantErr: []string{"'include' must list at least one glob pattern"},
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
			name:    "zero poll_interval",
			conf:    map[string]any{"include": []string{"/a/*.log"}, "poll_interval": "0s"},
			wantErr: []string{"'poll_interval' must be positive, got 0s"},
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

func TestFileConsumerConfig(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Include = []string{"/a/*.log"}
	cfg.Exclude = []string{"/a/x.log"}
	cfg.StartAt = StartAtBeginning
	cfg.PollInterval = time.Second
	cfg.MaxLogSize = 1000
	cfg.IncludeFileName = false
	cfg.IncludeFilePath = true

	fc := cfg.fileConsumerConfig()
	assert.Equal(t, []string{"/a/*.log"}, fc.Include)
	assert.Equal(t, []string{"/a/x.log"}, fc.Exclude)
	assert.Equal(t, "beginning", fc.StartAt)
	assert.Equal(t, time.Second, fc.PollInterval)
	assert.Equal(t, helper.ByteSize(1001), fc.MaxLogSize)
	assert.Equal(t, fileconsumer.MaxLogSizeBehaviorTruncate, fc.MaxLogSizeBehavior)
	assert.False(t, fc.IncludeFileName)
	assert.True(t, fc.IncludeFilePath)
	assert.True(t, fc.TrimConfig.PreserveLeading)
	assert.True(t, fc.TrimConfig.PreserveTrailing)
}
