#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Control-plane benchmark (guest side; run with `scripts/vm-run bench/restore.sh`
# or `make bench-restore`): restore 10,000 services x 4 real servers
# (50,000 lines), list them and flush, with upstream ipvsadm on the stock
# module and with our ipvsadm on ours, in one boot. Guest wall-clock
# seconds; the ratio is what matters. Both tables must come out identical.
# With BENCH_RESULTS=1 (bench/guest.sh, `make bench`) it also prints
#   RESULT restore_10k|list_10k|flush_10k stock|ours 1 <guest ns> ns
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

# Guest CLOCK_MONOTONIC nanoseconds (bench/bin/loadgen) when built, else
# bash's wall clock.
now_ns() {
	if [ -x "$IPVSNG_TOP/bench/bin/loadgen" ]; then
		"$IPVSNG_TOP/bench/bin/loadgen" now
	else
		echo $((${EPOCHREALTIME/./} * 1000))
	fi
}
# secs KEY CMD...: run CMD, its duration in ns[KEY] and seconds in res[KEY].
declare -A res ns
secs() {
	local key=$1 s
	shift
	s=$(now_ns)
	"$@" >/dev/null
	ns[$key]=$(($(now_ns) - s))
	res[$key]=$(awk -v n="${ns[$key]}" 'BEGIN { printf "%.2f", n / 1e9 }')
}

for phase in stock ours; do
	ipvs_phase $phase || { not_ok "load $phase"; continue; }
	if [ $phase = stock ]; then tool=$STOCK_IPVSADM; else tool=$OUR_IPVSADM; fi
	secs $phase.restore $tool -R <"$work/rules"
	secs $phase.list $tool -Ln
	$tool -S -n >"$work/$phase.save"
	secs $phase.flush $tool -C
done
check_eq "both restored $NSVC services x 4" "$((NSVC * 5))" "$(wc -l <"$work/ours.save")"
check_same "same table saved from both" "$work/stock.save" "$work/ours.save"
for op in restore list flush; do
	printf '# %-8s upstream/stock %8ss   ours/ours %8ss   speed-up %sx\n' $op \
		"${res[stock.$op]}" "${res[ours.$op]}" \
		"$(awk -v a="${res[stock.$op]}" -v b="${res[ours.$op]}" 'BEGIN { printf "%.1f", (b > 0) ? a / b : 0 }')"
	if [ -n "${BENCH_RESULTS:-}" ]; then
		echo "RESULT ${op}_$((NSVC / 1000))k stock 1 ${ns[stock.$op]} ns"
		echo "RESULT ${op}_$((NSVC / 1000))k ours 1 ${ns[ours.$op]} ns"
	fi
done
ipvs_unload
tap_done
