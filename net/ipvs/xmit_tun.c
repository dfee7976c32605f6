// SPDX-License-Identifier: GPL-2.0
/*
 * IP tunnelling ("ipvsadm -i"): the client's packet, unchanged but for its
 * TTL, is wrapped in a new IP header (and a GUE or GRE header, see
 * tun_encap.c) addressed to the real server, which decapsulates it, finds
 * the VIP as one of its own addresses and answers the client directly.
 *
 * The outer header is of the real server's family, which may differ from
 * the service's (IPv4 VIP behind an IPv6 tunnel and the reverse): the only
 * forwarding method that can cross families. Inner IPv4 travels as
 * IPPROTO_IPIP, inner IPv6 as IPPROTO_IPV6. The outer header copies the
 * inner TTL/hop limit and DF bit (IPv4 in IPv4), and the inner DSCP with
 * ECN encapsulated as RFC 6040 asks; its source is the address the route
 * to the real server picks.
 *
 * Path MTU: the room left for the inner packet is the route's MTU minus the
 * outer IP header and the encapsulation. A larger packet (for GSO, a larger
 * segment) is refused
 * with "fragmentation needed" (IPv4 with DF) or "packet too big" (IPv6) to
 * the client, which then sends smaller segments; without DF the outer
 * packet is fragmented on output, as upstream does.
 * Errors coming back about the tunnel itself are tun_icmp.c's.
 *
 * The packet path only; no locks beyond RCU.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <ipvs/conn.h>
#include <ipvs/xmit.h>

/* A local socket (LOCAL_OUT) learns the smaller MTU of the tunnel now. */
static void ipvs_tun_update_pmtu(struct sk_buff *skb, u32 mtu)
{
	struct dst_entry *odst = skb_dst(skb);
	struct sock *sk = skb->sk;

	if (!skb->dev && sk && sk_fullsock(sk) && odst && odst->ops->update_pmtu)
		odst->ops->update_pmtu(odst, sk, NULL, mtu, true);
}

/* What the outer header copies from the inner one. */
struct ipvs_tun_inner {
	u8	proto;		/* IPPROTO_IPIP or IPPROTO_IPV6 */
	u8	dsfield;
	u8	ttl;
	__be16	df;
};

static void ipvs_tun_inner_get(struct sk_buff *skb, u16 af, struct ipvs_tun_inner *in)
{
	u8 ds;

	if (af == AF_INET6) {
		const struct ipv6hdr *h = ipv6_hdr(skb);

		in->proto = IPPROTO_IPV6;
		ds = ipv6_get_dsfield(h);
		in->ttl = h->hop_limit;
		in->df = 0;
	} else {
		const struct iphdr *h = ip_hdr(skb);

		in->proto = IPPROTO_IPIP;
		ds = ipv4_get_dsfield(h);
		in->ttl = h->ttl;
		in->df = h->frag_off & htons(IP_DF);
	}
	in->dsfield = INET_ECN_encapsulate(ds, ds);
}

static void ipvs_tun_push_ip(struct net *net, struct sk_buff *skb, u16 af,
			     const union nf_inet_addr *saddr, const union nf_inet_addr *daddr,
			     const struct ipvs_tun_inner *in, u8 proto)
{
	if (af == AF_INET6) {
		struct ipv6hdr *h;

		skb_push(skb, sizeof(*h));
		skb_reset_network_header(skb);
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		h = ipv6_hdr(skb);
		ip6_flow_hdr(h, in->dsfield, 0);
		h->payload_len = 0;	/* ip6_local_out() sets it */
		h->nexthdr = proto;
		h->hop_limit = in->ttl;
		h->saddr = saddr->in6;
		h->daddr = daddr->in6;
	} else {
		struct iphdr *h;

		skb_push(skb, sizeof(*h));
		skb_reset_network_header(skb);
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		h = ip_hdr(skb);
		h->version = 4;
		h->ihl = sizeof(*h) >> 2;
		h->tos = in->dsfield;
		h->tot_len = 0;		/* ip_local_out() sets it and the checksum */
		h->frag_off = in->df;
		h->ttl = in->ttl;
		h->protocol = proto;
		h->check = 0;
		h->saddr = saddr->ip;
		h->daddr = daddr->ip;
		ip_select_ident(net, skb, NULL);
	}
}

static unsigned int ipvs_tun_xmit(struct ipvs_dp_net *dp, struct sk_buff *skb,
				  struct ipvs_conn *cp, const struct ipvs_proto *pp,
				  const struct ipvs_iphdr *iph, bool hook_local_out)
{
	struct ipvs_dest *dest = cp->dest;
	bool icmp = iph->flags & IPVS_IPH_F_ICMP_INNER;
	u16 oaf = dest->af;	/* outer family: the real server's */
	unsigned int ohlen = oaf == AF_INET6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	struct ipvs_tun_inner in;
	struct dst_entry *dst;
	struct ipvs_rt rt;
	unsigned int elen;
	u8 proto;
	int mtu;

	if (!ipvs_route_dest(dp->net, skb, dest, IPVS_RT_SADDR, &rt)) {
		ipvs_unreach(dp, skb, cp->af);
		return NF_DROP;
	}
	if (rt.local)
		return ipvs_xmit_send(dp, skb, cp, &rt);
	dst = rt.dst;

	if (!ipvs_decrement_ttl(dp, skb, cp->af, dst))
		goto drop;
	elen = ipvs_tun_encap_len(dest, skb);
	mtu = (int)dst_mtu(dst) - (int)(ohlen + elen);
	if (mtu < (cp->af == AF_INET6 ? IPV6_MIN_MTU : 68)) {
		net_dbg_ratelimited("IPVS: tunnel MTU %d too small\n", mtu);
		goto drop;
	}
	ipvs_tun_update_pmtu(skb, mtu);
	if (!ipvs_mtu_ok(dp, skb, cp->af, mtu, icmp))
		goto drop;

	/* A socket found by early demux for the VIP is not ours any more. */
	if (skb->dev)
		skb_orphan(skb);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + ohlen + elen))
		goto drop;
	ipvs_tun_inner_get(skb, cp->af, &in);

	if (iptunnel_handle_offloads(skb, ipvs_tun_gso_type(dest, skb, oaf)))
		goto drop;
	/* For IP in IP, the outer header's payload is the inner IP header. */
	skb->transport_header = skb->network_header;
	skb_set_inner_ipproto(skb, in.proto);
	skb_set_inner_mac_header(skb, skb_inner_network_offset(skb));

	proto = in.proto;
	if (ipvs_tun_encap(dp->net, skb, dest, oaf, &rt.saddr, &proto))
		goto drop;
	ipvs_tun_push_ip(dp->net, skb, oaf, &rt.saddr, &cp->daddr, &in, proto);

	/* The outer packet may be fragmented even with DF copied in. */
	skb->ignore_df = 1;
	skb->ipvs_property = 1;
	/* The outer flow is a new one for conntrack, as for any tunnel. */
	nf_reset_ct(skb);
	skb_forward_csum(skb);
	skb_dst_drop(skb);
	ipvs_rt_set(skb, &rt);
	if (oaf == AF_INET6)
		ip6_local_out(dp->net, skb->sk, skb);
	else
		ip_local_out(dp->net, skb->sk, skb);
	return NF_STOLEN;

drop:
	ipvs_rt_put(&rt);
	return NF_DROP;
}

const struct ipvs_xmit_ops ipvs_xmit_tun = {
	.xmit	= ipvs_tun_xmit,
};
