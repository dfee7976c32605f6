#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Control-plane benchmark (guest side; run with `scripts/vm-run bench/restore.sh`
# or `make bench-restore`): restore 10,000 services x 4 real servers
# (50,000 lines), list them and flush, with upstream ipvsadm on the stock
# module and with our ipvsadm on ours, in one boot. Guest wall-clock
# seconds; the ratio is what matters. Both tables must come out identical.
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

secs() { local s=$EPOCHREALTIME; "$@" >/dev/null; awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

declare -A res
for phase in stock ours; do
	ipvs_phase $phase || { not_ok "load $phase"; continue; }
	if [ $phase = stock ]; then tool=$STOCK_IPVSADM; else tool=$OUR_IPVSADM; fi
	res[$phase.restore]=$(secs $tool -R <"$work/rules")
	res[$phase.list]=$(secs $tool -Ln)
	$tool -S -n >"$work/$phase.save"
	res[$phase.flush]=$(secs $tool -C)
done
check_eq "both restored $NSVC services x 4" "$((NSVC * 5))" "$(wc -l <"$work/ours.save")"
check_same "same table saved from both" "$work/stock.save" "$work/ours.save"
for op in restore list flush; do
	printf '# %-8s upstream/stock %8ss   ours/ours %8ss   speed-up %sx\n' $op \
		"${res[stock.$op]}" "${res[ours.$op]}" \
		"$(awk -v a="${res[stock.$op]}" -v b="${res[ours.$op]}" 'BEGIN { printf "%.1f", (b > 0) ? a / b : 0 }')"
done
ipvs_unload
tap_done
