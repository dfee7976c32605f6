#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench/guest.sh output into results.json, results.md and results.dat.

    report.py RESULTS_LOG OUTDIR [MORE_LOGS...]

(MORE_LOGS: further boots' output, e.g. bench/sched.sh run on its own; a
case/path they measured replaces the earlier logs' figures.)

Input lines: "RESULT <case> <path> <repetition> <value> <unit>". Per case and
path the median of the repetitions is the figure; the spread is
(max - min) / median. Cases measured with the table filled (crr_*_conns,
routed_crr_*_conns) take plain routing's connect-request-close figure as
their "plain", so every ratio reads as cost relative to plain routing; their
"vs_empty" is the same path's cost with an empty table (nat_tcp_crr, or for
routed_* the plain routed figure) divided into it. Scheduler cases
(sched_<scheduler>_<servers>, bench/sched.sh) take sched_base as "plain" and
carry "vs_rr": their cost over rr's with as many real servers.
"""
import json
import statistics
import sys
from collections import OrderedDict

PATHS = ("plain", "stock", "ours")


def parse(logs):
    runs = OrderedDict()
    units = {}
    for log in logs:
        this = {}
        for line in open(log, encoding="utf-8", errors="replace"):
            f = line.split()
            if len(f) != 6 or f[0] != "RESULT":
                continue
            _, case, path, _rep, value, unit = f
            this.setdefault((case, path), []).append(int(value))
            units[case] = unit
        # A later log's figures for a case and path replace earlier ones.
        for (case, path), vals in this.items():
            runs.setdefault(case, {})[path] = vals
    return runs, units


def summarise(runs, units):
    cases = OrderedDict()
    for case, by_path in runs.items():
        c = OrderedDict((p, None) for p in PATHS)
        c["unit"] = units[case]
        spread = {}
        for p, vals in by_path.items():
            med = statistics.median(vals)
            c[p] = int(med) if float(med).is_integer() else med
            if len(vals) > 1 and med:
                spread[p] = round((max(vals) - min(vals)) / med * 100, 3)
        c["spread_pct"] = spread
        c["runs"] = by_path
        cases[case] = c
    crr_plain = cases.get("nat_tcp_crr", {}).get("plain")
    sched_plain = cases.get("sched_base", {}).get("plain")
    for case, c in cases.items():
        # sched_<name>_<servers>: cost against rr with as many servers.
        f = case.split("_")
        if len(f) != 3 or f[0] != "sched":
            continue
        c["plain"] = sched_plain
        rr = cases.get("sched_rr_" + f[2], {})
        c["vs_rr"] = {p: round(c[p] / rr[p], 4)
                      for p in ("stock", "ours") if c.get(p) and rr.get(p)}
    for case, c in cases.items():
        if not case.endswith("_conns") or case == "routed_crr_0_conns":
            continue
        c["plain"] = crr_plain
        if case.startswith("routed_"):
            empty = {p: cases.get("routed_crr_0_conns", {}).get("plain") for p in PATHS}
        else:
            empty = {p: cases.get("nat_tcp_crr", {}).get(p) for p in PATHS}
        c["vs_empty"] = {p: round(c[p] / empty[p], 4)
                         for p in ("stock", "ours") if c.get(p) and empty.get(p)}
    return cases


def ratio(a, b):
    return round(a / b, 4) if a and b else None


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "ns":
        return "%.2f ms" % (v / 1e6)
    return "%d %s" % (v, unit)


def fmt_ratio(r):
    return "-" if r is None else "%.3f" % r


def markdown(cases):
    out = ["| case | plain | stock | ours | stock/plain | ours/plain | ours/stock "
           "| vs empty table / vs rr (stock, ours) | spread % (plain/stock/ours) |",
           "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for case, c in cases.items():
        if case.startswith("sched_"):
            continue	# the scheduler table below
        u = c["unit"]
        ve = c.get("vs_empty") or c.get("vs_rr")
        vs_empty = "%s, %s" % (fmt_ratio(ve.get("stock")), fmt_ratio(ve.get("ours"))) \
            if ve else ""
        if c.get("vs_rr"):
            vs_empty += " (vs rr)"
        spread = "/".join("%.2f" % c["spread_pct"][p] if p in c["spread_pct"] else "-"
                          for p in PATHS)
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            case, fmt(c["plain"], u), fmt(c["stock"], u), fmt(c["ours"], u),
            fmt_ratio(ratio(c["stock"], c["plain"])),
            fmt_ratio(ratio(c["ours"], c["plain"])),
            fmt_ratio(ratio(c["ours"], c["stock"])), vs_empty, spread))
    return "\n".join(out) + "\n"


def sched_markdown(cases):
    """Scheduling cost: guest ns per new connection above rr with 2 servers
    (an O(1) pick), per scheduler and real-server count, stock and ours."""
    work = cases.get("sched_work", {}).get("plain")
    names, sizes = [], []
    for case in cases:
        f = case.split("_")
        if len(f) == 3 and f[0] == "sched" and f[2].isdigit():
            if f[1] not in names:
                names.append(f[1])
            if int(f[2]) not in sizes:
                sizes.append(int(f[2]))
    if not work or not names:
        return ""
    sizes.sort()
    base = cases.get("sched_rr_%d" % sizes[0], {})
    out = ["", "Scheduling (`sched_*`): guest ns per new connection above rr with %d "
           "servers (stock %s, ours %s for %d connections; plain routing %s):" %
           (sizes[0], fmt(base.get("stock"), "ns"), fmt(base.get("ours"), "ns"), work,
            fmt(cases.get("sched_base", {}).get("plain"), "ns")), "",
           "| scheduler | " + " | ".join("stock %d | ours %d" % (n, n) for n in sizes) + " |",
           "|---|" + "---:|---:|" * len(sizes)]
    for name in names:
        cells = []
        for n in sizes:
            c = cases.get("sched_%s_%d" % (name, n), {})
            for p in ("stock", "ours"):
                v, b = c.get(p), base.get(p)
                cells.append("-" if v is None or b is None else "%+.0f" % ((v - b) / work))
        out.append("| %s | %s |" % (name, " | ".join(cells)))
    return "\n".join(out) + "\n"


def chart_data(cases):
    rows = ["# case stock/plain ours/plain"]
    for case, c in cases.items():
        s, o = ratio(c["stock"], c["plain"]), ratio(c["ours"], c["plain"])
        if s is not None and o is not None:
            rows.append("%s %s %s" % (case, s, o))
    return "\n".join(rows) + "\n"


def main():
    logs = [sys.argv[1]] + sys.argv[3:]
    outdir = sys.argv[2]
    runs, units = parse(logs)
    if not runs:
        sys.exit("report.py: no RESULT lines in %s" % " ".join(logs))
    cases = summarise(runs, units)
    with open(outdir + "/results.json", "w", encoding="utf-8") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")
    sched = sched_markdown(cases)
    with open(outdir + "/results.md", "w", encoding="utf-8") as f:
        f.write(markdown(cases) + sched)
    with open(outdir + "/results.dat", "w", encoding="utf-8") as f:
        f.write(chart_data(cases))
    sys.stdout.write(markdown(cases) + sched)


if __name__ == "__main__":
    main()
