// SPDX-License-Identifier: GPL-2.0
/*
 * The "IPVS" generic netlink family: attribute policies, request parsing and
 * the command handlers. Handlers are thin: they parse, take the namespace's
 * config mutex and call the service/dest APIs. Replies and dumps are built
 * in netlink_dump.c.
 *
 * The family, its policies, the GENL_ADMIN_PERM flag on every command, the
 * liberal (non-strict) validation of the legacy commands, the order of the
 * checks and every errno follow the stock module of Linux 6.1, so that
 * unmodified ipvsadm, keepalived and kube-proxy see the same results.
 *
 * Deliberate differences from the stock module:
 *
 *  - IPVS_CMD_NEW_DAEMON validates its attributes exactly as upstream
 *    (-EINVAL for missing state/interface/syncid, for a non-multicast group,
 *    or while mixed-family destinations exist) and then fails with
 *    -EPROTONOSUPPORT: connection synchronisation does not exist yet.
 *    ipvsadm --start-daemon prints "Protocol not supported". (Not
 *    -EOPNOTSUPP: ipvsadm renders that one as "Operation not supported
 *    with IPv6", which would mislead.)
 *    IPVS_CMD_DEL_DAEMON returns what upstream returns when no daemon runs
 *    (-ESRCH for master/backup, -EINVAL otherwise), and IPVS_CMD_GET_DAEMON
 *    dumps nothing; neither is a difference in behaviour.
 *  - A persistence engine name (IPVS_SVC_ATTR_PE_NAME, non-empty) is
 *    rejected with upstream's "unknown engine" errno, -ENOENT, without
 *    trying request_module("ip_vs_pe_<name>"): no engine exists yet, and the
 *    stock ip_vs_pe_sip.ko cannot bind to this ip_vs.ko.
 *  - The service's scheduler module is not pinned: rmmod ip_vs_rr succeeds
 *    while services use rr, and those services fall back to scheduler
 *    "none" (logged). The stock module refuses the rmmod with -EBUSY.
 *  - Editing a service never half-applies: the new scheduler state is built
 *    before the old one is released, so a failing edit (-ENOMEM) leaves the
 *    service unchanged, where upstream may leave it without a scheduler.
 *  - The family sets parallel_ops: commands are serialised per namespace by
 *    ipvs->lock rather than by the global genl mutex. Not visible to users.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <ipvs/ipvs.h>
#include <ipvs/netlink.h>
#include <ipvs/ng_uapi.h>
#include <ipvs/sched.h>

MODULE_ALIAS_GENL_FAMILY(IPVS_GENL_NAME);

const struct nla_policy ipvs_nl_cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE]		= { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST]		= { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON]		= { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP]	= { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]	= { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP]	= { .type = NLA_U32 },
};

static const struct nla_policy ipvs_nl_daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE]	= { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_IFN]	= { .type = NLA_NUL_STRING,
					    .len = IP_VS_IFNAME_MAXLEN - 1 },
	[IPVS_DAEMON_ATTR_SYNC_ID]	= { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN]	= { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP]	= { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP6]	= { .len = sizeof(struct in6_addr) },
	[IPVS_DAEMON_ATTR_MCAST_PORT]	= { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_TTL]	= { .type = NLA_U8 },
};

static const struct nla_policy ipvs_nl_svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF]		= { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL]	= { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR]		= { .type = NLA_BINARY,
					    .len = sizeof(union nf_inet_addr) },
	[IPVS_SVC_ATTR_PORT]		= { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK]		= { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME]	= { .type = NLA_NUL_STRING,
					    .len = IP_VS_SCHEDNAME_MAXLEN - 1 },
	[IPVS_SVC_ATTR_PE_NAME]		= { .type = NLA_NUL_STRING,
					    .len = IP_VS_PENAME_MAXLEN },
	[IPVS_SVC_ATTR_FLAGS]		= { .type = NLA_BINARY,
					    .len = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT]		= { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK]		= { .type = NLA_U32 },
	[IPVS_SVC_ATTR_STATS]		= { .type = NLA_NESTED },
};

static const struct nla_policy ipvs_nl_dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR]		= { .type = NLA_BINARY,
					    .len = sizeof(union nf_inet_addr) },
	[IPVS_DEST_ATTR_PORT]		= { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT]		= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS]	= { .type = NLA_U32 },
	[IPVS_DEST_ATTR_STATS]		= { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY]	= { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_TYPE]	= { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT]	= { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS]	= { .type = NLA_U16 },
};

static struct ipvs_net *ipvs_nl_net(struct sk_buff *skb)
{
	return ipvs_net(sock_net(skb->sk));
}

/* Parse IPVS_CMD_ATTR_SERVICE. The identifying attributes are always
 * required; @full also requires what NEW/SET_SERVICE need. The existing
 * service, if any, is returned in *svcp: flags are a (value, mask) pair
 * applied on top of its current flags. Caller holds ipvs->lock.
 */
