// SPDX-License-Identifier: GPL-2.0
/*
 * Connection synchronisation daemons (--start-daemon, --stop-daemon,
 * -L --daemon).
 */
#include <errno.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "ipvsadm.h"

struct nl_msg *vs_daemon_msg(enum vs_cmd cmd, const struct vs_daemon *dm)
{
	int start = cmd == CMD_STARTDAEMON;
	struct nl_msg *msg = vs_nl_msg(start ? IPVS_CMD_NEW_DAEMON :
					       IPVS_CMD_DEL_DAEMON, 0);
	struct nlattr *nest;

	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, IPVS_CMD_ATTR_DAEMON);
	if (!nest ||
	    nla_put_u32(msg, IPVS_DAEMON_ATTR_STATE, dm->state) < 0 ||
	    nla_put_string(msg, IPVS_DAEMON_ATTR_MCAST_IFN, dm->mcast_ifn) < 0 ||
	    nla_put_u32(msg, IPVS_DAEMON_ATTR_SYNC_ID, dm->syncid) < 0)
		goto fail;
	if (start) {
		if (dm->sync_maxlen &&
		    nla_put_u16(msg, IPVS_DAEMON_ATTR_SYNC_MAXLEN,
				dm->sync_maxlen) < 0)
			goto fail;
		if (dm->mcast_port &&
		    nla_put_u16(msg, IPVS_DAEMON_ATTR_MCAST_PORT,
				dm->mcast_port) < 0)
			goto fail;
		if (dm->mcast_ttl &&
		    nla_put_u8(msg, IPVS_DAEMON_ATTR_MCAST_TTL,
			       dm->mcast_ttl) < 0)
			goto fail;
		if (dm->mcast_af == AF_INET6 &&
		    nla_put(msg, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16,
			    &dm->mcast_group.in6) < 0)
			goto fail;
		if (dm->mcast_af == AF_INET &&
		    nla_put_u32(msg, IPVS_DAEMON_ATTR_MCAST_GROUP,
				dm->mcast_group.ip) < 0)
			goto fail;
	}
	nla_nest_end(msg, nest);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static int daemon_cb(struct nlmsghdr *nlh, void *arg)
{
	struct vs_daemon *dm = arg;

	/* Up to two daemons (master, backup), in the order reported. */
	return vs_parse_daemon_msg(nlh, dm[0].state ? &dm[1] : &dm[0]);
}

int vs_get_daemons(struct vs_daemon dm[2])
{
	struct nl_msg *msg = vs_nl_msg(IPVS_CMD_GET_DAEMON, NLM_F_DUMP);

	memset(dm, 0, 2 * sizeof(*dm));
	if (!msg) {
		errno = ENOMEM;
		return -1;
	}
	return vs_nl_talk(msg, daemon_cb, dm);
}
