#!/usr/bin/env bash
# Fetches the Debian arm64 Linux kernel (cloud flavour) and busybox-static that the Linux boot test
# (Tests/Linux, docs/LINUX.md) runs, unpacked into build/debian/ (gitignored: nothing Debian ships is committed).
# Idempotent: when build/debian/ready names the files, it only prints them. Needs root and apt on Debian the first
# time (dpkg --add-architecture arm64; apt-get update); without them it says why and exits 1, and the test skips.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/debian
if [ -f "$out/ready" ]; then cat "$out/ready"; exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "fetch-debian: needs root and apt-get/dpkg-deb on Debian to download the arm64 kernel and busybox" >&2
  exit 1
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  apt-get update -qq
fi
# The kernel package apt offers: linux-image-<abi>-cloud-arm64-unsigned (the newest when several).
kernel=$(apt-cache search --names-only '^linux-image-[0-9].*-cloud-arm64-unsigned$' | awk '{print $1}' | sort -V | tail -1)
if [ -z "$kernel" ]; then
  apt-get update -qq
  kernel=$(apt-cache search --names-only '^linux-image-[0-9].*-cloud-arm64-unsigned$' | awk '{print $1}' | sort -V | tail -1)
fi
[ -n "$kernel" ] || { echo "fetch-debian: apt offers no linux-image-*-cloud-arm64-unsigned" >&2; exit 1; }
rm -rf "$out/debs" "$out/root"; mkdir -p "$out/debs" "$out/root" # (build/debian/u-boot-qemu is fetch-uboot.sh's)
# As root apt would hand the download to its _apt user, who cannot write here: download as root, quietly.
(cd "$out/debs" && apt-get download -qq -o APT::Sandbox::User=root "$kernel:arm64" busybox-static:arm64)
for deb in "$out"/debs/*.deb; do dpkg-deb -x "$deb" "$out/root"; done
rm -rf "$out/debs"
vmlinuz=$(ls "$out"/root/boot/vmlinuz-* | head -1)
busybox="$out/root/bin/busybox"
[ -f "$vmlinuz" ] && [ -f "$busybox" ] || { echo "fetch-debian: the packages lack vmlinuz or bin/busybox" >&2; exit 1; }
# Paths relative to the repository, so that the cache survives the work tree being moved.
printf 'kernel=%s\nvmlinuz=%s\nbusybox=%s\n' "$kernel" "$vmlinuz" "$busybox" > "$out/ready"
cat "$out/ready"
