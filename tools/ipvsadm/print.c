// SPDX-License-Identifier: GPL-2.0
/*
 * Text output: -L tables (plain, --stats, --rate, --thresholds,
 * --persistent-conn, --tun-info, --exact), -S rules, --timeout, --daemon
 * and -c.  Every format string reproduces ipvsadm 1.31 byte for byte,
 * including its column truncations.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsadm.h"

#define NAME_MAX_LEN	60	/* names are cut to 59 characters */

static const char *proto_service_name(uint16_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_SCTP:
		return "sctp";
	}
	return NULL;
}

static const char *host_name(int af, const union vs_addr *addr, char *buf,
			     size_t len)
{
	struct hostent *h;

	h = gethostbyaddr(addr, af == AF_INET ? sizeof(struct in_addr) :
			  sizeof(struct in6_addr), af);
	if (h)
		return h->h_name;
	return inet_ntop(af, addr, buf, len);
}

static const char *port_name(uint16_t port, uint16_t proto, char *buf,
			     size_t len)
{
	const char *p = proto_service_name(proto);
	struct servent *se = p ? getservbyport(htons(port), p) : NULL;

	if (se)
		return se->s_name;
	snprintf(buf, len, "%u", port);
	return buf;
}

/* "addr:port", "[v6addr]:port", names unless FMT_NUMERIC; malloc'd. */
/* The decimal digits of v at p; returns the end. */
static char *put_dec(char *p, unsigned long long v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* printf's "%-*s" and "%-*lld" into a line being built; return the end. */
static char *put_left(char *p, const char *s, int width)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	for (p += n; (int)n < width; n++)
		*p++ = ' ';
	return p;
}

static char *put_left_num(char *p, long long v, int width)
{
	char num[24], *e = num;

	if (v < 0)
		*e++ = '-';
	*put_dec(e, v < 0 ? -(unsigned long long)v : (unsigned long long)v) = '\0';
	return put_left(p, num, width);
}

char *vs_addrport_name(int af, const union vs_addr *addr, uint16_t port,
		       uint16_t proto, unsigned int fmt)
{
	char abuf[INET6_ADDRSTRLEN], pbuf[16];
	const char *a, *open = af == AF_INET ? "" : "[";
	const char *close = af == AF_INET ? "" : "]";
	char *out = malloc(NAME_MAX_LEN);

	if (!out)
		return NULL;
	if (fmt & FMT_NUMERIC) {
		/* By hand, not snprintf(): -Ln formats two names per line. The
		 * longest, "[" IPv6 "]:65535", is 53 bytes, below the cut. */
		char *p = out;

		if (af == AF_INET) {
			const unsigned char *b = (const unsigned char *)&addr->ip;

			for (int i = 0; i < 4; i++) {
				p = put_dec(p, b[i]);
				*p++ = i < 3 ? '.' : ':';
			}
		} else {
			a = inet_ntop(af, addr, abuf, sizeof(abuf));
			p = stpcpy(p, open);
			p = stpcpy(p, a ? a : "(null)");
			p = stpcpy(p, close);
			*p++ = ':';
		}
		*put_dec(p, port) = '\0';
	} else {
		a = host_name(af, addr, abuf, sizeof(abuf));
		snprintf(out, NAME_MAX_LEN, "%s%s%s:%s", open,
			 a ? a : "(null)", close,
			 port_name(port, proto, pbuf, sizeof(pbuf)));
	}
	return out;
}

void vs_print_largenum(FILE *f, unsigned long long v, unsigned int fmt)
{
	static const struct {
		unsigned long long below, div;
	} steps[] = {
		{ 100000000ULL, 1 },			/* < 100 million */
		{ 1000000000ULL, 1000ULL },		/* K */
		{ 100000000000ULL, 1000000ULL },	/* M */
		{ 100000000000000ULL, 1000000000ULL },	/* G */
	};
	static const char suffix[] = " KMG";
	char tmp[32];
	int len;

	if (fmt & FMT_EXACT) {
		len = snprintf(tmp, sizeof(tmp), "%llu", v);
		fprintf(f, "%*llu", len <= 8 ? 9 : len + 1, v);
		return;
	}
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (v < steps[i].below) {
			if (i == 0)
				fprintf(f, "%9llu", v);
			else
				fprintf(f, "%8llu%c", v / steps[i].div,
					suffix[i]);
			return;
		}
	}
	fprintf(f, "%8lluT", v / 1000000000000ULL);
}

