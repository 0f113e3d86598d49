package helmcheck

import (
	"os"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
)

const storageDir = "/var/lib/otelcol-aind"

var gatewaySets = []string{
	"mode=gateway",
	"lokiOtlpEndpoint=http://loki:3100/otlp",
	"gateway.auth.clients[0].name=team-ephys",
	"gateway.auth.clients[0].token=example-token-team-ephys-0123456789",
}

var agentSets = []string{
	"mode=agent",
	"lokiOtlpEndpoint=http://loki:3100/otlp",
}

// render renders the chart (HELM_BIN, CHART_DIR) and decodes it strictly.
func render(t *testing.T, sets ...string) []any {
	t.Helper()
	helm, chart := os.Getenv("HELM_BIN"), os.Getenv("CHART_DIR")
	if helm == "" || chart == "" {
		t.Fatal("HELM_BIN and CHART_DIR must name the helm binary and the chart (make helm-check)")
	}
	out, err := Render(helm, chart, sets...)
	if err != nil {
		t.Fatal(err)
	}
	objects, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	return objects
}

func all[T any](objects []any) []*T {
	var found []*T
	for _, o := range objects {
		if v, ok := o.(*T); ok {
			found = append(found, v)
		}
	}
	return found
}

func one[T any](t *testing.T, objects []any) *T {
	t.Helper()
	found := all[T](objects)
	if len(found) != 1 {
		var zero T
		t.Fatalf("want one %T, got %d", zero, len(found))
	}
	return found[0]
}

func env(c corev1.Container, name string) (corev1.EnvVar, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e, true
		}
	}
	return corev1.EnvVar{}, false
}

func mountPath(c corev1.Container, volume string) string {
	for _, m := range c.VolumeMounts {
		if m.Name == volume {
			return m.MountPath
		}
	}
	return ""
}

// checkPod asserts what both modes share: the grace period covers the drain,
// probes hit health_check, the root filesystem is read-only.
func checkPod(t *testing.T, pod corev1.PodSpec, drainSeconds int64) corev1.Container {
	t.Helper()
	if len(pod.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(pod.Containers))
	}
	c := pod.Containers[0]
	if g := pod.TerminationGracePeriodSeconds; g == nil || *g < drainSeconds {
		t.Errorf("terminationGracePeriodSeconds %v below the drain deadline %d s", g, drainSeconds)
	}
	for name, p := range map[string]*corev1.Probe{"startup": c.StartupProbe, "readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/" || p.HTTPGet.Port.String() != "health" {
			t.Errorf("%s probe %+v: want GET / on port health", name, p)
		}
	}
	if !containerPort(c, "health", 13133) {
		t.Errorf("no container port health 13133: %+v", c.Ports)
	}
	if e, _ := env(c, "AIND_HEALTH_ENDPOINT"); e.Value != "0.0.0.0:13133" {
		t.Errorf("AIND_HEALTH_ENDPOINT %q: the kubelet probes the pod IP", e.Value)
	}
	if sc := c.SecurityContext; sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Error("root filesystem not read-only")
	}
	if e, _ := env(c, "AIND_STORAGE_DIR"); e.Value != storageDir || mountPath(c, "storage") != storageDir {
		t.Errorf("AIND_STORAGE_DIR %q is not the storage volume's mount %q", e.Value, mountPath(c, "storage"))
	}
	return c
}

func containerPort(c corev1.Container, name string, port int32) bool {
	for _, p := range c.Ports {
		if p.Name == name && p.ContainerPort == port {
			return true
		}
	}
	return false
}

func TestGateway(t *testing.T) {
	objects := render(t, gatewaySets...)
	sts := one[appsv1.StatefulSet](t, objects)
	c := checkPod(t, sts.Spec.Template.Spec, 60)
	if len(sts.Spec.VolumeClaimTemplates) != 1 || sts.Spec.VolumeClaimTemplates[0].Name != "storage" {
		t.Errorf("want the volumeClaimTemplate storage, got %+v", sts.Spec.VolumeClaimTemplates)
	}
	psc := sts.Spec.Template.Spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser != 10001 {
		t.Errorf("pod security context %+v: want runAsNonRoot as 10001", psc)
	}
	if c.Args[1] != "/etc/otelcol-aind/gateway.yaml" {
		t.Errorf("args %v: want --config /etc/otelcol-aind/gateway.yaml", c.Args)
	}
	hpa := one[autoscalingv2.HorizontalPodAutoscaler](t, objects)
	if hpa.Spec.ScaleTargetRef.Kind != "StatefulSet" || hpa.Spec.ScaleTargetRef.Name != sts.Name {
		t.Errorf("HPA scales %+v, not the StatefulSet %s", hpa.Spec.ScaleTargetRef, sts.Name)
	}
	one[policyv1.PodDisruptionBudget](t, objects)
	checkServices(t, all[corev1.Service](objects), sts.Spec.ServiceName)
	secret := one[corev1.Secret](t, objects)
	if !strings.Contains(secret.StringData["tokens.yaml"], "name: team-ephys") {
		t.Errorf("tokens file lacks the client: %q", secret.StringData["tokens.yaml"])
	}
	if e, _ := env(c, "AIND_GATEWAY_TOKENS_FILE"); e.Value != mountPath(c, "tokens")+"/tokens.yaml" {
		t.Errorf("AIND_GATEWAY_TOKENS_FILE %q is not on the tokens mount", e.Value)
	}
}

