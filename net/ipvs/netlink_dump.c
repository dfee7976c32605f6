// SPDX-License-Identifier: GPL-2.0
/*
 * Building IPVS netlink messages: the service and destination attribute
 * sets (shared by GET_SERVICE replies and the dumps) and the dumps
 * themselves. Attribute sets and order are upstream's.
 *
 * Dumps hold the namespace's config mutex while they fill one skb and
 * resume by position (cb->args[0]) like upstream, so a dump that spans
 * several skbs while the configuration changes may skip or repeat an entry.
 */
#include <net/genetlink.h>
#include <ipvs/ipvs.h>
#include <ipvs/netlink.h>
#include <ipvs/ng_uapi.h>

static int ipvs_nl_fill_stats(struct sk_buff *skb, int type, const struct ipvs_kstats *k)
{
	struct nlattr *nest = nla_nest_start_noflag(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, IPVS_STATS_ATTR_CONNS, (u32)k->conns) ||
	    nla_put_u32(skb, IPVS_STATS_ATTR_INPKTS, (u32)k->inpkts) ||
	    nla_put_u32(skb, IPVS_STATS_ATTR_OUTPKTS, (u32)k->outpkts) ||
	    nla_put_u64_64bit(skb, IPVS_STATS_ATTR_INBYTES, k->inbytes, IPVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, IPVS_STATS_ATTR_OUTBYTES, k->outbytes, IPVS_STATS_ATTR_PAD) ||
	    nla_put_u32(skb, IPVS_STATS_ATTR_CPS, (u32)k->cps) ||
	    nla_put_u32(skb, IPVS_STATS_ATTR_INPPS, (u32)k->inpps) ||
	    nla_put_u32(skb, IPVS_STATS_ATTR_OUTPPS, (u32)k->outpps) ||
	    nla_put_u32(skb, IPVS_STATS_ATTR_INBPS, (u32)k->inbps) ||
	    nla_put_u32(skb, IPVS_STATS_ATTR_OUTBPS, (u32)k->outbps))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int ipvs_nl_fill_stats64(struct sk_buff *skb, int type, const struct ipvs_kstats *k)
{
	static const int attr[] = {
		IPVS_STATS_ATTR_CONNS, IPVS_STATS_ATTR_INPKTS, IPVS_STATS_ATTR_OUTPKTS,
		IPVS_STATS_ATTR_INBYTES, IPVS_STATS_ATTR_OUTBYTES, IPVS_STATS_ATTR_CPS,
		IPVS_STATS_ATTR_INPPS, IPVS_STATS_ATTR_OUTPPS, IPVS_STATS_ATTR_INBPS,
		IPVS_STATS_ATTR_OUTBPS,
	};
	const u64 val[] = {
		k->conns, k->inpkts, k->outpkts, k->inbytes, k->outbytes,
		k->cps, k->inpps, k->outpps, k->inbps, k->outbps,
	};
	struct nlattr *nest = nla_nest_start_noflag(skb, type);
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(attr) != ARRAY_SIZE(val));
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(attr); i++) {
		if (nla_put_u64_64bit(skb, attr[i], val[i], IPVS_STATS_ATTR_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The attributes naming @svc: its family, then fwmark or protocol/addr/port. */
static int ipvs_nl_put_service_key(struct sk_buff *skb, struct ipvs_service *svc)
{
	if (nla_put_u16(skb, IPVS_SVC_ATTR_AF, svc->af))
		return -EMSGSIZE;
	if (svc->fwmark)
		return nla_put_u32(skb, IPVS_SVC_ATTR_FWMARK, svc->fwmark);
	if (nla_put_u16(skb, IPVS_SVC_ATTR_PROTOCOL, svc->protocol) ||
	    nla_put(skb, IPVS_SVC_ATTR_ADDR, sizeof(svc->addr), &svc->addr) ||
	    nla_put_be16(skb, IPVS_SVC_ATTR_PORT, svc->port))
		return -EMSGSIZE;
	return 0;
}

/* IPVS_CMD_ATTR_SERVICE for @svc. Caller holds ipvs->lock. */
int ipvs_nl_fill_service(struct sk_buff *skb, struct ipvs_service *svc)
{
	struct ip_vs_flags flags = { .flags = svc->flags, .mask = ~0U };
	struct ipvs_kstats k;
	struct nlattr *nest;

	nest = nla_nest_start_noflag(skb, IPVS_CMD_ATTR_SERVICE);
	if (!nest)
		return -EMSGSIZE;

	if (ipvs_nl_put_service_key(skb, svc))
		goto cancel;

	/* No persistence engine exists yet, so no IPVS_SVC_ATTR_PE_NAME. */
	if (nla_put_string(skb, IPVS_SVC_ATTR_SCHED_NAME, ipvs_service_sched_name(svc)) ||
	    nla_put(skb, IPVS_SVC_ATTR_FLAGS, sizeof(flags), &flags) ||
	    nla_put_u32(skb, IPVS_SVC_ATTR_TIMEOUT, svc->timeout / HZ) ||
	    nla_put_be32(skb, IPVS_SVC_ATTR_NETMASK, svc->netmask))
		goto cancel;

	ipvs_stats_read(&svc->stats, &k);
	if (ipvs_nl_fill_stats(skb, IPVS_SVC_ATTR_STATS, &k) ||
	    ipvs_nl_fill_stats64(skb, IPVS_SVC_ATTR_STATS64, &k))
		goto cancel;

	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* @stats32: also IPVS_DEST_ATTR_STATS, the 32-bit copy upstream sends. */
static int ipvs_nl_fill_dest(struct sk_buff *skb, struct ipvs_dest *dest, bool stats32)
{
	struct ipvs_kstats k;
	struct nlattr *nest;

	nest = nla_nest_start_noflag(skb, IPVS_CMD_ATTR_DEST);
	if (!nest)
		return -EMSGSIZE;

	if (nla_put(skb, IPVS_DEST_ATTR_ADDR, sizeof(dest->addr), &dest->addr) ||
	    nla_put_be16(skb, IPVS_DEST_ATTR_PORT, dest->port) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_FWD_METHOD,
			atomic_read(&dest->conn_flags) & IP_VS_CONN_F_FWD_MASK) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_WEIGHT, atomic_read(&dest->weight)) ||
	    nla_put_u8(skb, IPVS_DEST_ATTR_TUN_TYPE, dest->tun_type) ||
	    nla_put_be16(skb, IPVS_DEST_ATTR_TUN_PORT, dest->tun_port) ||
	    nla_put_u16(skb, IPVS_DEST_ATTR_TUN_FLAGS, dest->tun_flags) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_U_THRESH, dest->u_threshold) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_L_THRESH, dest->l_threshold) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_ACTIVE_CONNS, atomic_read(&dest->activeconns)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_INACT_CONNS, atomic_read(&dest->inactconns)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_PERSIST_CONNS, atomic_read(&dest->persistconns)) ||
	    nla_put_u16(skb, IPVS_DEST_ATTR_ADDR_FAMILY, dest->af))
		goto cancel;

	ipvs_stats_read(&dest->stats, &k);
	if ((stats32 && ipvs_nl_fill_stats(skb, IPVS_DEST_ATTR_STATS, &k)) ||
	    ipvs_nl_fill_stats64(skb, IPVS_DEST_ATTR_STATS64, &k))
		goto cancel;

	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* One NLM_F_MULTI message of a dump: @cmd with one nest filled by @fill. */
