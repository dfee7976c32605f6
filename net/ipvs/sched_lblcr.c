// SPDX-License-Identifier: GPL-2.0
/*
 * Locality-based least-connection with replication scheduler
 * (ip_vs_lblcr.ko).
 *
 * Like lblc, but each destination IP address maps to a set of real
 * servers. A connection goes to the least loaded member of the set (per
 * weight); if there is none, or it is "overloaded" in lblc's sense (more
 * active connections than its weight while some server of the service is
 * below half of its own), the weighted least-connection server of the
 * whole service is picked and added to the set. When a set of two or more
 * has not changed for lblcr_expiration (sysctl, per namespace, default one
 * day), its most loaded member is dropped. Entries expire as in lblc.
 * Every rule is upstream's; the set scans are ipvs_lblcr_set_min() and
 * ipvs_lblcr_set_max() in sched_conn_logic.h.
 *
 * The table, its expiry (lblcr_expiration sysctl) and its locking are in
 * sched_loc_tab.h, shared with lblc. A set is an RCU-published array,
 * newest member first (upstream's list order), replaced as a whole when a
 * member joins or leaves (or cleared in place if no memory is left); set
 * changes take the entry's chain lock. Set members hold references on
 * their servers, as upstream's do.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <net/netns/generic.h>
#include "sched_conn_logic.h"
#include "sched_loc_tab.h"

static unsigned int ipvs_lblcr_net_id __read_mostly;

/* A server set: members hold references; NULL slots were removed in place. */
struct ipvs_lblcr_set {
	struct rcu_head		rcu;
	unsigned int		n;
	struct ipvs_dest	*d[];
};

struct ipvs_lblcr_entry {
	struct ipvs_loc_entry		loc;
	struct ipvs_lblcr_set __rcu	*set;
	int				size;		/* members */
	unsigned long			lastmod;	/* set last changed */
	bool				unlinked;
	struct rcu_head			rcu;
};

static struct ipvs_lblcr_entry *ipvs_lblcr_entry(struct ipvs_loc_entry *e)
{
	return e ? container_of(e, struct ipvs_lblcr_entry, loc) : NULL;
}

/* The set operations below run with the entry's chain locked. */

static struct ipvs_lblcr_set *ipvs_lblcr_set(struct ipvs_lblcr_entry *en)
{
	return rcu_dereference_protected(en->set, 1);
}

/* Add @dest in front (unless @check finds it there already). */
static void ipvs_lblcr_set_insert(struct ipvs_lblcr_entry *en, struct ipvs_dest *dest,
				  bool check)
{
	struct ipvs_lblcr_set *old = ipvs_lblcr_set(en), *set;
	unsigned int i, k = 0;

	if (check && old) {
		for (i = 0; i < old->n; i++) {
			if (old->d[i] == dest)
				return;
		}
	}

	set = kmalloc(struct_size(set, d, en->size + 1), GFP_ATOMIC);
	if (!set)
		return;
	set->d[k++] = dest;
	for (i = 0; old && i < old->n; i++) {
		if (old->d[i])
			set->d[k++] = old->d[i];
	}
	set->n = k;
	ipvs_sched_dest_hold(dest);
	rcu_assign_pointer(en->set, set);
	if (old)
		kfree_rcu(old, rcu);
	WRITE_ONCE(en->size, en->size + 1);
	WRITE_ONCE(en->lastmod, jiffies);
}

static void ipvs_lblcr_set_erase(struct ipvs_lblcr_entry *en, struct ipvs_dest *dest)
{
	struct ipvs_lblcr_set *old = ipvs_lblcr_set(en), *set;
	unsigned int i, k = 0;

	for (i = 0; old && i < old->n; i++) {
		if (old->d[i] == dest)
			break;
	}
	if (!old || i == old->n)
		return;

	set = kmalloc(struct_size(set, d, en->size - 1), GFP_ATOMIC);
	if (set) {
		for (i = 0; i < old->n; i++) {
			if (old->d[i] && old->d[i] != dest)
				set->d[k++] = old->d[i];
		}
		set->n = k;
		rcu_assign_pointer(en->set, set);
		kfree_rcu(old, rcu);
	} else {
		WRITE_ONCE(old->d[i], NULL);
	}
	ipvs_sched_dest_put(dest);
	WRITE_ONCE(en->size, en->size - 1);
	WRITE_ONCE(en->lastmod, jiffies);
}

static void ipvs_lblcr_drop(struct ipvs_loc_tab *t, struct ipvs_loc_entry *e)
{
	struct ipvs_lblcr_entry *en = ipvs_lblcr_entry(e);
	struct ipvs_lblcr_set *set = ipvs_lblcr_set(en);
	unsigned int i;

	en->unlinked = true;
	ipvs_loc_del(t, e);
	if (set) {
		for (i = 0; i < set->n; i++) {
			if (set->d[i])
				ipvs_sched_dest_put(set->d[i]);
		}
		kfree_rcu(set, rcu);
	}
	kfree_rcu(en, rcu);
}

