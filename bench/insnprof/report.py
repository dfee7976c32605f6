#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Instructions per kernel function between two insnprof snapshots.

  report.py KALLSYMS SNAP_A SNAP_B [PER]            one interval
  report.py KALLSYMS SNAP_A SNAP_B PER KALLSYMS2 SNAP_C SNAP_D
                                                    two intervals, side by side

Counts are divided by PER (e.g. the number of requests in the interval) so
that two paths doing the same work compare per unit. With two intervals the
rows are sorted by the difference, second minus first.
"""
import bisect
import sys


def load_syms(path):
    syms = []
    for line in open(path):
        parts = line.split()
        if len(parts) < 3 or parts[1] not in "tTwW":
            continue
        mod = parts[3].strip("[]") if len(parts) > 3 else ""
        name = parts[2] + (f" [{mod}]" if mod else "")
        syms.append((int(parts[0], 16), name))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def load_snap(path):
    blocks, user = {}, 0
    for line in open(path):
        a, *rest = line.split()
        if a == "user":
            user = int(rest[0])
            continue
        blocks[(int(a, 16), int(rest[0]))] = int(rest[1])
    return blocks, user


def interval(kallsyms, sa, sb, per):
    addrs, names = load_syms(kallsyms)
    (a, ua), (b, ub) = load_snap(sa), load_snap(sb)
    funcs = {"(user)": (ub - ua) / per}
    calls = {}
    for key, cnt in b.items():
        d = cnt - a.get(key, 0)
        if not d:
            continue
        i = bisect.bisect_right(addrs, key[0]) - 1
        name = names[i] if i >= 0 else "?"
        funcs[name] = funcs.get(name, 0) + d * key[1] / per
        if i >= 0 and addrs[i] == key[0]:
            calls[name] = calls.get(name, 0) + d / per
    return funcs, calls


def main(argv):
    per = float(argv[3]) if len(argv) > 3 else 1.0
    one, c1 = interval(argv[0], argv[1], argv[2], per)
    if len(argv) <= 4:
        total = sum(one.values())
        print(f"total {total:.0f}  (instructions, calls, per unit)")
        for name, v in sorted(one.items(), key=lambda x: -x[1])[:60]:
            print(f"{v:12.1f} {100 * v / total:5.1f}% {c1.get(name, 0):6.2f}  {name}")
        return
    two, c2 = interval(argv[4], argv[5], argv[6], per)
    t1, t2 = sum(one.values()), sum(two.values())
    print(f"total {t1:.0f} -> {t2:.0f}  diff {t2 - t1:+.0f} ({t2 / t1:.4f})")
    rows = [(two.get(n, 0) - one.get(n, 0), one.get(n, 0), two.get(n, 0),
             c1.get(n, 0), c2.get(n, 0), n) for n in set(one) | set(two)]
    rows.sort(key=lambda r: -abs(r[0]))
    print("      diff      first     second  calls1 calls2")
    for d, x, y, k1, k2, n in rows[:int(argv[7]) if len(argv) > 7 else 70]:
        print(f"{d:+10.1f} {x:10.1f} {y:10.1f} {k1:6.2f} {k2:6.2f}  {n}")


if __name__ == "__main__":
    main(sys.argv[1:])