void vs_print_header(FILE *f, const struct vs_info *info)
{
	fprintf(f, "IP Virtual Server version %d.%d.%d (size=%d)\n",
		(info->version >> 16) & 0xff, (info->version >> 8) & 0xff,
		info->version & 0xff, info->size);
}

static const char dest_head[] = "  -> RemoteAddress:Port\n";

void vs_print_title(FILE *f, unsigned int fmt)
{
	if (fmt & FMT_STATS)
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n%s",
			"Prot LocalAddress:Port", "Conns", "InPkts",
			"OutPkts", "InBytes", "OutBytes", dest_head);
	else if (fmt & FMT_RATE)
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n%s",
			"Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS",
			"InBPS", "OutBPS", dest_head);
	else if (fmt & FMT_THRESHOLDS)
		fprintf(f, "%-33s %-10s %-10s %-10s %-10s\n%s",
			"Prot LocalAddress:Port", "Uthreshold", "Lthreshold",
			"ActiveConn", "InActConn", dest_head);
	else if (fmt & FMT_PERSISTENTCONN)
		fprintf(f, "%-33s %-9s %-11s %-10s %-10s\n%s",
			"Prot LocalAddress:Port", "Weight", "PersistConn",
			"ActiveConn", "InActConn", dest_head);
	else if (fmt & FMT_TUN_INFO)
		fputs("Prot LocalAddress:Port Scheduler Flags\n"
		      "  -> RemoteAddress:Port           Forward TunnelInfo"
		      "    Weight ActiveConn InActConn\n", f);
	else if (!(fmt & FMT_RULE))
		fputs("Prot LocalAddress:Port Scheduler Flags\n"
		      "  -> RemoteAddress:Port           Forward Weight"
		      " ActiveConn InActConn\n", f);
}

static const char *fwd_name(uint32_t flags)
{
	switch (flags & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ:
		return "Masq";
	case IP_VS_CONN_F_LOCALNODE:
		return "Local";
	case IP_VS_CONN_F_TUNNEL:
		return "Tunnel";
	case IP_VS_CONN_F_DROUTE:
		return "Route";
	}
	return "(null)";
}

static const char *fwd_switch(uint32_t flags)
{
	switch (flags & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ:
		return "-m";
	case IP_VS_CONN_F_TUNNEL:
		return "-i";
	case IP_VS_CONN_F_LOCALNODE:
	case IP_VS_CONN_F_DROUTE:
		return "-g";
	}
	return "(null)";
}

static const char *const tun_names[] = { "ipip", "gue", "gre" };
static const char *const tun_csum_short[] = { "-c", "+c", "r+c" };
static const char *const tun_csum_opt[] = {
	"--tun-nocsum", "--tun-csum", "--tun-remcsum",
};

static const char *csum_of(const char *const *tbl, uint16_t flags)
{
	return flags < 3 ? tbl[flags] : "(null)";
}

/* --tun-info column; NULL when not applicable ("n/a"). */
static int tun_info(const struct vs_dest *d, char *buf, size_t len)
{
	if ((d->conn_flags & IP_VS_CONN_F_FWD_MASK) != IP_VS_CONN_F_TUNNEL)
		return -1;
	switch (d->tun_type) {
	case IP_VS_CONN_F_TUNNEL_TYPE_IPIP:
		snprintf(buf, len, "%s", tun_names[d->tun_type]);
		return 0;
	case IP_VS_CONN_F_TUNNEL_TYPE_GUE:
		snprintf(buf, len, "%s:%d:%s", tun_names[d->tun_type],
			 ntohs(d->tun_port),
			 csum_of(tun_csum_short, d->tun_flags));
		return 0;
	case IP_VS_CONN_F_TUNNEL_TYPE_GRE:
		snprintf(buf, len, "%s:%s", tun_names[d->tun_type],
			 csum_of(tun_csum_short, d->tun_flags));
		return 0;
	}
	return -1;
}

