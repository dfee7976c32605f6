/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvs-ng data plane: what the transmitters share (xmit_route.c) and the
 * transmitters of the forwarding methods other than NAT (xmit_dr.c,
 * xmit_tun.c, tun_encap.c, tun_icmp.c).
 */
#ifndef _IPVS_XMIT_H
#define _IPVS_XMIT_H

#include <net/dst.h>
#include <ipvs/proto.h>

/* ipvs_route() flags. */
#define IPVS_RT_KNOWN_NH	0x01	/* the real server is the next hop (DR) */

struct dst_entry *ipvs_route(struct net *net, struct sk_buff *skb, u16 af,
			     const union nf_inet_addr *daddr, unsigned int flags,
			     union nf_inet_addr *saddr, bool *local);
void ipvs_unreach(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af);
bool ipvs_mtu_ok(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af, u32 mtu, bool icmp);
bool ipvs_decrement_ttl(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af,
			struct dst_entry *dst);
unsigned int ipvs_xmit_send(struct ipvs_dp_net *dp, struct sk_buff *skb,
			    const struct ipvs_conn *cp, struct dst_entry *dst, bool local);

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
