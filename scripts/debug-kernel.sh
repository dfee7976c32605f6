#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: build (once per machine) the debug kernel the test suite
# can boot instead of Debian's stock image: Debian's linux-source-6.1 with the
# small config in scripts/debug-kernel.config (virtio, 9p, netns, netfilter,
# tunnels, SCTP, stock IPVS as modules) plus KASAN, lockdep, kmemleak,
# DEBUG_OBJECTS, DEBUG_LIST and SLUB debugging. Then build our modules
# against it, in a copy of the sources (the repository's own *.ko stay the
# ones built for the stock kernel).
#
#   scripts/debug-kernel.sh [--print-dir]
#
# Everything lives under .cache/debug-kernel/:
#   src/<source-version>/       the unpacked Debian source tree (read-only use)
#   <key>/build/                the kernel object tree (KDIR for module builds)
#   <key>/bzImage               the image vm-run boots (Linux boot protocol)
#   <key>/root/lib/modules/<r>  its module tree: the "stock" tree of this kernel
#   <key>/release               <r>, the kernel release string
#   <key>/mod/                  a copy of our sources, built against build/
#   <key>/build-seconds         wall time the kernel build took here
# <key> hashes the config fragment's settings, the source version and a
# recipe number in this script, so a change to either rebuilds (a comment
# does not); an unchanged setup costs one stat per file.
#
# --print-dir prints <key>'s directory after making sure it is complete.
# The kernel build runs under `nice -n 19` (the machine is shared).
#
# Why a bzImage and not the vmlinux the stock kernel boots: qemu -kernel
# with an ELF vmlinux enters through the PVH note, and pvh_start_xen calls
# xen_prepare_pvh() (arch/x86/platform/pvh/enlighten.c), C compiled with
# KASAN instrumentation, before x86_64_start_kernel() has run
# kasan_early_init() to map the shadow: its first shadow access (its
# memset of pvh_bootparams goes through KASAN's checking memset) faults with
# no IDT, and the guest dies silently. KASAN_SANITIZE_enlighten.o := n in
# the unpacked tree would do for 6.1 today, but it patches the source we
# claim to test and holds only while the early PVH path stays inside that one
# file. The bzImage goes through the decompressor and startup_64, which
# calls kasan_early_init() first: the path every KASAN x86 kernel boots by
# upstream. Its one cost is the decompression (LZ4: a few seconds in TCG).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${IPVSNG_CACHE:-$top/.cache}
frag=$top/scripts/debug-kernel.config
jobs=${DEBUG_KERNEL_JOBS:-$(nproc)}

log() { printf 'debug-kernel: %s\n' "$*" >&2; }

print_dir=
[ "${1:-}" = --print-dir ] && print_dir=1

"$top/scripts/deps.sh"

# --- the source: Debian's linux-source-6.1 -------------------------------
export DEBIAN_FRONTEND=noninteractive
srcpkg=linux-source-6.1
if ! dpkg-query -W -f='${Status}' "$srcpkg" 2>/dev/null | grep -q 'install ok installed'; then
	log "installing $srcpkg"
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends "$srcpkg" >&2
fi
srcver=$(dpkg-query -W -f='${Version}' "$srcpkg")
tarball=/usr/src/$srcpkg.tar.xz
[ -f "$tarball" ] || { log "$tarball missing"; exit 1; }

# Bump recipe when the build steps below change in a way that matters.
recipe=2
# Only the fragment's settings count (its CONFIG_ lines, set or not set):
# editing a comment must not cost a kernel build.
key=$( { echo "$srcver $recipe"
	grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set)' "$frag"; } |
	sha256sum | cut -c1-16)
dk=$cache/debug-kernel/$key
src=$cache/debug-kernel/src/$srcver/$srcpkg

if [ ! -f "$dk/kernel.done" ]; then
	if [ ! -f "$src/.unpacked" ]; then
		log "unpacking $tarball"
		rm -rf "$(dirname "$src")"
		mkdir -p "$(dirname "$src")"
		nice -n 19 tar -xJf "$tarball" -C "$(dirname "$src")"
		touch "$src/.unpacked"
	fi

	# An interrupted build resumes: kbuild rebuilds only what is stale.
	mkdir -p "$dk/build"
	start=$SECONDS
	kmake() { nice -n 19 make -s -C "$src" O="$dk/build" "$@"; }
	log "configuring (tinyconfig + $(basename "$frag"))"
	kmake tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$dk/build" \
		"$dk/build/.config" "$frag" >/dev/null
	kmake olddefconfig >/dev/null
	# Every line of the fragment must have survived olddefconfig: a
	# dropped dependency would silently build a kernel without, say, KASAN.
	bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) want=$line ;;
		'# CONFIG_'*' is not set') want=$line ;;
		*) continue ;;
		esac
		sym=${want#\# }
		sym=${sym%%[= ]*}
		got=$(grep -E "^($sym=|# $sym is not set)" "$dk/build/.config" || true)
		if [ "$got" != "$want" ] &&
		   ! { [ -z "$got" ] && [ "${want#\# }" != "$want" ]; }; then
			log "config: wanted '$want', got '${got:-<absent>}'"
			bad=1
		fi
	done <"$frag"
	[ $bad -eq 0 ] || { log "config fragment not honoured"; exit 1; }

	log "building bzImage and modules with -j$jobs (tens of minutes)"
	kmake -j"$jobs" bzImage modules
	kmake INSTALL_MOD_PATH="$dk/root" modules_install >/dev/null
	rel=$(cat "$dk/build/include/config/kernel.release")
	# The module tree's build link points at the object tree, like a
	# distribution's headers package.
	rm -f "$dk/root/lib/modules/$rel/build" "$dk/root/lib/modules/$rel/source"
	ln -s "$dk/build" "$dk/root/lib/modules/$rel/build"
	cp "$dk/build/arch/x86/boot/bzImage" "$dk/bzImage"
	echo "$rel" >"$dk/release"
	echo $((SECONDS - start)) >"$dk/build-seconds"
	touch "$dk/kernel.done"
	log "kernel $rel built in $(cat "$dk/build-seconds")s"
fi

# --- our modules against it, built in a copy of the sources --------------
# The copy is refreshed from the repository every time (cheap); make then
# rebuilds only what changed.
mkdir -p "$dk/mod"
# Copy only files whose content changed, so make's timestamps stay meaningful.
(cd "$top" && find Kbuild Kbuild.sched include net -type f \
	! -name '*.o' ! -name '*.ko' ! -name '*.mod' ! -name '*.mod.c' ! -name '.*.cmd') |
while read -r f; do
	mkdir -p "$dk/mod/$(dirname "$f")"
	cmp -s "$top/$f" "$dk/mod/$f" || cp "$top/$f" "$dk/mod/$f"
done
make -s -C "$dk/build" M="$dk/mod" modules >&2

[ -n "$print_dir" ] && echo "$dk"
exit 0
