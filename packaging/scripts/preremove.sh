#!/bin/sh
# Stops the service before its binary goes (deb and rpm preremove). On an
# upgrade (deb "upgrade", rpm "1") it keeps running until restarted.
set -e
case "$1" in
upgrade | 1) exit 0 ;;
esac
if [ -d /run/systemd/system ]; then
	systemctl stop otelcol-aind.service >/dev/null 2>&1 || true
	systemctl disable otelcol-aind.service >/dev/null 2>&1 || true
fi
