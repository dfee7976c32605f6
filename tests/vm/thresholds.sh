#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 82 (rough seconds, only for tests/run-all to start the longest files first)
#
# Per-server connection thresholds (-x upper, -y lower) on real NAT traffic,
# stock module first, then ours, the sequences of answering servers compared:
#
#  - rr over r1 (-x 3 -y 2) and r2: once r1 holds 3 connections it is
#    skipped and r2 takes every new one;
#  - hysteresis: r1 stays skipped at 2 connections (not below -y 2) and
#    takes connections again at 1;
#  - the config path: editing r1 to -x 2 overloads it at once (with r2 at
#    weight 0 a new client is refused), editing it to -x 0 clears that.
#
# The client holds each connection open (tests/tools/nattool.py hold-ctl)
# and resets the ones it gives up; a reset connection stops counting when
# its CLOSE entry expires, which the test waits for.
#
#   ns c (client)          ns d (director, IPVS)             ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/thresholds
mkdir -p $R

# ctl WORDS...: one command to the client, its one-line answer.
ctl() {
	local l
	echo "$*" >&"${CL[1]}"
	read -r -t 30 l <&"${CL[0]}" || l=noanswer
	echo "$l"
}

# opens N: N new held connections, the answering servers in order.
opens() {
	local i out=
	for ((i = 0; i < $1; i++)); do
		out+="$(ctl open) "
	done
	echo "${out% }"
}

# dest_conns ADDR: active + inactive connections of one real server.
dest_conns() {
	vs -Ln | awk -v a="$1:80" '$1 == "->" && $2 == a { print $5 + $6 }'
}

conns_are() {
	[ "$(dest_conns "$1")" = "$2" ]
}

count() {
	tr ' ' '\n' <<<"$2" | grep -cx "$1"
}

case_thresholds() {
	local ph=$1 a b c d e
	nat_cleanup
	nat_setup || { not_ok "$ph: setup"; return; }
	servers hold-server 80
	vs -A -t $VIP:80 -s rr
	vs -a -t $VIP:80 -r $RS1:80 -m -x 3 -y 2
	vs -a -t $VIP:80 -r $RS2:80 -m
	coproc CL { ns c python3 -S -u "$NATTOOL" hold-ctl $VIP 80; }

	a=$(opens 8)
	check_eq "$ph: r1 takes 3 of 8 connections ($a)" 3 "$(count r1 "$a")"
	check_eq "$ph: then r2 takes the rest" "r2 r2" "${a#* * * * * * }"

	ctl reset r1 >/dev/null
	check "$ph: a reset r1 connection expires" wait_for "r1 at 2" 30 conns_are $RS1 2
	b=$(opens 2)
	check_eq "$ph: at 2 connections (not below -y 2) r1 is still skipped" "r2 r2" "$b"

	ctl reset r1 >/dev/null
	check "$ph: another one expires" wait_for "r1 at 1" 30 conns_are $RS1 1
	c=$(opens 2)
	check_eq "$ph: below -y 2 r1 takes connections again ($c)" 1 "$(count r1 "$c")"

	vs -e -t $VIP:80 -r $RS1:80 -m -x 2 -y 0
	vs -e -t $VIP:80 -r $RS2:80 -m -w 0
	d=$(opens 1)
	check_eq "$ph: -e -x 2 overloads r1 at once; r2 quiesced: refused" refused "$d"
	vs -e -t $VIP:80 -r $RS1:80 -m -x 0 -y 0
	e=$(opens 1)
	check_eq "$ph: -e -x 0 clears the overload" r1 "$e"

	printf '%s\n' "$a" "$b" "$c" "$d" "$e" >$R/$ph.seq
	vs -Ln --thresholds | tail -n +4 >$R/$ph.list
	kill "$CL_PID" 2>/dev/null
	wait "$CL_PID" 2>/dev/null
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	case_thresholds $ph
	nat_cleanup
done

phases_done $R seq list
