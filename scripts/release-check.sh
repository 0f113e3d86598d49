#!/usr/bin/env bash
# Checks what `make release-snapshot` wrote into dist/ (run by `make
# release-check`): each archive's contents, the deb's and the rpm's files,
# conffiles and scripts, and the checksums. Lists everything it checks.
#
# Environment:
#   VERSION   the release's version (the VERSION file)
set -euo pipefail

cd "$(dirname "$0")/.."
VERSION=${VERSION:-$(cat VERSION)}
configs=(gateway.yaml capsule-agent.yaml rig-agent.yaml standalone.yaml capsule-run.yaml)
# The guides README.md links to (docs/releases.md): every docs/*.md of the tree.
docs=(docs/*.md)

fail() {
	echo "release-check: $*" >&2
	exit 1
}

[[ -f ${docs[0]} ]] || fail "no docs/*.md in $(pwd)"

# require LISTING PATH...: fails unless each PATH is a line of LISTING.
require() {
	local listing=$1 path
	shift
	for path in "$@"; do
		grep -qxF -- "$path" <<<"$listing" || fail "missing $path"
	done
}

# one GLOB: the single file of dist/ that GLOB names.
one() {
	local matches=(dist/$1)
	[[ ${#matches[@]} -eq 1 && -f ${matches[0]} ]] || fail "expected one dist/$1, found: ${matches[*]}"
	echo "${matches[0]}"
}

echo "== archives"
for arch in linux_amd64 linux_arm64; do
	archive=$(one "otelcol-aind_${VERSION}*_${arch}.tar.gz")
	listing=$(tar -tzf "$archive")
	echo "$archive:"; sed 's/^/  /' <<<"$listing"
	require "$listing" otelcol-aind README.md "${configs[@]/#/config/}" "${docs[@]}"
done
# The binary must call itself otelcol-aind at VERSION.
version=$(tar -xzOf "$(one "otelcol-aind_${VERSION}*_linux_amd64.tar.gz")" otelcol-aind >"${TMPDIR:-/tmp}/otelcol-aind.release-check" &&
	chmod +x "${TMPDIR:-/tmp}/otelcol-aind.release-check" && "${TMPDIR:-/tmp}/otelcol-aind.release-check" --version)
rm -f "${TMPDIR:-/tmp}/otelcol-aind.release-check"
[[ $version == "otelcol-aind version $VERSION" ]] || fail "the linux_amd64 binary says '$version', want 'otelcol-aind version $VERSION'"
echo "ok: $version"
archive=$(one "otelcol-aind_${VERSION}*_windows_amd64.zip")
listing=$(unzip -Z1 "$archive")
echo "$archive:"; sed 's/^/  /' <<<"$listing"
require "$listing" otelcol-aind.exe README.md "${configs[@]/#/config/}" "${docs[@]}"

etc_files=("${configs[@]/#//etc/otelcol-aind/}" /etc/otelcol-aind/otelcol-aind.env)
unit=/usr/lib/systemd/system/otelcol-aind.service

echo "== deb"
deb=$(one "otelcol-aind_${VERSION}*_amd64.deb")
dpkg-deb -I "$deb"
listing=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#')
sed 's/^/  /' <<<"$listing"
require "$listing" /usr/bin/otelcol-aind "$unit" "${etc_files[@]}"
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
echo "conffiles:"; sed 's/^/  /' <<<"$conffiles"
require "$conffiles" "${etc_files[@]}"
dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -qxF ./preinst || fail "the deb has no preinst"

echo "== rpm"
rpm=$(one "otelcol-aind-${VERSION}*.x86_64.rpm")
rpm -qip "$rpm"
listing=$(rpm -qlp "$rpm")
sed 's/^/  /' <<<"$listing"
require "$listing" /usr/bin/otelcol-aind "$unit" "${etc_files[@]}"
conffiles=$(rpm -qcp "$rpm")
echo "config files:"; sed 's/^/  /' <<<"$conffiles"
require "$conffiles" "${etc_files[@]}"
scripts=$(rpm -qp --scripts "$rpm")
echo "$scripts"
grep -q "useradd --system" <<<"$scripts" || fail "the rpm's preinstall does not create the otelcol-aind user"

echo "== checksums"
(cd dist && sha256sum -c checksums.txt)
echo "release-check: all artifacts as expected"
