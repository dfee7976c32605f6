// SPDX-License-Identifier: GPL-2.0
/*
 * Real servers (destinations): add/edit/delete requests and the per-service
 * destination dump.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "ipvsadm.h"
#include <ipvs/ng_uapi.h>

static const struct {
	enum vs_cmd cmd;
	int nlcmd;
} dest_cmds[] = {
	{ CMD_ADDDEST, IPVS_CMD_NEW_DEST },
	{ CMD_EDITDEST, IPVS_CMD_SET_DEST },
	{ CMD_DELDEST, IPVS_CMD_DEL_DEST },
};

/*
 * The service goes as its key only: the kernel (ours and the stock one)
 * reads nothing else of it for a destination request.
 */
int vs_dest_msg(struct vs_msg *m, enum vs_cmd cmd,
		const struct vs_service *svc, const struct vs_dest *d)
{
	for (size_t i = 0; i < sizeof(dest_cmds) / sizeof(dest_cmds[0]); i++) {
		if (dest_cmds[i].cmd != cmd)
			continue;
		vs_nl_msg(m, dest_cmds[i].nlcmd, 0);
		vs_nl_put_service(m, svc, 0);
		vs_nl_put_dest(m, d);
		return 0;
	}
	return -1;
}

int vs_dest_add_to(struct vs_svc_entry *e, const struct vs_dest *d)
{
	struct vs_dest *n = realloc(e->dests, sizeof(*n) * (e->ndests + 1));

	if (!n)
		return -1;
	e->dests = n;
	e->dests[e->ndests++] = *d;
	return 0;
}

static int dests_cb(struct nlmsghdr *nlh, void *arg)
{
	struct vs_svc_entry *e = arg;
	struct vs_dest d;

	if (vs_parse_dest_msg(nlh, e->svc.af, &d) < 0)
		return -1;
	return vs_dest_add_to(e, &d);
}

int vs_get_dests(struct vs_svc_entry *e)
{
	struct vs_msg m;

	vs_nl_msg(&m, IPVS_CMD_GET_DEST, NLM_F_DUMP);
	vs_nl_put_service(&m, &e->svc, 0);
	return vs_nl_talk(&m, dests_cb, e);
}

/*
 * Every service's destinations in one dump (IPVS_NG_CMD_GET_DESTS, an
 * ipvs-ng extension): each message names its service by key, looked up
 * in l through an index sorted by key.  A destination of a service added
 * since l was fetched is dropped, as it would be by per-service dumps.
 * Fails with EOPNOTSUPP on kernels without the extension, before any
 * destination is added.
 */
static int key_cmp(const void *pa, const void *pb)
{
	const struct vs_service *a = &(*(struct vs_svc_entry *const *)pa)->svc;
	const struct vs_service *b = &(*(struct vs_svc_entry *const *)pb)->svc;
	uint64_t x[2], y[2];

	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	if (a->fwmark != b->fwmark)
		return a->fwmark < b->fwmark ? -1 : 1;
	if (a->protocol != b->protocol)
		return a->protocol < b->protocol ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	/* any total order will do: the address as two words, not memcmp() */
	_Static_assert(sizeof(a->addr) == sizeof(x), "address is 16 bytes");
	memcpy(x, &a->addr, sizeof(x));
	memcpy(y, &b->addr, sizeof(y));
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] == y[1] ? 0 : x[1] < y[1] ? -1 : 1;
}

struct all_dests {
	struct vs_svc_entry **by_key;
	int n;
};

static int all_dests_cb(struct nlmsghdr *nlh, void *arg)
{
	struct all_dests *ad = arg;
	struct vs_svc_entry key, *kp = &key, **e;
	struct vs_dest d;

	if (vs_parse_service_key_msg(nlh, &key.svc) < 0)
		return -1;
	e = bsearch(&kp, ad->by_key, ad->n, sizeof(*ad->by_key), key_cmp);
	if (!e)
		return 0;
	if (vs_parse_dest_msg(nlh, (*e)->svc.af, &d) < 0)
		return -1;
	return vs_dest_add_to(*e, &d);
}

int vs_get_all_dests(struct vs_svc_list *l)
{
	struct all_dests ad = { .n = l->n };
	struct vs_msg m;
	int ret;

	ad.by_key = malloc(sizeof(*ad.by_key) * (l->n ? l->n : 1));
	if (!ad.by_key) {
		errno = ENOMEM;
		return -1;
	}
	for (int i = 0; i < l->n; i++)
		ad.by_key[i] = &l->e[i];
	qsort(ad.by_key, ad.n, sizeof(*ad.by_key), key_cmp);
	vs_nl_msg(&m, IPVS_NG_CMD_GET_DESTS, NLM_F_DUMP);
	ret = vs_nl_talk(&m, all_dests_cb, &ad);
	free(ad.by_key);
	return ret;
}
