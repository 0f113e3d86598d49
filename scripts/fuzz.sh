#!/usr/bin/env bash
# Runs every fuzz target of the root module for FUZZTIME each, one after the
# other (a fuzzer uses every core), and prints one line per target: its
# executions, new corpus entries and result. A failure leaves the crashing
# input under the package's testdata/fuzz/<target>/, as go test does, and
# makes the script exit non-zero after the remaining targets ran.
#
#   FUZZTIME   how long each target runs (default 1m; go test's -fuzztime)
#   FUZZ_LOG   directory of the full output of each target (default build/fuzz)
#   FUZZ_PARALLEL  fuzzing workers per target (default: one per core)
set -uo pipefail

GO=${GO:-go}
FUZZTIME=${FUZZTIME:-1m}
FUZZ_LOG=${FUZZ_LOG:-build/fuzz}
mkdir -p "$FUZZ_LOG"

failed=0
summary=()
for pkg in $($GO list ./...); do
	for target in $($GO test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
		log="$FUZZ_LOG/${target}.log"
		start=$SECONDS
		if $GO test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" ${FUZZ_PARALLEL:+-parallel "$FUZZ_PARALLEL"} >"$log" 2>&1; then
			result=ok
		else
			result=FAILED
			failed=1
		fi
		execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
		new=$(grep -o 'new interesting: [0-9]*' "$log" | tail -1 | cut -d' ' -f3)
		line=$(printf '%-40s %-8s %6ss %12s execs %6s new  %s' "$target" "${pkg##*/}" "$((SECONDS - start))" "${execs:-?}" "${new:-?}" "$result")
		echo "$line"
		summary+=("$line")
	done
done
printf '\nfuzzing summary (FUZZTIME=%s):\n' "$FUZZTIME"
printf '%s\n' "${summary[@]}"
exit $failed
