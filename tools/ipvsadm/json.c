// SPDX-License-Identifier: GPL-2.0
/*
 * --json output for -L (ipvs-ng extension).  The document layout is
 * described by ipvsadm.schema.json and in ipvsadm(8).  Addresses are
 * always numeric; counters are exact.
 */
#include <arpa/inet.h>
#include <string.h>

#include "ipvsadm.h"

static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void jaddr(FILE *f, int af, const union vs_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (inet_ntop(af, a, buf, sizeof(buf)))
		jstr(f, buf);
	else
		fputs("null", f);
}

static const char *af_name(int af)
{
	return af == AF_INET6 ? "inet6" : "inet";
}

static const char *proto_name(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_SCTP:
		return "sctp";
	}
	return NULL;
}

static void jstats(FILE *f, const struct vs_stats *s)
{
	fprintf(f, "\"stats\":{\"conns\":%llu,\"inpkts\":%llu,"
		"\"outpkts\":%llu,\"inbytes\":%llu,\"outbytes\":%llu},",
		(unsigned long long)s->conns, (unsigned long long)s->inpkts,
		(unsigned long long)s->outpkts, (unsigned long long)s->inbytes,
		(unsigned long long)s->outbytes);
	fprintf(f, "\"rates\":{\"cps\":%llu,\"inpps\":%llu,\"outpps\":%llu,"
		"\"inbps\":%llu,\"outbps\":%llu}",
		(unsigned long long)s->cps, (unsigned long long)s->inpps,
		(unsigned long long)s->outpps, (unsigned long long)s->inbps,
		(unsigned long long)s->outbps);
}

static const char *fwd_json(uint32_t flags)
{
	switch (flags & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ:
		return "masq";
	case IP_VS_CONN_F_LOCALNODE:
		return "local";
	case IP_VS_CONN_F_TUNNEL:
		return "tunnel";
	case IP_VS_CONN_F_DROUTE:
		return "route";
	}
	return "unknown";
}

static void jdest(FILE *f, const struct vs_dest *d)
{
	static const char *const tun[] = { "ipip", "gue", "gre" };
	static const char *const csum[] = { "nocsum", "csum", "remcsum" };

	fputs("{\"af\":", f);
	jstr(f, af_name(d->af));
	fputs(",\"address\":", f);
	jaddr(f, d->af, &d->addr);
	fprintf(f, ",\"port\":%u,\"forward\":\"%s\",\"weight\":%d,"
		"\"u_threshold\":%u,\"l_threshold\":%u,\"active_conns\":%u,"
		"\"inactive_conns\":%u,\"persistent_conns\":%u,\"tunnel\":",
		ntohs(d->port), fwd_json(d->conn_flags), d->weight,
		d->u_threshold, d->l_threshold, d->activeconns, d->inactconns,
		d->persistconns);
	if ((d->conn_flags & IP_VS_CONN_F_FWD_MASK) == IP_VS_CONN_F_TUNNEL &&
	    d->tun_type < 3) {
		fprintf(f, "{\"type\":\"%s\",\"port\":%u,\"csum\":\"%s\"}",
			tun[d->tun_type], ntohs(d->tun_port),
			d->tun_flags < 3 ? csum[d->tun_flags] : "unknown");
	} else {
		fputs("null", f);
	}
	fputc(',', f);
	jstats(f, &d->stats);
	fputc('}', f);
}

static void jservice(FILE *f, const struct vs_svc_entry *e)
{
	const struct vs_service *s = &e->svc;
	const char *p = proto_name(s->protocol);

	fputs("{\"af\":", f);
	jstr(f, af_name(s->af));
	if (s->fwmark) {
		fprintf(f, ",\"fwmark\":%u,\"protocol\":null,\"address\":null,"
			"\"port\":null", s->fwmark);
	} else {
		fputs(",\"fwmark\":null,\"protocol\":", f);
		if (p)
			jstr(f, p);
		else
			fprintf(f, "%u", s->protocol);
		fputs(",\"address\":", f);
		jaddr(f, s->af, &s->addr);
		fprintf(f, ",\"port\":%u", ntohs(s->port));
	}
	fputs(",\"scheduler\":", f);
	jstr(f, s->sched);
	fprintf(f, ",\"flags\":%u,\"persistent\":%s,\"timeout\":%u,"
		"\"netmask\":", s->flags,
		(s->flags & IP_VS_SVC_F_PERSISTENT) ? "true" : "false",
		s->timeout);
	if (s->af == AF_INET6) {
		fprintf(f, "%u", s->netmask);
	} else {
		struct in_addr m = { .s_addr = s->netmask };
		char buf[INET_ADDRSTRLEN];

		jstr(f, inet_ntop(AF_INET, &m, buf, sizeof(buf)));
	}
	fputs(",\"pe\":", f);
	if (s->pe[0])
		jstr(f, s->pe);
	else
		fputs("null", f);
	fprintf(f, ",\"ops\":%s,",
		(s->flags & IP_VS_SVC_F_ONEPACKET) ? "true" : "false");
	jstats(f, &s->stats);
	fputs(",\"destinations\":[", f);
	for (int i = 0; i < e->ndests; i++) {
		if (i)
			fputc(',', f);
		jdest(f, &e->dests[i]);
	}
	fputs("]}", f);
}

