#!/usr/bin/env bash
# Windows smoke test of build/otelcol-aind.exe under wine (run by
# `make smoke-windows`).
#
#  1. `otelcol-aind.exe --version`, and `validate` of config/rig-agent.yaml
#     copied to C:\ProgramData\AIND\otelcol\ and given by its Windows path;
#  2. run 1: the collector tails C:\AIND-smoke\logs\*.jsonl (CRLF lines, a
#     BOM, non-ASCII text and file name, a line that is not JSON, an excluded
#     file, include and exclude patterns written with /) with scripts/windows-smoke/smoke.yaml, writes OTLP JSON into
#     C:\AIND-smoke\out\, and is stopped with Ctrl-C (SIGINT: wine turns it
#     into the console's CTRL_C_EVENT); the checker compares every record
#     exactly (body without CR, severity, log.file.path with backslashes,
#     resource from AIBS_RIG_ID / aibs_comp_id / COMPUTERNAME);
#  3. run 2: lines appended, the collector started again on the checkpoints
#     it kept in file_storage on C:, and only the new lines must come out;
#  4. `otelcol-aind.exe run --config C:\AIND-smoke\run\run.yaml -- child.exe`
#     (scripts/windows-smoke/run.yaml, AIND_STORAGE_DIR on C:): the child
#     (scripts/windows-smoke/child, cross-compiled) writes CRLF, LF, non-ASCII
#     and unended lines to stdout and stderr and exits with 3; the wrapper must
#     exit with 3, pass stdout through byte for byte (compared with child.exe
#     run alone) and stderr whole, deliver every line as a record with its
#     log.iostream and one end-of-run record (process.exit.code 3,
#     process.command child.exe), and remove its spool; then a command that
#     does not exist: 127, a message naming the program only;
#  5. run 3: as a Windows service under wine's service control manager
#     (sc create with docs/rigs.md's quoted binPath, sc start, sc stop), with
#     the rig's variables machine-level: its one new record, exit code 0,
#     and its own log in the Event Log under the service's name.
#
# The wine prefix is build/wine (WINEPREFIX), kept between runs: creating it
# took 9-12 s here. Each start of the collector under wine takes 10-15 s: the
# generated main first asks the service control manager whether it runs as
# a service, and wine answers "no" only after a 10-second timeout
# (StartServiceCtrlDispatcher: "failed to create control pipe"); on Windows
# the answer is immediate (`otelcol-aind.exe run` too: each of its two runs
# takes 10-11 s). The whole test took 82-86 s here.
#
# Debian bookworm's wine 8.0 has no bcryptprimitives.dll, which Go 1.24 and
# later need at startup ("fatal error: bcryptprimitives.dll not found"); the
# script builds a test-only stand-in with mingw-w64
# (scripts/windows-smoke/bcryptprimitives.c) into the prefix's system32.
#
# Environment:
#   OTELCOL_EXE    collector binary             (default build/otelcol-aind.exe)
#   WINE           wine loader                  (default wine64 on PATH, else
#                                                /usr/lib/wine/wine64, else wine)
#   WINEPREFIX     wine prefix                  (default build/wine)
#   MINGW_CC       mingw-w64 C compiler         (default x86_64-w64-mingw32-gcc)
#   SMOKE_TIMEOUT  seconds to wait per run      (default 90)
#   RIG_AGENT_CONFIG  the rig config to validate (default config/rig-agent.yaml)
#   GO             go command                   (default go)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD

OTELCOL_EXE=${OTELCOL_EXE:-build/otelcol-aind.exe}
SMOKE_TIMEOUT=${SMOKE_TIMEOUT:-90}
GO=${GO:-go}
RIG_AGENT_CONFIG=${RIG_AGENT_CONFIG:-config/rig-agent.yaml}
MINGW_CC=${MINGW_CC:-x86_64-w64-mingw32-gcc}
export WINEPREFIX=${WINEPREFIX:-$root/build/wine}
export WINEARCH=win64
# No wine debug output; no Mono/Gecko installers when the prefix is created.
export WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}

fail() {
	echo "windows-smoke: FAIL: $*" >&2
	exit 1
}
step() {
	echo "windows-smoke: [$((SECONDS - t0)) s] $*"
}
t0=$SECONDS

if [[ -z ${WINE:-} ]]; then
	if command -v wine64 >/dev/null; then WINE=wine64
	elif [[ -x /usr/lib/wine/wine64 ]]; then WINE=/usr/lib/wine/wine64
	elif command -v wine >/dev/null; then WINE=wine
	else fail "wine not found: install Debian's wine64 (apt-get install --no-install-recommends wine64)"
	fi
