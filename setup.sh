#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# setup.sh — install everything kensa needs to build and test on Debian 12, idempotently.
#
# What it does, and nothing else:
#   1. apt-get installs the build dependencies, the reference tools the tests compare
#      against (dpkg, python3-packaging, rpm, npm semver, Maven's ComparableVersion, RubyGems,
#      composer/semver, x/mod/semver, the semver crate, Trivy via npm) and podman;
#   2. writes podman's containers.conf settings this host needs (ulimits, runc);
#   3. mounts tracefs when it is missing (the eBPF sensor's tracepoints).
# Run as root (or through sudo). Safe to run again: it only changes what is missing.
set -eu

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: must run as root (try: sudo ./setup.sh)" >&2
		exit 2
	fi
}
need_root

packages="
	build-essential pkg-config clang llvm lld libclang-rt-14-dev
	libarchive-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev libssl-dev libyaml-dev
	libcjson-dev libjansson-dev libjson-c-dev zlib1g-dev libzstd-dev liblzma-dev libbz2-dev libdb5.3-dev
	libbpf-dev bpftool libelf-dev libpcre2-dev libmicrohttpd-dev libpq-dev libcmocka-dev
	python3 python3-packaging python3-jsonschema python3-apt python3-rpm rpm db5.3-util golang-go
	maven openjdk-17-jdk-headless ruby php-cli php-composer-semver golang-golang-x-mod-dev librust-semver-dev
	podman skopeo runc uidmap fuse-overlayfs slirp4netns strace time hyperfine
	chromium postgresql ca-certificates curl gzip zstd
"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q '^install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "setup.sh: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# node/npm are needed for the npm semver reference and Trivy (the peer); install Debian's
# only when the machine has none.
if ! command -v npm >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# podman on this host: crun refuses the cgroup layout and the default nofile limit is too
# high for the sandbox, so set runc and explicit ulimits.
conf=/etc/containers/containers.conf
mkdir -p /etc/containers
if ! grep -q 'kensa-setup' "$conf" 2>/dev/null; then
	cat >"$conf" <<'CONF'
# written by kensa setup.sh (kensa-setup): settings this host needs for podman
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
CONF
fi

if [ ! -d /sys/kernel/tracing/events ] && [ -d /sys/kernel/tracing ]; then
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
fi
echo "setup.sh: dependencies ready"
