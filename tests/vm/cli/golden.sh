#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Golden differential test of tools/ipvsadm against upstream ipvsadm 1.31
# (/usr/sbin/ipvsadm).  Runs inside the VM as root with the ip_vs module of
# the current phase already loaded.  Prints TAP.
#
# corpus.txt holds setups (command lines replayed before a case) and cases
# (one command line each, shell words, may redirect stdin from inputs/).
# For every case both binaries run on the same state, rebuilt from scratch
# by the reference binary; stdout, stderr, exit status and the resulting
# IPVS state (-S -n, --timeout, --daemon) must be identical.  Both are run
# as "ipvsadm" from PATH, since upstream prints argv[0] in its messages.
#
# Known, intended difference: in -R our error messages carry a "line N: "
# prefix; it is checked for, then stripped before comparing.
#
#   golden.sh [-k PATTERN]    only cases whose text contains PATTERN
#
# GOLDEN_SHARD=K/N runs every Nth corpus case starting at K (0-based), so
# N copies can run side by side, each in its own network namespace (IPVS
# state is per namespace); shard 0 also runs the checks after the corpus.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
OURS=${IPVSADM_OURS:-$top/tools/ipvsadm/ipvsadm}
REF=${IPVSADM_REF:-/usr/sbin/ipvsadm}
filter=
[ "${1:-}" = -k ] && filter=$2

work=$(mktemp -d /tmp/golden.XXXXXX)
mkdir -p "$work/ref" "$work/ours"
ln -s "$REF" "$work/ref/ipvsadm"
ln -s "$OURS" "$work/ours/ipvsadm"
ln -s "$(dirname "$REF")/ipvsadm-save" "$work/ref/ipvsadm-save"
ln -s "$(dirname "$REF")/ipvsadm-restore" "$work/ref/ipvsadm-restore"
ln -s "$top/tools/ipvsadm/ipvsadm-save" "$work/ours/ipvsadm-save"
ln -s "$top/tools/ipvsadm/ipvsadm-restore" "$work/ours/ipvsadm-restore"
# Our wrappers run the ipvsadm beside them: $work/ours/ipvsadm is ours.

n=0
failed=0
shard=${GOLDEN_SHARD:-0/1}
shard_k=${shard%/*} shard_n=${shard#*/}
ci=0
# mine: the next corpus case belongs to this shard.
mine() { ci=$((ci + 1)); [ $(((ci - 1) % shard_n)) = "$shard_k" ]; }
label=${GOLDEN_LABEL:+$GOLDEN_LABEL: }
ok() { n=$((n + 1)); echo "ok $n - $label$*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $label$*"; }
comment() { sed 's/^/# /'; }

refcmd() { "$REF" "$@"; }

# Back to the empty table, default timeouts, no daemons (one upstream -R;
# its kernel errors do not stop it).
reset_lines='-C
--set 900 120 300
--stop-daemon master
--stop-daemon backup
'
# The upstream -R runs below take their lines from a here-string (no
# process for a pipe's writer), without the last newline (no empty line).
reset_state() {
	refcmd -R <<<"${reset_lines%$'\n'}" >/dev/null 2>&1
	return 0
}

declare -A setups
apply_setup() {
	[ -n "$1" ] || return 0
	refcmd -R <<<"${setups[$1]%$'\n'}" >/dev/null 2>"$work/setup.err"
}

# reset_and_setup SETUP [BEFORE]: reset_state and apply_setup in one
# upstream process, after the -R lines BEFORE if given. Only stdout is
# kept: the reset's errors (no daemon to stop...) go nowhere.
reset_and_setup() {
	local in=${2:+$2$'\n'}$reset_lines
	[ -z "$1" ] || in+=${setups[$1]}
	refcmd -R <<<"${in%$'\n'}" 2>/dev/null
	return 0
}

state_lines=$'-S -n\n-L -n --timeout\n-L -n --daemon'

# run_one DIR ARGS -> $work/out.DIR.{out,err,rc}, the state already set up.
run_one() {
	local dir=$1 args=$2 o=$work/out.$1
	(
		cd "$here" || exit 99
		PATH=$work/$dir:$PATH
		case $args in
		@noargs) exec ipvsadm ;;
		@save*) eval "exec ipvsadm-save ${args#@save}" ;;
		@restore*) eval "exec ipvsadm-restore ${args#@restore}" ;;
		*) eval "exec ipvsadm $args" ;;
		esac
	) >"$o.out" 2>"$o.err" </dev/null
	echo $? >"$o.rc"
}

