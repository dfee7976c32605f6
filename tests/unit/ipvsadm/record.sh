#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerates the recorded netlink replies and the expected outputs used
# by the unit tests.  Runs inside the VM (stock ip_vs loaded); the host
# side is ./rerecord.
#
# The state is the "full" setup of tests/vm/cli/corpus.txt.  Our ipvsadm
# records what the kernel answered (IPVSADM_NL_RECORD); the expected texts
# are what upstream ipvsadm 1.31 printed for the very same state.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=${1:?output directory}
ours=$top/tools/ipvsadm/ipvsadm
mkdir -p "$out/full"

ipvsadm -C
sed -n '/^\[setup full\]/,/^$/p' "$top/tests/vm/cli/corpus.txt" |
	grep '^-' | ipvsadm -R

rm -f "$out/full.rec"
IPVSADM_NL_RECORD=$out/full.rec "$ours" -S -n >/dev/null
IPVSADM_NL_RECORD=$out/timeout.rec "$ours" -L --timeout >/dev/null
ipvsadm --start-daemon master --mcast-interface lo --syncid 7 --mcast-port 9000 --mcast-ttl 2 --sync-maxlen 1200 --mcast-group 239.1.2.3
ipvsadm --start-daemon backup --mcast-interface lo --syncid 8
IPVSADM_NL_RECORD=$out/daemon.rec "$ours" -L --daemon >/dev/null
ipvsadm -L --daemon >"$out/daemon.txt"
ipvsadm -L --timeout >"$out/timeout.txt"
ipvsadm --stop-daemon master
ipvsadm --stop-daemon backup

for f in "" --stats --rate --thresholds --persistent-conn --tun-info \
	 --exact --nosort "--nosort --tun-info"; do
	name=L-n${f// /}
	ipvsadm -L -n $f >"$out/full/$name.txt"
done
ipvsadm -S -n >"$out/full/S-n.txt"
ipvsadm -C
