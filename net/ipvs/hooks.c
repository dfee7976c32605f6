// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks and the per-packet entry points of the data plane.
 *
 * Hook placement (IPv4 and IPv6 alike), as upstream IPVS places its hooks so
 * that both coexist with nf_conntrack, NAT and filtering in the same way:
 *
 *   LOCAL_IN  NAT_SRC - 1  ipvs_local_hook  client -> VIP: schedule, DNAT,
 *                          transmit to the real server; and replies from
 *                          real servers to a local client (the director
 *                          talking to its own VIP)
 *   LOCAL_OUT NAT_DST + 1  ipvs_local_hook  local clients -> VIP, and
 *                          replies from a real server that is this host
 *   FORWARD   100          ipvs_reply_hook  real server -> remote client:
 *                          SNAT back to the VIP (the usual NAT reply path)
 *
 * Upstream has two hooks where ours has ipvs_local_hook, replies at
 * NAT_SRC - 2 and NAT_DST + 1, requests just after; one hook that looks
 * the packet up as a request first saves the client's packets a lookup
 * that misses (ipvs_local()).
 *
 * Why there: requests are taken in LOCAL_IN, after the filter table's
 * INPUT chain (priority 0) ran, so firewall rules apply to VIP traffic, and
 * before NAT's SNAT hook (NAT_SRC = 100) and conntrack's confirmation (last),
 * so the client -> VIP conntrack entry is never confirmed. Replies are taken
 * in FORWARD at 100, after the filter table's FORWARD chain. Both directions
 * are detached from conntrack (untracked) once IPVS owns them, so
 * nf_conntrack and iptables/nftables NAT rules (MASQUERADE...) leave them
 * alone, unless the "conntrack" sysctl asks to keep the entries (nfct.c).
 * Packets IPVS has rewritten carry skb->ipvs_property and are
 * ignored by our own hooks when they go through LOCAL_OUT again (a trip
 * skipped when ours is the only LOCAL_OUT hook: ipvs_local_out()).
 *
 * Fragments: IPv4 ones are gathered by the hooks themselves, as upstream
 * does (ipvs_defrag4()): requests reach LOCAL_IN already reassembled
 * by the local delivery, so only forwarded replies and the rare fragmented
 * local packet need it, and the namespace's other traffic keeps a
 * PRE_ROUTING without any hook. IPv6 fragments are reassembled by
 * nf_defrag_ipv6, enabled for the namespace together with the hooks (the
 * stock module does the same for its IPv6 services).
 *
 * Upstream also hooks FORWARD at 99 to catch ICMP errors addressed to a
 * non-local VIP (fwmark services for DR/TUN routers); with NAT to a local
 * VIP those arrive in LOCAL_IN, so that hook is left out for now.
 *
 * The hooks are registered per namespace when its first service is added
 * (ipvs_dp_enable), so namespaces without IPVS pay nothing, and removed at
 * namespace exit. The packet path takes rcu_read_lock (held by netfilter)
 * and nothing else, except the connection's own spinlock for TCP state
 * changes. LOCAL_OUT hooks may run in process context: there they disable
 * BHs so the per-CPU counters and cp->lock see a single context per CPU.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/tcp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/icmp.h>
#include <net/tcp.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>
#include <ipvs/sched.h>

/*
 * An IPv4 fragment of a protocol we handle is reassembled here, as the
 * local delivery would, so that ports and checksums can be rewritten (BHs
 * are disabled by the hook functions). It is done before the ports are
 * parsed: a first fragment too short to hold them must still be gathered.
 * True when the hook must return *verdict: the reassembly kept the
 * fragment, or the packet cannot be parsed. Otherwise @iph describes the
 * whole datagram (or the fragment, for other protocols).
 */
static bool ipvs_defrag4(struct ipvs_dp_net *dp, struct sk_buff *skb, unsigned int hooknum,
			 struct ipvs_iphdr *iph, unsigned int *verdict)
{
	u32 user = hooknum == NF_INET_LOCAL_IN ? IP_DEFRAG_VS_IN :
		   hooknum == NF_INET_FORWARD ? IP_DEFRAG_VS_FWD : IP_DEFRAG_VS_OUT;
	u8 proto = ip_hdr(skb)->protocol;

	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	     proto == IPPROTO_ICMP) && ip_defrag(dp->net, skb, user)) {
		*verdict = NF_STOLEN;
		return true;
	}
	*verdict = NF_ACCEPT;
	return !ipvs_iph_parse(AF_INET, skb, 0, iph);
}