/* A new entry for @addr with @dest as its only member, or @dest added. */
static void ipvs_lblcr_learn(struct ipvs_loc_state *s, u16 af,
			     const union nf_inet_addr *addr, struct ipvs_dest *dest)
{
	struct hlist_bl_head *b = ipvs_loc_bucket(&s->tab, af, addr);
	struct ipvs_lblcr_entry *en;

	ipvs_loc_lock(b);
	if (READ_ONCE(s->tab.dead))
		goto out;

	en = ipvs_lblcr_entry(ipvs_loc_find(b, af, addr));
	if (en) {
		ipvs_lblcr_set_insert(en, dest, true);
		goto out;
	}

	en = kzalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		goto out;
	ipvs_lblcr_set_insert(en, dest, false);
	ipvs_loc_add(&s->tab, b, &en->loc, af, addr);
out:
	ipvs_loc_unlock(b);
}

static struct ipvs_sched_state *ipvs_lblcr_init_service(struct ipvs_service *svc)
{
	return ipvs_loc_state_new(svc, net_generic(svc->ipvs->net, ipvs_lblcr_net_id),
				  ipvs_lblcr_drop);
}

/* The set has not changed for the expiration time: drop its most loaded member. */
static void ipvs_lblcr_shrink(struct hlist_bl_head *b, struct ipvs_lblcr_entry *en)
{
	struct ipvs_lblcr_set *set;
	struct ipvs_dest *m;

	ipvs_loc_lock(b);
	if (!en->unlinked && en->size > 1) {
		set = ipvs_lblcr_set(en);
		m = ipvs_lblcr_set_max(set->d, set->n);
		if (m)
			ipvs_lblcr_set_erase(en, m);
	}
	ipvs_loc_unlock(b);
}

static struct ipvs_dest *ipvs_lblcr_schedule(struct ipvs_service *svc,
					     struct ipvs_sched_state *st,
					     const struct sk_buff *skb,
					     const struct ipvs_iphdr *iph)
{
	struct ipvs_loc_state *s = to_loc_state(st);
	struct ipvs_snap *snap = ipvs_snap_get(st);
	struct ipvs_lblcr_entry *en;
	struct ipvs_lblcr_set *set;
	struct hlist_bl_head *b;
	struct ipvs_dest *dest;

	if (!iph) {
		ipvs_sched_err(svc, "no destination available");
		return NULL;
	}

	b = ipvs_loc_bucket(&s->tab, svc->af, &iph->daddr);
	en = ipvs_lblcr_entry(ipvs_loc_find(b, svc->af, &iph->daddr));
	if (!en) {
		dest = ipvs_wlc_pick(snap->dests, snap->n);
		/* Upstream stays silent here (debug message only). */
		if (!dest)
			return NULL;
		ipvs_lblcr_learn(s, svc->af, &iph->daddr, dest);
		return dest;
	}

	WRITE_ONCE(en->loc.lastuse, jiffies);
	set = rcu_dereference(en->set);
	dest = set ? ipvs_lblcr_set_min(set->d, set->n) : NULL;

	if (READ_ONCE(en->size) > 1 &&
	    time_after(jiffies, READ_ONCE(en->lastmod) + READ_ONCE(*s->tab.expiration)))
		ipvs_lblcr_shrink(b, en);

	if (dest && !ipvs_lblc_overloaded(dest, snap->dests, snap->n))
		return dest;

	dest = ipvs_wlc_pick(snap->dests, snap->n);
	if (!dest) {
		ipvs_sched_err(svc, "no destination available");
		return NULL;
	}
	ipvs_loc_lock(b);
	if (!READ_ONCE(s->tab.dead) && !en->unlinked)
		ipvs_lblcr_set_insert(en, dest, true);
	ipvs_loc_unlock(b);
	return dest;
}

static struct ipvs_scheduler ipvs_lblcr_scheduler = {
	.name		= "lblcr",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_lblcr_init_service,
	.done_service	= ipvs_loc_done_service,
	.add_dest	= ipvs_snap_add_dest,
	.del_dest	= ipvs_snap_del_dest,
	.schedule	= ipvs_lblcr_schedule,
};

static int __net_init ipvs_lblcr_net_init(struct net *net)
{
	return ipvs_loc_net_init(net_generic(net, ipvs_lblcr_net_id), net, "lblcr_expiration");
}

static void __net_exit ipvs_lblcr_net_exit(struct net *net)
{
	ipvs_loc_net_exit(net_generic(net, ipvs_lblcr_net_id));
}

static struct pernet_operations ipvs_lblcr_net_ops = {
	.init	= ipvs_lblcr_net_init,
	.exit	= ipvs_lblcr_net_exit,
	.id	= &ipvs_lblcr_net_id,
	.size	= sizeof(struct ipvs_loc_net),
};

static int __init ipvs_lblcr_init(void)
{
	int ret;

	ret = register_pernet_subsys(&ipvs_lblcr_net_ops);
	if (ret)
		return ret;
	ret = ipvs_sched_register(&ipvs_lblcr_scheduler);
	if (ret)
		unregister_pernet_subsys(&ipvs_lblcr_net_ops);
	return ret;
}

static void __exit ipvs_lblcr_exit(void)
{
	ipvs_sched_unregister(&ipvs_lblcr_scheduler);
	unregister_pernet_subsys(&ipvs_lblcr_net_ops);
}

module_init(ipvs_lblcr_init);
module_exit(ipvs_lblcr_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng locality-based least-connection with replication scheduler");
