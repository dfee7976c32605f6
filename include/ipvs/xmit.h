/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvs-ng data plane: what the transmitters share (xmit_route.c) and the
 * transmitters of the forwarding methods other than NAT (xmit_dr.c,
 * xmit_tun.c, tun_encap.c, tun_icmp.c).
 */
#ifndef _IPVS_XMIT_H
#define _IPVS_XMIT_H

#include <linux/ip.h>
#include <net/dst.h>
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
/* dest_dst.c: the route to @dest, from its cache when it can. */
bool ipvs_route_dest(struct net *net, struct sk_buff *skb, struct ipvs_dest *dest,
		     unsigned int flags, struct ipvs_rt *rt);
void ipvs_unreach(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af);
bool ipvs_mtu_ok(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af, u32 mtu, bool icmp);
bool ipvs_decrement_ttl(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af,
			struct dst_entry *dst);
unsigned int ipvs_xmit_send(struct ipvs_dp_net *dp, struct sk_buff *skb,
			    const struct ipvs_conn *cp, const struct ipvs_rt *rt);

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
