#!/usr/bin/env bash
# Checks the otelcol-aind image that `make image` built (run by `make
# release-check`). First `podman inspect`: user 10001:10001, the entrypoint,
# the command and the HEALTHCHECK. Then it runs the image, the gateway
# config exporting to a dead 127.0.0.1 port with a tokens file mounted, and
# checks that health_check answers 200, `podman healthcheck run` passes, the
# collector runs as uid 10001 and SIGTERM stops it. The image's files are
# checked too, and are all that is checked where podman cannot run a
# container (it says why).
#
# podman run needs runc on hosts whose cgroup mount crun refuses, and
# rlimits at or under the hard limits when CAP_SYS_RESOURCE is missing:
# PODMAN_RUN_FLAGS (default below) carries both.
#
# Environment:
#   IMAGE             the image (default localhost/otelcol-aind:$(cat VERSION))
#   PODMAN_RUN_FLAGS  extra `podman run` flags
set -euo pipefail

cd "$(dirname "$0")/.."
IMAGE=${IMAGE:-localhost/otelcol-aind:$(cat VERSION)}
PODMAN_RUN_FLAGS=${PODMAN_RUN_FLAGS:---runtime runc --ulimit nofile=20000:20000 --ulimit nproc=1024:1024}
HEALTH_PORT=${HEALTH_PORT:-13133}

fail() {
	echo "image-check: $*" >&2
	exit 1
}

# expect WHAT GOT WANT
expect() {
	[[ $2 == "$3" ]] || fail "$1 is '$2', want '$3'"
	echo "ok: $1 = $2"
}

echo "== podman inspect $IMAGE"
expect User "$(podman image inspect -f '{{.Config.User}}' "$IMAGE")" 10001:10001
expect Entrypoint "$(podman image inspect -f '{{json .Config.Entrypoint}}' "$IMAGE")" '["/otelcol-aind"]'
expect Cmd "$(podman image inspect -f '{{json .Config.Cmd}}' "$IMAGE")" '["--config","/etc/otelcol-aind/gateway.yaml"]'
expect Healthcheck "$(podman image inspect -f '{{json .Config.Healthcheck.Test}}' "$IMAGE")" '["CMD","/healthprobe"]'
podman image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | grep -qxF AIND_STORAGE_DIR=/var/lib/otelcol-aind ||
	fail "AIND_STORAGE_DIR is not /var/lib/otelcol-aind"

check_files() {
	echo "== image files"
	local work listing
	work=$(mktemp -d)
	podman save --format docker-archive -o "$work/image.tar" "$IMAGE"
	mkdir "$work/root"
	tar -xf "$work/image.tar" -C "$work"
	for layer in $(tar -xOf "$work/image.tar" manifest.json | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)[0]["Layers"]))'); do
		tar -tvf "$work/$layer"
	done >"$work/listing"
	listing=$(awk '{print $2, $6}' "$work/listing")
	cat "$work/listing"
	for want in "0/0 otelcol-aind" "0/0 healthprobe" "0/0 etc/ssl/certs/ca-certificates.crt" "0/0 etc/passwd" \
		"0/0 etc/otelcol-aind/gateway.yaml" "10001/10001 var/lib/otelcol-aind/"; do
		grep -qxF -- "$want" <<<"$listing" || fail "the image lacks $want"
	done
	rm -rf "$work"
	echo "ok: image files"
}

# run_check: runs the image; returns 2 (with the reason on stderr) when
# podman cannot start a container here, fails on any other problem.
run_check() {
	echo "== podman run"
	local work name=otelcol-aind-image-check cid
	work=$(mktemp -d)
	trap 'podman rm -f -t 0 '"$name"' >/dev/null 2>&1 || true; rm -rf '"$work" RETURN
	printf 'clients:\n  - name: image-check\n    token_sha256: %s\n' \
		"$(printf %s image-check-token | sha256sum | cut -d' ' -f1)" >"$work/tokens.yaml"
	chmod 0644 "$work/tokens.yaml"
	# shellcheck disable=SC2086 # PODMAN_RUN_FLAGS is a list of flags
	if ! cid=$(podman run -d --name "$name" $PODMAN_RUN_FLAGS --network host \
		-e LOKI_OTLP_ENDPOINT=http://127.0.0.1:9/otlp \
		-e AIND_GATEWAY_TOKENS_FILE=/etc/otelcol-aind/tokens.yaml \
		-e AIND_HEALTH_ENDPOINT=127.0.0.1:$HEALTH_PORT \
		-e AIND_GATEWAY_ENDPOINT=127.0.0.1:0 -e AIND_GATEWAY_OTLP_ENDPOINT=127.0.0.1:0 \
		-e AIND_TELEMETRY_PORT=0 -e AIND_DRAIN_TIMEOUT=5s \
		-v "$work/tokens.yaml:/etc/otelcol-aind/tokens.yaml:ro" \
		"$IMAGE" 2>"$work/err"); then
		echo "image-check: podman cannot run a container here: $(tr '\n' ' ' <"$work/err")" >&2
		return 2
	fi
	local status=""
	for _ in $(seq 1 100); do
		status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HEALTH_PORT/" || true)
		[[ $status == 200 ]] && break
		[[ $(podman inspect -f '{{.State.Running}}' "$cid") == true ]] || break
		sleep 0.1
	done
	[[ $status == 200 ]] || { podman logs "$cid" | tail -20 >&2; fail "health_check answered '$status', want 200"; }
	echo "ok: health_check answers 200"
	podman healthcheck run "$cid" || fail "podman healthcheck run failed"
	echo "ok: podman healthcheck run (/healthprobe) passes"
	local pid uid
	pid=$(podman inspect -f '{{.State.Pid}}' "$cid")
	uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
	expect "uid of the collector" "$uid" 10001
	podman stop -t 30 "$cid" >/dev/null
	expect "state after SIGTERM" "$(podman inspect -f '{{.State.Status}}' "$cid")" exited
	echo "exit code after SIGTERM: $(podman inspect -f '{{.State.ExitCode}}' "$cid")"
	podman logs "$cid" 2>&1 | grep -q "Received signal from OS" || fail "the collector did not log the SIGTERM"
	echo "ok: SIGTERM stops it"
}

# The files are checked on every host, so that the fallback for hosts where
# podman cannot run a container is itself exercised.
check_files
rc=0
run_check || rc=$?
if [[ $rc -eq 2 ]]; then
	echo "image-check: checked the image's files only"
elif [[ $rc -ne 0 ]]; then
	exit "$rc"
fi
echo "image-check: passed"
