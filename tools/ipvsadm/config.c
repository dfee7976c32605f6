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

void vs_timeout_msg(struct vs_msg *m, const struct vs_timeout *to)
{
	vs_nl_msg(m, IPVS_CMD_SET_CONFIG, 0);
	vs_msg_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP, to->tcp);
	vs_msg_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, to->tcp_fin);
	vs_msg_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_UDP, to->udp);
}

static int timeout_cb(struct nlmsghdr *nlh, void *arg)
{
	return vs_parse_timeout_msg(nlh, arg);
}

int vs_get_timeout(struct vs_timeout *to)
{
	struct vs_msg m;

	memset(to, 0, sizeof(*to));
	vs_nl_msg(&m, IPVS_CMD_GET_CONFIG, 0);
	return vs_nl_talk(&m, timeout_cb, to);
}
