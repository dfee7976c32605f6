/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvs-ng data plane: per transport protocol handlers (proto_tcp.c,
 * proto_udp.c) and per forwarding method transmitters (xmit_nat.c).
 *
 * A protocol says whether a packet without a connection may start one,
 * drives the connection's state machine and rewrites its own header
 * (ports and checksum) for NAT. The IP header is rewritten by the caller.
 *
 * A transmitter takes a request that belongs to a connection and delivers
 * it to the real server; it is picked by the connection's forwarding method
 * (IP_VS_CONN_F_FWD_MASK), so DR and TUN plug in as more entries.
 */
#ifndef _IPVS_PROTO_H
#define _IPVS_PROTO_H

#include <linux/skbuff.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <linux/netfilter.h>
#include <net/checksum.h>
#include <ipvs/conn.h>

struct ipvs_proto {
	u8		protocol;
	const char	*name;
	/* Initial state of a new connection and its timeout (jiffies). */
	u8		init_state;

	/* May this packet (no connection yet) be scheduled? Never for a
	 * TCP segment that is not a SYN (unless sloppy_tcp).
	 */
	bool (*conn_schedule)(struct ipvs_dp_net *dp, struct sk_buff *skb,
			      const struct ipvs_iphdr *iph);
	/* Is this the first packet of a new flow (for conn_reuse_mode)? */
	bool (*is_new_conn)(struct sk_buff *skb, const struct ipvs_iphdr *iph);
	/* May an existing connection in its current state be replaced? */
	bool (*conn_reusable)(const struct ipvs_conn *cp, int conn_reuse_mode);
	/* Advance the state and set cp->timeout. Takes cp->lock. */
	void (*state_transition)(struct ipvs_dp_net *dp, struct ipvs_conn *cp, int dir,
				 struct sk_buff *skb, const struct ipvs_iphdr *iph);
	const char *(*state_name)(unsigned int state);
	/* Rewrite ports and fix the checksum, in (DNAT) or out (SNAT). The
	 * header at iph->len must already be writable. False: drop.
	 */
	bool (*nat)(struct sk_buff *skb, const struct ipvs_conn *cp,
		    const struct ipvs_iphdr *iph, bool in);
	/* Bytes of transport header nat() writes. */
	unsigned int	hdr_len;
};

extern const struct ipvs_proto ipvs_proto_tcp;
extern const struct ipvs_proto ipvs_proto_udp;
extern const struct ipvs_proto ipvs_proto_sctp;

static inline const struct ipvs_proto *ipvs_proto_get(u8 protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return &ipvs_proto_tcp;
	case IPPROTO_UDP:
		return &ipvs_proto_udp;
	case IPPROTO_SCTP:
		return &ipvs_proto_sctp;
	default:
		return NULL;
	}
}

const char *ipvs_conn_state_name(const struct ipvs_conn *cp);

/* IPv6's half of ipvs_nat_l4_csum(), out of line (xmit_nat.c). */
void ipvs_nat_l4_csum_v6(struct sk_buff *skb, __sum16 *check,
			 const union nf_inet_addr *oaddr, const union nf_inet_addr *naddr,
			 __be16 oport, __be16 nport);

void ipvs_conn_state_change(struct ipvs_conn *cp, u8 state, unsigned int timeout,
			    bool active);

/* Move @cp to @state (@active: counts as an active connection), keeping
 * the destination's active/inactive counters exact (conn.c, when the
 * state changes). Caller holds cp->lock.
 */
static inline void ipvs_conn_state_set(struct ipvs_conn *cp, u8 state, unsigned int timeout,
				       bool active)
{
	lockdep_assert_held(&cp->lock);
	if (state == cp->state)
		WRITE_ONCE(cp->timeout, timeout);
	else
		ipvs_conn_state_change(cp, state, timeout, active);
}

/* Are the first @len bytes in the linear area and not shared with a clone,
 * so that they may be written in place?
 */
static inline bool ipvs_skb_head_writable(const struct sk_buff *skb, unsigned int len)
{
	return skb_headlen(skb) >= len && (!skb_cloned(skb) || skb_clone_writable(skb, len));
}

/* skb_ensure_writable(), inline when ipvs_skb_head_writable(). */
static inline int ipvs_skb_writable(struct sk_buff *skb, unsigned int len)
{
	if (likely(ipvs_skb_head_writable(skb, len)))
		return 0;
	return skb_ensure_writable(skb, len);
}

/*
 * Fix a TCP/UDP checksum for an address and a port rewrite: what
 * inet_proto_csum_replace4() (the pseudo-header's address) followed by
 * inet_proto_csum_replace2() (the port) compute, in one fold for IPv4.
 * CHECKSUM_PARTIAL: the field holds the pseudo-header's sum only, the port
 * is summed later. CHECKSUM_COMPLETE: skb->csum follows the field's change
 * for the address; for the port, its change and the field's cancel out.
 */
static inline void ipvs_nat_l4_csum(struct sk_buff *skb, __sum16 *check, u16 af,
				    const union nf_inet_addr *oaddr,
				    const union nf_inet_addr *naddr, __be16 oport, __be16 nport)
{
	__wsum a;

	if (af == AF_INET6) {
		ipvs_nat_l4_csum_v6(skb, check, oaddr, naddr, oport, nport);
		return;
	}
	a = csum_sub((__force __wsum)naddr->ip, (__force __wsum)oaddr->ip);
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		*check = ~csum_fold(csum_add(csum_unfold(*check), a));
		return;
	}
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->csum = ~csum_add(~skb->csum, a);
	a = csum_add(a, csum_sub((__force __wsum)(__force u32)nport,
				 (__force __wsum)(__force u32)oport));
	*check = csum_fold(csum_add(~csum_unfold(*check), a));
}

