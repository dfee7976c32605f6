// SPDX-License-Identifier: GPL-2.0
/*
 * Transmitters, dispatched by the connection's forwarding method, and the
 * NAT (masquerading) one: route to the real server, decrement the TTL
 * (hop limit) as a router and as upstream IPVS do for a real server that
 * is not this host, check the MTU, rewrite the destination address and
 * port, and send the packet out through LOCAL_OUT (so output filtering
 * applies) marked as owned by IPVS.
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
#include <ipvs/xmit.h>

/* IPv6's half of ipvs_nat_l4_csum() (proto.h). */
void ipvs_nat_l4_csum_v6(struct sk_buff *skb, __sum16 *check,
			 const union nf_inet_addr *oaddr, const union nf_inet_addr *naddr,
			 __be16 oport, __be16 nport)
{
	inet_proto_csum_replace16(check, skb, oaddr->ip6, naddr->ip6, true);
	inet_proto_csum_replace2(check, skb, oport, nport, false);
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

static unsigned int ipvs_nat_xmit(struct ipvs_dp_net *dp, struct sk_buff *skb,
				  struct ipvs_conn *cp, const struct ipvs_proto *pp,
				  const struct ipvs_iphdr *iph, bool hook_local_out)
{
	struct ipvs_rt rt;

	if (!ipvs_route_dest(dp->net, skb, cp->dest, 0, &rt)) {
		ipvs_unreach(dp, skb, cp->af);
		return NF_DROP;
	}
	if (ipvs_skb_writable(skb, iph->len + pp->hdr_len))
		goto drop;
	if (!rt.local && (!ipvs_decrement_ttl(dp, skb, cp->af, rt.dst) ||
			  !ipvs_dst_mtu_ok(dp, skb, cp->af, rt.dst, false) ||
			  skb_cow(skb, LL_RESERVED_SPACE(rt.dst->dev))))
		goto drop;
	if (!ipvs_l4_nat(pp, skb, cp, iph, true))
		goto drop;
	ipvs_nat_daddr(skb, cp);

	return ipvs_xmit_send(dp, skb, cp, &rt);

drop:
	ipvs_rt_put(&rt);
	return NF_DROP;
}

/* An ICMP error about a connection, already rewritten by icmp.c. */
unsigned int ipvs_nat_xmit_icmp(struct ipvs_dp_net *dp, struct sk_buff *skb,
				struct ipvs_conn *cp, bool hook_local_out)
{
	struct ipvs_rt rt;

	if (!ipvs_route_dest(dp->net, skb, cp->dest, 0, &rt))
		return NF_DROP;
	if (!rt.local && (!ipvs_decrement_ttl(dp, skb, cp->af, rt.dst) ||
			  !ipvs_dst_mtu_ok(dp, skb, cp->af, rt.dst, true) ||
			  skb_cow(skb, LL_RESERVED_SPACE(rt.dst->dev))))
		goto drop;
	return ipvs_xmit_send(dp, skb, cp, &rt);

drop:
	ipvs_rt_put(&rt);
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

const struct ipvs_xmit_ops *const ipvs_xmit_table[IP_VS_CONN_F_FWD_MASK + 1] = {
	[IP_VS_CONN_F_MASQ]		= &ipvs_xmit_nat,
	[IP_VS_CONN_F_LOCALNODE]	= &ipvs_xmit_local,
	[IP_VS_CONN_F_TUNNEL]		= &ipvs_xmit_tun,
	[IP_VS_CONN_F_DROUTE]		= &ipvs_xmit_dr,
};
