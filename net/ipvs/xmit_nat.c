// SPDX-License-Identifier: GPL-2.0
/*
 * Transmitters, dispatched by the connection's forwarding method, and the
 * NAT (masquerading) one: route to the real server, check the MTU, rewrite
 * the destination address and port, and send the packet out through
 * LOCAL_OUT (so output filtering applies) marked as owned by IPVS.
 *
 * Checksums: the transport checksum is updated incrementally for the
 * address and port change with inet_proto_csum_replace*(), which handles
 * CHECKSUM_PARTIAL (only the pseudo-header part is adjusted) and
 * CHECKSUM_COMPLETE, like nf_nat does; the IPv4 header checksum with
 * csum_replace4(). Incoming transport checksums are not verified: an
 * incremental update keeps a bad checksum bad for the receiver to see.
 *
 * The packet path only; no locks beyond RCU.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmpv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/checksum.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>

void ipvs_nat_l4_csum(struct sk_buff *skb, __sum16 *check, u16 af,
		      const union nf_inet_addr *oaddr, const union nf_inet_addr *naddr,
		      __be16 oport, __be16 nport)
{
	if (af == AF_INET6)
		inet_proto_csum_replace16(check, skb, oaddr->ip6, naddr->ip6, true);
	else
		inet_proto_csum_replace4(check, skb, oaddr->ip, naddr->ip, true);
	inet_proto_csum_replace2(check, skb, oport, nport, false);
}

/*
 * After SNAT, route again by the new source when snat_reroute is set (for
 * policy routing on the VIP), as upstream: only for replies leaving the host
 * (FORWARD, LOCAL_OUT). Non-zero: drop.
 */
int ipvs_snat_reroute(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af,
		      unsigned int hooknum)
{
	struct dst_entry *dst = skb_dst(skb);

	if (!READ_ONCE(dp->sysctl.snat_reroute) || hooknum == NF_INET_LOCAL_IN || !dst)
		return 0;
	if (af == AF_INET6) {
		if (dst->dev && !(dst->dev->flags & IFF_LOOPBACK))
			return ip6_route_me_harder(dp->net, skb->sk, skb);
		return 0;
	}
	if (!(skb_rtable(skb)->rt_flags & RTCF_LOCAL))
		return ip_route_me_harder(dp->net, skb->sk, skb, RTN_LOCAL);
	return 0;
}

/* Route to @daddr; *local tells whether it is this host. NULL: no route. */
static struct dst_entry *ipvs_route(struct net *net, struct sk_buff *skb, u16 af,
				    const union nf_inet_addr *daddr, bool *local)
{
	if (af == AF_INET6) {
		struct flowi6 fl6 = { .daddr = daddr->in6, .flowi6_mark = skb->mark };
		struct dst_entry *dst = ip6_route_output(net, NULL, &fl6);

		if (dst->error) {
			dst_release(dst);
			return NULL;
		}
		*local = dst->dev && (dst->dev->flags & IFF_LOOPBACK);
		return dst;
	} else {
		struct flowi4 fl4 = {
			.daddr = daddr->ip,
			.flowi4_tos = RT_TOS(ip_hdr(skb)->tos),
			.flowi4_mark = skb->mark,
		};
		struct rtable *rt = ip_route_output_key(net, &fl4);

		if (IS_ERR(rt))
			return NULL;
		*local = rt->rt_flags & RTCF_LOCAL;
		return &rt->dst;
	}
}

static void ipvs_unreach(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af)
{
	if (!skb->dev)
		skb->dev = dp->net->loopback_dev;
	if (af == AF_INET6)
		icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
	else
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
}

/*
 * Does the packet fit the path? If not, tell the sender (unless the packet
 * is itself an ICMP error) and return false. A reassembled packet is judged
 * by its largest fragment, as upstream does.
 */
static bool ipvs_mtu_ok(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af, u32 mtu,
			bool icmp)
{
	if (af == AF_INET6) {
		bool big;

		if (IP6CB(skb)->frag_max_size)
			big = IP6CB(skb)->frag_max_size > mtu;
		else
			big = skb->len > mtu && !skb_is_gso(skb);
		if (!big)
			return true;
		if (!skb->dev)
			skb->dev = dp->net->loopback_dev;
		if (!icmp)
			icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		return false;
	}

	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || icmp)
		return true;
	if (IPCB(skb)->frag_max_size ? IPCB(skb)->frag_max_size <= mtu :
	    (skb->len <= mtu || skb_is_gso(skb)))
		return true;
	if (!skb->dev)
		skb->dev = dp->net->loopback_dev;
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
	return false;
}

