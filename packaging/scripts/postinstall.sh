#!/bin/sh
# Makes systemd see the unit (deb and rpm postinstall). The service is not
# enabled or started: it needs LOKI_OTLP_ENDPOINT in
# /etc/otelcol-aind/otelcol-aind.env first.
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
