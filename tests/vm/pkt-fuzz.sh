#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 207 (rough seconds, only for tests/run-all to start the longest files first)
#
# Packet fuzzing (issue 7): malformed and edge-case packets at every kind of
# service, from the client side and from the real servers' side
# (tests/tools/pktfuzz.py: truncated/inconsistent IPv4 and IPv6 headers, IP
# options, all TCP flag combinations, bad data offsets, UDP lengths, SCTP
# chunk lengths, ICMP errors quoting garbage or truncated inner packets,
# overlapping and never-completed fragments, IPv6 extension-header chains,
# then random mutations of all of them). Stock module first (reference:
# the same checks must hold for it), then ours. After the storm:
#  - legitimate traffic of every service still works (and worked during it);
#  - the counters are sane (no wrapped or absurd value);
#  - the kernel log is clean, and the module unloads.
# TEST_PKTFUZZ_N (default 10000) random packets from the client, a quarter of
# that from each real server; TEST_PKTFUZZ_SEED (default 1).
#
#   ns c (client)          ns d (director, IPVS)             ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIPs 10.0.1.100 (NAT), .101 (DR),
#   fd00:1::2               .102 (TUN), fd00:1::100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
#   r1 owns .101 on lo (DR), r2 owns .102 on lo behind tunl0 (TUN).
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

FUZZ=$IPVSNG_TOP/tests/tools/pktfuzz.py
N=${TEST_PKTFUZZ_N:-10000}
SEED=${TEST_PKTFUZZ_SEED:-1}
VIP_DR=10.0.1.101
VIP_TUN=10.0.1.102
CL=10.0.1.2
CL6=fd00:1::2

mac() {
	ip -n "$1" -o link show "$2" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2
}

setup() {
	nat_setup || return 1
	ip -n d addr add $VIP_DR/32 dev veth-dc
	ip -n d addr add $VIP_TUN/32 dev veth-dc
	ip -n r1 addr add $VIP_DR/32 dev lo
	modprobe ipip || return 1
	ip -n r2 link set tunl0 up
	ip -n r2 addr add $VIP_TUN/32 dev lo
	ns r2 sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.tunl0.rp_filter=0
	# DR/TUN replies come back through the director (the real servers'
	# gateway) with a VIP, a local address of the director, as source.
	ns d sysctl -qw net.ipv4.conf.all.accept_local=1
	ns d nft -f - <<-NFT || return 1
	table ip fuzzmark {
		chain pre {
			type filter hook prerouting priority mangle;
			ip daddr $VIP tcp dport 8080 meta mark set 1
		}
	}
	NFT
	servers tcp-server 80 && servers udp-server 53 || return 1
	bg r1 python3 -S "$NATTOOL" sctp-server r1 9 $RS1
	bg r2 python3 -S "$NATTOOL" sctp-server r2 9 $RS2
	wait_for "r1 sctp" 20 listening r1 sctp 9 && wait_for "r2 sctp" 20 listening r2 sctp 9 ||
		return 1
	local s
	for s in "-t $VIP:80" "-u $VIP:53" "--sctp-service $VIP:9" "-u $VIP:54 -o" \
		 "-t $VIP:443 -p 60" "-f 1" "-t [$VIP6]:80" "-u [$VIP6]:53"; do
		vs -A $s -s rr || return 1
	done
	vs -a -t $VIP:80 -r $RS1:80 -m && vs -a -t $VIP:80 -r $RS2:80 -m &&
	vs -a -u $VIP:53 -r $RS1:53 -m && vs -a -u $VIP:53 -r $RS2:53 -m &&
	vs -a --sctp-service $VIP:9 -r $RS1:9 -m && vs -a --sctp-service $VIP:9 -r $RS2:9 -m &&
	vs -a -u $VIP:54 -r $RS1:53 -m && vs -a -u $VIP:54 -r $RS2:53 -m &&
	vs -a -t $VIP:443 -r $RS1:80 -m && vs -a -t $VIP:443 -r $RS2:80 -m &&
	vs -a -f 1 -r $RS1:80 -m && vs -a -f 1 -r $RS2:80 -m &&
	vs -a -t [$VIP6]:80 -r [$RS1_6]:80 -m && vs -a -t [$VIP6]:80 -r [$RS2_6]:80 -m &&
	vs -a -u [$VIP6]:53 -r [$RS1_6]:53 -m && vs -a -u [$VIP6]:53 -r [$RS2_6]:53 -m &&
	vs -A -t $VIP_DR:80 -s rr && vs -a -t $VIP_DR:80 -r $RS1:80 -g &&
	vs -A -t $VIP_TUN:80 -s rr && vs -a -t $VIP_TUN:80 -r $RS2:80 -i
}

# names HOST PORT N: the distinct servers that answered N TCP connections,
# or "failed" if any connection got no name.
names() {
	local out
	out=$(ns c timeout 60 python3 -S "$NATTOOL" tcp-get "$1" "$2" "$3" 2>/dev/null)
	if [ "$(grep -cxE 'r1|r2' <<<"$out")" != "$3" ]; then
		echo failed
	else
		sort -u <<<"$out" | tr '\n' ' ' | sed 's/ $//'
	fi
}

udp_ok() {
	ns c timeout 60 python3 -S "$NATTOOL" udp-ask "$1" "$2" "$3" | head -n1
}