/* Parse the IP header at @off and the ports of the transport header. */
bool ipvs_iph_parse(u16 af, struct sk_buff *skb, int off, struct ipvs_iphdr *iph)
{
	__be16 _ports[2];
	const __be16 *ports;

	iph->af = af;
	iph->flags = off ? IPVS_IPH_F_ICMP_INNER : 0;
	iph->fragoffs = 0;
	iph->sport = 0;
	iph->dport = 0;

	if (af == AF_INET6) {
		struct ipv6hdr _h;
		const struct ipv6hdr *h = skb_header_pointer(skb, off, sizeof(_h), &_h);
		unsigned short fragoff = 0;
		unsigned int thoff = off;
		int flags = 0, proto;

		if (!h || h->version != 6)
			return false;
		iph->saddr.in6 = h->saddr;
		iph->daddr.in6 = h->daddr;
		proto = ipv6_find_hdr(skb, &thoff, -1, &fragoff, &flags);
		if (proto < 0)
			return false;
		iph->protocol = proto;
		iph->len = thoff;
		if (fragoff) {
			iph->fragoffs = fragoff;
			iph->flags |= IPVS_IPH_F_FRAG;
			return true;
		}
	} else {
		struct iphdr _h;
		const struct iphdr *h = skb_header_pointer(skb, off, sizeof(_h), &_h);

		if (!h || h->version != 4 || h->ihl < 5)
			return false;
		iph->saddr.ip = h->saddr;
		iph->daddr.ip = h->daddr;
		iph->protocol = h->protocol;
		iph->len = off + h->ihl * 4;
		if (h->frag_off & htons(IP_OFFSET)) {
			iph->flags |= IPVS_IPH_F_FRAG;
			return true;
		}
	}

	if (iph->protocol == IPPROTO_TCP || iph->protocol == IPPROTO_UDP ||
	    iph->protocol == IPPROTO_SCTP) {
		ports = skb_header_pointer(skb, iph->len, sizeof(_ports), _ports);
		if (!ports)
			return false;
		iph->sport = ports[0];
		iph->dport = ports[1];
	}
	return true;
}

static __always_inline void ipvs_conn_count_pkt(struct ipvs_dp_net *dp, struct ipvs_conn *cp,
						bool out, unsigned int len)
{
	struct ipvs_dest *dest = cp->dest;
	struct ipvs_service *svc;

	/* As upstream: a removed destination's traffic is not counted. */
	if (!(READ_ONCE(dest->flags) & IP_VS_DEST_F_AVAILABLE))
		return;
	ipvs_stats_pkt(&dest->stats, out, len);
	svc = rcu_dereference(dest->svc);
	if (svc)
		ipvs_stats_pkt(&svc->stats, out, len);
	ipvs_stats_pkt(&dp->ipvs->tot_stats, out, len);
}

/* Is @addr:@port a NAT real server of some service (nat_icmp_send)? */
static bool ipvs_is_nat_real_server(struct ipvs_net *ipvs, u16 af, u8 proto,
				    const union nf_inet_addr *addr, __be16 port)
{
	struct ipvs_service *svc;
	struct ipvs_dest *dest;
	int i;

	ipvs_for_each_service(ipvs, svc, i) {
		if (!svc->fwmark && svc->protocol != proto)
			continue;
		list_for_each_entry_rcu(dest, &svc->destinations, n_list) {
			if (dest->af == af && dest->port == port &&
			    (atomic_read(&dest->conn_flags) & IP_VS_CONN_F_FWD_MASK) ==
			    IP_VS_CONN_F_MASQ && ipvs_addr_equal(af, &dest->addr, addr))
				return true;
		}
	}
	return false;
}

static bool ipvs_is_tcp_rst(struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	struct tcphdr _th;
	const struct tcphdr *th;

	if (iph->protocol != IPPROTO_TCP)
		return false;
	th = skb_header_pointer(skb, iph->len, sizeof(_th), &_th);
	return !th || th->rst;
}

/* No server for the client: tell it, as upstream does, and drop. */
static unsigned int ipvs_leave(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af)
{
	if (!skb->dev)
		skb->dev = dp->net->loopback_dev;
	if (af == AF_INET6)
		icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
	else
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	return NF_DROP;
}

