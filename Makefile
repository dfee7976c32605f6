# SPDX-License-Identifier: GPL-2.0
#
# ipvs-ng top-level Makefile.
#
#   make            modules + ipvsadm
#   make check      host unit tests, then the whole VM suite
#   make check-debug the VM suite (DEBUG_TESTS) on the KASAN/lockdep/kmemleak kernel
#   make demo       boot the VM and load-balance real traffic
#   make bench      instruction-counted benchmarks: plain routing, stock, ours
#   make bench-prof instructions per kernel function, plain routing against ours
#   make install    modules into /lib/modules/<kver>/updates, ipvsadm into $(PREFIX)

# KDIR: the running kernel's build tree if present, else the newest Debian
# headers installed (the ABI scripts/deps.sh paired with the VM image).
KDIR ?= $(shell \
	if [ -d /lib/modules/$$(uname -r)/build ]; then \
		echo /lib/modules/$$(uname -r)/build; \
	else \
		ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1; \
	fi)
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
PREFIX ?= /usr/local
DESTDIR ?=

export KDIR KVER

.PHONY: all modules tools testtools deps install modules_install clean check unit vm-check \
	check-debug debug-kernel soak \
	demo bench bench-restore bench-prof benchtools

all: modules tools testtools benchtools

deps:
	@scripts/deps.sh

modules: deps
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools: deps
	$(MAKE) -C tools/ipvsadm

testtools:
	$(MAKE) -C tests/tools

benchtools:
	$(MAKE) -C bench

unit: tools
	$(MAKE) -C tests/unit run

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KVER)

install: modules_install
	$(MAKE) -C tools/ipvsadm install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

# The whole suite: host unit tests and every VM test, one summary line.
check: all
	@tests/run-all

vm-check: all
	@tests/run-all --vm-only

# The debug kernel: Debian's linux-source-6.1 with KASAN, lockdep, kmemleak,
# DEBUG_OBJECTS, DEBUG_LIST and SLUB debugging, built once per machine into
# .cache/debug-kernel/ (scripts/debug-kernel.sh), with our modules built
# against it in a copy of the sources.
debug-kernel: deps
	@scripts/debug-kernel.sh

# VM tests on the debug kernel; any KASAN, lockdep, kmemleak or WARN report
# fails the file (scripts/vm-run). Not part of `make check`: see README.
# DEBUG_TESTS: empty runs every VM file; each has passed on the debug
# kernel (README has each file's result and time: the longest are
# cli-golden-2 75 min and cli-golden-stock 46 beside other VMs, nl-fuzz at
# 100,000 iterations 18.5 min; the whole suite is hours, two VMs at a
# time). Name a few files to run only those.
# VM_TIMEOUT per file: 90 min, room for nl-fuzz on a busy machine.
DEBUG_TESTS ?=
check-debug: all debug-kernel
	@IPVSNG_KERNEL=debug TEST_FUZZ_ITER=$${TEST_FUZZ_ITER:-100000} \
		TEST_TIME_SCALE=$${TEST_TIME_SCALE:-4} \
		VM_TIMEOUT=$${VM_TIMEOUT:-5400} tests/run-all --vm-only $(DEBUG_TESTS)

# The long reliability runs of issue 7: a 5-minute churn soak per module,
# 20 module removals under traffic per topology, 100,000 random packets
# from the client (make check runs the same files shorter).
soak: all
	@TEST_SOAK_SECS=300 TEST_UNLOAD_ROUNDS=20 TEST_UNLOAD_NS_ROUNDS=5 \
		TEST_PKTFUZZ_N=100000 VM_TIMEOUT=$${VM_TIMEOUT:-3600} \
		tests/run-all --vm-only churn-soak unload-traffic pkt-fuzz

demo: all
	@scripts/demo

# Control-plane benchmark: restore/list/flush 10,000 x 4, upstream on stock
# vs ours on ours (CPU seconds of ipvsadm; the ratio is the result).
bench-restore: all
	@scripts/vm-run bench/restore.sh

# Data-plane and control-plane benchmarks in one instruction-counted boot;
# writes bench/results.{json,md,png} (bench/run --help for the knobs).
bench: all
	@bench/run

# Instructions per kernel function, plain routing against our module, per
# UDP request and per TCP connection (a qemu TCG plugin; bench/insnprof/run).
bench-prof: all
	@bench/insnprof/run

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools/ipvsadm clean
	$(MAKE) -C tests/unit clean 2>/dev/null || true
	$(MAKE) -C tests/tools clean
	$(MAKE) -C bench clean
	rm -rf .cache/modtree .cache/vm-out
