#!/usr/bin/env bash
# Fetches U-Boot for QEMU's virt machine from Debian's u-boot-qemu package (Architecture: all) into the gitignored
# build/debian/ cache, for Tests/Firmware/UBootTests.cs: build/debian/u-boot-qemu/usr/lib/u-boot/qemu_arm64/u-boot.bin.
# Nothing Debian ships is committed. Quick and silent when the file is already there; needs apt-get (Debian) and
# only downloads, never installs. Exit 0 with a note when it cannot fetch: the U-Boot tests then skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=build/debian
target=$cache/u-boot-qemu/usr/lib/u-boot/qemu_arm64/u-boot.bin
[ -f "$target" ] && exit 0
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "fetch-uboot: apt-get/dpkg-deb missing: the U-Boot tests will be skipped" >&2
  exit 0
fi
mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt-get download writes into the current directory; a stale package list is refreshed once when it finds nothing.
if ! (cd "$tmp" && apt-get download -qq u-boot-qemu 2>/dev/null); then
  [ "$(id -u)" = 0 ] && apt-get update -qq
  (cd "$tmp" && apt-get download -qq u-boot-qemu) || { echo "fetch-uboot: cannot download u-boot-qemu: the U-Boot tests will be skipped" >&2; exit 0; }
fi
rm -rf "$cache/u-boot-qemu"
dpkg-deb -x "$tmp"/u-boot-qemu_*.deb "$cache/u-boot-qemu"
# Record which package version the tests ran against.
dpkg-deb -f "$tmp"/u-boot-qemu_*.deb Version > "$cache/u-boot-qemu/VERSION"
[ -f "$target" ] || { echo "fetch-uboot: $target missing from the package" >&2; exit 1; }
