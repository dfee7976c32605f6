// SPDX-License-Identifier: GPL-2.0
/*
 * Connection timeouts (--set, -L --timeout).
 */
#include <errno.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "ipvsadm.h"

struct nl_msg *vs_timeout_msg(const struct vs_timeout *to)
{
	struct nl_msg *msg = vs_nl_msg(IPVS_CMD_SET_CONFIG, 0);

	if (!msg)
		return NULL;
	if (nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, to->tcp) < 0 ||
	    nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, to->tcp_fin) < 0 ||
	    nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, to->udp) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int timeout_cb(struct nlmsghdr *nlh, void *arg)
{
	return vs_parse_timeout_msg(nlh, arg);
}

int vs_get_timeout(struct vs_timeout *to)
{
	struct nl_msg *msg = vs_nl_msg(IPVS_CMD_GET_CONFIG, 0);

	memset(to, 0, sizeof(*to));
	if (!msg) {
		errno = ENOMEM;
		return -1;
	}
	return vs_nl_talk(msg, timeout_cb, to);
}