static void sched_flags(char *out, size_t len, const struct vs_service *s)
{
	static const struct {
		const char *sched;	/* NULL: any other scheduler */
		uint32_t flag;
		const char *name;
	} names[] = {
		{ "sh", IP_VS_SVC_F_SCHED_SH_FALLBACK, "sh-fallback" },
		{ "sh", IP_VS_SVC_F_SCHED_SH_PORT, "sh-port" },
		{ "mh", IP_VS_SVC_F_SCHED_MH_FALLBACK, "mh-fallback" },
		{ "mh", IP_VS_SVC_F_SCHED_MH_PORT, "mh-port" },
		{ NULL, IP_VS_SVC_F_SCHED1, "flag-1" },
		{ NULL, IP_VS_SVC_F_SCHED2, "flag-2" },
		{ NULL, IP_VS_SVC_F_SCHED3, "flag-3" },
	};
	const char *group = !strcmp(s->sched, "sh") ? "sh" :
			    !strcmp(s->sched, "mh") ? "mh" : NULL;
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int match = group ? names[i].sched &&
				    !strcmp(names[i].sched, group) :
				    !names[i].sched;

		if (match && (s->flags & names[i].flag))
			used += snprintf(out + used, len - used, "%s%s",
					 used ? "," : "", names[i].name);
	}
}

static void persistence_mask(FILE *f, const struct vs_service *s,
			     const char *kw)
{
	if (s->af == AF_INET && s->netmask != 0xffffffff) {
		struct in_addr m = { .s_addr = s->netmask };

		fprintf(f, " %s %s", kw, inet_ntoa(m));
	}
	if (s->af == AF_INET6 && s->netmask != 128)
		fprintf(f, " %s %i", kw, (int)s->netmask);
}

static void service_name(char *out, size_t len, const struct vs_service *s,
			 unsigned int fmt)
{
	static const struct {
		uint16_t proto;
		const char *opt, *name;
	} protos[] = {
		{ IPPROTO_TCP, "-t", "TCP" },
		{ IPPROTO_UDP, "-u", "UDP" },
		{ IPPROTO_SCTP, "--sctp-service", "SCTP" },
	};
	const char *opt = "--xxx-service", *name = "?";
	char *v;

	if (s->fwmark) {
		if (fmt & FMT_RULE)
			snprintf(out, len, "-f %d%s", (int)s->fwmark,
				 s->af == AF_INET6 ? " -6" : "");
		else
			snprintf(out, len, "FWM  %d%s", (int)s->fwmark,
				 s->af == AF_INET6 ? " IPv6" : "");
		return;
	}
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (protos[i].proto == s->protocol) {
			opt = protos[i].opt;
			name = protos[i].name;
		}
	}
	v = vs_addrport_name(s->af, &s->addr, ntohs(s->port), s->protocol,
			     fmt);
	if (!v)
		vs_fail(2, "addrport_to_anyname: %s", "Cannot allocate memory");
	if (fmt & FMT_RULE) {
		snprintf(out, len, "%s %s", opt, v);
	} else {
		snprintf(out, len, "%-4s %s", name, v);
		if (s->af != AF_INET6 && strlen(out) > 33)
			out[33] = '\0';
	}
	free(v);
}

/* ipvsadm reads destination STATS64 with 32-bit accessors. */
static unsigned long long dstat(uint64_t v)
{
	return (uint32_t)v;
}