/* A packet without a connection: schedule it if it is for a service. */
static unsigned int ipvs_try_schedule(struct ipvs_dp_net *dp, struct sk_buff *skb,
				      const struct ipvs_iphdr *iph, const struct ipvs_proto *pp,
				      struct ipvs_conn **cpp)
{
	struct ipvs_service *svc;
	bool leave;

	*cpp = NULL;
	svc = ipvs_service_find_pkt(dp->ipvs, iph->af, skb->mark, iph->protocol, &iph->daddr,
				    iph->dport);
	if (!svc)
		return NF_ACCEPT;
	/* Not the start of a flow (TCP without SYN): the local stack answers. */
	if (!pp->conn_schedule(dp, skb, iph))
		return NF_ACCEPT;

	*cpp = ipvs_conn_schedule(dp, svc, skb, iph, &leave);
	if (*cpp)
		return NF_ACCEPT;
	if (!leave)
		return NF_DROP;
	/* An FTP service also sees the VIP's other ports: not ours to refuse. */
	if (svc->port == htons(21) && iph->dport != htons(21))
		return NF_ACCEPT;
	return ipvs_leave(dp, skb, iph->af);
}

/*
 * The common IPv4 packet: not a fragment, its header and ports in the
 * linear area. False: anything else, for ipvs_iph_parse() to judge.
 */
static __always_inline bool ipvs_iph_parse4_linear(struct sk_buff *skb,
						   struct ipvs_iphdr *iph)
{
	const struct iphdr *h = (const struct iphdr *)skb->data;
	unsigned int len;

	if (unlikely(skb_headlen(skb) < sizeof(*h) || h->version != 4 || h->ihl < 5))
		return false;
	len = h->ihl * 4;
	iph->af = AF_INET;
	iph->flags = 0;
	iph->fragoffs = 0;
	iph->saddr.ip = h->saddr;
	iph->daddr.ip = h->daddr;
	iph->protocol = h->protocol;
	iph->len = len;
	if (h->protocol == IPPROTO_TCP || h->protocol == IPPROTO_UDP ||
	    h->protocol == IPPROTO_SCTP) {
		const __be16 *ports = (const __be16 *)(skb->data + len);

		if (unlikely(skb_headlen(skb) < len + 2 * sizeof(__be16)))
			return false;
		iph->sport = ports[0];
		iph->dport = ports[1];
		if (h->protocol == IPPROTO_TCP &&
		    skb_headlen(skb) >= len + sizeof(struct tcphdr)) {
			iph->tcpflags = tcp_flag_byte((const struct tcphdr *)ports);
			iph->flags = IPVS_IPH_F_TCPFL;
		}
	} else {
		iph->sport = 0;
		iph->dport = 0;
	}
	return true;
}

/* Parse (IPv4 fragments: gather) the packet. True when the hook must
 * return *verdict at once.
 */
static __always_inline bool ipvs_parse(struct ipvs_dp_net *dp, u16 af, struct sk_buff *skb,
				       unsigned int hooknum, struct ipvs_iphdr *iph,
				       unsigned int *verdict)
{
	if (af == AF_INET) {
		if (unlikely(ip_is_fragment(ip_hdr(skb))))
			return ipvs_defrag4(dp, skb, hooknum, iph, verdict);
		*verdict = NF_ACCEPT;
		if (likely(ipvs_iph_parse4_linear(skb, iph)))
			return false;
		return !ipvs_iph_parse(af, skb, 0, iph);
	}
	*verdict = NF_ACCEPT;
	return !ipvs_iph_parse(af, skb, 0, iph);
}

/* A request: @cp is its connection, or NULL to schedule a new one. */
static unsigned int ipvs_in_conn(struct ipvs_dp_net *dp, struct sk_buff *skb,
				 const struct ipvs_iphdr *iph, const struct ipvs_proto *pp,
				 struct ipvs_conn *cp, unsigned int hooknum)
{
	const struct ipvs_xmit_ops *xo;
	unsigned int verdict;
	int reuse;

