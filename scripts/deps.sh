#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything ipvs-ng needs from Debian's archive, idempotently, and
# unpack (never install) the stock kernel image that matches the headers we
# build against, so the VM harness can boot it.
#
# The archive moves on: security updates replace the kernel ABI number. We
# always take the ABI that linux-headers-amd64 depends on *now* and fetch the
# image of exactly that ABI, so headers and image can never disagree.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${IPVSNG_CACHE:-$top/.cache}
stamp=$cache/deps.stamp

pkgs=(build-essential bc flex bison libelf-dev libssl-dev pkg-config kmod cpio
      xz-utils zstd libnl-3-dev libnl-genl-3-dev libpopt-dev qemu-system-x86
      busybox-static iproute2 socat curl iperf3 ipvsadm nftables iptables
      python3 gnupg gnuplot-nox)

log() { printf 'deps: %s\n' "$*" >&2; }

need_install() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || return 0
	done
	return 1
}

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return
	log "apt-get update"
	apt-get update -qq >&2
	apt_updated=1
}

export DEBIAN_FRONTEND=noninteractive
mkdir -p "$cache"

# Fast path: nothing changed since last time and the image is unpacked.
if [ -f "$stamp" ] && ! need_install "${pkgs[@]}" &&
   [ -e "$cache/kernel/$(cat "$stamp")/vmlinux" ]; then
	exit 0
fi

if need_install "${pkgs[@]}"; then
	apt_update
	log "installing packages"
	apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
fi

# Pair headers and image of the ABI the archive offers now.
apt_update
abi_pkg=$(apt-cache depends linux-headers-amd64 2>/dev/null |
	  sed -n 's/^ *Depends: \(linux-headers-[0-9.]*-[0-9]*-amd64\)$/\1/p' | head -n1)
[ -n "$abi_pkg" ] || { log "cannot resolve linux-headers-amd64"; exit 1; }
abi=${abi_pkg#linux-headers-}
if need_install "$abi_pkg"; then
	log "installing $abi_pkg"
	apt-get install -y -qq --no-install-recommends "$abi_pkg" >&2
fi

kdir=$cache/kernel/$abi
if [ ! -e "$kdir/vmlinux" ]; then
	log "fetching linux-image-$abi-unsigned (unpacked, not installed)"
	tmp=$(mktemp -d); chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -qq "linux-image-$abi-unsigned" >&2)
	rm -rf "$kdir"
	mkdir -p "$kdir/root"
	dpkg-deb -x "$tmp"/linux-image-*.deb "$kdir/root"
	rm -rf "$tmp"
	depmod -b "$kdir/root" "$abi"
	# The uncompressed vmlinux boots through qemu's PVH entry point,
	# saving seconds of emulated decompression on every boot.
	"$top/scripts/extract-vmlinux" "$kdir/root/boot/vmlinuz-$abi" >"$kdir/vmlinux.tmp"
	mv "$kdir/vmlinux.tmp" "$kdir/vmlinux"
fi
echo "$abi" >"$stamp"
log "ready: kernel $abi"
