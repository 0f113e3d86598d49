{{/* The collector's volumes: its root filesystem is read-only. */}}

{{- define "otelcol-aind.volumeMounts" -}}
- name: storage
  mountPath: /var/lib/otelcol-aind
- name: tmp
  mountPath: /tmp
{{- if include "otelcol-aind.hasOverlay" . }}
- name: overlay
  mountPath: /etc/otelcol-aind-overlay
  readOnly: true
{{- end }}
{{- if eq (include "otelcol-aind.mode" .) "gateway" }}
# A directory, not a subPath: the kubelet swaps a changed Secret in by a
# rename, which aindauth picks up within its reload interval.
- name: tokens
  mountPath: /etc/otelcol-aind-auth
  readOnly: true
{{- else }}
{{- range .Values.agent.logDirs }}
- name: logs-{{ .name }}
  mountPath: {{ include "otelcol-aind.logDirMount" . }}
  readOnly: true
{{- end }}
{{- end }}
{{- end }}

{{/* In gateway mode "storage" is the StatefulSet's volumeClaimTemplate. */}}
{{- define "otelcol-aind.volumes" -}}
- name: tmp
  emptyDir: {}
{{- if include "otelcol-aind.hasOverlay" . }}
- name: overlay
  configMap:
    name: {{ include "otelcol-aind.fullname" . }}
{{- end }}
{{- if eq (include "otelcol-aind.mode" .) "gateway" }}
- name: tokens
  secret:
    secretName: {{ include "otelcol-aind.tokensSecretName" . }}
    items:
      - key: {{ ternary .Values.gateway.auth.existingSecretKey "tokens.yaml" (ne .Values.gateway.auth.existingSecret "") }}
        path: tokens.yaml
{{- else }}
# Checkpoints on the node, so that they outlive the pod.
- name: storage
  hostPath:
    path: {{ printf "%s/%s" (trimSuffix "/" .Values.agent.storageHostPath) (include "otelcol-aind.fullname" .) }}
    type: DirectoryOrCreate
{{- range .Values.agent.logDirs }}
- name: logs-{{ .name }}
  hostPath:
    path: {{ .hostPath }}
    type: Directory
{{- end }}
{{- end }}
{{- end }}