# ops_conns_grow BEFORE N: the one-packet service scheduled N more
# datagrams (each one a connection of its own, replies not matched).
ops_conns_grow() {
	[ "$(stat_field $VIP:54 1)" = $(($1 + $2)) ]
}

# legit TAG: every service carries real traffic.
legit() {
	local t=$1
	check_eq "$t: NAT TCP, both servers" "r1 r2" "$(names $VIP 80 4)"
	check_eq "$t: NAT UDP" "sent 20 recv 20" "$(udp_ok $VIP 53 20)"
	check_eq "$t: NAT SCTP, data echoed" "r1 ok r2 ok" \
		"$(ns c timeout 60 python3 -S "$NATTOOL" sctp-get $VIP 9 2 2000 | sort | tr '\n' ' ' |
		   sed 's/ $//')"
	local c0
	c0=$(stat_field $VIP:54 1)
	ns c timeout 60 python3 -S "$NATTOOL" udp-send $VIP 54 10 >/dev/null
	check "$t: one-packet UDP, 10 datagrams scheduled" \
		wait_for "ops conns" 10 ops_conns_grow "$c0" 10
	check "$t: persistent TCP sticks to one server" \
		grep -qxE 'r1|r2' <<<"$(names $VIP 443 4)"
	check_eq "$t: fwmark service" "r1 r2" "$(names $VIP 8080 4)"
	check_eq "$t: DR service" r1 "$(names $VIP_DR 80 2)"
	check_eq "$t: TUN service" r2 "$(names $VIP_TUN 80 2)"
	check_eq "$t: NAT TCP over IPv6" "r1 r2" "$(names $VIP6 80 4)"
	check_eq "$t: NAT UDP over IPv6" "sent 10 recv 10" "$(udp_ok $VIP6 53 10)"
}

# counters_sane: every number ipvsadm lists is below 2^40 (nothing wrapped
# or went negative), active/inactive connection counts below 10^6.
counters_sane() {
	vs -Ln --stats --exact | awk 'NR > 3 { for (i = 3; i <= NF; i++)
		if ($i !~ /^[0-9]+$/ || $i >= 2^40) bad = 1 } END { exit bad }' &&
	vs -Ln | awk '$1 == "->" && NR > 3 { if ($5 !~ /^[0-9]+$/ || $6 !~ /^[0-9]+$/ ||
		$5 >= 1000000 || $6 >= 1000000) bad = 1 } END { exit bad }'
}

fuzz() {
	local ph=$1 dmac dmac1 dmac2 o=/tmp/pkt-fuzz.$1 w=/tmp/pkt-fuzz.$1.during
	dmac=$(mac d veth-dc) dmac1=$(mac d veth-d1) dmac2=$(mac d veth-d2)
	# Legitimate connections keep going while the storm runs.
	ns c python3 -S "$NATTOOL" tcp-get $VIP 80 40 >$w 2>&1 &
	local during=$! t0=$SECONDS
	ns c timeout 600 python3 -S "$FUZZ" veth-c "$dmac" $SEED $N \
		tcp/$CL/0/$VIP/80 udp/$CL/0/$VIP/53 sctp/$CL/0/$VIP/9 udp/$CL/0/$VIP/54 \
		tcp/$CL/0/$VIP/443 tcp/$CL/0/$VIP/8080 tcp/$CL/0/$VIP_DR/80 \
		tcp/$CL/0/$VIP_TUN/80 tcp/$CL6/0/$VIP6/80 udp/$CL6/0/$VIP6/53 \
		sctp/$CL6/0/$VIP6/9 >$o.c 2>&1
	ns r1 timeout 600 python3 -S "$FUZZ" veth-r1 "$dmac1" $((SEED + 1)) $((N / 4)) \
		tcp/$RS1/80/$CL/0 udp/$RS1/53/$CL/0 sctp/$RS1/9/$CL/0 \
		tcp/$RS1_6/80/$CL6/0 udp/$RS1_6/53/$CL6/0 >$o.r1 2>&1
	ns r2 timeout 600 python3 -S "$FUZZ" veth-r2 "$dmac2" $((SEED + 2)) $((N / 4)) \
		tcp/$RS2/80/$CL/0 udp/$RS2/53/$CL/0 tcp/$VIP_TUN/80/$CL/0 >$o.r2 2>&1
	wait $during
	diag "$ph: client $(cat $o.c), r1 $(cat $o.r1), r2 $(cat $o.r2), in $((SECONDS - t0)) s"
	check "$ph: fuzz sent from the client" grep -q '^sent [0-9]' $o.c
	check "$ph: fuzz sent from the real servers" \
		bash -c "grep -q '^sent [0-9]' $o.r1 && grep -q '^sent [0-9]' $o.r2"
	check_eq "$ph: 40 connections made during the storm all answered" 40 \
		"$(grep -cxE 'r1|r2' $w)"
}

for ph in stock ours; do
	nat_cleanup
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	setup || { not_ok "$ph: setup"; continue; }
	legit "$ph before"
	fuzz $ph
	check "$ph: kernel log clean after the storm" kernel_clean
	legit "$ph after"
	check "$ph: counters sane" counters_sane
	diag "$ph: $(($(conns_in_table))) connection entries after the storm"
	vs -C
	nat_cleanup
	check "$ph: module unloads after the storm" ipvs_unload
done
check "kernel log clean" kernel_clean
tap_done
