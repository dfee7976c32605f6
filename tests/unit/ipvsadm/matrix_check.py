#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The command x option and tunnel x option legality tables of
tools/ipvsadm/opts.c must equal the tables compiled into upstream ipvsadm
1.31 (found in /usr/sbin/ipvsadm by their shape).  Prints TAP-style lines
("ok - ..." / "not ok - ..."), or a skip when upstream is not installed."""
import os
import re
import sys

UPSTREAM = "/usr/sbin/ipvsadm"
CMDS = ("ADD EDIT DEL FLUSH LIST ADDDEST DELDEST EDITDEST TIMEOUT "
        "STARTDAEMON STOPDAEMON RESTORE SAVE ZERO").split()
KEY = {"-": "x", ".": " ", "R": "+", "1": "1"}
NOPT = 34   # upstream's options; ours adds "json" as a last column


def main():
    src = open(sys.argv[1]).read()
    if not os.path.exists(UPSTREAM):
        print("ok - legality tables match upstream # SKIP no %s" % UPSTREAM)
        return 0
    binary = open(UPSTREAM, "rb").read()
    start = binary.find(b"xx+   xxxx")
    table = binary[start:start + 14 * NOPT].decode("ascii", "replace")
    rows = dict((n, r) for n, r in
                re.findall(r'\[CMD_(\w+)\]\s*=\s*"([-.R1]+)" "[-.R1]"', src))
    for i, name in enumerate(CMDS):
        mine = "".join(KEY[c] for c in rows.get(name, ""))
        theirs = table[i * NOPT:(i + 1) * NOPT]
        if mine == theirs:
            print("ok - legality row %s matches upstream" % name)
        else:
            print("not ok - legality row %s matches upstream" % name)
            print("#   ours:     [%s]\n#   upstream: [%s]" % (mine, theirs))
    tun = re.findall(r'\[IP_VS_CONN_F_TUNNEL_TYPE_\w+\]\s*=\s*"([-.R1]+)"', src)
    mine = "".join(KEY[c] for row in tun for c in row)
    ok = binary.find(mine.encode()) >= 0 and len(mine) == 12
    print("%s - tunnel legality table matches upstream [%s]" %
          ("ok" if ok else "not ok", mine))
    return 0


if __name__ == "__main__":
    sys.exit(main())
