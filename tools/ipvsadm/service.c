// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual services: add/edit/delete/zero/flush requests, the info query,
 * and fetching services (one or all) with their destinations.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "ipvsadm.h"

static const struct {
	enum vs_cmd cmd;
	int nlcmd;
	int with_svc;	/* 0: none, 1: always, 2: only when one is named */
} svc_cmds[] = {
	{ CMD_ADD, IPVS_CMD_NEW_SERVICE, 1 },
	{ CMD_EDIT, IPVS_CMD_SET_SERVICE, 1 },
	{ CMD_DEL, IPVS_CMD_DEL_SERVICE, 1 },
	{ CMD_ZERO, IPVS_CMD_ZERO, 2 },
	{ CMD_FLUSH, IPVS_CMD_FLUSH, 0 },
};

static int svc_named(const struct vs_service *svc)
{
	static const struct in6_addr any;

	return svc->fwmark || svc->port ||
	       memcmp(&svc->addr, &any, sizeof(any)) != 0;
}

int vs_service_msg(struct vs_msg *m, enum vs_cmd cmd,
		   const struct vs_service *svc)
{
	for (size_t i = 0; i < sizeof(svc_cmds) / sizeof(svc_cmds[0]); i++) {
		if (svc_cmds[i].cmd != cmd)
			continue;
		vs_nl_msg(m, svc_cmds[i].nlcmd, 0);
		if (svc_cmds[i].with_svc == 1 ||
		    (svc_cmds[i].with_svc == 2 && svc_named(svc)))
			vs_nl_put_service(m, svc, 1);
		return 0;
	}
	return -1;
}

static int info_cb(struct nlmsghdr *nlh, void *arg)
{
	return vs_parse_info_msg(nlh, arg);
}

int vs_get_info(struct vs_info *info)
{
	struct vs_msg m;

	vs_nl_msg(&m, IPVS_CMD_GET_INFO, 0);
	return vs_nl_talk(&m, info_cb, info);
}

struct vs_svc_entry *vs_svc_list_add(struct vs_svc_list *l)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		struct vs_svc_entry *e = realloc(l->e, sizeof(*e) * cap);

		if (!e)
			return NULL;
		l->e = e;
		l->cap = cap;
	}
	memset(&l->e[l->n], 0, sizeof(l->e[0]));
	return &l->e[l->n++];
}

void vs_svc_list_free(struct vs_svc_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->e[i].dests);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

static int services_cb(struct nlmsghdr *nlh, void *arg)
{
	struct vs_svc_list *l = arg;
	struct vs_svc_entry *e = vs_svc_list_add(l);

	if (!e)
		return -1;
	if (vs_parse_service_msg(nlh, &e->svc) < 0) {
		l->n--;
		return -1;
	}
	return 0;
}

/* All services, each with its destinations. */
int vs_get_services(struct vs_svc_list *l)
{
	struct vs_msg m;

	memset(l, 0, sizeof(*l));
	vs_nl_msg(&m, IPVS_CMD_GET_SERVICE, NLM_F_DUMP);
	return vs_nl_talk(&m, services_cb, l);
}

static int service_cb(struct nlmsghdr *nlh, void *arg)
{
	return vs_parse_service_msg(nlh, arg);
}

int vs_get_service(const struct vs_service *key, struct vs_service *out)
{
	struct vs_msg m;

	vs_nl_msg(&m, IPVS_CMD_GET_SERVICE, 0);
	vs_nl_put_service(&m, key, 1);
	return vs_nl_talk(&m, service_cb, out);
}

/*
 * Sort order of ipvsadm: fwmark, family, protocol, address, port.  The
 * differences are computed in unsigned arithmetic and read back as int,
 * exactly as ipvsadm does, so listings sort identically even where that
 * wraps (addresses more than 2^31 apart).
 */
static int udiff(uint32_t a, uint32_t b)
{
	return (int)(a - b);
}

static int addr_cmp(int af, const union vs_addr *a, const union vs_addr *b)
{
	int r = 0;

	if (af == AF_INET6) {
		for (int i = 0; !r && i < 4; i++)
			r = udiff(ntohl(a->in6.s6_addr32[i]),
				  ntohl(b->in6.s6_addr32[i]));
		return r;
	}
	return udiff(ntohl(a->ip), ntohl(b->ip));
}

int vs_svc_cmp(const void *pa, const void *pb)
{
	const struct vs_service *a = &((const struct vs_svc_entry *)pa)->svc;
	const struct vs_service *b = &((const struct vs_svc_entry *)pb)->svc;
	int r;

	r = udiff(a->fwmark, b->fwmark);
	if (!r)
		r = a->af - b->af;
	if (!r)
		r = a->protocol - b->protocol;
	if (!r)
		r = addr_cmp(a->af, &a->addr, &b->addr);
	if (!r)
		r = ntohs(a->port) - ntohs(b->port);
	return r;
}

int vs_dest_cmp(const void *pa, const void *pb)
{
	const struct vs_dest *a = pa, *b = pb;
	int r = addr_cmp(a->af, &a->addr, &b->addr);

	return r ? r : ntohs(a->port) - ntohs(b->port);
}