# same_results: the four result files of both binaries are identical (text:
# a NUL byte would end the comparison early),
# compared in the shell (a process costs ~50 ms in the VM; this runs for
# every case).
same_results() {
	local f a b
	for f in rc out err state; do
		IFS= read -r -d '' a <"$work/out.ref.$f"
		IFS= read -r -d '' b <"$work/out.ours.$f"
		[ "$a" == "$b" ] || return 1
	done
}

run_case() {
	local setup=$1 args=$2 desc d
	desc="[$setup] ipvsadm $args"
	[ "$setup" = - ] && setup=
	# Three upstream processes besides the two under test: set up, read
	# the state after the reference run and set up again, read the state.
	reset_and_setup "$setup" >/dev/null
	run_one ref "$args"
	reset_and_setup "$setup" "$state_lines" >"$work/out.ref.state"
	run_one ours "$args"
	refcmd -R <<<"$state_lines" >"$work/out.ours.state" 2>/dev/null
	if [[ $args == *"<"* ]]; then
		if grep -v '^line [0-9]*: ' "$work/out.ours.err" | grep -q .; then
			notok "$desc (no line numbers in restore errors)"
			return
		fi
		sed -i 's/^line [0-9]*: //' "$work/out.ours.err"
	fi
	if same_results; then
		ok "$desc"
	else
		d=$(for f in rc out err state; do
			diff -u --label "upstream.$f" --label "ours.$f" \
				"$work/out.ref.$f" "$work/out.ours.$f"
		done)
		notok "$desc"
		printf '%s\n' "$d" | head -40 | comment
	fi
}

