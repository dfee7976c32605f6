// SPDX-License-Identifier: GPL-2.0
/*
 * Locality-based least-connection scheduler (ip_vs_lblc.ko).
 *
 * Remembers, per destination IP address of the packets (typically a web
 * cache's origin server), the real server it was last sent to, and keeps
 * using it while it is linked, has a positive weight and is not
 * "overloaded" in lblc's sense: more active connections than its weight
 * while some server of the service is below half of its own. Otherwise it
 * picks the weighted least-connection server and remembers that one. Note
 * that, as upstream, the cached server is kept even when its OVERLOAD flag
 * (upper threshold) is set; only fresh picks honour the flag.
 *
 * The table, its expiry (lblc_expiration sysctl) and its locking are in
 * sched_loc_tab.h, shared with lblcr. Cache entries hold a reference on
 * their server, as upstream's do, so a deleted server stays in the trash,
 * and is revived as the same cached server if re-added, until its entries
 * go.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <net/netns/generic.h>
#include "sched_conn_logic.h"
#include "sched_loc_tab.h"

static unsigned int ipvs_lblc_net_id __read_mostly;

struct ipvs_lblc_entry {
	struct ipvs_loc_entry	loc;
	struct ipvs_dest __rcu	*dest;		/* holds a reference */
	struct rcu_head		rcu;
};

static struct ipvs_lblc_entry *ipvs_lblc_entry(struct ipvs_loc_entry *e)
{
	return e ? container_of(e, struct ipvs_lblc_entry, loc) : NULL;
}

/* Chain locked. */
static void ipvs_lblc_drop(struct ipvs_loc_tab *t, struct ipvs_loc_entry *e)
{
	struct ipvs_lblc_entry *en = ipvs_lblc_entry(e);

	ipvs_loc_del(t, e);
	ipvs_sched_dest_put(rcu_dereference_protected(en->dest, 1));
	kfree_rcu(en, rcu);
}

/* Remember that @addr goes to @dest (a new entry, or a new server for it). */
static void ipvs_lblc_learn(struct ipvs_loc_state *s, u16 af,
			    const union nf_inet_addr *addr, struct ipvs_dest *dest)
{
	struct hlist_bl_head *b = ipvs_loc_bucket(&s->tab, af, addr);
	struct ipvs_lblc_entry *en;
	struct ipvs_dest *old;

	ipvs_loc_lock(b);
	if (READ_ONCE(s->tab.dead))
		goto out;

	en = ipvs_lblc_entry(ipvs_loc_find(b, af, addr));
	if (en) {
		old = rcu_dereference_protected(en->dest, 1);
		if (old != dest) {
			ipvs_sched_dest_hold(dest);
			rcu_assign_pointer(en->dest, dest);
			WRITE_ONCE(en->loc.lastuse, jiffies);
			ipvs_sched_dest_put(old);
		}
		goto out;
	}

	/* Without memory the connection still goes to @dest, uncached. */
	en = kzalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		goto out;
	ipvs_sched_dest_hold(dest);
	RCU_INIT_POINTER(en->dest, dest);
	ipvs_loc_add(&s->tab, b, &en->loc, af, addr);
out:
	ipvs_loc_unlock(b);
}

static struct ipvs_sched_state *ipvs_lblc_init_service(struct ipvs_service *svc)
{
	return ipvs_loc_state_new(svc, net_generic(svc->ipvs->net, ipvs_lblc_net_id),
				  ipvs_lblc_drop);
}

static struct ipvs_dest *ipvs_lblc_schedule(struct ipvs_service *svc,
					    struct ipvs_sched_state *st,
					    const struct sk_buff *skb,
					    const struct ipvs_iphdr *iph)
{
	struct ipvs_loc_state *s = to_loc_state(st);
	struct ipvs_snap *snap = ipvs_snap_get(st);
	struct ipvs_lblc_entry *en;
	struct ipvs_dest *dest;

	if (!iph) {
		ipvs_sched_err(svc, "no destination available");
		return NULL;
	}

	en = ipvs_lblc_entry(ipvs_loc_find(ipvs_loc_bucket(&s->tab, svc->af, &iph->daddr),
					   svc->af, &iph->daddr));
	if (en) {
		WRITE_ONCE(en->loc.lastuse, jiffies);
		dest = rcu_dereference(en->dest);
		if (ipvs_d_available(dest) && ipvs_d_weight(dest) > 0 &&
		    !ipvs_lblc_overloaded(dest, snap->dests, snap->n))
			return dest;
	}

	dest = ipvs_wlc_pick(snap->dests, snap->n);
	if (!dest) {
		ipvs_sched_err(svc, "no destination available");
		return NULL;
	}
	ipvs_lblc_learn(s, svc->af, &iph->daddr, dest);
	return dest;
}

static struct ipvs_scheduler ipvs_lblc_scheduler = {
	.name		= "lblc",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_lblc_init_service,
	.done_service	= ipvs_loc_done_service,
	.add_dest	= ipvs_snap_add_dest,
	.del_dest	= ipvs_snap_del_dest,
	.schedule	= ipvs_lblc_schedule,
};

static int __net_init ipvs_lblc_net_init(struct net *net)
{
	return ipvs_loc_net_init(net_generic(net, ipvs_lblc_net_id), net, "lblc_expiration");
}

static void __net_exit ipvs_lblc_net_exit(struct net *net)
{
	ipvs_loc_net_exit(net_generic(net, ipvs_lblc_net_id));
}

static struct pernet_operations ipvs_lblc_net_ops = {
	.init	= ipvs_lblc_net_init,
	.exit	= ipvs_lblc_net_exit,
	.id	= &ipvs_lblc_net_id,
	.size	= sizeof(struct ipvs_loc_net),
};

static int __init ipvs_lblc_init(void)
{
	int ret;

	ret = register_pernet_subsys(&ipvs_lblc_net_ops);
	if (ret)
		return ret;
	ret = ipvs_sched_register(&ipvs_lblc_scheduler);
	if (ret)
		unregister_pernet_subsys(&ipvs_lblc_net_ops);
	return ret;
}

static void __exit ipvs_lblc_exit(void)
{
	ipvs_sched_unregister(&ipvs_lblc_scheduler);
	unregister_pernet_subsys(&ipvs_lblc_net_ops);
}

module_init(ipvs_lblc_init);
module_exit(ipvs_lblc_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng locality-based least-connection scheduler");