static void print_dest(FILE *f, const char *svc_name,
		       const struct vs_service *s, const struct vs_dest *d,
		       unsigned int fmt)
{
	unsigned int fwd = d->conn_flags & IP_VS_CONN_F_FWD_MASK;
	const struct vs_stats *st = &d->stats;
	char *name, ti[32];

	name = vs_addrport_name(d->af, &d->addr, ntohs(d->port), s->protocol,
				fmt);
	if (!name) {
		fprintf(stderr, "addrport_to_anyname fails\n");
		vs_exit(1);
	}
	if (!(fmt & FMT_RULE) && d->af != AF_INET6 && strlen(name) > 28)
		name[28] = '\0';

	if (fmt & FMT_RULE) {
		fprintf(f, "-a %s -r %s %s -w %d", svc_name, name,
			fwd_switch(d->conn_flags), d->weight);
		if (fwd == IP_VS_CONN_F_TUNNEL && d->tun_type < 3) {
			fprintf(f, " --tun-type %s", tun_names[d->tun_type]);
			if (d->tun_type == IP_VS_CONN_F_TUNNEL_TYPE_GUE)
				fprintf(f, " --tun-port %d",
					ntohs(d->tun_port));
			if (d->tun_type != IP_VS_CONN_F_TUNNEL_TYPE_IPIP)
				fprintf(f, " %s",
					csum_of(tun_csum_opt, d->tun_flags));
		}
		fputc('\n', f);
	} else if (fmt & FMT_STATS) {
		fprintf(f, "  -> %-28s", name);
		vs_print_largenum(f, dstat(st->conns), fmt);
		vs_print_largenum(f, dstat(st->inpkts), fmt);
		vs_print_largenum(f, dstat(st->outpkts), fmt);
		vs_print_largenum(f, dstat(st->inbytes), fmt);
		vs_print_largenum(f, dstat(st->outbytes), fmt);
		fputc('\n', f);
	} else if (fmt & FMT_RATE) {
		fprintf(f, "  -> %-28s %8llu %8llu %8llu", name,
			dstat(st->cps), dstat(st->inpps), dstat(st->outpps));
		vs_print_largenum(f, dstat(st->inbps), fmt);
		vs_print_largenum(f, dstat(st->outbps), fmt);
		fputc('\n', f);
	} else if (fmt & FMT_THRESHOLDS) {
		fprintf(f, "  -> %-28s %-10u %-10u %-10u %-10u\n", name,
			d->u_threshold, d->l_threshold, d->activeconns,
			d->inactconns);
	} else if (fmt & FMT_PERSISTENTCONN) {
		fprintf(f, "  -> %-28s %-9u %-11u %-10u %-10u\n", name,
			d->weight, d->persistconns, d->activeconns,
			d->inactconns);
	} else if (fmt & FMT_TUN_INFO) {
		fprintf(f, "  -> %-28s %-7s %-13s %-6d %-10u %-10u\n", name,
			fwd_name(d->conn_flags),
			tun_info(d, ti, sizeof(ti)) < 0 ? "n/a" : ti,
			d->weight, d->activeconns, d->inactconns);
	} else {
		/* the plain -L line, by hand: printf() was a third of -Ln */
		char line[128], *p = line;

		p = put_left(p, "  -> ", 0);
		p = put_left(p, name, 28);
		*p++ = ' ';
		p = put_left(p, fwd_name(d->conn_flags), 7);
		*p++ = ' ';
		p = put_left_num(p, d->weight, 6);
		*p++ = ' ';
		p = put_left_num(p, d->activeconns, 10);
		*p++ = ' ';
		p = put_left_num(p, d->inactconns, 10);
		*p++ = '\n';
		fwrite(line, 1, (size_t)(p - line), f);
	}
	free(name);
}

static void print_svc_stats(FILE *f, const uint64_t *v, unsigned int fmt)
{
	for (int i = 0; i < 5; i++)
		vs_print_largenum(f, v[i], fmt);
}

void vs_print_service(FILE *f, struct vs_svc_entry *e, unsigned int fmt)
{
	const struct vs_service *s = &e->svc;
	char name[1024], flags[64];
	int has_sflags = s->flags & (IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 |
				     IP_VS_SVC_F_SCHED3);

	service_name(name, sizeof(name), s, fmt);
	sched_flags(flags, sizeof(flags), s);

	if (fmt & FMT_RULE) {
		fprintf(f, "-A %s -s %s", name, s->sched);
		if (s->flags & IP_VS_SVC_F_PERSISTENT) {
			fprintf(f, " -p %u", s->timeout);
			persistence_mask(f, s, "-M");
		}
		if (s->pe[0])
			fprintf(f, " --pe %s", s->pe);
		if (s->flags & IP_VS_SVC_F_ONEPACKET)
			fputs(" -o", f);
		if (has_sflags)
			fprintf(f, " -b %s", flags);
	} else if (fmt & (FMT_STATS | FMT_RATE)) {
		const struct vs_stats *st = &s->stats;
		uint64_t counters[5] = { st->conns, st->inpkts, st->outpkts,
					 st->inbytes, st->outbytes };
		uint64_t rates[5] = { st->cps, st->inpps, st->outpps,
				      st->inbps, st->outbps };

		fprintf(f, "%-33s", name);
		print_svc_stats(f, fmt & FMT_STATS ? counters : rates, fmt);
	} else {
		fprintf(f, "%s %s", name, s->sched);
		if (has_sflags)
			fprintf(f, " (%s)", flags);
		if (s->flags & IP_VS_SVC_F_PERSISTENT) {
			fprintf(f, " persistent %u", s->timeout);
			persistence_mask(f, s, "mask");
			if (s->pe[0])
				fprintf(f, " pe %s", s->pe);
		}
		if (s->flags & IP_VS_SVC_F_ONEPACKET)
			fputs(" ops", f);
	}
	fputc('\n', f);

	if (!(fmt & FMT_NOSORT))
		qsort(e->dests, e->ndests, sizeof(e->dests[0]), vs_dest_cmp);
	for (int i = 0; i < e->ndests; i++)
		print_dest(f, name, s, &e->dests[i], fmt);
}

