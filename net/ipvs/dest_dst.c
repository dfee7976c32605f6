// SPDX-License-Identifier: GPL-2.0
/*
 * The route cache of a destination: the route to its real server, looked
 * up once and reused by every packet sent there, instead of a FIB lookup
 * per packet (and, for DR's known-next-hop routes, a route allocated per
 * packet).
 *
 * What is cached: one struct ipvs_dest_dst per destination, holding a
 * reference on the route (dst), the cookie dst_check() validates it with
 * (IPv6 FIB serial number; 0 for IPv4, whose routes carry a generation),
 * whether the real server is this host, the source address the route picks
 * (tunnels), and the key it was looked up with: skb->mark, the IPv4 TOS
 * and the IPVS_RT_* flags. A packet with another key (policy routing by
 * mark or TOS, a connection of the other forwarding method after an edit)
 * gets a lookup of its own and leaves the cache alone, so mixed traffic
 * cannot make it thrash.
 *
 * Validity: every use checks the route with dst_check(), which fails once
 * the route is obsolete (FIB change, route or PMTU exception added, device
 * down or gone: the kernel marks such routes, and moves a vanishing
 * device's routes onto the blackhole device, so a cached route never pins
 * a device). A failed check, like an empty cache, makes the packet look
 * the route up and install the result.
 *
 * Locking rules:
 *
 *  - dest->dst_cache is an RCU pointer. Readers are the packet path, under
 *    rcu_read_lock(); the route they borrow (ipvs_rt.noref) is attached to
 *    the packet with skb_dst_set_noref(), which the stack turns into a
 *    reference (skb_dst_force()) before the packet can leave the RCU
 *    section (queues, qdiscs).
 *  - Writers replace the pointer with xchg(): no lock, the last one wins,
 *    and each frees what it took out after a grace period (call_rcu), which
 *    is when the route reference is dropped. Writers are the packet path
 *    (refresh) and, under ipvs->lock, the control plane (reset when a
 *    destination is added, edited or deleted) and the device notifier
 *    (dp.c: every cache of the namespace when one of its devices goes down
 *    or away).
 *  - The final release happens when the destination itself is freed (its
 *    own RCU callback: no reader can reach it any more).
 */
#include <linux/slab.h>
#include <net/dst.h>
#include <ipvs/conn.h>
#include <ipvs/xmit.h>

static void ipvs_dest_dst_free(struct ipvs_dest_dst *dd)
{
	dst_release(dd->dst);
	kfree(dd);
}

static void ipvs_dest_dst_free_rcu(struct rcu_head *head)
{
	ipvs_dest_dst_free(container_of(head, struct ipvs_dest_dst, rcu));
}

static void ipvs_dest_dst_replace(struct ipvs_dest *dest, struct ipvs_dest_dst *dd)
{
	struct ipvs_dest_dst *old;

	old = unrcu_pointer(xchg(&dest->dst_cache, RCU_INITIALIZER(dd)));
	if (old)
		call_rcu(&old->rcu, ipvs_dest_dst_free_rcu);
}

/* ipvs_route_dest() (xmit.h) when the cache cannot answer at a glance.
 * Under rcu_read_lock(), BHs disabled.
 */
bool ipvs_route_dest_slow(struct net *net, struct sk_buff *skb, struct ipvs_dest *dest,
			  unsigned int flags, struct ipvs_rt *rt)
{
	u8 tos = ipvs_route_tos(skb, dest->af);
	struct ipvs_dest_dst *dd;
	u32 cookie;

	dd = rcu_dereference(dest->dst_cache);
	if (likely(dd)) {
		bool valid = dst_check(dd->dst, dd->cookie);

		if (likely(valid && dd->mark == skb->mark && dd->tos == tos &&
			   dd->flags == flags)) {
			rt->dst = dd->dst;
			rt->saddr = dd->saddr;
			rt->local = dd->local;
			rt->noref = true;
			return true;
		}
		/* Good for the packets it was made for: not this one's. */
		if (valid)
			return ipvs_route(net, skb, dest->af, &dest->addr, flags, rt, NULL);
	}

	if (!ipvs_route(net, skb, dest->af, &dest->addr, flags, rt, &cookie))
		return false;
	dd = kmalloc(sizeof(*dd), GFP_ATOMIC);
	if (!dd)
		return true;	/* this packet's own route, then */
	dd->dst = rt->dst;	/* the cache takes our reference */
	dd->cookie = cookie;
	dd->mark = skb->mark;
	dd->tos = tos;
	dd->flags = flags;
	dd->local = rt->local;
	dd->saddr = rt->saddr;
	ipvs_dest_dst_replace(dest, dd);
	/* Even if another CPU replaces it at once, it is freed after a grace
	 * period, and we are inside the read-side section.
	 */
	rt->noref = true;
	return true;
}

/* Forget the cached route (the destination was added, edited or deleted). */
void ipvs_dest_dst_reset(struct ipvs_dest *dest)
{
	ipvs_dest_dst_replace(dest, NULL);
}

/*
 * A device of the namespace went down or away: forget every cached route.
 * Not every route lets go of its device when that goes (an IPv6
 * known-next-hop clone keeps its FIB entry alive, and the entry its
 * device), so a cached one could hold the device, and the namespace's
 * teardown, forever; upstream drops its cached routes on such events too.
 */
void ipvs_dest_dst_flush(struct ipvs_net *ipvs)
{
	struct ipvs_service *svc;
	struct ipvs_dest *dest;
	int i;

	lockdep_assert_held(&ipvs->lock);

	ipvs_for_each_service(ipvs, svc, i)
		list_for_each_entry(dest, &svc->destinations, n_list)
			ipvs_dest_dst_reset(dest);
	ipvs_for_each_trashed(ipvs, dest, i)
		ipvs_dest_dst_reset(dest);
}

/* The destination is being freed, a grace period after the last reader. */
void ipvs_dest_dst_release(struct ipvs_dest *dest)
{
	struct ipvs_dest_dst *dd = rcu_dereference_protected(dest->dst_cache, 1);

	if (dd)
		ipvs_dest_dst_free(dd);
	RCU_INIT_POINTER(dest->dst_cache, NULL);
}