// checkServices wants the client Service on 3500 and 4318 and the headless
// Service governing the StatefulSet.
func checkServices(t *testing.T, services []*corev1.Service, governing string) {
	t.Helper()
	var client, headless bool
	for _, s := range services {
		if s.Name == governing && s.Spec.ClusterIP == corev1.ClusterIPNone {
			headless = true
			continue
		}
		ports := map[int32]bool{}
		for _, p := range s.Spec.Ports {
			ports[p.Port] = true
		}
		client = client || (ports[3500] && ports[4318])
	}
	if !client || !headless {
		t.Errorf("client Service on 3500+4318: %v, headless %s: %v", client, governing, headless)
	}
}

func TestGatewayExistingSecret(t *testing.T) {
	objects := render(t, "mode=gateway", "lokiOtlpEndpoint=http://loki:3100/otlp",
		"gateway.auth.existingSecret=tokens", "gateway.auth.existingSecretKey=clients.yaml")
	if n := len(all[corev1.Secret](objects)); n != 0 {
		t.Errorf("rendered %d Secrets beside existingSecret", n)
	}
	vol := one[appsv1.StatefulSet](t, objects).Spec.Template.Spec.Volumes
	for _, v := range vol {
		if v.Name == "tokens" && (v.Secret == nil || v.Secret.SecretName != "tokens" || v.Secret.Items[0].Key != "clients.yaml") {
			t.Errorf("tokens volume %+v: want key clients.yaml of Secret tokens", v.Secret)
		}
	}
}

func TestGatewayOverlay(t *testing.T) {
	objects := render(t, append(gatewaySets, "config.processors.aind.redaction.mode=hash")...)
	cm := one[corev1.ConfigMap](t, objects)
	if !strings.Contains(cm.Data["overlay.yaml"], "mode: hash") {
		t.Errorf("overlay lacks the user's config: %q", cm.Data["overlay.yaml"])
	}
	c := one[appsv1.StatefulSet](t, objects).Spec.Template.Spec.Containers[0]
	want := []string{"--config", "/etc/otelcol-aind/gateway.yaml", "--config", mountPath(c, "overlay") + "/overlay.yaml"}
	if strings.Join(c.Args, " ") != strings.Join(want, " ") {
		t.Errorf("args %v, want %v", c.Args, want)
	}
}

func TestAgentTwoLogDirs(t *testing.T) {
	objects := render(t, append(agentSets,
		"agent.logDirs[0].name=aind", "agent.logDirs[0].hostPath=/var/log/aind",
		"agent.logDirs[1].name=rigs", "agent.logDirs[1].hostPath=/data/rigs")...)
	ds := one[appsv1.DaemonSet](t, objects)
	c := checkPod(t, ds.Spec.Template.Spec, 60)
	for _, name := range []string{"logs-aind", "logs-rigs"} {
		checkReadOnlyHostPath(t, ds.Spec.Template.Spec, c, name)
	}
	for _, v := range ds.Spec.Template.Spec.Volumes {
		if v.Name == "storage" && (v.HostPath == nil || !strings.HasPrefix(v.HostPath.Path, storageDir+"/")) {
			t.Errorf("storage %+v: want a hostPath under %s", v.VolumeSource, storageDir)
		}
	}
	overlay := one[corev1.ConfigMap](t, objects).Data["overlay.yaml"]
	for _, dir := range []string{mountPath(c, "logs-aind"), mountPath(c, "logs-rigs")} {
		if !strings.Contains(overlay, dir+"/*.jsonl") {
			t.Errorf("overlay does not include %s/*.jsonl: %q", dir, overlay)
		}
	}
	if n := len(all[autoscalingv2.HorizontalPodAutoscaler](objects)) + len(all[policyv1.PodDisruptionBudget](objects)); n != 0 {
		t.Errorf("agent mode rendered %d HPA/PDB", n)
	}
}

func checkReadOnlyHostPath(t *testing.T, pod corev1.PodSpec, c corev1.Container, volume string) {
	t.Helper()
	for _, m := range c.VolumeMounts {
		if m.Name == volume && !m.ReadOnly {
			t.Errorf("log mount %s is writable", volume)
		}
	}
	for _, v := range pod.Volumes {
		if v.Name == volume && v.HostPath != nil {
			return
		}
	}
	t.Errorf("no hostPath volume %s", volume)
}

func TestGraceBelowDrainFails(t *testing.T) {
	_, err := Render(os.Getenv("HELM_BIN"), os.Getenv("CHART_DIR"),
		append(gatewaySets, "drainTimeoutSeconds=120", "terminationGracePeriodSeconds=100")...)
	if err == nil || !strings.Contains(err.Error(), "terminationGracePeriodSeconds (100) is below drainTimeoutSeconds (120)") {
		t.Errorf("grace below drain: want the chart's failure, got %v", err)
	}
}
