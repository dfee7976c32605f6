# SPDX-License-Identifier: GPL-2.0
#
# Guest-side helpers for VM tests (sourced by tests/vm/*.sh, which
# scripts/vm-run starts as root inside the guest).
#
# Phases: a test that compares our module with the stock one runs its
# scenario once per phase. ipvs_phase unloads every IPVS module, mounts the
# requested module tree at /lib/modules/<abi> and loads ip_vs from it, then
# asserts which one it got. Both are never loaded together.

: "${IPVSNG_TOP:?run VM tests through scripts/vm-run}"
. "$IPVSNG_TOP/tests/lib/tap.sh"
. "$IPVSNG_TOP/tests/lib/kernel-bad.sh"

STOCK_IPVSADM=/usr/sbin/ipvsadm
OUR_IPVSADM=$IPVSNG_TOP/tools/ipvsadm/ipvsadm
TOOLS=$IPVSNG_TOP/tests/bin

# Every IPVS module currently loaded, dependents first.
ipvs_loaded() {
	awk '$1 ~ /^ip_vs/ { print $1 }' /proc/modules | sort -r
}

ipvs_unload() {
	local m deadline=$((SECONDS + 60))
	# A deleted namespace's services (and the scheduler modules they hold)
	# go away only when the kernel's netns cleanup work gets to it, later
	# and slower the busier the machine: retry for a while.
	while [ -n "$(ipvs_loaded)" ]; do
		for m in $(ipvs_loaded); do
			[ "$m" = ip_vs ] && continue
			rmmod "$m" 2>/dev/null
		done
		rmmod ip_vs 2>/dev/null && continue
		if [ $SECONDS -ge $deadline ]; then
			echo "ipvs_unload: cannot unload: $(ipvs_loaded)" >&2
			return 1
		fi
		nap 0.2
	done
}

is_ours() {
	grep -q ng "/sys/module/ip_vs/version" 2>/dev/null
}

# ipvs_phase stock|ours: switch module tree and load ip_vs from it.
ipvs_phase() {
	local tree
	case $1 in
	stock) tree=$IPVSNG_STOCK_TREE ;;
	ours) tree=$IPVSNG_OURS_TREE ;;
	*) echo "ipvs_phase: $1?" >&2; return 2 ;;
	esac
	ipvs_unload || return 1
	umount "/lib/modules/$IPVSNG_ABI" 2>/dev/null
	mount --bind "$tree" "/lib/modules/$IPVSNG_ABI" || return 1
	PHASE=$1
	modprobe ip_vs || return 1
	if [ "$1" = ours ]; then
		is_ours || { echo "ipvs_phase: loaded ip_vs is not ours" >&2; return 1; }
	else
		! is_ours || { echo "ipvs_phase: loaded ip_vs is ours" >&2; return 1; }
	fi
}

# The tree is switched but nothing is loaded (for tests that load by hand).
ipvs_tree() {
	ipvs_phase "$1" && ipvs_unload
}

# kernel_clean: no warning/oops/sanitizer report in the kernel log so far
# (the patterns are shared with scripts/vm-run). On a kernel with kmemleak,
# leaks only show once scanned: scripts/guest-init scans after the command.
kernel_clean() {
	! dmesg | grep -qE "$KERNEL_BAD_RE"
}

# nap SECS: sleep without starting a process (sleep(1) costs a fork and an
# exec, ~50 ms in the VM, on every turn of a polling loop): a read with a
# timeout on a FIFO nobody writes to (opened read-write, so the open does
# not wait for a writer; /dev/fd, which <(...) needs, is absent here).
NAP_FIFO=$(mktemp -u /tmp/nap.XXXXXX)
if mkfifo "$NAP_FIFO" && exec {NAP_FD}<>"$NAP_FIFO"; then
	rm -f "$NAP_FIFO"
	nap() {
		read -rt "$1" -u "$NAP_FD" || :
	}
else
	nap() {
		sleep "$1"
	}
fi

# wait_for DESC TIMEOUT_S CMD...: poll CMD every 0.1 s until it succeeds:
# TIMEOUT_S x 10 polls, so a busy host stretches the wait, but never more
# than 3 x TIMEOUT_S seconds (a slow CMD, such as a listing of 30,000
# connections, would otherwise poll for hours).
wait_for() {
	local desc=$1 t=$(($2 * 10)) end=$((SECONDS + 3 * $2))
	shift 2
	while ! "$@" 2>/dev/null; do
		t=$((t - 1))
		if [ $t -le 0 ] || [ $SECONDS -ge $end ]; then
			echo "wait_for: timed out: $desc" >&2
			return 1
		fi
		nap 0.1
	done
}

# slow N: N seconds times TEST_TIME_SCALE (1 unless set; make check-debug
# sets it for its sanitizer kernel, several times slower). For the few
# timings a test cannot make adaptive, such as a timeout the module applies.
slow() {
	echo $(($1 * TEST_TIME_SCALE))
}
# Exported: helpers such as nattool.py scale their own waits by it.
export TEST_TIME_SCALE=${TEST_TIME_SCALE:-1}

# slab_objs NAME: active objects of a slab cache (0 if absent).
slab_objs() {
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo
}

# Namespace helpers: "ns NAME cmd..." runs cmd in NAME; ip -n is cheaper.
# ipb [NS]: the ip(8) commands on stdin (one per line, no "ip") in NS, or
# in the current namespace, by one ip process: a process costs ~50 ms in
# the VM, and a topology takes dozens of commands. Fails at the first
# failing line.
ipb() {
	if [ -n "${1:-}" ]; then ip -n "$1" -batch -; else ip -batch -; fi
}

ns() {
	local n=$1
	shift
	ip netns exec "$n" "$@"
}