	/* A new flow reusing the ports of an old one that is closing. */
	reuse = READ_ONCE(dp->sysctl.conn_reuse_mode);
	if (cp && reuse && pp->is_new_conn(skb, iph)) {
		if ((READ_ONCE(dp->sysctl.expire_nodest_conn) &&
		     !atomic_read(&cp->dest->weight)) || pp->conn_reusable(cp, reuse)) {
			bool old_ct = ipvs_nfct_reuse(skb, cp);

			ipvs_conn_expire_now(dp, cp);
			if (old_ct)
				return NF_DROP;
			cp = NULL;
		}
	}

	/* The connection's real server was removed. */
	if (cp && !(READ_ONCE(cp->dest->flags) & IP_VS_DEST_F_AVAILABLE)) {
		if (!READ_ONCE(dp->sysctl.expire_nodest_conn))
			return NF_DROP;
		ipvs_conn_expire_now(dp, cp);
		cp = NULL;
	}

	if (!cp) {
		verdict = ipvs_try_schedule(dp, skb, iph, pp, &cp);
		if (!cp)
			return verdict;
		if (ipvs_nfct_stale(skb, cp)) {
			ipvs_conn_expire_now(dp, cp);
			return NF_DROP;
		}
	}

	ipvs_conn_count_pkt(dp, cp, false, skb->len);
	pp->state_transition(dp, cp, IPVS_DIR_INPUT, skb, iph);
	ipvs_conn_touch(cp);

	xo = ipvs_xmit_ops_get(ipvs_conn_fwd(cp));
	if (!xo) {
		net_info_ratelimited("IPVS: forwarding method %u not supported, dropping\n",
				     ipvs_conn_fwd(cp));
		verdict = NF_DROP;
	} else {
		verdict = xo->xmit(dp, skb, cp, pp, iph, hooknum == NF_INET_LOCAL_OUT);
	}
	if (cp->flags & IP_VS_CONN_F_ONE_PACKET)
		ipvs_conn_release_ops(cp);
	return verdict;
}

/* Rewrite a reply of a NAT connection: the real server becomes the VIP. */
static unsigned int ipvs_handle_response(struct ipvs_dp_net *dp, struct sk_buff *skb,
					 struct ipvs_conn *cp, const struct ipvs_proto *pp,
					 const struct ipvs_iphdr *iph, unsigned int hooknum)
{
	if (ipvs_skb_writable(skb, iph->len + pp->hdr_len))
		return NF_DROP;
	if (!ipvs_l4_nat(pp, skb, cp, iph, false))
		return NF_DROP;

	if (cp->af == AF_INET6) {
		ipv6_hdr(skb)->saddr = cp->vaddr.in6;
	} else {
		struct iphdr *h = ip_hdr(skb);

		csum_replace4(&h->check, h->saddr, cp->vaddr.ip);
		h->saddr = cp->vaddr.ip;
	}

	if (ipvs_snat_reroute(dp, skb, cp->af, hooknum))
		return NF_DROP;

	ipvs_conn_count_pkt(dp, cp, true, skb->len);
	pp->state_transition(dp, cp, IPVS_DIR_OUTPUT, skb, iph);
	ipvs_conn_touch(cp);

	ipvs_nfct_after_xmit(skb, cp, false);
	return NF_ACCEPT;
}

/* A reply, if it belongs to a connection; *found says whether this packet
 * was dealt with (a reply, or refused by nat_icmp_send).
 */
static unsigned int ipvs_out_conn(struct ipvs_dp_net *dp, struct sk_buff *skb,
				  const struct ipvs_iphdr *iph, const struct ipvs_proto *pp,
				  unsigned int hooknum, bool *found)
{
	const struct ipvs_xmit_ops *xo;
	struct ipvs_conn *cp;

	*found = true;
	cp = ipvs_conn_out_get(dp, iph->af, iph->protocol, &iph->daddr, iph->dport,
			       &iph->saddr, iph->sport);
	if (!cp) {
		if (READ_ONCE(dp->sysctl.nat_icmp_send) && !ipvs_is_tcp_rst(skb, iph) &&
		    ipvs_is_nat_real_server(dp->ipvs, iph->af, iph->protocol, &iph->saddr,
					    iph->sport))
			return ipvs_leave(dp, skb, iph->af);
		*found = false;
		return NF_ACCEPT;
	}
	xo = ipvs_xmit_ops_get(ipvs_conn_fwd(cp));
	if (!xo || !xo->handles_replies)
		return NF_ACCEPT;
	return ipvs_handle_response(dp, skb, cp, pp, iph, hooknum);
}

