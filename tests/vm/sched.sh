#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 369 (rough seconds, only for tests/run-all to start the longest files first)
#
# Every scheduler module in the VM, two scripts in one boot:
#  - tests/unit/sched/vm/sched-smoke.sh: our 14 schedulers autoload, take
#    server adds/edits/deletes, switch live, honour -b flags, register
#    their sysctls, unload in use;
#  - tests/unit/sched/vm/stock-xcheck.sh ours: real packets through our
#    schedulers land where ipvs-ng's scheduling rules (the modules' logic
#    headers, run by tests/unit/sched/build/predict) say they would. The
#    same script's "stock" phase showed the stock modules choosing as the
#    predictor does (15/15 scenarios); it takes ~10 minutes, so it is run
#    by hand (scripts/vm-run tests/unit/sched/vm/stock-xcheck.sh stock).
#
#   client netns "cl" --veth-- director (init netns); see each script.
. "$IPVSNG_TOP/tests/lib/vm.sh"

S=$IPVSNG_TOP/tests/unit/sched
out=$(mktemp -d)

if [ -x "$S/build/predict" ]; then
	bash "$S/vm/stock-xcheck.sh" ours >"$out/xcheck" 2>&1
	tap_merge "$out/xcheck" $? "stock-xcheck"
else
	not_ok "scheduler predictor built (make -C tests/unit/sched build/predict)"
fi
bash "$S/vm/sched-smoke.sh" >"$out/smoke" 2>&1
tap_merge "$out/smoke" $? "sched-smoke"
rm -rf "$out"
tap_done
