{{/* The environment variables the shipped configs read (config/*.yaml). */}}

{{- define "otelcol-aind.env" -}}
{{- $gateway := eq (include "otelcol-aind.mode" .) "gateway" }}
- name: LOKI_OTLP_ENDPOINT
  value: {{ include "otelcol-aind.exportEndpoint" . | quote }}
- name: AIND_DRAIN_TIMEOUT
  value: "{{ int .Values.drainTimeoutSeconds }}s"
# Every address on the pod: the kubelet probes the pod's IP.
- name: AIND_HEALTH_ENDPOINT
  value: 0.0.0.0:13133
- name: AIND_TELEMETRY_HOST
  value: 0.0.0.0
- name: AIND_STORAGE_DIR
  value: /var/lib/otelcol-aind
{{- if .Values.goMemLimitFromLimit }}
# The memory_limiter refuses data from 80% of the limit; GOMEMLIMIT makes the
# Go runtime collect harder as the heap nears the limit, before an OOM kill.
- name: GOMEMLIMIT
  valueFrom:
    resourceFieldRef:
      resource: limits.memory
{{- end }}
{{- if $gateway }}
{{- include "otelcol-aind.env.gateway" . }}
{{- else }}
{{- include "otelcol-aind.env.agent" . }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "otelcol-aind.env.gateway" }}
- name: AIND_GATEWAY_ENDPOINT
  value: 0.0.0.0:3500
- name: AIND_GATEWAY_OTLP_ENDPOINT
  value: 0.0.0.0:4318
- name: AIND_GATEWAY_TOKENS_FILE
  value: /etc/otelcol-aind-auth/tokens.yaml
- name: AIND_MAX_BYTES_IN_FLIGHT
  value: {{ .Values.gateway.maxBytesInFlight | quote }}
{{- end }}

{{- define "otelcol-aind.env.agent" }}
{{- if not .Values.agent.logDirs }}
{{- fail "agent.logDirs is empty: list at least one node directory to tail" }}
{{- end }}
- name: AIND_LOG_DIR
  value: {{ include "otelcol-aind.logDirMount" (first .Values.agent.logDirs) }}
- name: K8S_NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- with .Values.agent.gateway.tokenSecret.name }}
- name: AIND_GATEWAY_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.agent.gateway.tokenSecret.key }}
{{- end }}
{{- end }}

{{/* Where the collector sends: Loki, or in agent mode a gateway's OTLP/HTTP. */}}
{{- define "otelcol-aind.exportEndpoint" -}}
{{- if and (eq (include "otelcol-aind.mode" .) "agent") .Values.agent.gateway.endpoint }}
{{- .Values.agent.gateway.endpoint }}
{{- else }}
{{- required "lokiOtlpEndpoint is required (Loki's OTLP base URL, e.g. http://loki:3100/otlp), or in agent mode agent.gateway.endpoint" .Values.lokiOtlpEndpoint }}
{{- end }}
{{- end }}
