#!/usr/bin/env bash
# Makes a fresh Debian machine ready for `npm test` (run as npm's `pretest`):
# Debian packages, a running Docker engine, the probe, the TypeScript and renderer builds, fixture images.
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(docker.io musl-tools busybox-static debootstrap chromium strace make gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "prepare: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "prepare: missing Debian packages: ${missing[*]}" >&2
    echo "prepare: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi

if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "prepare: starting dockerd"
    (dockerd >/var/log/imprint-dockerd.log 2>&1 &)
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  fi
  docker info >/dev/null 2>&1 || { echo "prepare: no Docker engine answers; start one (sudo dockerd &)" >&2; exit 2; }
fi

npm run --silent build
bash test/fixtures/images/build.sh
