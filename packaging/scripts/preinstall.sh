#!/bin/sh
# Creates the otelcol-aind system user and group that the service runs as
# (deb and rpm preinstall).
set -e
if ! getent group otelcol-aind >/dev/null; then
	groupadd --system otelcol-aind
fi
if ! getent passwd otelcol-aind >/dev/null; then
	useradd --system --gid otelcol-aind --home-dir /var/lib/otelcol-aind \
		--no-create-home --shell /usr/sbin/nologin \
		--comment "otelcol-aind collector" otelcol-aind
fi
