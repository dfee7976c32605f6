// SPDX-License-Identifier: GPL-2.0
/*
 * Routing a NAT reply again once its source is the VIP (sysctl
 * snat_reroute, 1 by default, as upstream), so that policy routing on the
 * VIP applies to it: only replies leaving the host (FORWARD, LOCAL_OUT).
 * In a namespace that has never had a policy rule, an IPv4 reply keeps
 * the route it was forwarded on, which is what the lookup would return
 * (ipvs_snat_rules()).
 *
 * ip_route_me_harder() costs a FIB lookup and an IPsec session decode per
 * reply. For an IPv4 reply that no local socket sent, in a namespace
 * without IPsec output policies (nor a blocking default), without rules
 * on ports and without neighbour-driven multipath, what it computes
 * depends only on the flow key it builds (daddr, saddr, TOS, mark, L3
 * master device; a multipath hash is a function of the same key) and on
 * the FIB's state,
 * which the route's own validity check (dst_check()) follows: every FIB or
 * rule change, new PMTU exception or device event makes it fail. So each
 * CPU keeps the last route it looked up with its key and gives it to the
 * next reply with the same key while it is valid; any other reply takes
 * ip_route_me_harder() (or ip6_route_me_harder()) as before.
 *
 * Locking rules:
 *
 *  - dp->snat_rt is per CPU, used only by its CPU, with BHs disabled
 *    (our hook functions disable them for every hook), so no lock. The one
 *    exception is the route pointer, which the device notifier (dp.c) may
 *    take away from any CPU: it is swapped with xchg() on both sides.
 *  - A reused route is attached without a reference (skb_dst_set_noref())
 *    inside the hook's RCU read-side section; the stack takes a reference
 *    before a packet can leave it (queues). Replacing the route drops the
 *    cache's reference: dst_release() frees only after a grace period.
 *  - The routes are released at namespace exit, after the hooks are gone.
 */
#include <linux/ip.h>
#include <net/dst.h>
#include <net/ip6_route.h>
#include <net/l3mdev.h>
#include <net/route.h>
#include <net/xfrm.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>

struct ipvs_snat_rt {
	struct dst_entry	*dst;	/* holds a reference, or NULL */
	__be32			daddr;
	__be32			saddr;
	u32			mark;
	int			l3mdev;
	u8			tos;
};

int ipvs_snat_route_init(struct ipvs_dp_net *dp)
{
	dp->snat_rt = alloc_percpu(struct ipvs_snat_rt);
	return dp->snat_rt ? 0 : -ENOMEM;
}

/* A device of the namespace went down or away (see dest_dst.c): drop
 * every CPU's route. Under RTNL.
 */
void ipvs_snat_route_flush(struct ipvs_dp_net *dp)
{
	int cpu;

	if (!dp->snat_rt)
		return;
	for_each_possible_cpu(cpu)
		dst_release(xchg(&per_cpu_ptr(dp->snat_rt, cpu)->dst, NULL));
}

/* Namespace exit, the hooks unregistered. */
void ipvs_snat_route_uninit(struct ipvs_dp_net *dp)
{
	ipvs_snat_route_flush(dp);
	free_percpu(dp->snat_rt);
	dp->snat_rt = NULL;
}

/*
 * May a reply without a socket reuse a route looked up with the same key?
 * Not if IPsec has a say in its route, if rules look at its ports, or if
 * multipath routes pick their path by the state of the neighbours.
 */
static bool ipvs_snat_rt_reusable(struct net *net)
{
#ifdef CONFIG_XFRM
	if (READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_OUT]) ||
	    READ_ONCE(net->xfrm.policy_default[XFRM_POLICY_OUT]) != XFRM_USERPOLICY_ACCEPT)
		return false;
#endif
#ifdef CONFIG_IP_ROUTE_MULTIPATH
	if (READ_ONCE(net->ipv4.sysctl_fib_multipath_use_neigh))
		return false;
#endif
#ifdef CONFIG_IP_MULTIPLE_TABLES
	if (READ_ONCE(net->ipv4.fib_rules_require_fldissect))
		return false;
#endif
	return true;
}

/*
 * Has the namespace ever had a policy rule (ip rule) of its own? Without
 * one, an IPv4 lookup keys on the destination (and TOS) alone: the
 * forwarding route the reply already holds is what the lookup with the
 * VIP as source would return, so it is kept. The one difference: a
 * multipath route hashes the source too, and may pick another of its
 * next hops than a lookup from the VIP would (both are valid paths; the
 * flow keeps one). The flag is never cleared once a rule was added.
 */
static bool ipvs_snat_rules(struct net *net)
{
#ifdef CONFIG_IP_MULTIPLE_TABLES
	return READ_ONCE(net->ipv4.fib_has_custom_rules);
#else
	return false;
#endif
}

/* ip_route_me_harder(net, NULL, skb, RTN_LOCAL), with the per-CPU route. */
static int ipvs_snat_reroute4(struct ipvs_dp_net *dp, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct ipvs_snat_rt *c = this_cpu_ptr(dp->snat_rt);
	int l3mdev = l3mdev_master_ifindex(skb_dst(skb)->dev);
	struct dst_entry *dst = READ_ONCE(c->dst);
	unsigned int hh_len;

	if (dst && c->daddr == iph->daddr && c->saddr == iph->saddr &&
	    c->tos == RT_TOS(iph->tos) && c->mark == skb->mark && c->l3mdev == l3mdev &&
	    dst_check(dst, 0)) {
		skb_dst_drop(skb);
		skb_dst_set_noref(skb, dst);
	} else {
		struct flowi4 fl4 = {
			.daddr = iph->daddr,
			.saddr = iph->saddr,
			.flowi4_tos = RT_TOS(iph->tos),
			.flowi4_l3mdev = l3mdev,
			.flowi4_mark = skb->mark,
			.flowi4_flags = FLOWI_FLAG_ANYSRC,
		};
		struct rtable *rt = ip_route_output_key(dp->net, &fl4);

		if (IS_ERR(rt))
			return PTR_ERR(rt);
		dst = &rt->dst;
		skb_dst_drop(skb);
		skb_dst_set(skb, dst);
		if (dst->error)
			return dst->error;

		dst_hold(dst);
		dst_release(xchg(&c->dst, dst));
		c->daddr = iph->daddr;
		c->saddr = iph->saddr;
		c->tos = RT_TOS(iph->tos);
		c->mark = skb->mark;
		c->l3mdev = l3mdev;
	}

	/* Change in oif may mean change in hh_len. */
	hh_len = dst->dev->hard_header_len;
	if (skb_headroom(skb) < hh_len &&
	    pskb_expand_head(skb, HH_DATA_ALIGN(hh_len - skb_headroom(skb)), 0, GFP_ATOMIC))
		return -ENOMEM;
	return 0;
}

/* After SNAT of a reply (see the top of the file). Non-zero: drop. */
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
	if (skb_rtable(skb)->rt_flags & RTCF_LOCAL)
		return 0;
	if (skb->sk || !ipvs_snat_rt_reusable(dp->net))
		return ip_route_me_harder(dp->net, skb->sk, skb, RTN_LOCAL);
	if (!ipvs_snat_rules(dp->net))
		return 0;
	return ipvs_snat_reroute4(dp, skb);
}