void vs_json_services(FILE *f, const struct vs_info *info,
		      struct vs_svc_list *l)
{
	fputc('{', f);
	if (info)
		fprintf(f, "\"version\":\"%u.%u.%u\",\"conn_tab_size\":%u,",
			(info->version >> 16) & 0xff,
			(info->version >> 8) & 0xff, info->version & 0xff,
			info->size);
	fputs("\"services\":[", f);
	for (int i = 0; i < l->n; i++) {
		if (i)
			fputc(',', f);
		jservice(f, &l->e[i]);
	}
	fputs("]}\n", f);
}

void vs_json_timeout(FILE *f, const struct vs_timeout *to)
{
	fprintf(f, "{\"timeouts\":{\"tcp\":%d,\"tcp_fin\":%d,\"udp\":%d}}\n",
		to->tcp, to->tcp_fin, to->udp);
}

void vs_json_daemons(FILE *f, const struct vs_daemon dm[2])
{
	int first = 1;

	fputs("{\"daemons\":[", f);
	for (int i = 0; i < 2; i++) {
		const char *state;

		if (dm[i].state & IP_VS_STATE_MASTER)
			state = "master";
		else if (dm[i].state & IP_VS_STATE_BACKUP)
			state = "backup";
		else
			continue;
		if (!first)
			fputc(',', f);
		first = 0;
		fprintf(f, "{\"state\":\"%s\",\"mcast_interface\":", state);
		jstr(f, dm[i].mcast_ifn);
		fprintf(f, ",\"syncid\":%u,\"sync_maxlen\":%u,"
			"\"mcast_group\":", dm[i].syncid, dm[i].sync_maxlen);
		if (dm[i].mcast_af == AF_INET || dm[i].mcast_af == AF_INET6)
			jaddr(f, dm[i].mcast_af, &dm[i].mcast_group);
		else
			fputs("null", f);
		fprintf(f, ",\"mcast_port\":%u,\"mcast_ttl\":%u}",
			dm[i].mcast_port, dm[i].mcast_ttl);
	}
	fputs("]}\n", f);
}

void vs_json_conns_begin(FILE *f)
{
	fputs("{\"connections\":[", f);
}

static void jendpoint(FILE *f, const char *key, int af,
		      const union vs_addr *a, unsigned int port)
{
	fprintf(f, "\"%s\":{\"af\":\"%s\",\"address\":", key, af_name(af));
	jaddr(f, af, a);
	fprintf(f, ",\"port\":%u}", port);
}

void vs_json_conn(FILE *f, const struct vs_conn *c, int first)
{
	if (!first)
		fputc(',', f);
	fputs("{\"protocol\":", f);
	jstr(f, c->proto);
	fputc(',', f);
	jendpoint(f, "client", c->af, &c->caddr, c->cport);
	fputc(',', f);
	jendpoint(f, "virtual", c->af, &c->vaddr, c->vport);
	fputc(',', f);
	jendpoint(f, "destination", c->daf, &c->daddr, c->dport);
	fputs(",\"state\":", f);
	jstr(f, c->state);
	fprintf(f, ",\"expires\":%u,\"pe_name\":", c->expires);
	if (c->nfields >= 10)
		jstr(f, c->pe_name);
	else
		fputs("null", f);
	fputs(",\"pe_data\":", f);
	if (c->nfields >= 11)
		jstr(f, c->pe_data);
	else
		fputs("null", f);
	fputc('}', f);
}

void vs_json_conns_end(FILE *f)
{
	fputs("]}\n", f);
}
