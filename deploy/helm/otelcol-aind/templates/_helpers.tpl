{{/* Names, labels and the values checks shared by every template. */}}

{{- define "otelcol-aind.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name, at most 63 characters (a DNS label). */}}
{{- define "otelcol-aind.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "otelcol-aind.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "otelcol-aind.selectorLabels" -}}
app.kubernetes.io/name: {{ include "otelcol-aind.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: {{ include "otelcol-aind.mode" . }}
{{- end }}

{{- define "otelcol-aind.labels" -}}
helm.sh/chart: {{ include "otelcol-aind.chart" . }}
{{ include "otelcol-aind.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: otelcol-aind
{{- end }}

{{- define "otelcol-aind.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "otelcol-aind.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The mode, or a rendering failure naming the two there are. */}}
{{- define "otelcol-aind.mode" -}}
{{- if not (has .Values.mode (list "gateway" "agent")) }}
{{- fail (printf "mode must be gateway or agent, not %q" (toString .Values.mode)) }}
{{- end }}
{{- .Values.mode }}
{{- end }}

{{/* The shipped config of the image that the collector runs. */}}
{{- define "otelcol-aind.baseConfig" -}}
{{- $default := ternary "gateway.yaml" "capsule-agent.yaml" (eq (include "otelcol-aind.mode" .) "gateway") }}
{{- printf "/etc/otelcol-aind/%s" (default $default .Values.baseConfig) }}
{{- end }}

{{/*
The pod's grace period: at least the drain deadline, since Kubernetes kills
the collector when it runs out, whatever is still queued.
*/}}
{{- define "otelcol-aind.terminationGracePeriodSeconds" -}}
{{- $drain := int .Values.drainTimeoutSeconds }}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- add $drain (int .Values.terminationGraceMarginSeconds) }}
{{- else }}
{{- $grace := int .Values.terminationGracePeriodSeconds }}
{{- if lt $grace $drain }}
{{- fail (printf "terminationGracePeriodSeconds (%d) is below drainTimeoutSeconds (%d): Kubernetes would kill the collector while it delivers what it accepted; raise it, or leave it empty for drainTimeoutSeconds + terminationGraceMarginSeconds" $grace $drain) }}
{{- end }}
{{- $grace }}
{{- end }}
{{- end }}

{{/* Where the agent mounts the node directory logDir (read-only). */}}
{{- define "otelcol-aind.logDirMount" -}}
{{- printf "/var/log/otelcol-aind/%s" .name }}
{{- end }}

{{/*
The config merged over the shipped one: in agent mode the include and
exclude globs of every log directory and the node name on every record,
then the user's config over that.
*/}}
{{- define "otelcol-aind.overlay" -}}
{{- $overlay := dict }}
{{- if eq (include "otelcol-aind.mode" .) "agent" }}
{{- $include := list }}
{{- $exclude := list }}
{{- range .Values.agent.logDirs }}
{{- $dir := include "otelcol-aind.logDirMount" . }}
{{- $include = concat $include (list (printf "%s/*.jsonl" $dir) (printf "%s/*.jsonl.[0-9]*" $dir)) }}
{{- $exclude = append $exclude (printf "%s/*.gz" $dir) }}
{{- end }}
{{- $resource := dict "k8s.node.name" "${env:K8S_NODE_NAME}" }}
{{- $_ := set $overlay "receivers" (dict "aind" (dict "include" $include "exclude" $exclude "resource" $resource)) }}
{{- end }}
{{- mergeOverwrite $overlay (deepCopy .Values.config) | toYaml }}
{{- end }}

{{/* Whether there is an overlay, i.e. a second --config file. */}}
{{- define "otelcol-aind.hasOverlay" -}}
{{- if or (eq (include "otelcol-aind.mode" .) "agent") .Values.config }}true{{ end }}
{{- end }}

{{/* The Secret holding the gateway's tokens file, and its key. */}}
{{- define "otelcol-aind.tokensSecretName" -}}
{{- default (printf "%s-tokens" (include "otelcol-aind.fullname" .)) .Values.gateway.auth.existingSecret }}
{{- end }}
