#!/usr/bin/env bash
# Equivalence check of the end-to-end benchmark (run by `make bench-samecheck`):
# runs otelcol-aind with bench/ours.yaml and otelcol-peer with
# bench/peer/config.yaml on the same input, both with BENCH_EXPORTER=file,
# until each has written one record per non-empty input line (at most
# SAMECHECK_TIMEOUT seconds), stops them with SIGTERM and compares the two
# outputs with bench/harness/cmd/samecheck.
#
# Environment:
#   OTELCOL            our collector                 (default build/otelcol-aind)
#   PEER               the peer collector            (default build/otelcol-peer)
#   SAMECHECK_INCLUDE  glob of the input files       (default: a corpus of
#                      SAMECHECK_LINES lines written by corpusgen)
#   SAMECHECK_LINES    lines of that corpus          (default 5000)
#   SAMECHECK_SEED     its seed                      (default 1)
#   SAMECHECK_TIMEOUT  seconds to wait for the output (default 120)
#   SAMECHECK_OUT      directory for the corpus, the outputs and the logs
#                      (default build/bench/samecheck; kept for inspection)
#   SAMECHECK_FLAGS    more flags for samecheck, e.g. "-show 3 -ignore foo"
#   GO                 go command                    (default go)
set -euo pipefail

cd "$(dirname "$0")/.."

OTELCOL=${OTELCOL:-build/otelcol-aind}
PEER=${PEER:-build/otelcol-peer}
SAMECHECK_LINES=${SAMECHECK_LINES:-5000}
SAMECHECK_SEED=${SAMECHECK_SEED:-1}
SAMECHECK_TIMEOUT=${SAMECHECK_TIMEOUT:-120}
SAMECHECK_OUT=${SAMECHECK_OUT:-build/bench/samecheck}
GO=${GO:-go}

for bin in "$OTELCOL" "$PEER"; do
	if [[ ! -x $bin ]]; then
		echo "samecheck: $bin not found; run 'make build bench-peer' first" >&2
		exit 2
	fi
done

mkdir -p "$SAMECHECK_OUT"
out=$(cd "$SAMECHECK_OUT" && pwd)
rm -f "$out/ours.json" "$out/peer.json"

echo "samecheck: building the checker"
(cd bench/harness && "$GO" build -o "$out/samecheck" ./cmd/samecheck)

include=${SAMECHECK_INCLUDE:-}
if [[ -z $include ]]; then
	rm -rf "$out/corpus"
	(cd bench/harness && "$GO" run ./cmd/corpusgen -lines "$SAMECHECK_LINES" \
		-seed "$SAMECHECK_SEED" -out "$out/corpus/corpus.jsonl")
	include=$out/corpus/corpus.jsonl
fi

# One record per line that is not empty or white space only, as both
# receivers skip those. The glob is expanded here on purpose.
# shellcheck disable=SC2086
records=$(cat $include | grep -c -v '^[[:space:]]*$' || true)
echo "samecheck: $records records expected from $include"

pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
}
trap cleanup EXIT

# Internal telemetry on port 0: any free port, nothing scrapes it here.
start() { # name binary config
	BENCH_INCLUDE=$include BENCH_EXPORTER=file BENCH_OUT=$out/$1.json BENCH_METRICS_PORT=0 \
		"$2" --config "$3" >"$out/$1.log" 2>&1 &
	pids+=($!)
	echo "samecheck: started $2 --config $3 (pid $!, log $out/$1.log)"
}
start ours "$OTELCOL" bench/ours.yaml
start peer "$PEER" bench/peer/config.yaml

status=0
# shellcheck disable=SC2086
"$out/samecheck" -ours "$out/ours.json" -peer "$out/peer.json" \
	-records "$records" -wait "${SAMECHECK_TIMEOUT}s" ${SAMECHECK_FLAGS:-} || status=$?

for pid in "${pids[@]}"; do
	kill -TERM "$pid" 2>/dev/null || true
done
for pid in "${pids[@]}"; do
	for _ in $(seq 1 30); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
done
exit "$status"
