// Package helmcheck renders the otelcol-aind chart with helm and decodes the
// manifests strictly into their Kubernetes API types.
package helmcheck

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// newObject maps the apiVersion and kind the chart may render to an empty
// object of its type; anything else is an error.
var newObject = map[metav1.TypeMeta]func() any{
	{APIVersion: "v1", Kind: "ServiceAccount"}:                      func() any { return &corev1.ServiceAccount{} },
	{APIVersion: "v1", Kind: "Secret"}:                              func() any { return &corev1.Secret{} },
	{APIVersion: "v1", Kind: "ConfigMap"}:                           func() any { return &corev1.ConfigMap{} },
	{APIVersion: "v1", Kind: "Service"}:                             func() any { return &corev1.Service{} },
	{APIVersion: "apps/v1", Kind: "StatefulSet"}:                    func() any { return &appsv1.StatefulSet{} },
	{APIVersion: "apps/v1", Kind: "DaemonSet"}:                      func() any { return &appsv1.DaemonSet{} },
	{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"}: func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"}:          func() any { return &policyv1.PodDisruptionBudget{} },
}

// documentSeparator splits helm's multi-document output.
var documentSeparator = regexp.MustCompile(`(?m)^---\s*$`)

// Render runs `helm template` on the chart with the given --set flags.
func Render(helm, chart string, sets ...string) ([]byte, error) {
	args := []string{"template", "release", chart}
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(helm, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("helm template: %w: %s", err, stderr.String())
	}
	return out, nil
}

// Decode splits rendered manifests into documents and decodes each strictly
// (unknown fields are errors) into its typed object.
func Decode(manifests []byte) ([]any, error) {
	var objects []any
	for i, doc := range documentSeparator.Split(string(manifests), -1) {
		var meta metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		if meta == (metav1.TypeMeta{}) {
			continue // only comments or blank
		}
		newObj, ok := newObject[meta]
		if !ok {
			return nil, fmt.Errorf("document %d: unexpected %s %s", i, meta.APIVersion, meta.Kind)
		}
		obj := newObj()
		if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
			return nil, fmt.Errorf("document %d (%s): %w", i, meta.Kind, err)
		}
		objects = append(objects, obj)
	}
	return objects, nil
}