/* Can a packet be a reply: is there a connection, or may one from a real
 * server that matches none have to be refused (nat_icmp_send)?
 */
static __always_inline bool ipvs_replies_possible(struct ipvs_dp_net *dp)
{
	return ipvs_conn_count(dp) || READ_ONCE(dp->sysctl.nat_icmp_send);
}

/* A bare SYN opens a flow and is never a connection's reply; it is still
 * looked up as one when nat_icmp_send may have to refuse it. This saves
 * the new connection's first packet a lookup.
 */
static __always_inline bool ipvs_may_be_reply(struct ipvs_dp_net *dp,
					      const struct ipvs_iphdr *iph)
{
	return !(iph->flags & IPVS_IPH_F_TCPFL) ||
	       (iph->tcpflags & (TCPHDR_SYN | TCPHDR_ACK)) != TCPHDR_SYN ||
	       READ_ONCE(dp->sysctl.nat_icmp_send);
}

static bool ipvs_is_icmp(const struct ipvs_iphdr *iph)
{
	return iph->protocol == (iph->af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
}

/* FORWARD: only replies, from real servers to remote clients. */
static unsigned int ipvs_out(struct ipvs_dp_net *dp, u16 af, struct sk_buff *skb,
			     unsigned int hooknum)
{
	const struct ipvs_proto *pp;
	struct ipvs_iphdr iph;
	unsigned int verdict;
	bool found;

	if (!ipvs_replies_possible(dp))
		return NF_ACCEPT;
	if (ipvs_parse(dp, af, skb, hooknum, &iph, &verdict))
		return verdict;
	if (ipvs_is_icmp(&iph)) {
		verdict = ipvs_out_icmp(dp, skb, &iph, hooknum, &found);
		return found ? verdict : NF_ACCEPT;
	}
	pp = ipvs_proto_get(iph.protocol);
	if (!pp || (iph.flags & IPVS_IPH_F_FRAG))
		return NF_ACCEPT;
	return ipvs_out_conn(dp, skb, &iph, pp, hooknum, &found);
}

/* LOCAL_IN and LOCAL_OUT see both directions: a request of a known
 * connection, a reply of one, or a new request. The request lookup goes
 * first, so that the common packet, a client's to a VIP, costs one lookup;
 * then the reply lookup, then scheduling. ICMP errors are tried as replies
 * first, then as requests. (Upstream runs two hooks here, replies first: a
 * packet that matched a connection both ways, which needs a client using a
 * real server's address and port, would go the other way there.)
 */
static unsigned int ipvs_local(struct ipvs_dp_net *dp, u16 af, struct sk_buff *skb,
			       unsigned int hooknum)
{
	bool in_ok = (skb->pkt_type == PACKET_HOST || hooknum == NF_INET_LOCAL_OUT) &&
		     skb_dst(skb);
	bool any = ipvs_replies_possible(dp), found;
	const struct ipvs_proto *pp;
	struct ipvs_iphdr iph;
	struct ipvs_conn *cp;
	unsigned int verdict;

	if (!in_ok && !any)
		return NF_ACCEPT;
	if (ipvs_parse(dp, af, skb, hooknum, &iph, &verdict))
		return verdict;
	if (ipvs_is_icmp(&iph)) {
		if (any) {
			verdict = ipvs_out_icmp(dp, skb, &iph, hooknum, &found);
			if (found)
				return verdict;
		}
		if (in_ok) {
			verdict = ipvs_in_icmp(dp, skb, &iph, hooknum, &found);
			if (found)
				return verdict;
		}
		return NF_ACCEPT;
	}
	pp = ipvs_proto_get(iph.protocol);
	if (!pp || (iph.flags & IPVS_IPH_F_FRAG))
		return NF_ACCEPT;

	cp = NULL;
	if (in_ok && any)
		cp = ipvs_conn_in_get(dp, af, iph.protocol, &iph.saddr, iph.sport, &iph.daddr,
				      iph.dport);
	if (!cp && any && ipvs_may_be_reply(dp, &iph)) {
		verdict = ipvs_out_conn(dp, skb, &iph, pp, hooknum, &found);
		if (found)
			return verdict;
	}
	return in_ok ? ipvs_in_conn(dp, skb, &iph, pp, cp, hooknum) : NF_ACCEPT;
}

/* Our own packets come back to the hooks: ignored first of all. Softirq
 * mostly, with BHs off already; but LOCAL_OUT and a verdict re-injected
 * from NFQUEUE run in process context, where the per-CPU data (stats,
 * reply routes) and ip_defrag() need BHs off. @priv is the namespace's
 * ipvs_dp_net (ipvs_hooks_enable()).
 */
static __always_inline unsigned int
ipvs_hook_run(unsigned int (*fn)(struct ipvs_dp_net *dp, u16 af, struct sk_buff *skb,
				 unsigned int hooknum),
	      void *priv, struct sk_buff *skb, const struct nf_hook_state *state)
{
	unsigned int verdict;
	bool bh_on;

	if (skb->ipvs_property)
		return NF_ACCEPT;
	bh_on = !in_softirq();
	if (bh_on)
		local_bh_disable();
	verdict = fn(priv, state->pf, skb, state->hook);
	if (bh_on)
		local_bh_enable();
	return verdict;
}

unsigned int ipvs_local_hook(void *priv, struct sk_buff *skb, const struct nf_hook_state *state)
{
	return ipvs_hook_run(ipvs_local, priv, skb, state);
}

static unsigned int ipvs_reply_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	return ipvs_hook_run(ipvs_out, priv, skb, state);
}

