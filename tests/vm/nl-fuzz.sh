#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 66 (rough seconds, only for tests/run-all to start the longest files first)
#
# Netlink fuzzing (tests/fuzz/nlfuzz.c) against our module: mutated IPVS
# generic-netlink requests, fired from a namespace of their own (replaced
# every 50 batches; a second process fuzzes the same namespace at once),
# while a known set of services sits in the guest's init namespace. After
# every batch of 100 the module must still answer GET_INFO in both and the
# known set must be unchanged; at the end the module must unload and the
# kernel log (KASAN, lockdep, kmemleak on the debug kernel) must be clean.
#
#   TEST_FUZZ_ITER  iterations (default 20000; make check-debug: 100000)
#   TEST_FUZZ_SEED  PRNG seed (default 1)
#   TEST_FUZZ_WORKERS  processes fuzzing the same namespace at once (default 2;
#                   1 makes a run deterministic, so a failure reproduces)
#
#   namespaces: init (known set) + the fuzzer's own; no traffic.
. "$IPVSNG_TOP/tests/lib/vm.sh"

iters=${TEST_FUZZ_ITER:-20000}
seed=${TEST_FUZZ_SEED:-1}
workers=${TEST_FUZZ_WORKERS:-2}
work=$(mktemp -d)

if ! ipvs_phase ours; then
	not_ok "load our ip_vs"
	tap_done
	exit
fi

# The known set: every service kind, with real servers of every method.
$OUR_IPVSADM -R <<'CONF'
-A -t 10.9.0.1:80 -s wrr
-a -t 10.9.0.1:80 -r 10.9.1.1:8080 -m -w 3
-a -t 10.9.0.1:80 -r 10.9.1.2:8080 -m -w 1
-A -u 10.9.0.1:53 -s rr -p 60
-a -u 10.9.0.1:53 -r 10.9.1.3:53 -g
-A --sctp-service 10.9.0.2:9 -s lc
-a --sctp-service 10.9.0.2:9 -r 10.9.1.4:9 -i
-A -t [2001:db8:9::1]:443 -s sh
-a -t [2001:db8:9::1]:443 -r [2001:db8:9::10]:443 -m
-A -f 9 -s mh
-a -f 9 -r 10.9.1.5:0 -g
CONF
check "known service set configured" test "$($OUR_IPVSADM -S -n | grep -c '^-A')" = 5
$OUR_IPVSADM -S -n >"$work/before"

start=$SECONDS
"$TOOLS/nlfuzz" -n "$iters" -s "$seed" -w "$workers" >"$work/out" 2>&1
rc=$?
sed 's/^/# /' "$work/out"
diag "$iters iterations in $((SECONDS - start)) s"
check_eq "nlfuzz: $iters mutated requests, module answered after every batch" 0 "$rc"

$OUR_IPVSADM -S -n >"$work/after"
check_same "known service set unchanged" "$work/before" "$work/after"
check "GET_INFO still answers (ipvsadm -L)" eval "$OUR_IPVSADM -L -n >/dev/null"
check "module unloads after fuzzing" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
