# SPDX-License-Identifier: GPL-2.0
#
# KERNEL_BAD_RE: kernel log lines that fail a run (extended regex). Sourced
# by scripts/vm-run on the host (console and dmesg of each boot) and by
# tests/lib/vm.sh in the guest (kernel_clean). Covers the stock kernel's
# WARN/BUG/oops and the debug kernel's reports: KASAN ("BUG: KASAN: ..."),
# lockdep ("WARNING: possible circular locking dependency detected", and
# lockdep turning itself off), suspicious RCU usage, sleeping in atomic
# context ("BUG: sleeping function called from invalid context"), SLUB debug
# ("BUG kmalloc-64 (Tainted: ...): Redzone overwritten"), DEBUG_OBJECTS
# ("ODEBUG: ..."), DEBUG_LIST and kmemleak ("N new suspected memory leaks"),
# and a leaked device reference ("unregister_netdevice: waiting for eth0 to
# become free", which only says so every 10 s).
# Boot-time banners such as "kmemleak: Kernel memory leak detector
# initialized" or "rcu: RCU lockdep checking is enabled." must not match: a
# bare "lockdep" would, so lockdep's reports are matched by their own words
# (each also prints a Call Trace).
KERNEL_BAD_RE='WARNING:|BUG:|BUG [^ ]+ \(|Oops|general protection|Call Trace|kernel BUG'
KERNEL_BAD_RE+='|possible circular|possible recursive|inconsistent lock state'
KERNEL_BAD_RE+='|lock inversion|lock order detected|DEBUG_LOCKS_WARN_ON|lockdep is turned off'
KERNEL_BAD_RE+='|suspicious RCU usage|turning off the locking correctness validator'
KERNEL_BAD_RE+='|KASAN|suspected memory leak|unreferenced object|UBSAN|Kernel panic'
KERNEL_BAD_RE+='|RCU.*stall|hung_task|INFO: task .* blocked|ODEBUG'
KERNEL_BAD_RE+='|list_(add|del) corruption|Poison overwritten|Redzone overwritten'
KERNEL_BAD_RE+='|unregister_netdevice: waiting for'