# ---- the corpus ---------------------------------------------------------
section= cur=
while IFS= read -r line || [ -n "$line" ]; do
	# GOLDEN_SKIP: a substring naming lines the kernel under test cannot
	# serve yet (e.g. a missing persistence engine); dropped from setups,
	# reported as skipped cases.
	if [ -n "${GOLDEN_SKIP:-}" ] && [[ "$line" == *"$GOLDEN_SKIP"* ]]; then
		[ "$section" = cases ] && mine &&
			{ n=$((n + 1)); echo "ok $n - ${label}$line # SKIP ${GOLDEN_SKIP_WHY:-}"; }
		continue
	fi
	case $line in
	'#'*|'') continue ;;
	'[setup '*']')
		section=setup; cur=${line#\[setup }; cur=${cur%]}
		setups[$cur]=
		continue ;;
	'[cases '*']')
		section=cases; cur=${line#\[cases }; cur=${cur%]}
		if [ "$cur" != - ] && [ "$shard_k" = 0 ]; then
			reset_state
			if apply_setup "$cur" && [ ! -s "$work/setup.err" ]; then
				ok "setup $cur applies cleanly with upstream -R"
			else
				notok "setup $cur applies cleanly with upstream -R"
				comment <"$work/setup.err"
			fi
		fi
		continue ;;
	esac
	if [ "$section" = setup ]; then
		setups[$cur]+=$line$'\n'
	elif [ -z "$filter" ] || [[ "$line" == *"$filter"* ]]; then
		mine && run_case "$cur" "$line"
	fi
done <"$here/corpus.txt"

[ -n "$filter" ] || [ "$shard_k" != 0 ] && { echo "1..$n"; [ $failed = 0 ]; exit; }

# ---- save/restore round trip of 1,000 services ---------------------------
gen_rules() {
	local i a b
	for ((i = 0; i < $1; i++)); do
		a=$((i / 250)); b=$((i % 250 + 1))
		echo "-A -t 10.$((a + 10)).0.$b:80 -s rr"
		echo "-a -t 10.$((a + 10)).0.$b:80 -r 192.168.$a.$b:8080 -m -w 2"
		echo "-a -t 10.$((a + 10)).0.$b:80 -r 192.168.$((a + 100)).$b:80 -g"
	done
}
reset_state
gen_rules 1000 >"$work/big.rules"
if "$OURS" -R <"$work/big.rules" && "$OURS" -S -n >"$work/s1" &&
   "$REF" -S -n >"$work/s1.ref" && "$OURS" -C && [ -z "$("$REF" -S -n)" ] &&
   "$OURS" -R <"$work/s1" && "$OURS" -S -n >"$work/s2" &&
   [ "$(grep -c '^-A' "$work/s1")" = 1000 ] && cmp -s "$work/s1" "$work/s2" &&
   cmp -s "$work/s1" "$work/s1.ref"; then
	ok "save/restore round trip of 1000 services x 2 real servers"
else
	notok "save/restore round trip of 1000 services x 2 real servers"
	diff "$work/s1" "$work/s2" | head -20 | comment
fi

# ---- restore with a bad line in the middle -------------------------------
reset_state
printf '%s\n' "-A -t 10.1.0.1:80" "-A -t 10.1.0.2:80" "-A -t 10.1.0.1:80" \
	"-A -t 10.1.0.3:80" >"$work/bad.rules"
"$OURS" -R <"$work/bad.rules" >/dev/null 2>"$work/bad.err"
rc=$?
"$REF" -S -n >"$work/bad.state"
reset_state
"$REF" -R <"$work/bad.rules" >/dev/null 2>"$work/bad.ref.err"
rcref=$?
"$REF" -S -n >"$work/bad.ref.state"
if [ "$(cat "$work/bad.err")" = "line 3: Service already exists" ] &&
   cmp -s "$work/bad.state" "$work/bad.ref.state" && [ $rc = $rcref ] &&
   [ "$(grep -c '^-A' "$work/bad.state")" = 3 ]; then
	ok "restore: failing line 3 is named, the others are applied as upstream"
else
	notok "restore: failing line 3 is named, the others are applied as upstream"
	{ cat "$work/bad.err"; echo "rc=$rc ref=$rcref"; diff "$work/bad.state" "$work/bad.ref.state"; } | comment
fi

reset_state
printf '%s\n' "-A -t 10.1.0.1:80" "-A -t 10.1.0.2:80 -w 3" "-A -t 10.1.0.3:80" \
	>"$work/bad2.rules"
"$OURS" -R <"$work/bad2.rules" >/dev/null 2>"$work/bad2.err"
rc=$?
if [ "$(cat "$work/bad2.err")" = "line 2: Illegal 'weight' option with the 'add-service' command" ] &&
   [ $rc = 2 ] && [ "$("$REF" -S -n)" = "-A -t 10.1.0.1:80 -s wlc" ]; then
	ok "restore: usage error on line 2 is named, exits 2 after applying line 1"
else
	notok "restore: usage error on line 2 is named, exits 2 after applying line 1"
	{ cat "$work/bad2.err"; echo "rc=$rc"; "$REF" -S -n; } | comment
fi

# ---- --json ---------------------------------------------------------------
reset_state
apply_setup full
validate() {
	python3 -S "$here/json_check.py" "$top/tools/ipvsadm/ipvsadm.schema.json" "$@"
}
check_json() {
	local desc=$1; shift
	if "$OURS" "$@" >"$work/j" 2>"$work/j.err" &&
	   validate "$work/j" >"$work/j.msg" 2>&1; then
		ok "json: ipvsadm $* validates against the schema"
	else
		notok "json: ipvsadm $* validates against the schema"
		cat "$work/j.err" "$work/j.msg" | head -20 | comment
	fi
}
check_json all -L --json
check_json all -L -n --json --nosort
check_json one -L -t 10.0.0.1:80 --json
check_json timeout -L --timeout --json
refcmd --start-daemon master --mcast-interface lo --syncid 9 >/dev/null 2>&1
check_json daemon -L --daemon --json
check_json conn -L -c --json
if "$OURS" -L --json | python3 -S -c '
import json, sys
d = json.load(sys.stdin)
svcs = {(s["protocol"], s["address"], s["port"]): s for s in d["services"] if s["fwmark"] is None}
s = svcs[("tcp", "10.0.0.1", 80)]
assert s["scheduler"] == "rr", s
assert [x["address"] for x in s["destinations"]] == ["10.0.1.1", "10.0.1.2", "10.0.1.3"], s
assert s["destinations"][0]["forward"] == "masq" and s["destinations"][0]["weight"] == 3
' 2>"$work/j.err"; then
	ok "json: content matches the configured services"
else
	notok "json: content matches the configured services"
	comment <"$work/j.err"
fi

# ---- real traffic: -c, --stats, --rate against upstream -------------------
# A local client connects through a NAT service to a local listener, so the
# connection table and the counters hold real entries.  Both binaries list
# the same instant as far as possible; expiry times and rates move with the
# clock, so a mismatch is retried a few times before it counts.
traffic() {
	ip link add ipvsdummy0 type dummy 2>/dev/null
	ip addr add 10.200.0.1/24 dev ipvsdummy0 2>/dev/null
	ip link set ipvsdummy0 up
	refcmd -A -t 10.200.0.1:80 -s rr
	refcmd -a -t 10.200.0.1:80 -r 10.200.0.1:8080 -m
	refcmd -A -u 10.200.0.1:53 -s rr
	refcmd -a -u 10.200.0.1:53 -r 10.200.0.1:5353 -m
	python3 -S - <<'PY'
import socket, threading
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("10.200.0.1", 8080)); srv.listen(16)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.200.0.1", 5353))
def serve():
    for _ in range(6):
        c, _ = srv.accept(); c.sendall(c.recv(100) * 3); c.close()
threading.Thread(target=serve, daemon=True).start()
keep = []
for i in range(6):
    c = socket.create_connection(("10.200.0.1", 80), timeout=5)
    c.sendall(b"x" * (10 + i)); c.recv(100)
    if i < 2:
        keep.append(c)          # stays ESTABLISHED until exit
    else:
        c.close()
q = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
q.sendto(b"ping", ("10.200.0.1", 53))
PY
}
# expire_close A B SECS: the listings are equal but for connection
# countdowns (MM:SS at the start of a line) at most SECS apart.
expire_close() {
	python3 -S - "$@" <<'PY'
import re, sys
a, b = (open(f).read().splitlines() for f in sys.argv[1:3])
pat = re.compile(r'^(TCP|UDP|SCTP) (\d{2}):(\d{2})')
def split(line):
    m = pat.match(line)
    if not m:
        return line, None
    return pat.sub(r'\1 MM:SS', line), int(m.group(2)) * 60 + int(m.group(3))
ok = len(a) == len(b)
for x, y in zip(a, b):
    (mx, tx), (my, ty) = split(x), split(y)
    if mx != my or (tx is not None and abs(tx - ty) > int(sys.argv[3])):
        ok = False
sys.exit(0 if ok else 1)
PY
}
same_as_upstream() {
	local desc=$1 try; shift
	for try in 1 2 3 4 5; do
		"$REF" "$@" >"$work/t.ref" 2>&1
		"$OURS" "$@" >"$work/t.ours" 2>&1
		if [ -n "${MASK_EXPIRE:-}" ]; then
			# Name lookups can make one listing take seconds longer
			# than the other; the countdown then differs by that
			# much.  Everything else is still compared byte for byte.
			sed -i -E 's/^(TCP|UDP|SCTP) [0-9]{2}:[0-9]{2}/\1 MM:SS/' \
				"$work/t.ref" "$work/t.ours"
		fi
		cmp -s "$work/t.ref" "$work/t.ours" && break
		sleep 0.3
	done
	# On a slow (debug) kernel the two listings can be more than a second
	# apart every time: then a countdown may differ by up to 2 s, and the
	# listings must be equal otherwise.
	if ! cmp -s "$work/t.ref" "$work/t.ours" &&
	   expire_close "$work/t.ref" "$work/t.ours" 2; then
		echo "countdowns differ by up to 2 s: listings taken apart" | comment
		cp "$work/t.ref" "$work/t.ours"
	fi
	if cmp -s "$work/t.ref" "$work/t.ours" && [ -s "$work/t.ref" ] &&
	   [ "$(wc -l <"$work/t.ref")" -gt "${MINLINES:-2}" ]; then
		ok "traffic: ipvsadm $* matches upstream ($desc)"
	else
		notok "traffic: ipvsadm $* matches upstream ($desc)"
		diff -u "$work/t.ref" "$work/t.ours" | head -30 | comment
	fi
}
reset_state
traffic >"$work/traffic.log" 2>&1
MINLINES=3 same_as_upstream "connections" -L -c -n
MINLINES=3 MASK_EXPIRE=1 same_as_upstream "connections" -L -c
MINLINES=3 same_as_upstream "connections, persistent-conn" -L -c -n --persistent-conn
same_as_upstream "counters" -L -n --stats
same_as_upstream "exact counters" -L -n --stats --exact
same_as_upstream "rates" -L -n --rate
same_as_upstream "persistent-conn" -L -n --persistent-conn
if "$OURS" -L -c --json >"$work/j" && validate "$work/j" >"$work/j.msg" &&
   python3 -S -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["connections"]) >= 3, d' "$work/j" 2>>"$work/j.msg"; then
	ok "json: -L -c --json lists the live connections and validates"
else
	notok "json: -L -c --json lists the live connections and validates"
	comment <"$work/j.msg"
fi
ip link del ipvsdummy0 2>/dev/null

reset_state
rm -rf "$work"
echo "1..$n"
[ $failed = 0 ]
