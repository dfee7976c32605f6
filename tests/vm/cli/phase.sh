# SPDX-License-Identifier: GPL-2.0
#
# golden_phase PHASE K/N: load PHASE's ip_vs (stock or ours) and run shard
# K of the golden corpus split in N (golden.sh) in network namespace gK
# (IPVS state is per namespace). A guest has one CPU unless it asks for
# more, so each shard has a boot of its own (tests/vm/cli-golden*.sh),
# which tests/run-all runs side by side. Then unload and check the kernel
# log. Sourced after tests/lib/vm.sh; the shard's TAP is merged into the
# caller's.
#
#   netns gK: lo only; no traffic except the -c/--stats checks of shard 0.
golden_phase() {
	local phase=$1 k=${2%/*} out=/tmp/cli-golden
	mkdir -p $out
	if ! ipvs_phase "$phase"; then
		not_ok "load the $phase ip_vs"
		return
	fi
	ip netns add g$k && ip -n g$k link set lo up
	GOLDEN_SHARD=$2 GOLDEN_LABEL=$phase \
		ip netns exec g$k "$IPVSNG_TOP/tests/vm/cli/golden.sh" >$out/$phase.$k 2>&1
	tap_merge $out/$phase.$k $? "$phase: golden shard $k"
	ip netns del g$k
	check "$phase: ip_vs unloads" ipvs_unload
	check "kernel log clean" kernel_clean
}
