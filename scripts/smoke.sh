#!/usr/bin/env bash
# Smoke test of the otelcol-aind distribution (run by `make smoke`).
#
# Runs the collector with config/standalone.yaml on the sample logs until the
# file exporter has written one record per non-empty input line (at most
# SMOKE_TIMEOUT seconds), stops it with SIGTERM and checks the OTLP JSON it
# wrote with scripts/smokecheck.
#
# Environment:
#   OTELCOL        collector binary          (default build/otelcol-aind)
#   SMOKE_INCLUDE  glob of the input files   (default testdata/*.jsonl)
#   SMOKE_TIMEOUT  seconds to wait           (default 60)
#   GO             go command                (default go)
set -euo pipefail

cd "$(dirname "$0")/.."

OTELCOL=${OTELCOL:-build/otelcol-aind}
SMOKE_INCLUDE=${SMOKE_INCLUDE:-testdata/*.jsonl}
SMOKE_TIMEOUT=${SMOKE_TIMEOUT:-60}
GO=${GO:-go}

if [[ ! -x $OTELCOL ]]; then
	echo "smoke: $OTELCOL not found; run 'make build' first" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/otelcol-aind-smoke.XXXXXX")
collector_pid=
cleanup() {
	if [[ -n $collector_pid ]] && kill -0 "$collector_pid" 2>/dev/null; then
		kill -KILL "$collector_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "smoke: building the checker"
"$GO" build -o "$work/smokecheck" ./scripts/smokecheck

echo "smoke: starting $OTELCOL on $SMOKE_INCLUDE (output in $work/out)"
AIND_INCLUDE=$SMOKE_INCLUDE AIND_OUT_DIR=$work/out \
	"$OTELCOL" --config config/standalone.yaml >"$work/collector.log" 2>&1 &
collector_pid=$!

status=0
"$work/smokecheck" -include "$SMOKE_INCLUDE" -out "$work/out/logs.json" \
	-wait "${SMOKE_TIMEOUT}s" -pid "$collector_pid" || status=$?

echo "smoke: stopping the collector (SIGTERM)"
if kill -TERM "$collector_pid" 2>/dev/null; then
	for _ in $(seq 1 30); do
		kill -0 "$collector_pid" 2>/dev/null || break
		sleep 1
	done
	if kill -0 "$collector_pid" 2>/dev/null; then
		echo "smoke: FAIL: the collector did not exit within 30 s of SIGTERM" >&2
		status=1
	fi
fi
collector_status=0
wait "$collector_pid" || collector_status=$?
collector_pid=
if [[ $status -eq 0 && $collector_status -ne 0 ]]; then
	echo "smoke: FAIL: the collector exited with status $collector_status" >&2
	status=1
fi

if [[ $status -eq 0 ]]; then
	"$work/smokecheck" -include "$SMOKE_INCLUDE" -out "$work/out/logs.json" || status=$?
fi

if [[ $status -ne 0 ]]; then
	echo "---- collector log (last 200 lines) ----" >&2
	tail -n 200 "$work/collector.log" >&2 || true
	echo "---- end of collector log ----" >&2
	echo "smoke: FAILED" >&2
	exit "$status"
fi
echo "smoke: PASSED"