int ipvs_nl_parse_service(struct ipvs_net *ipvs, struct ipvs_service_conf *c,
			  struct nlattr *nla, bool full, struct ipvs_service **svcp)
{
	struct nlattr *a[IPVS_SVC_ATTR_MAX + 1];
	struct ipvs_service *svc;
	struct ip_vs_flags flags;

	lockdep_assert_held(&ipvs->lock);

	if (!nla || nla_parse_nested_deprecated(a, IPVS_SVC_ATTR_MAX, nla,
						ipvs_nl_svc_policy, NULL))
		return -EINVAL;

	if (!(a[IPVS_SVC_ATTR_AF] &&
	      (a[IPVS_SVC_ATTR_FWMARK] ||
	       (a[IPVS_SVC_ATTR_PORT] && a[IPVS_SVC_ATTR_PROTOCOL] && a[IPVS_SVC_ATTR_ADDR]))))
		return -EINVAL;

	memset(c, 0, sizeof(*c));
	c->af = nla_get_u16(a[IPVS_SVC_ATTR_AF]);
	if (!ipvs_af_valid(c->af))
		return -EAFNOSUPPORT;

	if (a[IPVS_SVC_ATTR_FWMARK]) {
		/* fwmark services are TCP as far as lookups care */
		c->protocol = IPPROTO_TCP;
		c->fwmark = nla_get_u32(a[IPVS_SVC_ATTR_FWMARK]);
	} else {
		c->protocol = nla_get_u16(a[IPVS_SVC_ATTR_PROTOCOL]);
		nla_memcpy(&c->addr, a[IPVS_SVC_ATTR_ADDR], sizeof(c->addr));
		c->port = nla_get_be16(a[IPVS_SVC_ATTR_PORT]);
	}

	svc = ipvs_service_lookup(ipvs, c);
	*svcp = svc;

	if (!full)
		return 0;

	if (!(a[IPVS_SVC_ATTR_SCHED_NAME] && a[IPVS_SVC_ATTR_FLAGS] &&
	      a[IPVS_SVC_ATTR_TIMEOUT] && a[IPVS_SVC_ATTR_NETMASK]))
		return -EINVAL;

	memset(&flags, 0, sizeof(flags));
	nla_memcpy(&flags, a[IPVS_SVC_ATTR_FLAGS], sizeof(flags));
	c->flags = svc ? svc->flags : 0;
	c->flags = (c->flags & ~flags.mask) | (flags.flags & flags.mask);
	c->sched_name = nla_data(a[IPVS_SVC_ATTR_SCHED_NAME]);
	c->pe_name = a[IPVS_SVC_ATTR_PE_NAME] ? nla_data(a[IPVS_SVC_ATTR_PE_NAME]) : NULL;
	c->timeout = nla_get_u32(a[IPVS_SVC_ATTR_TIMEOUT]);
	c->netmask = nla_get_be32(a[IPVS_SVC_ATTR_NETMASK]);
	return 0;
}