void vs_sort_list(struct vs_svc_list *l, unsigned int fmt)
{
	if (!(fmt & FMT_NOSORT))
		qsort(l->e, l->n, sizeof(l->e[0]), vs_svc_cmp);
}

void vs_print_timeout(FILE *f, const struct vs_timeout *to)
{
	fprintf(f, "Timeout (tcp tcpfin udp): %d %d %d\n", to->tcp,
		to->tcp_fin, to->udp);
}

void vs_print_daemons(FILE *f, const struct vs_daemon dm[2])
{
	for (int i = 0; i < 2; i++) {
		const char *type;

		if (dm[i].state & IP_VS_STATE_MASTER)
			type = "master";
		else if (dm[i].state & IP_VS_STATE_BACKUP)
			type = "backup";
		else
			continue;
		fprintf(f, "%s sync daemon (mcast=%s, syncid=%d", type,
			dm[i].mcast_ifn, (int)dm[i].syncid);
		if (dm[i].sync_maxlen)
			fprintf(f, ", maxlen=%u", dm[i].sync_maxlen);
		if (dm[i].mcast_af != AF_UNSPEC) {
			char a[INET6_ADDRSTRLEN];

			if (inet_ntop(dm[i].mcast_af, &dm[i].mcast_group, a,
				      sizeof(a)))
				fprintf(f, ", group=%s", a);
		}
		if (dm[i].mcast_port)
			fprintf(f, ", port=%u", dm[i].mcast_port);
		if (dm[i].mcast_ttl)
			fprintf(f, ", ttl=%u", dm[i].mcast_ttl);
		fputs(")\n", f);
	}
}

void vs_print_conn_title(FILE *f, unsigned int fmt)
{
	fputs("IPVS connection entries\n", f);
	if (fmt & FMT_PERSISTENTCONN)
		fprintf(f, "pro expire %-11s %-18s %-18s %-18s %-16s %s\n",
			"state", "source", "virtual", "destination",
			"pe name", "pe_data");
	else
		fprintf(f, "pro expire %-11s %-18s %-18s %s\n", "state",
			"source", "virtual", "destination");
}

void vs_print_conn(FILE *f, const struct vs_conn *c, unsigned int fmt)
{
	char *cn, *vn, *dn, expire[16];

	cn = vs_addrport_name(c->af, &c->caddr, c->cport, c->protocol, fmt);
	vn = vs_addrport_name(c->af, &c->vaddr, c->vport, c->protocol, fmt);
	dn = vs_addrport_name(c->daf, &c->daddr, c->dport, c->protocol, fmt);
	if (!cn || !vn || !dn)
		vs_exit(1);
	snprintf(expire, sizeof(expire), "%02d:%02d", c->expires / 60,
		 c->expires % 60);
	if ((fmt & FMT_PERSISTENTCONN) && c->nfields == 11)
		fprintf(f, "%-3s %-6s %-11s %-18s %-18s %-16s %-18s %s\n",
			c->proto, expire, c->state, cn, vn, dn, c->pe_name,
			c->pe_data);
	else
		fprintf(f, "%-3s %-6s %-11s %-18s %-18s %s\n", c->proto,
			expire, c->state, cn, vn, dn);
	free(cn);
	free(vn);
	free(dn);
}
