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

void vs_daemon_msg(struct vs_msg *m, enum vs_cmd cmd,
		   const struct vs_daemon *dm)
{
	int start = cmd == CMD_STARTDAEMON;
	size_t nest;

	vs_nl_msg(m, start ? IPVS_CMD_NEW_DAEMON : IPVS_CMD_DEL_DAEMON, 0);
	nest = vs_msg_nest(m, IPVS_CMD_ATTR_DAEMON);
	vs_msg_put_u32(m, IPVS_DAEMON_ATTR_STATE, dm->state);
	vs_msg_put_str(m, IPVS_DAEMON_ATTR_MCAST_IFN, dm->mcast_ifn);
	vs_msg_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, dm->syncid);
	if (start) {
		if (dm->sync_maxlen)
			vs_msg_put_u16(m, IPVS_DAEMON_ATTR_SYNC_MAXLEN,
				       dm->sync_maxlen);
		if (dm->mcast_port)
			vs_msg_put_u16(m, IPVS_DAEMON_ATTR_MCAST_PORT,
				       dm->mcast_port);
		if (dm->mcast_ttl)
			vs_msg_put_u8(m, IPVS_DAEMON_ATTR_MCAST_TTL,
				      dm->mcast_ttl);
		if (dm->mcast_af == AF_INET6)
			vs_msg_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP6,
				   &dm->mcast_group.in6, 16);
		if (dm->mcast_af == AF_INET)
			vs_msg_put_u32(m, IPVS_DAEMON_ATTR_MCAST_GROUP,
				       dm->mcast_group.ip);
	}
	vs_msg_nest_end(m, nest);
}

static int daemon_cb(struct nlmsghdr *nlh, void *arg)
{
	struct vs_daemon *dm = arg;

	/* Up to two daemons (master, backup), in the order reported. */
	return vs_parse_daemon_msg(nlh, dm[0].state ? &dm[1] : &dm[0]);
}

int vs_get_daemons(struct vs_daemon dm[2])
{
	struct vs_msg m;

	memset(dm, 0, 2 * sizeof(*dm));
	vs_nl_msg(&m, IPVS_CMD_GET_DAEMON, NLM_F_DUMP);
	return vs_nl_talk(&m, daemon_cb, dm);
}
