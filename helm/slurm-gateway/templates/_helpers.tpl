{{/* The release's resource name, at most 63 characters. */}}
{{- define "slurm-gateway.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "slurm-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "slurm-gateway.labels" -}}
{{ include "slurm-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "slurm-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "slurm-gateway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The Secret the operator manages whose keys are gateway.security.* properties: auth.existingSecret, or, when no other
authentication is configured, <fullname>-tokens, which must then exist. Empty when there is none.
*/}}
{{- define "slurm-gateway.operatorAuthSecret" -}}
{{- if .Values.auth.existingSecret -}}
{{- .Values.auth.existingSecret -}}
{{- else if and (not .Values.auth.tokens) (not .Values.auth.oidc) -}}
{{- include "slurm-gateway.fullname" . -}}-tokens
{{- end -}}
{{- end -}}

{{/*
Values the gateway would refuse, or that would make an unsafe install, stop the template with a message that names
the value.
*/}}
{{- define "slurm-gateway.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (ne .Values.database.type "postgresql") -}}
{{- fail (printf "replicaCount is %d but database.type is %q: more than one replica needs a shared PostgreSQL database (set database.type=postgresql, database.url and database.existingSecret); H2 lives on one pod's volume" (int .Values.replicaCount) .Values.database.type) -}}
{{- end -}}
{{- if not (has .Values.database.type (list "h2" "postgresql")) -}}
{{- fail (printf "database.type must be h2 or postgresql, not %q" .Values.database.type) -}}
{{- end -}}
{{- if eq .Values.database.type "postgresql" -}}
{{- if not .Values.database.url -}}
{{- fail "database.url is required with database.type=postgresql (jdbc:postgresql://host:5432/database)" -}}
{{- end -}}
{{- if not .Values.database.existingSecret -}}
{{- fail "database.existingSecret is required with database.type=postgresql: the name of a Secret holding the password under database.passwordKey" -}}
{{- end -}}
{{- end -}}
{{- if hasKey .Values.database "password" -}}
{{- fail "database.password is not read: put the password in a Secret and name it in database.existingSecret" -}}
{{- end -}}
{{- if dig "spring" "datasource" "password" "" .Values.config -}}
{{- fail "config.spring.datasource.password is not read: put the password in a Secret and name it in database.existingSecret" -}}
{{- end -}}
{{- if dig "gateway" "security" "tokens" nil .Values.config -}}
{{- fail "config.gateway.security.tokens would put token digests in the ConfigMap: give them in auth.tokens or auth.existingSecret" -}}
{{- end -}}
{{- range $name, $token := .Values.auth.tokens -}}
{{- if not (regexMatch "^[A-Za-z0-9_-]{1,64}$" $name) -}}
{{- fail (printf "auth.tokens: %q is not a token name the chart can carry ([A-Za-z0-9_-]{1,64}: a dot would split the property name, and @ is not allowed in a Secret's key); use auth.existingSecret for other names" $name) -}}
{{- end -}}
{{- if not (regexMatch "^[0-9a-f]{64}$" (toString $token.sha256)) -}}
{{- fail (printf "auth.tokens.%s.sha256 must be a lower-case hex SHA-256 digest (scripts/mint-token.sh prints it), never the token itself" $name) -}}
{{- end -}}
{{- end -}}
{{- range $name, $cluster := .Values.clusters -}}
{{- if not (regexMatch "^[a-z0-9][a-z0-9-]{0,62}$" $name) -}}
{{- fail (printf "clusters: %q is not a cluster name ([a-z0-9][a-z0-9-]{0,62})" $name) -}}
{{- end -}}
{{- if eq (include "slurm-gateway.overSsh" $cluster) "true" -}}
{{- if or (not $cluster.host) (not $cluster.user) (not $cluster.sshSecret) -}}
{{- fail (printf "clusters.%s needs host, user and sshSecret (a Secret with its private key)" $name) -}}
{{- end -}}
{{- if and $cluster.hostKeyFingerprint $cluster.knownHostsKey -}}
{{- fail (printf "clusters.%s: set one of hostKeyFingerprint or knownHostsKey, not both" $name) -}}
{{- end -}}
{{- if and (not $cluster.hostKeyFingerprint) (not $cluster.knownHostsKey) (not (dig "config" "accept-any-host-key" false $cluster)) -}}
{{- fail (printf "clusters.%s: the login node's host key must be verified: set knownHostsKey (a key of sshSecret) or hostKeyFingerprint" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "true" when a cluster (its values) is reached over SSH: every transport but local. */}}
{{- define "slurm-gateway.overSsh" -}}
{{- ne (dig "config" "transport" "ssh" .) "local" -}}
{{- end -}}

{{/* The cluster's directory under the mounted SSH secrets, and where the init container copies its key. */}}
{{- define "slurm-gateway.sshSecretsDir" -}}/etc/slurm-gateway/ssh-secrets{{- end -}}
{{- define "slurm-gateway.sshKeysDir" -}}/var/run/slurm-gateway/ssh{{- end -}}
