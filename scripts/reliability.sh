#!/usr/bin/env bash
# Runs the reliability scenarios (integration/*, build tag reliability)
# against the built collector and Loki, then prints the figures they
# recorded as one table. RELIABILITY_SHORT=1 runs them scaled down (CI).
# The full test output is kept in build/reliability/test.log.
# The scale-out scenario needs HAProxy (Debian: haproxy; HAPROXY_BIN
# overrides /usr/sbin/haproxy).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
dir=build/reliability
mkdir -p "$dir"
export RELIABILITY_OUT=$PWD/$dir/figures.md
rm -f "$RELIABILITY_OUT"
timeout=80m
[ "${RELIABILITY_SHORT:-}" = 1 ] && timeout=20m

start=$SECONDS
rc=0
(cd integration && $GO test -tags integration,reliability -run 'Reliability' -count=1 -v -timeout "$timeout" .) \
	>"$dir/test.log" 2>&1 || rc=$?
grep -E '^(=== RUN|--- |PASS|FAIL|ok)' "$dir/test.log" || true

printf '\n| scenario | figure | value | measured (UTC) |\n|---|---|---|---|\n'
if [ -f "$RELIABILITY_OUT" ]; then cat "$RELIABILITY_OUT"; else echo "| (no figures recorded) | | | |"; fi
printf '\nreliability scenarios %s in %d s (full log: %s)\n' "$([ $rc = 0 ] && echo passed || echo FAILED)" $((SECONDS - start)) "$dir/test.log"
exit $rc
