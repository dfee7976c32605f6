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

static const struct {
	enum vs_cmd cmd;
	int nlcmd;
} dest_cmds[] = {
	{ CMD_ADDDEST, IPVS_CMD_NEW_DEST },
	{ CMD_EDITDEST, IPVS_CMD_SET_DEST },
	{ CMD_DELDEST, IPVS_CMD_DEL_DEST },
};

struct nl_msg *vs_dest_msg(enum vs_cmd cmd, const struct vs_service *svc,
			   const struct vs_dest *d)
{
	for (size_t i = 0; i < sizeof(dest_cmds) / sizeof(dest_cmds[0]); i++) {
		struct nl_msg *msg;

		if (dest_cmds[i].cmd != cmd)
			continue;
		msg = vs_nl_msg(dest_cmds[i].nlcmd, 0);
		if (!msg)
			return NULL;
		if (vs_nl_put_service(msg, svc, 1) < 0 ||
		    vs_nl_put_dest(msg, d) < 0) {
			nlmsg_free(msg);
			return NULL;
		}
		return msg;
	}
	return NULL;
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
	struct nl_msg *msg = vs_nl_msg(IPVS_CMD_GET_DEST, NLM_F_DUMP);

	if (!msg || vs_nl_put_service(msg, &e->svc, 0) < 0) {
		if (msg)
			nlmsg_free(msg);
		errno = ENOMEM;
		return -1;
	}
	return vs_nl_talk(msg, dests_cb, e);
}
