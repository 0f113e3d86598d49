{{/* The pod template of the StatefulSet (gateway) and the DaemonSet (agent). */}}

{{- define "otelcol-aind.podTemplate" -}}
{{- $gateway := eq (include "otelcol-aind.mode" .) "gateway" }}
metadata:
  labels:
    {{- include "otelcol-aind.selectorLabels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if or (include "otelcol-aind.hasOverlay" .) .Values.podAnnotations }}
  annotations:
    {{- if include "otelcol-aind.hasOverlay" . }}
    # A changed overlay rolls the pods: the collector reads it only at start.
    checksum/config: {{ include "otelcol-aind.overlay" . | sha256sum }}
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
spec:
  serviceAccountName: {{ include "otelcol-aind.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
  terminationGracePeriodSeconds: {{ include "otelcol-aind.terminationGracePeriodSeconds" . }}
  securityContext:
    {{- toYaml (ternary .Values.gateway.podSecurityContext .Values.agent.podSecurityContext $gateway) | nindent 4 }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- include "otelcol-aind.affinity" . | nindent 2 }}
  containers:
    - name: otelcol-aind
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args:
        - --config
        - {{ include "otelcol-aind.baseConfig" . }}
        {{- if include "otelcol-aind.hasOverlay" . }}
        - --config
        - /etc/otelcol-aind-overlay/overlay.yaml
        {{- end }}
      env:
        {{- include "otelcol-aind.env" . | nindent 8 }}
      ports:
        {{- if $gateway }}
        - name: aind-http
          containerPort: 3500
        - name: otlp-http
          containerPort: 4318
        {{- end }}
        - name: health
          containerPort: 13133
        - name: metrics
          containerPort: 8888
      {{- include "otelcol-aind.probes" . | nindent 6 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      volumeMounts:
        {{- include "otelcol-aind.volumeMounts" . | nindent 8 }}
  volumes:
    {{- include "otelcol-aind.volumes" . | nindent 4 }}
{{- end }}

{{/* The affinity: the user's, else in gateway mode a preference for spreading replicas over nodes. */}}
{{- define "otelcol-aind.affinity" -}}
{{- if .Values.affinity }}
affinity:
  {{- toYaml .Values.affinity | nindent 2 }}
{{- else if and (eq (include "otelcol-aind.mode" .) "gateway") .Values.gateway.podAntiAffinity.enabled }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: {{ .Values.gateway.podAntiAffinity.weight }}
        podAffinityTerm:
          topologyKey: {{ .Values.gateway.podAntiAffinity.topologyKey }}
          labelSelector:
            matchLabels:
              {{- include "otelcol-aind.selectorLabels" . | nindent 14 }}
{{- end }}
{{- end }}

{{/* Probes on health_check's endpoint, which answers 200 once every pipeline runs. */}}
{{- define "otelcol-aind.probes" -}}
{{- $probe := dict "httpGet" (dict "path" "/" "port" "health") }}
startupProbe:
  {{- toYaml (merge (deepCopy .Values.probes.startup) $probe) | nindent 2 }}
readinessProbe:
  {{- toYaml (merge (deepCopy .Values.probes.readiness) $probe) | nindent 2 }}
livenessProbe:
  {{- toYaml (merge (deepCopy .Values.probes.liveness) $probe) | nindent 2 }}
{{- end }}