static void ipvs_nat_daddr(struct sk_buff *skb, const struct ipvs_conn *cp)
{
	if (cp->af == AF_INET6) {
		ipv6_hdr(skb)->daddr = cp->daddr.in6;
	} else {
		struct iphdr *h = ip_hdr(skb);

		csum_replace4(&h->check, h->daddr, cp->daddr.ip);
		h->daddr = cp->daddr.ip;
	}
}

/* Hand a rewritten packet to @dst (consumed). */
static unsigned int ipvs_nat_send(struct ipvs_dp_net *dp, struct sk_buff *skb,
				  const struct ipvs_conn *cp, struct dst_entry *dst, bool local)
{
	ipvs_nfct_after_xmit(skb, cp, true);

	/* The real server is this host: deliver (LOCAL_IN) or loop back. */
	if (local) {
		dst_release(dst);
		return NF_ACCEPT;
	}

	/* A socket found by early demux for the VIP is not ours any more;
	 * skb->dev is NULL for packets of local sockets (LOCAL_OUT).
	 */
	if (skb->dev)
		skb_orphan(skb);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	skb_forward_csum(skb);

	NF_HOOK(cp->af == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4, NF_INET_LOCAL_OUT, dp->net,
		NULL, skb, NULL, dst->dev, dst_output);
	return NF_STOLEN;
}

static unsigned int ipvs_nat_xmit(struct ipvs_dp_net *dp, struct sk_buff *skb,
				  struct ipvs_conn *cp, const struct ipvs_proto *pp,
				  const struct ipvs_iphdr *iph, bool hook_local_out)
{
	struct dst_entry *dst;
	bool local;

	dst = ipvs_route(dp->net, skb, cp->af, &cp->daddr, &local);
	if (!dst) {
		ipvs_unreach(dp, skb, cp->af);
		return NF_DROP;
	}
	if (!local && !ipvs_mtu_ok(dp, skb, cp->af, dst_mtu(dst), false))
		goto drop;

	if (skb_ensure_writable(skb, iph->len + pp->hdr_len))
		goto drop;
	if (!local && skb_cow(skb, LL_RESERVED_SPACE(dst->dev)))
		goto drop;
	if (!pp->nat(skb, cp, iph, true))
		goto drop;
	ipvs_nat_daddr(skb, cp);

	return ipvs_nat_send(dp, skb, cp, dst, local);

drop:
	dst_release(dst);
	return NF_DROP;
}

/* An ICMP error about a connection, already rewritten by icmp.c. */
unsigned int ipvs_nat_xmit_icmp(struct ipvs_dp_net *dp, struct sk_buff *skb,
				struct ipvs_conn *cp, bool hook_local_out)
{
	struct dst_entry *dst;
	bool local;

	dst = ipvs_route(dp->net, skb, cp->af, &cp->daddr, &local);
	if (!dst)
		return NF_DROP;
	if (!local && !ipvs_mtu_ok(dp, skb, cp->af, dst_mtu(dst), true))
		goto drop;
	if (!local && skb_cow(skb, LL_RESERVED_SPACE(dst->dev)))
		goto drop;
	return ipvs_nat_send(dp, skb, cp, dst, local);

drop:
	dst_release(dst);
	return NF_DROP;
}

/* Local node: the VIP's own stack serves the connection. */
static unsigned int ipvs_null_xmit(struct ipvs_dp_net *dp, struct sk_buff *skb,
				   struct ipvs_conn *cp, const struct ipvs_proto *pp,
				   const struct ipvs_iphdr *iph, bool hook_local_out)
{
	return NF_ACCEPT;
}

static const struct ipvs_xmit_ops ipvs_xmit_nat = {
	.xmit			= ipvs_nat_xmit,
	.handles_replies	= true,
};

static const struct ipvs_xmit_ops ipvs_xmit_local = {
	.xmit			= ipvs_null_xmit,
};

/* DR and TUN: not written yet (their connections are dropped). */
static const struct ipvs_xmit_ops *const ipvs_xmit_table[IP_VS_CONN_F_FWD_MASK + 1] = {
	[IP_VS_CONN_F_MASQ]		= &ipvs_xmit_nat,
	[IP_VS_CONN_F_LOCALNODE]	= &ipvs_xmit_local,
};

const struct ipvs_xmit_ops *ipvs_xmit_ops_get(unsigned int fwd)
{
	return ipvs_xmit_table[fwd & IP_VS_CONN_F_FWD_MASK];
}
