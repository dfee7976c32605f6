/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvs-ng data plane: what the transmitters share (xmit_route.c) and the
 * transmitters of the forwarding methods other than NAT (xmit_dr.c,
 * xmit_tun.c, tun_encap.c, tun_icmp.c).
 */
#ifndef _IPVS_XMIT_H
#define _IPVS_XMIT_H

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/route.h>
#include <ipvs/proto.h>

/* ipvs_route() flags. */
#define IPVS_RT_KNOWN_NH	0x01	/* the real server is the next hop (DR) */
#define IPVS_RT_SADDR		0x02	/* fill ipvs_rt.saddr (tunnel outer source) */

/* A route to a real server, as the transmitters use it. */
struct ipvs_rt {
	struct dst_entry	*dst;
	union nf_inet_addr	saddr;	/* IPVS_RT_SADDR */
	bool			local;	/* the real server is this host */
	/* Borrowed from the destination's route cache: valid until the
	 * packet path leaves its RCU read-side section, never released.
	 */
	bool			noref;
};

static inline void ipvs_rt_put(const struct ipvs_rt *rt)
{
	if (!rt->noref)
		dst_release(rt->dst);
}

/* Attach @rt's route to @skb, handing over the reference if there is one. */
static inline void ipvs_rt_set(struct sk_buff *skb, const struct ipvs_rt *rt)
{
	if (rt->noref)
		skb_dst_set_noref(skb, rt->dst);
	else
		skb_dst_set(skb, rt->dst);
}

/* The TOS a route lookup keys on: an IPv4 packet's own; the TOS of an IPv6
 * packet tunnelled over IPv4 is not ours to use.
 */
static inline u8 ipvs_route_tos(const struct sk_buff *skb, u16 af)
{
	if (af == AF_INET6 || ip_hdr(skb)->version != 4)
		return 0;
	return RT_TOS(ip_hdr(skb)->tos);
}

bool ipvs_route(struct net *net, struct sk_buff *skb, u16 af, const union nf_inet_addr *daddr,
		unsigned int flags, struct ipvs_rt *rt, u32 *cookie);

/* A destination's cached route (dest_dst.c, which has the rules). */
struct ipvs_dest_dst {
	struct dst_entry	*dst;		/* holds a reference */
	u32			cookie;		/* for dst_check() */
	u32			mark;		/* key: skb->mark */
	u8			tos;		/* key: ipvs_route_tos() */
	u8			flags;		/* key: IPVS_RT_* */
	bool			local;
	union nf_inet_addr	saddr;		/* IPVS_RT_SADDR */
	struct rcu_head		rcu;
};

bool ipvs_route_dest_slow(struct net *net, struct sk_buff *skb, struct ipvs_dest *dest,
			  unsigned int flags, struct ipvs_rt *rt);

/*
 * The route to @dest for @skb, from the destination's cache when its key
 * matches and the route is still valid (inline: every packet), else
 * looked up (and cached) by ipvs_route_dest_slow(). Under rcu_read_lock().
 */
static inline bool ipvs_route_dest(struct net *net, struct sk_buff *skb,
				   struct ipvs_dest *dest, unsigned int flags,
				   struct ipvs_rt *rt)
{
	struct ipvs_dest_dst *dd = rcu_dereference(dest->dst_cache);

	if (likely(dd && dd->mark == skb->mark && dd->flags == flags &&
		   dd->tos == ipvs_route_tos(skb, dest->af) &&
		   dst_check(dd->dst, dd->cookie))) {
		rt->dst = dd->dst;
		rt->saddr = dd->saddr;
		rt->local = dd->local;
		rt->noref = true;
		return true;
	}
	return ipvs_route_dest_slow(net, skb, dest, flags, rt);
}
void ipvs_unreach(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af);
bool ipvs_mtu_check(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af, u32 mtu, bool icmp);
bool ipvs_ttl_dec(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af, struct dst_entry *dst);

/*
 * Does the packet (family @af) fit @mtu? If not, the sender is told and
 * the answer is false (ipvs_mtu_check()). Inline: the IPv4 packet that
 * may be fragmented, or is no bigger than @mtu.
 */
static inline bool ipvs_mtu_ok(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af, u32 mtu,
			       bool icmp)
{
	if (af == AF_INET && (!(ip_hdr(skb)->frag_off & htons(IP_DF)) ||
			      (!IPCB(skb)->frag_max_size && skb->len <= mtu)))
		return true;
	return ipvs_mtu_check(dp, skb, af, mtu, icmp);
}