fi
command -v "$MINGW_CC" >/dev/null ||
	fail "$MINGW_CC not found: install Debian's gcc-mingw-w64-x86-64-win32 (it builds the test-only bcryptprimitives.dll)"
[[ -f $OTELCOL_EXE ]] || fail "$OTELCOL_EXE not found; run 'make build-windows' first"
WINESERVER=$(dirname "$(command -v "$WINE")")/wineserver
[[ -x $WINESERVER ]] || WINESERVER=$(command -v wineserver || echo wineserver)
exe=$(realpath "$OTELCOL_EXE")

collector_pid=
work=$(mktemp -d "${TMPDIR:-/tmp}/otelcol-aind-winsmoke.XXXXXX")
cleanup() {
	if [[ -n $collector_pid ]] && kill -0 "$collector_pid" 2>/dev/null; then
		kill -KILL "$collector_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# --- the prefix and the stand-in DLL ------------------------------------
drive_c=$WINEPREFIX/drive_c
if [[ ! -d $drive_c/windows/system32 ]]; then
	step "creating the wine prefix $WINEPREFIX"
	s=$SECONDS
	timeout 300 "$WINE" wineboot --init >"$work/wineboot.log" 2>&1 || {
		cat "$work/wineboot.log" >&2
		fail "wineboot --init failed"
	}
	"$WINESERVER" -w
	step "prefix created in $((SECONDS - s)) s"
fi
dll=build/windows-smoke/bcryptprimitives.dll
src=scripts/windows-smoke/bcryptprimitives.c
if [[ ! -f $dll || $src -nt $dll ]]; then
	mkdir -p "$(dirname "$dll")"
	"$MINGW_CC" -O2 -shared -o "$dll" "$src" -lbcrypt
fi
cmp -s "$dll" "$drive_c/windows/system32/bcryptprimitives.dll" ||
	cp "$dll" "$drive_c/windows/system32/bcryptprimitives.dll"

"$GO" build -o "$work/check" ./scripts/windows-smoke/check

# --- --version and validate -----------------------------------------------
step "otelcol-aind.exe --version"
version=$(timeout 60 "$WINE" "$exe" --version 2>"$work/version.err") || {
	cat "$work/version.err" >&2
	fail "--version failed"
}
echo "  $version"
[[ $version == "otelcol-aind version "* ]] || fail "unexpected --version output: $version"

step "otelcol-aind.exe validate --config C:\\ProgramData\\AIND\\otelcol\\rig-agent.yaml"
mkdir -p "$drive_c/ProgramData/AIND/otelcol"
cp "$RIG_AGENT_CONFIG" "$drive_c/ProgramData/AIND/otelcol/rig-agent.yaml"
LOKI_OTLP_ENDPOINT=http://localhost:3100/otlp timeout 60 \
	"$WINE" "$exe" validate --config 'C:\ProgramData\AIND\otelcol\rig-agent.yaml' ||
	fail "rig-agent.yaml does not validate on Windows"

# --- runs 1 and 2 -----------------------------------------------------------
smoke=$drive_c/AIND-smoke
rm -rf "$smoke"
mkdir -p "$smoke"
cp scripts/windows-smoke/smoke.yaml "$smoke/smoke.yaml"
"$work/check" -write "$smoke/logs" -run 1
host=$(timeout 30 "$WINE" cmd /c 'echo %COMPUTERNAME%' | tr -d '\r\n')
[[ -n $host ]] || fail "no COMPUTERNAME under wine"

# run N WANT: start the collector with output C:\AIND-smoke\out\runN.json,
# wait until it holds WANT records, stop it with SIGINT, check it exactly.
run() {
	local n=$1 want=$2 out=$smoke/out/run$1.json got=0 status=0
	step "run $n: starting the collector (C:\\AIND-smoke\\smoke.yaml), waiting for $want records"
	# The variables of a rig: AIBS_RIG_ID in upper case (Windows looks names
	# up case-insensitively; the config says ${env:aibs_rig_id}).
	env -u aibs_rig_id -u AIBS_COMP_ID AIBS_RIG_ID=NP.1 aibs_comp_id=NP.1-Acq \
		SMOKE_OUT="C:\\AIND-smoke\\out\\run$n.json" SMOKE_LOG='C:\AIND-smoke\otelcol.log' \
		"$WINE" "$exe" --config 'C:\AIND-smoke\smoke.yaml' >"$work/run$n.log" 2>&1 &
	collector_pid=$!
	local deadline=$((SECONDS + SMOKE_TIMEOUT))
	while :; do
		# A line the exporter is still writing fails the count: 0 until the next look.
		got=$("$work/check" -count "$out" 2>/dev/null) || got=0
		[[ $got -ge $want ]] && break
		kill -0 "$collector_pid" 2>/dev/null || { status=1; echo "windows-smoke: the collector exited" >&2; break; }
		[[ $SECONDS -lt $deadline ]] || { status=1; echo "windows-smoke: timed out after $SMOKE_TIMEOUT s with $got of $want records" >&2; break; }
		sleep 0.5
	done
	step "run $n: $got records; stopping the collector (SIGINT)"
	kill -INT "$collector_pid" 2>/dev/null || true
	for _ in $(seq 1 60); do
		kill -0 "$collector_pid" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$collector_pid" 2>/dev/null; then
		echo "windows-smoke: the collector did not exit within 30 s of SIGINT" >&2
		status=1
	fi
	local cstatus=0
	wait "$collector_pid" || cstatus=$?
	collector_pid=
	if [[ $status -eq 0 && $cstatus -ne 0 ]]; then
		echo "windows-smoke: the collector exited with status $cstatus" >&2
		status=1
	fi
	if [[ $status -eq 0 ]]; then
		"$work/check" -run "$n" -out "$out" -host "$host" || status=$?
	fi
	if [[ $status -ne 0 ]]; then
		echo "---- collector output (run $n) ----" >&2
		tail -n 50 "$work/run$n.log" >&2 || true
		echo "---- C:\\AIND-smoke\\otelcol.log (last 50 lines) ----" >&2
		tail -n 50 "$smoke/otelcol.log" >&2 || true
		fail "run $n"
	fi
}

run 1 7
[[ -s $smoke/otelcol.log ]] || fail "the collector's own log C:\\AIND-smoke\\otelcol.log is missing or empty"
[[ -d $smoke/otelcol/storage ]] || fail "file_storage did not create C:\\AIND-smoke\\otelcol\\storage"
"$work/check" -write "$smoke/logs" -run 2
run 2 1

# --- otelcol-aind.exe run -- child.exe --------------------------------------
# The run subcommand, as a rig runs an acquisition script: the child
# (scripts/windows-smoke/child, cross-compiled) writes known lines (CRLF, LF,
# non-ASCII, a line in two writes, a last line without its end) to stdout and
# stderr and exits with status 3. The wrapper's exit status, stdout and
# stderr are compared with the child's own under wine, and the records the
# config (scripts/windows-smoke/run.yaml) writes to a file with what the
# child wrote; the spool, in AIND_STORAGE_DIR on C:, must be gone after the
# complete delivery. Then a command that does not exist: status 127, a
# message naming the program only, and its end-of-run record.
rundir=$smoke/run
mkdir -p "$rundir/logs"
: >"$rundir/logs/rig.jsonl" # the receiver's own file: empty
cp scripts/windows-smoke/run.yaml "$rundir/run.yaml"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 "$GO" build -o "$rundir/child.exe" ./scripts/windows-smoke/child
secret=s3cret-$RANDOM # an argument: it must appear in no record and no message

step "child.exe alone"
status=0
timeout 60 "$WINE" 'C:\AIND-smoke\run\child.exe' "--token=$secret" \
	</dev/null >"$work/child.out" 2>"$work/child.err" || status=$?
[[ $status -eq 3 ]] || fail "child.exe alone exited with status $status, want 3"
"$work/check" -child-stdout "$work/child.out" -child-stderr "$work/child.err" || fail "child.exe alone"

# wrapper NAME OUT COMMAND...: otelcol-aind.exe run with run.yaml, the spool
# in C:\AIND-smoke\run\storage and the records in C:\AIND-smoke\run\out\OUT;
# its status in $status, its stdout and stderr in $work/NAME.out, .err.
wrapper() {
	local name=$1 out=$2
	shift 2
	status=0
	AIND_STORAGE_DIR='C:\AIND-smoke\run\storage' SMOKE_OUT="C:\\AIND-smoke\\run\\out\\$out" \
		timeout "$SMOKE_TIMEOUT" "$WINE" "$exe" run --config 'C:\AIND-smoke\run\run.yaml' -- "$@" \
		</dev/null >"$work/$name.out" 2>"$work/$name.err" || status=$?
}
# wrapper_fail NAME MESSAGE: the wrapper's stderr, then fail.
wrapper_fail() {
	echo "---- otelcol-aind.exe run: stderr (last 30 lines) ----" >&2
	tail -n 30 "$work/$1.err" >&2 || true
	[[ -z $(tail -c 1 "$work/$1.err") ]] || echo >&2 # the child's last line has no end
	fail "$2"
}
# spool_removed NAME: the storage directory holds no spool. (Under wine 8.0,
# os.RemoveAll alone removes nothing there: see consolespool.Remove.)
spool_removed() {
	[[ -d $rundir/storage ]] || wrapper_fail "$1" "AIND_STORAGE_DIR C:\AIND-smoke\run\storage was not created"
	local left
	left=$(cd "$rundir/storage" && find . -mindepth 1 | sort | head -n 20)
	[[ -z $left ]] || wrapper_fail "$1" "the spool was kept after a complete delivery: $(echo "$left" | tr '\n' ' ')"
}
# no_secret NAME FILE...: the child's argument is in none of the files.
no_secret() {
	local name=$1 f
	shift
	for f in "$@"; do
		! grep -q -- "$secret" "$f" || wrapper_fail "$name" "the job's argument appears in $(basename "$f")"
	done
}

step "otelcol-aind.exe run --config C:\AIND-smoke\run\run.yaml -- C:\AIND-smoke\run\child.exe"
s=$SECONDS
wrapper run child.json 'C:\AIND-smoke\run\child.exe' "--token=$secret"
step "the wrapper exited with status $status after $((SECONDS - s)) s"
[[ $status -eq 3 ]] || wrapper_fail run "otelcol-aind.exe run exited with status $status, want the child's 3"
# The pass-through: stdout byte for byte, stderr holding the child's.
cmp -s "$work/child.out" "$work/run.out" ||
	wrapper_fail run "the wrapper's stdout ($(wc -c <"$work/run.out") bytes) is not child.exe's own ($(wc -c <"$work/child.out") bytes)"
"$work/check" -console "$rundir/out/child.json" -exit 3 -command child.exe -lines \
	-stdout "$work/run.out" -stderr "$work/run.err" || wrapper_fail run "otelcol-aind.exe run -- child.exe"
spool_removed run
no_secret run "$rundir/out/child.json" "$work/run.err"
echo "  stdout: $(wc -c <"$work/run.out") bytes, identical to child.exe's own; spool removed from C:\\AIND-smoke\\run\\storage"

step "otelcol-aind.exe run --config C:\\AIND-smoke\\run\\run.yaml -- no-such-program"
wrapper missing missing.json no-such-program "--token=$secret"
[[ $status -eq 127 ]] || wrapper_fail missing "otelcol-aind.exe run -- no-such-program exited with status $status, want 127"
grep -qxF 'otelcol-aind run: no-such-program: command not found' "$work/missing.err" ||
	wrapper_fail missing "no message 'otelcol-aind run: no-such-program: command not found' on stderr"
"$work/check" -console "$rundir/out/missing.json" -exit 127 -command no-such-program \
	-stdout "$work/missing.out" -stderr "$work/missing.err" || wrapper_fail missing "otelcol-aind.exe run -- no-such-program"
spool_removed missing
no_secret missing "$rundir/out/missing.json" "$work/missing.err"
echo "  $(grep -F 'otelcol-aind run:' "$work/missing.err")"

# --- run 3: as a Windows service --------------------------------------------
# wine's service control manager (services.exe) starts the service the way
# Windows does: the generated main's svc.Run connects, and the collector
# runs otelcol's service handler, which logs to the Event Log under the
# service's name. wine's Event Log is a stub that traces each event
# (WINEDEBUG +eventlog; the source's name in a fixme of advapi) in the wine
# session's first process, the keeper below, whose WINEDEBUG the services
# inherit. wine ends its
# services when the last program exits, so the keeper stays until the end.
step "run 3: sc create / start / stop otelcol-aind as a service"
# The rig's variables as machine-level variables (what
# [Environment]::SetEnvironmentVariable(..., 'Machine') writes): a service
# gets the machine environment, not the environment of whoever started it.
menv='HKLM\System\CurrentControlSet\Control\Session Manager\Environment'
timeout 60 "$WINE" reg add "$menv" /v aibs_rig_id /d NP.1 /f >/dev/null
timeout 60 "$WINE" reg add "$menv" /v aibs_comp_id /d NP.1-Acq /f >/dev/null
"$WINESERVER" -k 2>/dev/null || true
"$WINESERVER" -w
"$work/check" -write "$smoke/logs" -run 3
install_dir="$drive_c/Program Files/otelcol-aind"
mkdir -p "$install_dir"
cp "$exe" "$install_dir/otelcol-aind.exe"
mkfifo "$work/keep"
sleep 600 >"$work/keep" &
sleeper=$!
env -u aibs_rig_id -u AIBS_RIG_ID -u aibs_comp_id -u AIBS_COMP_ID WINEDEBUG=-all,+eventlog,fixme+advapi \
	"$WINE" cmd /c pause <"$work/keep" >"$work/services.log" 2>&1 &
keeper=$!
service_done() {
	timeout 60 "$WINE" reg delete "$menv" /v aibs_rig_id /f >/dev/null 2>&1 || true
	timeout 60 "$WINE" reg delete "$menv" /v aibs_comp_id /f >/dev/null 2>&1 || true
	"$WINESERVER" -k 2>/dev/null || true
	kill "$sleeper" 2>/dev/null || true
	wait "$keeper" "$sleeper" 2>/dev/null || true
}
service_fail() {
	echo "---- sc output ----" >&2
	cat "$work/sc.log" >&2 || true
	echo "---- events (last 20) ----" >&2
	grep 'ReportEventW' "$work/services.log" | tail -n 20 >&2 || true
	service_done
	fail "$*"
}
sc() {
	echo "> sc $*" >>"$work/sc.log"
	timeout 60 "$WINE" sc "$@" >>"$work/sc.log" 2>&1
}
state() {
	timeout 60 "$WINE" sc query otelcol-aind 2>/dev/null | tr -d '\r' | awk '$1 == "STATE" {print $4}'
}
sleep 5
sc delete otelcol-aind || true # left by an interrupted run
# The binPath as docs/rigs.md has it: the exe's path quoted (it has a space),
# then the flags, which the collector reads from its command line.
sc create otelcol-aind binPath= '"C:\Program Files\otelcol-aind\otelcol-aind.exe" --config "C:\AIND-smoke\smoke.yaml"' start= demand ||
	service_fail "sc create"
sc start otelcol-aind || service_fail "sc start"
deadline=$((SECONDS + SMOKE_TIMEOUT))
until [[ $(state) == RUNNING ]]; do
	[[ $SECONDS -lt $deadline ]] || service_fail "the service is not RUNNING after $SMOKE_TIMEOUT s (state $(state))"
	sleep 1
done
until got=$("$work/check" -count "$smoke/out/service.json" 2>/dev/null) && [[ $got -ge 1 ]]; do
	[[ $SECONDS -lt $deadline ]] || service_fail "the service wrote no record to C:\AIND-smoke\out\service.json"
	sleep 0.5
done
sc stop otelcol-aind || service_fail "sc stop"
until [[ $(state) == STOPPED ]]; do
	[[ $SECONDS -lt $deadline ]] || service_fail "the service did not stop (state $(state))"
	sleep 1
done
timeout 60 "$WINE" sc query otelcol-aind | tr -d '\r' | grep -q 'WIN32_EXIT_CODE *: 0 ' ||
	service_fail "the service stopped with an error: $(timeout 60 "$WINE" sc query otelcol-aind)"
"$work/check" -run 3 -out "$smoke/out/service.json" -host "$host" || service_fail "run 3"
# Events: the source is the service's name, the text zap's console lines.
grep -q 'RegisterEventSourceW ((null),L"otelcol-aind")' "$work/services.log" ||
	service_fail "the service did not open the Event Log as otelcol-aind"
for msg in 'Everything is ready' 'Received shutdown request' 'Shutdown complete'; do
	# One grep, not a pipe into grep -q: under pipefail, the first grep's
	# SIGPIPE when grep -q stops reading early would count as a miss.
	grep -q "ReportEventW.*$msg" "$work/services.log" || service_fail "no \"$msg\" event in the Event Log"
done
echo "  Event Log source otelcol-aind: $(grep -c 'trace:eventlog:ReportEventW' "$work/services.log") events, e.g."
grep -m 1 'trace:eventlog:ReportEventW.*Everything is ready' "$work/services.log" | cut -c1-160 | sed 's/^/    /'
sc delete otelcol-aind || true
service_done

step "PASSED"
