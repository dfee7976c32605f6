// SPDX-License-Identifier: GPL-2.0
/*
 * test-args: ipvsadm's command line handling without a kernel.  Parses and
 * checks argv exactly as ipvsadm does, then prints the resulting request
 * (one key=value per line) instead of sending it.  Messages and exit
 * statuses of rejected command lines are ipvsadm's. With TEST_ARGS_POPT
 * set, popt parses every line (run.sh checks both ways agree).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsadm.h"

static const char *addr(int af, const union vs_addr *a, char *buf)
{
	if (!af)
		return "-";
	return inet_ntop(af, a, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

int main(int argc, char **argv)
{
	char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN], b3[INET6_ADDRSTRLEN];
	struct vs_req r;

	vs_progname = "ipvsadm";
	/* TEST_ARGS_POPT: bypass the plain-line parser. */
	if ((getenv("TEST_ARGS_POPT") ? vs_parse_popt(argc, argv, &r) :
	     vs_parse_args(argc, argv, &r, 0)) < 0)
		return 255;
	vs_check_semantics(&r);

	printf("cmd=%s\n", vs_cmd_names[r.cmd]);
	printf("options=");
	for (int o = 0, first = 1; o < OPT_COUNT; o++)
		if (r.options & OPTBIT(o)) {
			printf("%s%s", first ? "" : ",", vs_opt_names[o]);
			first = 0;
		}
	printf("\nfmt=%#x\n", r.fmt);
	printf("svc af=%d proto=%u addr=%s port=%u fwmark=%u sched=%s pe=%s "
	       "flags=%#x timeout=%u netmask=%#x\n", r.svc.af, r.svc.protocol,
	       addr(r.svc.af, &r.svc.addr, b1), ntohs(r.svc.port),
	       r.svc.fwmark, r.svc.sched, r.svc.pe, r.svc.flags,
	       r.svc.timeout, r.svc.netmask);
	printf("dest af=%d addr=%s port=%u fwd=%u weight=%d u=%u l=%u "
	       "tun=%u/%u/%u\n", r.dest.af, addr(r.dest.af, &r.dest.addr, b2),
	       ntohs(r.dest.port), r.dest.conn_flags, r.dest.weight,
	       r.dest.u_threshold, r.dest.l_threshold, r.dest.tun_type,
	       ntohs(r.dest.tun_port), r.dest.tun_flags);
	printf("timeout=%d/%d/%d\n", r.to.tcp, r.to.tcp_fin, r.to.udp);
	printf("daemon state=%u ifn=%s syncid=%u maxlen=%u port=%u ttl=%u "
	       "group=%s\n", r.dm.state, r.dm.mcast_ifn, r.dm.syncid,
	       r.dm.sync_maxlen, r.dm.mcast_port, r.dm.mcast_ttl,
	       addr(r.dm.mcast_af, &r.dm.mcast_group, b3));
	return 0;
}
