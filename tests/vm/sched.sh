#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 298 (rough seconds, only for tests/run-all to start the longest files first)
#
# Every scheduler module in the VM, two scripts in one boot:
#  - tests/unit/sched/vm/sched-smoke.sh: our 14 schedulers autoload, take
#    server adds/edits/deletes, switch live, honour -b flags, register
#    their sysctls, unload in use;
#  - tests/unit/sched/vm/stock-xcheck.sh stock ours: real packets through
#    the stock schedulers, then ours, land where ipvs-ng's scheduling
#    rules (the modules' logic headers, run by
#    tests/unit/sched/build/predict) say they would: 15 scenarios (sh, mh
#    and their flags, dh, lblc, lblcr, the least-connection family, fo,
#    ovf), so stock and ours choose alike; then a live switch from sh to
#    wlc (-E -s): old connections keep their servers, new ones follow wlc.
#
#   client netns "cl" --veth-- director (init netns); see each script.
. "$IPVSNG_TOP/tests/lib/vm.sh"

S=$IPVSNG_TOP/tests/unit/sched
out=$(mktemp -d)

if [ -x "$S/build/predict" ]; then
	bash "$S/vm/stock-xcheck.sh" stock ours >"$out/xcheck" 2>&1
	tap_merge "$out/xcheck" $? "stock-xcheck"
else
	not_ok "scheduler predictor built (make -C tests/unit/sched build/predict)"
fi
bash "$S/vm/sched-smoke.sh" >"$out/smoke" 2>&1
tap_merge "$out/smoke" $? "sched-smoke"
rm -rf "$out"
tap_done
