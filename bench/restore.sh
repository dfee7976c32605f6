#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Control-plane benchmark (guest side; run with `scripts/vm-run bench/restore.sh`
# or `make bench-restore`): restore 10,000 services x 4 real servers
# (50,000 lines), list them, flush, and restore again (the reload an
# operator does: the flushed servers wait in the trash), with upstream
# ipvsadm on the stock module and with our ipvsadm on ours, in one boot: CPU seconds of the
# ipvsadm process (see secs below); the ratio is what matters. Both tables
# must come out identical. For `make bench` (bench/report.py) it also prints
#   RESULT restore_10k|list_10k|flush_10k|reload_10k stock|ours 1 <CPU ns> ns
. "$IPVSNG_TOP/tests/lib/vm.sh"

NSVC=${NSVC:-10000}
work=$(mktemp -d)
python3 - "$NSVC" >"$work/rules" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    vip = "10.%d.%d.%d" % (1 + i // 65536, (i // 256) % 256, i % 256)
    print("-A -t %s:80 -s wrr" % vip)
    for j in range(4):
        print("-a -t %s:80 -r 172.16.%d.%d:8080 -m -w %d" % (vip, j, 1 + i % 250, j + 1))
PY

# secs KEY CMD...: run CMD; its CPU time (user + system, so the netlink
# work done in the kernel on its behalf counts) in cpu[KEY] as ns, and as
# seconds in res[KEY]. Not elapsed time: under qemu -icount an idle guest's
# clock jumps to its next timer, and every exec reads the binary over 9p,
# so elapsed guest time includes waits on the host (seen: 0.4 s one run,
# 90 s the next for the same restore).
declare -A res cpu
secs() {
	local key=$1 t u s TIMEFORMAT='%3U %3S'
	shift
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1)
	read -r u s <<<"$t"
	cpu[$key]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.0f", (u + s) * 1e9 }')
	res[$key]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	echo "# $key: user ${u}s system ${s}s"
}

for phase in stock ours; do
	ipvs_phase $phase || { not_ok "load $phase"; continue; }
	if [ $phase = stock ]; then tool=$STOCK_IPVSADM; else tool=$OUR_IPVSADM; fi
	$tool -Ln >/dev/null # binary and libraries into the page cache
	if [ $phase = ours ]; then
		# Both tools against the same kernel (what issue 6 compares).
		$STOCK_IPVSADM -Ln >/dev/null
		secs upstream_on_ours.restore $STOCK_IPVSADM -R <"$work/rules"
		secs upstream_on_ours.list $STOCK_IPVSADM -Ln
		$STOCK_IPVSADM -C
		# A fresh module for our own restore: after the flush, the trash
		# holds every deleted server, and re-adding one revives it
		# without allocating (cheaper than on an empty table).
		ipvs_phase ours || { not_ok "reload ours"; continue; }
	fi
	secs $phase.restore $tool -R <"$work/rules"
	secs $phase.list $tool -Ln
	$tool -S -n >"$work/$phase.save"
	secs $phase.flush $tool -C
	# The reload an operator does (-C, then -R): every server re-added
	# now waits in the trash.
	secs $phase.reload $tool -R <"$work/rules"
	$tool -S -n >"$work/$phase.reload.save"
	check_same "$phase: the reload restored the same table" "$work/$phase.save" \
		"$work/$phase.reload.save"
	$tool -C
done
check_eq "both restored $NSVC services x 4" "$((NSVC * 5))" "$(wc -l <"$work/ours.save")"
check_same "same table saved from both" "$work/stock.save" "$work/ours.save"
for op in restore list flush reload; do
	printf '# %-8s upstream/stock %8ss   ours/ours %8ss   speed-up %sx\n' $op \
		"${res[stock.$op]}" "${res[ours.$op]}" \
		"$(awk -v a="${res[stock.$op]}" -v b="${res[ours.$op]}" 'BEGIN { printf "%.1f", (b > 0) ? a / b : 0 }')"
	[ $op = flush ] || [ $op = reload ] ||
		printf '# %-8s upstream/ours  %8ss   ours/ours %8ss   speed-up %sx (same kernel)\n' $op \
			"${res[upstream_on_ours.$op]}" "${res[ours.$op]}" \
			"$(awk -v a="${res[upstream_on_ours.$op]}" -v b="${res[ours.$op]}" \
				'BEGIN { printf "%.1f", (b > 0) ? a / b : 0 }')"
	echo "RESULT ${op}_$((NSVC / 1000))k stock 1 ${cpu[stock.$op]} ns"
	echo "RESULT ${op}_$((NSVC / 1000))k ours 1 ${cpu[ours.$op]} ns"
done
ipvs_unload
tap_done