/*
 * ipvs_mtu_ok() against @dst's MTU, which is only read (an indirect call)
 * for a packet bigger than the smallest MTU of its family, 68 bytes for
 * IPv4 and 1280 for IPv6, which every link carries: SYNs, pure ACKs and
 * small requests do without.
 */
static inline bool ipvs_dst_mtu_ok(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af,
				   struct dst_entry *dst, bool icmp)
{
	if (skb->len <= (af == AF_INET6 ? IPV6_MIN_MTU : IPV4_MIN_MTU))
		return true;
	return ipvs_mtu_ok(dp, skb, af, dst_mtu(dst), icmp);
}

/*
 * Decrement the TTL (hop limit) as a router would, or answer "time
 * exceeded" and return false (ipvs_ttl_dec()). Inline: an IPv4 packet
 * whose header may be written in place and whose TTL does not run out.
 */
static inline bool ipvs_decrement_ttl(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af,
				      struct dst_entry *dst)
{
	if (af == AF_INET && ip_hdr(skb)->ttl > 1 &&
	    ipvs_skb_head_writable(skb, skb_network_offset(skb) + sizeof(struct iphdr))) {
		ip_decrease_ttl(ip_hdr(skb));
		return true;
	}
	return ipvs_ttl_dec(dp, skb, af, dst);
}

/*
 * Send a packet IPVS rewrote (skb->ipvs_property) through LOCAL_OUT. When
 * our own hook is the only one there, it would just accept the packet:
 * the traversal is skipped (about 60 instructions per packet).
 */
static __always_inline void ipvs_local_out(struct net *net, u8 pf, struct sk_buff *skb)
{
	const struct nf_hook_entries *e;

#ifdef CONFIG_IPV6
	if (pf == NFPROTO_IPV6)
		e = rcu_dereference(net->nf.hooks_ipv6[NF_INET_LOCAL_OUT]);
	else
#endif
		e = rcu_dereference(net->nf.hooks_ipv4[NF_INET_LOCAL_OUT]);
	if (e && e->num_hook_entries == 1 && e->hooks[0].hook == ipvs_local_hook)
		dst_output(net, NULL, skb);
	else
		NF_HOOK(pf, NF_INET_LOCAL_OUT, net, NULL, skb, NULL, skb_dst(skb)->dev,
			dst_output);
}

/*
 * Hand a packet whose IP header is final to @rt's route (consumed)
 * through LOCAL_OUT, so output filtering applies, marked as IPVS's own.
 * rt->local: the real server is this host, the packet goes on to LOCAL_IN
 * (or loops back from LOCAL_OUT) with its original route.
 */
static __always_inline unsigned int
ipvs_xmit_send(struct ipvs_dp_net *dp, struct sk_buff *skb, const struct ipvs_conn *cp,
	       const struct ipvs_rt *rt)
{
	ipvs_nfct_after_xmit(skb, cp, true);

	if (rt->local) {
		ipvs_rt_put(rt);
		return NF_ACCEPT;
	}

	/* A socket found by early demux for the VIP is not ours any more;
	 * skb->dev is NULL for packets of local sockets (LOCAL_OUT).
	 */
	if (skb->dev)
		skb_orphan(skb);
	skb_dst_drop(skb);
	ipvs_rt_set(skb, rt);
	skb_forward_csum(skb);

	ipvs_local_out(dp->net, cp->af == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4, skb);
	return NF_STOLEN;
}

extern const struct ipvs_xmit_ops ipvs_xmit_dr;
extern const struct ipvs_xmit_ops ipvs_xmit_tun;

/* tun_encap.c: GUE and GRE headers in front of the inner packet. */
unsigned int ipvs_tun_encap_len(const struct ipvs_dest *dest, const struct sk_buff *skb);
int ipvs_tun_gso_type(const struct ipvs_dest *dest, const struct sk_buff *skb, u16 outer_af);
int ipvs_tun_encap(struct net *net, struct sk_buff *skb, const struct ipvs_dest *dest,
		   u16 outer_af, const union nf_inet_addr *saddr, u8 *next_proto);

/* tun_icmp.c: an ICMP error about a packet we tunnelled (IPv4). True when
 * it was one; *verdict then says what to do with it.
 */
bool ipvs_tun_icmp(struct ipvs_dp_net *dp, struct sk_buff *skb, const struct ipvs_iphdr *iph,
		   unsigned int hooknum, unsigned int *verdict);

#endif /* _IPVS_XMIT_H */