/* Parse IPVS_CMD_ATTR_DEST; @full for NEW/SET_DEST. */
static int ipvs_nl_parse_dest(struct ipvs_dest_conf *c, struct nlattr *nla, bool full)
{
	struct nlattr *a[IPVS_DEST_ATTR_MAX + 1];

	if (!nla || nla_parse_nested_deprecated(a, IPVS_DEST_ATTR_MAX, nla,
						ipvs_nl_dest_policy, NULL))
		return -EINVAL;

	if (!(a[IPVS_DEST_ATTR_ADDR] && a[IPVS_DEST_ATTR_PORT]))
		return -EINVAL;

	memset(c, 0, sizeof(*c));
	nla_memcpy(&c->addr, a[IPVS_DEST_ATTR_ADDR], sizeof(c->addr));
	c->port = nla_get_be16(a[IPVS_DEST_ATTR_PORT]);
	/* 0: old userspace, same family as the service (filled in later) */
	if (a[IPVS_DEST_ATTR_ADDR_FAMILY])
		c->af = nla_get_u16(a[IPVS_DEST_ATTR_ADDR_FAMILY]);

	if (!full)
		return 0;

	if (!(a[IPVS_DEST_ATTR_FWD_METHOD] && a[IPVS_DEST_ATTR_WEIGHT] &&
	      a[IPVS_DEST_ATTR_U_THRESH] && a[IPVS_DEST_ATTR_L_THRESH]))
		return -EINVAL;

	c->conn_flags = nla_get_u32(a[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK;
	c->weight = (int)nla_get_u32(a[IPVS_DEST_ATTR_WEIGHT]);
	c->u_threshold = nla_get_u32(a[IPVS_DEST_ATTR_U_THRESH]);
	c->l_threshold = nla_get_u32(a[IPVS_DEST_ATTR_L_THRESH]);
	if (a[IPVS_DEST_ATTR_TUN_TYPE])
		c->tun_type = nla_get_u8(a[IPVS_DEST_ATTR_TUN_TYPE]);
	if (a[IPVS_DEST_ATTR_TUN_PORT])
		c->tun_port = nla_get_be16(a[IPVS_DEST_ATTR_TUN_PORT]);
	if (a[IPVS_DEST_ATTR_TUN_FLAGS])
		c->tun_flags = nla_get_u16(a[IPVS_DEST_ATTR_TUN_FLAGS]);
	return 0;
}

static int ipvs_nl_set_config(struct ipvs_net *ipvs, struct nlattr **attrs)
{
	struct ipvs_timeouts t;

	ipvs_timeouts_get(ipvs, &t);
	if (attrs[IPVS_CMD_ATTR_TIMEOUT_TCP])
		t.tcp = nla_get_u32(attrs[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	if (attrs[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN])
		t.tcp_fin = nla_get_u32(attrs[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	if (attrs[IPVS_CMD_ATTR_TIMEOUT_UDP])
		t.udp = nla_get_u32(attrs[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return ipvs_timeouts_set(ipvs, &t);
}

/* Destination requests: parse and apply upstream's family rules. */
static int ipvs_nl_dest_conf(struct ipvs_net *ipvs, struct ipvs_service *svc,
			     struct genl_info *info, struct ipvs_dest_conf *udest)
{
	u8 cmd = info->genlhdr->cmd;
	int ret;

	ret = ipvs_nl_parse_dest(udest, info->attrs[IPVS_CMD_ATTR_DEST],
				 cmd != IPVS_CMD_DEL_DEST);
	if (ret)
		return ret;

	if (!udest->af)
		udest->af = svc->af;
	if (!ipvs_af_valid(udest->af))
		return -EAFNOSUPPORT;

	/* Only tunnelling can carry a packet to a server of another family.
	 * (Upstream also refuses this while a sync daemon runs; none can.)
	 */
	if (udest->af != svc->af && cmd != IPVS_CMD_DEL_DEST &&
	    udest->conn_flags != IP_VS_CONN_F_TUNNEL)
		return -EINVAL;
	return 0;
}

/* NEW/SET_SERVICE resolve the scheduler before taking ipvs->lock, as the
 * lookup may run modprobe (see ipvs_service_check()). A malformed request
 * resolves nothing here and fails in the real parse, under the lock.
 */
static struct ipvs_scheduler *ipvs_nl_sched_prefetch(struct genl_info *info)
{
	struct nlattr *nla = info->attrs[IPVS_CMD_ATTR_SERVICE];
	struct nlattr *a[IPVS_SVC_ATTR_MAX + 1];
	const char *name;

	if (!nla || nla_parse_nested_deprecated(a, IPVS_SVC_ATTR_MAX, nla,
						ipvs_nl_svc_policy, NULL) ||
	    !a[IPVS_SVC_ATTR_SCHED_NAME])
		return NULL;
	name = nla_data(a[IPVS_SVC_ATTR_SCHED_NAME]);
	return strcmp(name, "none") ? ipvs_sched_get(name) : NULL;
}

static int ipvs_nl_set_cmd(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvs_net *ipvs = ipvs_nl_net(skb);
	struct ipvs_scheduler *sched = NULL;
	struct ipvs_service *svc = NULL;
	struct ipvs_service_conf usvc;
	struct ipvs_dest_conf udest;
	u8 cmd = info->genlhdr->cmd;
	int ret;

	if (cmd == IPVS_CMD_NEW_SERVICE || cmd == IPVS_CMD_SET_SERVICE)
		sched = ipvs_nl_sched_prefetch(info);

	mutex_lock(&ipvs->lock);

	if (cmd == IPVS_CMD_FLUSH) {
		ipvs_service_flush(ipvs);
		ret = 0;
		goto out;
	}
	if (cmd == IPVS_CMD_SET_CONFIG) {
		ret = ipvs_nl_set_config(ipvs, info->attrs);
		goto out;
	}
	if (cmd == IPVS_CMD_ZERO && !info->attrs[IPVS_CMD_ATTR_SERVICE]) {
		ipvs_service_zero_all(ipvs);
		ret = 0;
		goto out;
	}

	/* Everything else names a service; NEW/SET need all of it. */
	ret = ipvs_nl_parse_service(ipvs, &usvc, info->attrs[IPVS_CMD_ATTR_SERVICE],
				    cmd == IPVS_CMD_NEW_SERVICE || cmd == IPVS_CMD_SET_SERVICE,
				    &svc);
	if (ret)
		goto out;
	usvc.sched = sched;

	if (cmd != IPVS_CMD_NEW_SERVICE && !svc) {
		ret = -ESRCH;
		goto out;
	}

	if (cmd == IPVS_CMD_NEW_DEST || cmd == IPVS_CMD_SET_DEST || cmd == IPVS_CMD_DEL_DEST) {
		ret = ipvs_nl_dest_conf(ipvs, svc, info, &udest);
		if (ret)
			goto out;
	}

	switch (cmd) {
	case IPVS_CMD_NEW_SERVICE:
		ret = svc ? -EEXIST : ipvs_service_add(ipvs, &usvc);
		break;
	case IPVS_CMD_SET_SERVICE:
		ret = ipvs_service_edit(svc, &usvc);
		break;
	case IPVS_CMD_DEL_SERVICE:
		ipvs_service_del(svc);
		break;
	case IPVS_CMD_NEW_DEST:
		ret = ipvs_dest_add(svc, &udest);
		break;
	case IPVS_CMD_SET_DEST:
		ret = ipvs_dest_edit(svc, &udest);
		break;
	case IPVS_CMD_DEL_DEST:
		ret = ipvs_dest_del(svc, &udest);
		break;
	case IPVS_CMD_ZERO:
		ipvs_service_zero(svc);
		break;
	default:
		ret = -EINVAL;
	}
out:
	mutex_unlock(&ipvs->lock);
	ipvs_sched_put(sched);
	return ret;
}

static int ipvs_nl_get_cmd(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvs_net *ipvs = ipvs_nl_net(skb);
	u8 cmd = info->genlhdr->cmd, reply_cmd;
	struct ipvs_service_conf usvc;
	struct ipvs_service *svc;
	struct ipvs_timeouts t;
	struct sk_buff *msg;
	void *reply;
	int ret;

	if (cmd == IPVS_CMD_GET_SERVICE)
		reply_cmd = IPVS_CMD_NEW_SERVICE;
	else if (cmd == IPVS_CMD_GET_INFO)
		reply_cmd = IPVS_CMD_SET_INFO;
	else
		reply_cmd = IPVS_CMD_SET_CONFIG;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&ipvs->lock);

	ret = -EMSGSIZE;
	reply = genlmsg_put_reply(msg, info, &ipvs_genl_family, 0, reply_cmd);
	if (!reply)
		goto out_free;

	switch (cmd) {
	case IPVS_CMD_GET_SERVICE:
		ret = ipvs_nl_parse_service(ipvs, &usvc, info->attrs[IPVS_CMD_ATTR_SERVICE],
					    false, &svc);
		if (ret)
			goto out_free;
		if (!svc) {
			ret = -ESRCH;
			goto out_free;
		}
		ret = ipvs_nl_fill_service(msg, svc);
		if (ret)
			goto out_free;
		break;
	case IPVS_CMD_GET_CONFIG:
		ipvs_timeouts_get(ipvs, &t);
		if (nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcp) ||
		    nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcp_fin) ||
		    nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, t.udp))
			goto out_free;
		break;
	case IPVS_CMD_GET_INFO:
		if (nla_put_u32(msg, IPVS_INFO_ATTR_VERSION, IP_VS_VERSION_CODE) ||
		    nla_put_u32(msg, IPVS_INFO_ATTR_CONN_TAB_SIZE, ipvs_conn_tab_size))
			goto out_free;
		break;
	}

	mutex_unlock(&ipvs->lock);
	genlmsg_end(msg, reply);
	return genlmsg_reply(msg, info);

out_free:
	mutex_unlock(&ipvs->lock);
	nlmsg_free(msg);
	return ret;
}

static int ipvs_nl_new_daemon(struct ipvs_net *ipvs, struct nlattr **a)
{
	if (!(a[IPVS_DAEMON_ATTR_STATE] && a[IPVS_DAEMON_ATTR_MCAST_IFN] &&
	      a[IPVS_DAEMON_ATTR_SYNC_ID]))
		return -EINVAL;

	if (a[IPVS_DAEMON_ATTR_MCAST_GROUP]) {
		if (!ipv4_is_multicast(nla_get_in_addr(a[IPVS_DAEMON_ATTR_MCAST_GROUP])))
			return -EINVAL;
	} else if (a[IPVS_DAEMON_ATTR_MCAST_GROUP6]) {
		struct in6_addr grp = nla_get_in6_addr(a[IPVS_DAEMON_ATTR_MCAST_GROUP6]);

		if (!(ipv6_addr_type(&grp) & IPV6_ADDR_MULTICAST))
			return -EINVAL;
	}

	/* The sync protocol cannot describe mixed-family destinations. */
	if (ipvs->mixed_af_dests)
		return -EINVAL;

	/* No sync daemon yet; see the top of this file for the errno. */
	return -EPROTONOSUPPORT;
}

static int ipvs_nl_del_daemon(struct nlattr **a)
{
	if (!a[IPVS_DAEMON_ATTR_STATE])
		return -EINVAL;

	/* Nothing runs, so there is nothing to stop. */
	switch (nla_get_u32(a[IPVS_DAEMON_ATTR_STATE])) {
	case IP_VS_STATE_MASTER:
	case IP_VS_STATE_BACKUP:
		return -ESRCH;
	default:
		return -EINVAL;
	}
}

static int ipvs_nl_set_daemon(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a[IPVS_DAEMON_ATTR_MAX + 1];
	struct ipvs_net *ipvs = ipvs_nl_net(skb);
	int ret;

	if (!info->attrs[IPVS_CMD_ATTR_DAEMON] ||
	    nla_parse_nested_deprecated(a, IPVS_DAEMON_ATTR_MAX,
					info->attrs[IPVS_CMD_ATTR_DAEMON],
					ipvs_nl_daemon_policy, info->extack))
		return -EINVAL;

	mutex_lock(&ipvs->lock);
	if (info->genlhdr->cmd == IPVS_CMD_NEW_DAEMON)
		ret = ipvs_nl_new_daemon(ipvs, a);
	else
		ret = ipvs_nl_del_daemon(a);
	mutex_unlock(&ipvs->lock);
	return ret;
}

#define IPVS_NL_OP(_cmd, _doit, _dumpit) {				\
	.cmd		= (_cmd),					\
	.validate	= GENL_DONT_VALIDATE_STRICT | GENL_DONT_VALIDATE_DUMP, \
	.flags		= GENL_ADMIN_PERM,				\
	.doit		= (_doit),					\
	.dumpit		= (_dumpit),					\
}

static const struct genl_small_ops ipvs_nl_ops[] = {
	IPVS_NL_OP(IPVS_CMD_NEW_SERVICE, ipvs_nl_set_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_SET_SERVICE, ipvs_nl_set_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_DEL_SERVICE, ipvs_nl_set_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_GET_SERVICE, ipvs_nl_get_cmd, ipvs_nl_dump_services),
	IPVS_NL_OP(IPVS_CMD_NEW_DEST, ipvs_nl_set_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_SET_DEST, ipvs_nl_set_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_DEL_DEST, ipvs_nl_set_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_GET_DEST, NULL, ipvs_nl_dump_dests),
	IPVS_NL_OP(IPVS_CMD_NEW_DAEMON, ipvs_nl_set_daemon, NULL),
	IPVS_NL_OP(IPVS_CMD_DEL_DAEMON, ipvs_nl_set_daemon, NULL),
	IPVS_NL_OP(IPVS_CMD_GET_DAEMON, NULL, ipvs_nl_dump_daemons),
	IPVS_NL_OP(IPVS_CMD_SET_CONFIG, ipvs_nl_set_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_GET_CONFIG, ipvs_nl_get_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_GET_INFO, ipvs_nl_get_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_ZERO, ipvs_nl_set_cmd, NULL),
	IPVS_NL_OP(IPVS_CMD_FLUSH, ipvs_nl_set_cmd, NULL),
	/* ipvs-ng extensions (ipvs/ng_uapi.h): strictly validated */
	{
		.cmd	= IPVS_NG_CMD_GET_DESTS,
		.flags	= GENL_ADMIN_PERM,
		.dumpit	= ipvs_nl_dump_all_dests,
	},
};

struct genl_family ipvs_genl_family __ro_after_init = {
	.hdrsize	= 0,
	.name		= IPVS_GENL_NAME,
	.version	= IPVS_GENL_VERSION,
	.maxattr	= IPVS_CMD_ATTR_MAX,
	.policy		= ipvs_nl_cmd_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.small_ops	= ipvs_nl_ops,
	.n_small_ops	= ARRAY_SIZE(ipvs_nl_ops),
	/* Every command predates strict validation: keep it liberal. */
	.resv_start_op	= IPVS_CMD_FLUSH + 1,
};

int __init ipvs_netlink_init(void)
{
	return genl_register_family(&ipvs_genl_family);
}

void ipvs_netlink_uninit(void)
{
	genl_unregister_family(&ipvs_genl_family);
}
