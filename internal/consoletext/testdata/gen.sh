#!/bin/sh
# Makes each NAME.txt: what Debian's Python 3.11 prints on stderr running
# NAME.py from this directory. The tests read the .txt files; run this again
# only to see what another Python prints.
set -u
cd "$(dirname "$0")"
for py in *.py; do
	# Python prints the absolute path of the script: the files keep it relative.
	/usr/bin/python3 "$py" 2>&1 >/dev/null | sed "s|$PWD/||" >"${py%.py}.txt"
done