/* Both families, same hooks and priorities (see the top of the file); the
 * first IPVS_NHOOKS are IPv4's.
 */
#define IPVS_HOOK(fn, fam, hnum, prio) \
	{ .hook = fn, .pf = fam, .hooknum = hnum, .priority = prio }
#define IPVS_NHOOKS 3

static const struct nf_hook_ops ipvs_ops[] = {
	IPVS_HOOK(ipvs_local_hook, NFPROTO_IPV4, NF_INET_LOCAL_IN, NF_IP_PRI_NAT_SRC - 1),
	IPVS_HOOK(ipvs_local_hook, NFPROTO_IPV4, NF_INET_LOCAL_OUT, NF_IP_PRI_NAT_DST + 1),
	IPVS_HOOK(ipvs_reply_hook, NFPROTO_IPV4, NF_INET_FORWARD, 100),
	IPVS_HOOK(ipvs_local_hook, NFPROTO_IPV6, NF_INET_LOCAL_IN, NF_IP6_PRI_NAT_SRC - 1),
	IPVS_HOOK(ipvs_local_hook, NFPROTO_IPV6, NF_INET_LOCAL_OUT, NF_IP6_PRI_NAT_DST + 1),
	IPVS_HOOK(ipvs_reply_hook, NFPROTO_IPV6, NF_INET_FORWARD, 100),
};

static bool ipvs_v6(void)
{
	return ipv6_mod_enabled();
}

/* Hooks registered: both families' or IPv4's alone. */
static unsigned int ipvs_nhooks(void)
{
	return ipvs_v6() ? ARRAY_SIZE(ipvs_ops) : IPVS_NHOOKS;
}

/* Under ipvs->lock (first service of the namespace). */
int ipvs_hooks_enable(struct ipvs_dp_net *dp)
{
	unsigned int i, n = ipvs_nhooks();
	struct net *net = dp->net;
	struct nf_hook_ops *ops;
	int ret;

	lockdep_assert_held(&dp->ipvs->lock);

	if (dp->hook_ops)
		return 0;

	/* The hooks find the namespace's data in their priv, not through
	 * net_generic() (an RCU section and a call per packet).
	 */
	ops = kmemdup(ipvs_ops, sizeof(ipvs_ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		ops[i].priv = dp;

	if (ipvs_v6()) {
		ret = nf_defrag_ipv6_enable(net);
		if (ret)
			goto err_free;
	}
	ret = nf_register_net_hooks(net, ops, n);
	if (ret)
		goto err_defrag6;
	dp->hook_ops = ops;
	return 0;

err_defrag6:
	if (ipvs_v6())
		nf_defrag_ipv6_disable(net);
err_free:
	kfree(ops);
	return ret;
}

/* Namespace exit. Unregistering waits for packets still in our hooks. */
void ipvs_hooks_disable(struct ipvs_dp_net *dp)
{
	struct net *net = dp->net;

	if (!dp->hook_ops)
		return;
	nf_unregister_net_hooks(net, dp->hook_ops, ipvs_nhooks());
	if (ipvs_v6())
		nf_defrag_ipv6_disable(net);
	kfree(dp->hook_ops);
	dp->hook_ops = NULL;
}