static void *ipvs_nl_dump_hdr(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &ipvs_genl_family, NLM_F_MULTI, cmd);
}

static int ipvs_nl_dump_service(struct sk_buff *skb, struct netlink_callback *cb,
				struct ipvs_service *svc)
{
	void *hdr = ipvs_nl_dump_hdr(skb, cb, IPVS_CMD_NEW_SERVICE);

	if (!hdr)
		return -EMSGSIZE;
	if (ipvs_nl_fill_service(skb, svc)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The dumps over all services: @fn fills one service's messages. They
 * resume at bucket cb->args[0], service cb->args[1] of that bucket (not
 * walking from the first service for every skb); @fn keeps any position
 * within its service in cb->args[2].
 */
typedef int (*ipvs_nl_svc_fill)(struct sk_buff *skb, struct netlink_callback *cb,
				struct ipvs_service *svc);

static int ipvs_nl_dump_walk(struct sk_buff *skb, struct netlink_callback *cb,
			     ipvs_nl_svc_fill fn)
{
	struct ipvs_net *ipvs = ipvs_net(sock_net(skb->sk));
	long start = cb->args[1], idx = 0;
	struct ipvs_service *svc;
	int i;

	mutex_lock(&ipvs->lock);
	for (i = cb->args[0]; i < IPVS_SVC_BUCKETS; i++, start = 0) {
		idx = 0;
		hlist_for_each_entry(svc, ipvs_svc_bucket(ipvs, i), s_list) {
			if (idx++ < start)
				continue;
			if (fn(skb, cb, svc)) {
				idx--;
				goto out;
			}
		}
	}
out:
	mutex_unlock(&ipvs->lock);
	cb->args[0] = i;
	cb->args[1] = idx;
	return skb->len;
}

int ipvs_nl_dump_services(struct sk_buff *skb, struct netlink_callback *cb)
{
	return ipvs_nl_dump_walk(skb, cb, ipvs_nl_dump_service);
}

/* Destinations of the service named in the request; nothing if none. */
int ipvs_nl_dump_dests(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ipvs_net *ipvs = ipvs_net(sock_net(skb->sk));
	struct nlattr *attrs[IPVS_CMD_ATTR_MAX + 1];
	long start = cb->args[0], idx = 0;
	struct ipvs_service_conf usvc;
	struct ipvs_service *svc;
	struct ipvs_dest *dest;
	void *hdr;

	mutex_lock(&ipvs->lock);

	if (nlmsg_parse_deprecated(cb->nlh, GENL_HDRLEN, attrs, IPVS_CMD_ATTR_MAX,
				   ipvs_nl_cmd_policy, cb->extack))
		goto out;
	if (ipvs_nl_parse_service(ipvs, &usvc, attrs[IPVS_CMD_ATTR_SERVICE], false, &svc) ||
	    !svc)
		goto out;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (idx++ < start)
			continue;
		hdr = ipvs_nl_dump_hdr(skb, cb, IPVS_CMD_NEW_DEST);
		if (!hdr) {
			idx--;
			break;
		}
		if (ipvs_nl_fill_dest(skb, dest, true)) {
			genlmsg_cancel(skb, hdr);
			idx--;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = idx;
out:
	mutex_unlock(&ipvs->lock);
	return skb->len;
}

/* IPVS_CMD_ATTR_SERVICE with @svc's key only (IPVS_NG_CMD_GET_DESTS). */
static int ipvs_nl_fill_service_key(struct sk_buff *skb, struct ipvs_service *svc)
{
	struct nlattr *nest = nla_nest_start_noflag(skb, IPVS_CMD_ATTR_SERVICE);

	if (!nest)
		return -EMSGSIZE;
	if (ipvs_nl_put_service_key(skb, svc))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* One service's destinations for IPVS_NG_CMD_GET_DESTS, from the
 * cb->args[2]th on; when the skb fills up, cb->args[2] names the first
 * destination not sent.
 */
static int ipvs_nl_dump_svc_dests(struct sk_buff *skb, struct netlink_callback *cb,
				  struct ipvs_service *svc)
{
	struct ipvs_dest *dest;
	long idx = 0;
	void *hdr;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (idx++ < cb->args[2])
			continue;
		hdr = ipvs_nl_dump_hdr(skb, cb, IPVS_CMD_NEW_DEST);
		if (!hdr)
			goto full;
		if (ipvs_nl_fill_service_key(skb, svc) ||
		    ipvs_nl_fill_dest(skb, dest, false)) {
			genlmsg_cancel(skb, hdr);
			goto full;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[2] = 0;
	return 0;
full:
	cb->args[2] = idx - 1;
	return -EMSGSIZE;
}

int ipvs_nl_dump_all_dests(struct sk_buff *skb, struct netlink_callback *cb)
{
	return ipvs_nl_dump_walk(skb, cb, ipvs_nl_dump_svc_dests);
}

/* No synchronisation daemon exists yet: an empty dump. */
int ipvs_nl_dump_daemons(struct sk_buff *skb, struct netlink_callback *cb)
{
	return skb->len;
}
