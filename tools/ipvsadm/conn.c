// SPDX-License-Identifier: GPL-2.0
/*
 * Connection table (-L -c): /proc/net/ip_vs_conn, as ipvsadm reads it.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsadm.h"

static void parse_addr(const char *s, int *af, union vs_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET6, s, &a->in6) > 0) {
		*af = AF_INET6;
		return;
	}
	*af = AF_INET;
	if (inet_pton(AF_INET, s, &a->in) <= 0)
		a->ip = htonl((uint32_t)strtoul(s, NULL, 16));
}

/* Returns the number of fields read, -1 for an empty line. */
int vs_conn_parse_line(const char *line, struct vs_conn *c)
{
	char a1[256], a2[256], a3[256];
	int af1, af2, af3;
	int n;

	memset(c, 0, sizeof(*c));
	a1[0] = a2[0] = a3[0] = '\0';
	n = sscanf(line, "%7s %255s %hX %255s %hX %255s %hX %15s %u %16s %255s",
		   c->proto, a1, &c->cport, a2, &c->vport, a3, &c->dport,
		   c->state, &c->expires, c->pe_name, c->pe_data);
	if (n == -1)
		return -1;
	c->nfields = n;
	c->protocol = !strcmp(c->proto, "TCP") ? IPPROTO_TCP :
		      !strcmp(c->proto, "UDP") ? IPPROTO_UDP :
		      !strcmp(c->proto, "SCTP") ? IPPROTO_SCTP : 0;

	/* Client and virtual addresses share the client's family. */
	parse_addr(a1, &af1, &c->caddr);
	if (af1 == AF_INET6) {
		inet_pton(AF_INET6, a2, &c->vaddr.in6);
	} else {
		parse_addr(a2, &af2, &c->vaddr);
		if (af2 == AF_INET6)
			memset(&c->vaddr, 0, sizeof(c->vaddr));
	}
	c->af = af1;
	parse_addr(a3, &af3, &c->daddr);
	c->daf = af3;
	return n;
}

int vs_list_conns(FILE *out, unsigned int fmt)
{
	char line[256];
	struct vs_conn c;
	FILE *in = fopen(VS_CONN_PROC, "r");
	int first = 1;

	if (!in) {
		fprintf(stderr, "cannot open file %s\n", VS_CONN_PROC);
		vs_exit(1);
	}
	if (!fgets(line, sizeof(line), in)) {
		fprintf(stderr, "unexpected input from %s\n", VS_CONN_PROC);
		vs_exit(1);
	}
	if (fmt & FMT_JSON)
		vs_json_conns_begin(out);
	else
		vs_print_conn_title(out, fmt);
	while (fgets(line, sizeof(line), in)) {
		if (vs_conn_parse_line(line, &c) < 0)
			vs_exit(1);
		if (fmt & FMT_JSON) {
			vs_json_conn(out, &c, first);
			first = 0;
		} else {
			vs_print_conn(out, &c, fmt);
		}
	}
	if (fmt & FMT_JSON)
		vs_json_conns_end(out);
	fclose(in);
	return 0;
}
