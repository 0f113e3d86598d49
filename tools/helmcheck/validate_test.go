package helmcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// TestRenderedConfigsValidate runs `otelcol-aind validate` (OTELCOL_BIN) on
// what a pod of each mode would run: the shipped config its args name (from
// CONFIG_DIR, the image's /etc/otelcol-aind), the chart's overlay, and the
// container's environment. Decoding the manifests cannot tell whether the
// collector accepts the overlay the chart writes.
func TestRenderedConfigsValidate(t *testing.T) {
	for name, sets := range map[string][]string{
		// Hashed redaction with its key from a Secret: the README's example.
		"gateway": append(gatewaySets, "config.processors.aind.redaction.mode=hash",
			"config.processors.aind.redaction.hash_key=${env:AIND_REDACTION_KEY}",
			"extraEnv[0].name=AIND_REDACTION_KEY", "extraEnv[0].valueFrom.secretKeyRef.name=redaction",
			"extraEnv[0].valueFrom.secretKeyRef.key=key"),
		"agent": append(agentSets,
			"agent.logDirs[0].name=aind", "agent.logDirs[0].hostPath=/var/log/aind",
			"agent.logDirs[1].name=rigs", "agent.logDirs[1].hostPath=/data/rigs"),
	} {
		t.Run(name, func(t *testing.T) {
			objects := render(t, sets...)
			var pod corev1.PodSpec
			if name == "gateway" {
				pod = one[appsv1.StatefulSet](t, objects).Spec.Template.Spec
			} else {
				pod = one[appsv1.DaemonSet](t, objects).Spec.Template.Spec
			}
			validate(t, pod.Containers[0], one[corev1.ConfigMap](t, objects).Data["overlay.yaml"])
		})
	}
}

func validate(t *testing.T, c corev1.Container, overlay string) {
	t.Helper()
	bin, configDir := os.Getenv("OTELCOL_BIN"), os.Getenv("CONFIG_DIR")
	if bin == "" || configDir == "" {
		t.Fatal("OTELCOL_BIN and CONFIG_DIR must name the collector and config/ (make helm-check)")
	}
	dir := t.TempDir()
	args := []string{"validate"}
	for i := 0; i+1 < len(c.Args); i += 2 {
		path := c.Args[i+1]
		switch {
		case strings.HasPrefix(path, "/etc/otelcol-aind/"):
			path = filepath.Join(configDir, strings.TrimPrefix(path, "/etc/otelcol-aind/"))
		case strings.HasSuffix(path, "/overlay.yaml"):
			path = filepath.Join(dir, "overlay.yaml")
			if err := os.WriteFile(path, []byte(overlay), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		args = append(args, c.Args[i], path)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = containerEnv(t, c, dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s %v: %v\n%s", bin, args, err, out)
	}
}

// containerEnv is the container's environment as the collector would see
// it: literal values as rendered, values from the downward API or Secrets
// as placeholders, files and directories inside dir.
func containerEnv(t *testing.T, c corev1.Container, dir string) []string {
	t.Helper()
	tokens := filepath.Join(dir, "tokens.yaml")
	if err := os.WriteFile(tokens, []byte("clients:\n  - name: team-ephys\n    token_sha256: "+strings.Repeat("ab", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH")}
	for _, e := range c.Env {
		value := e.Value
		switch {
		case e.Name == "AIND_STORAGE_DIR":
			value = dir
		case e.Name == "AIND_GATEWAY_TOKENS_FILE":
			value = tokens
		case e.Name == "GOMEMLIMIT":
			value = "1GiB"
		case e.ValueFrom != nil:
			// Long enough for a redaction hash_key (32 bytes).
			value = "from-downward-api-or-secret-" + e.Name
		}
		env = append(env, e.Name+"="+value)
	}
	return env
}