/* The ports and checksum of a TCP or UDP packet of @cp: client side to
 * real server (@in) or back. The TCP and UDP ops' nat.
 */
static inline bool ipvs_tcp_nat(struct sk_buff *skb, const struct ipvs_conn *cp,
				const struct ipvs_iphdr *iph, bool in)
{
	struct tcphdr *th = (struct tcphdr *)(skb->data + iph->len);

	if (in) {
		ipvs_nat_l4_csum(skb, &th->check, cp->af, &cp->vaddr, &cp->daddr,
				 th->dest, cp->dport);
		th->dest = cp->dport;
	} else {
		ipvs_nat_l4_csum(skb, &th->check, cp->af, &cp->daddr, &cp->vaddr,
				 th->source, cp->vport);
		th->source = cp->vport;
	}
	return true;
}

static inline bool ipvs_udp_nat(struct sk_buff *skb, const struct ipvs_conn *cp,
				const struct ipvs_iphdr *iph, bool in)
{
	struct udphdr *uh = (struct udphdr *)(skb->data + iph->len);
	const union nf_inet_addr *oa = in ? &cp->vaddr : &cp->daddr;
	const union nf_inet_addr *na = in ? &cp->daddr : &cp->vaddr;
	__be16 *port = in ? &uh->dest : &uh->source;
	__be16 np = in ? cp->dport : cp->vport;

	/* An IPv4 datagram without checksum keeps none. */
	if (cp->af == AF_INET6 || uh->check || skb->ip_summed == CHECKSUM_PARTIAL) {
		ipvs_nat_l4_csum(skb, &uh->check, cp->af, oa, na, *port, np);
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
	*port = np;
	return true;
}

/* pp->nat(), without the indirect call for TCP and UDP. */
static __always_inline bool ipvs_l4_nat(const struct ipvs_proto *pp, struct sk_buff *skb,
					const struct ipvs_conn *cp,
					const struct ipvs_iphdr *iph, bool in)
{
	if (iph->protocol == IPPROTO_TCP)
		return ipvs_tcp_nat(skb, cp, iph, in);
	if (iph->protocol == IPPROTO_UDP)
		return ipvs_udp_nat(skb, cp, iph, in);
	return pp->nat(skb, cp, iph, in);
}

/* Transmitters (xmit_nat.c). @local: LOCAL_OUT hook (continue, not steal). */
struct ipvs_xmit_ops {
	unsigned int (*xmit)(struct ipvs_dp_net *dp, struct sk_buff *skb,
			     struct ipvs_conn *cp, const struct ipvs_proto *pp,
			     const struct ipvs_iphdr *iph, bool local);
	/* Replies come back through us and are rewritten (NAT only). */
	bool	handles_replies;
};

extern const struct ipvs_xmit_ops *const ipvs_xmit_table[IP_VS_CONN_F_FWD_MASK + 1];

/* The transmitter of forwarding method @fwd (IP_VS_CONN_F_*), or NULL. */
static inline const struct ipvs_xmit_ops *ipvs_xmit_ops_get(unsigned int fwd)
{
	return ipvs_xmit_table[fwd & IP_VS_CONN_F_FWD_MASK];
}
unsigned int ipvs_nat_xmit_icmp(struct ipvs_dp_net *dp, struct sk_buff *skb,
				struct ipvs_conn *cp, bool local);
/* nfct.c: the conntrack entry of packets IPVS handles. */
void ipvs_notrack(struct sk_buff *skb);
void ipvs_nfct_after_xmit_ct(struct sk_buff *skb, const struct ipvs_conn *cp, bool outin);

/* The last thing done to a packet IPVS has rewritten or forwarded: mark it
 * ours; its conntrack entry, if any, is updated or detached (nfct.c).
 */
static inline void ipvs_nfct_after_xmit(struct sk_buff *skb, const struct ipvs_conn *cp,
					bool outin)
{
	skb->ipvs_property = 1;
	if (skb_get_nfct(skb) & NFCT_PTRMASK)
		ipvs_nfct_after_xmit_ct(skb, cp, outin);
}
bool ipvs_nfct_stale(struct sk_buff *skb, const struct ipvs_conn *cp);
bool ipvs_nfct_reuse(struct sk_buff *skb, struct ipvs_conn *cp);
void ipvs_nfct_drop(struct ipvs_dp_net *dp, const struct ipvs_conn *cp);
/* snat_route.c: route a reply again by its new source (snat_reroute). */
int ipvs_snat_reroute(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af,
		      unsigned int hooknum);

/* icmp.c: ICMP errors about connections, both directions. */
unsigned int ipvs_in_icmp(struct ipvs_dp_net *dp, struct sk_buff *skb,
			  const struct ipvs_iphdr *iph, unsigned int hooknum, bool *related);
unsigned int ipvs_out_icmp(struct ipvs_dp_net *dp, struct sk_buff *skb,
			   const struct ipvs_iphdr *iph, unsigned int hooknum, bool *related);
void ipvs_icmp_count(struct ipvs_dp_net *dp, struct ipvs_conn *cp, bool out, unsigned int len);

/* hooks.c: parse the network and transport headers at @off. */
bool ipvs_iph_parse(u16 af, struct sk_buff *skb, int off, struct ipvs_iphdr *iph);

#endif /* _IPVS_PROTO_H */
