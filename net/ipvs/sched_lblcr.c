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
 * Concurrency: lookups are lockless. A set is an RCU-published array,
 * newest member first (upstream's list order), replaced as a whole when a
 * member joins or leaves (or cleared in place if no memory is left). Set
 * and chain changes take the chain's bit lock; there is no per-service
 * lock. Set members hold references on their servers, as upstream's do.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/timer.h>
#include <linux/list_bl.h>
#include <linux/rculist_bl.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <ipvs/sched.h>
#include <ipvs/packet.h>
#include <ipvs/sched_snap.h>
#include "sched_conn_logic.h"
#include "sched_hash_logic.h"

#define IPVS_LBLCR_TAB_BITS		10
#define IPVS_LBLCR_TAB_SIZE		(1 << IPVS_LBLCR_TAB_BITS)
#define IPVS_LBLCR_TAB_MASK		(IPVS_LBLCR_TAB_SIZE - 1)
#define IPVS_LBLCR_MAX_ENTRIES		(IPVS_LBLCR_TAB_SIZE * 16)
#define IPVS_LBLCR_CHECK_INTERVAL	(60 * HZ)
#define IPVS_LBLCR_ENTRY_TIMEOUT	(6 * 60 * HZ)
#define IPVS_LBLCR_DEFAULT_EXPIRATION	(24 * 60 * 60 * HZ)
#define IPVS_LBLCR_FULL_CHECK_EVERY	30	/* intervals */

struct ipvs_lblcr_net {
	int			expiration;	/* jiffies */
	struct ctl_table	*table;
	struct ctl_table_header	*hdr;
};

static unsigned int ipvs_lblcr_net_id __read_mostly;

/* A server set: members hold references; NULL slots were removed in place. */
struct ipvs_lblcr_set {
	struct rcu_head		rcu;
	unsigned int		n;
	struct ipvs_dest	*d[];
};

struct ipvs_lblcr_entry {
	struct hlist_bl_node		node;
	union nf_inet_addr		addr;
	struct ipvs_lblcr_set __rcu	*set;
	int				size;		/* members */
	unsigned long			lastmod;	/* set last changed */
	unsigned long			lastuse;
	bool				unlinked;
	struct rcu_head			rcu;
};

struct ipvs_lblcr_state {
	struct ipvs_sched_state	base;
	struct ipvs_snap __rcu	*snap;
	const int		*expiration;
	bool			dead;
	atomic_t		entries;
	struct timer_list	timer;
	int			rover;
	int			counter;
	struct hlist_bl_head	bucket[IPVS_LBLCR_TAB_SIZE];
};

static struct ipvs_lblcr_state *to_lblcr(struct ipvs_sched_state *st)
{
	return container_of(st, struct ipvs_lblcr_state, base);
}

static struct hlist_bl_head *ipvs_lblcr_bucket(struct ipvs_lblcr_state *s, u16 af,
					       const union nf_inet_addr *addr)
{
	return &s->bucket[hash_32(ipvs_hash_fold(af, addr), IPVS_LBLCR_TAB_BITS)];
}

static void ipvs_lblcr_lock(struct hlist_bl_head *b)
{
	local_bh_disable();
	hlist_bl_lock(b);
}

static void ipvs_lblcr_unlock(struct hlist_bl_head *b)
{
	hlist_bl_unlock(b);
	local_bh_enable();
}

static struct ipvs_lblcr_entry *ipvs_lblcr_find(struct hlist_bl_head *b, u16 af,
						const union nf_inet_addr *addr)
{
	struct ipvs_lblcr_entry *en;
	struct hlist_bl_node *pos;

	hlist_bl_for_each_entry_rcu(en, pos, b, node) {
		if (ipvs_addr_equal(af, &en->addr, addr))
			return en;
	}
	return NULL;
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

static void ipvs_lblcr_drop(struct ipvs_lblcr_state *s, struct ipvs_lblcr_entry *en)
{
	struct ipvs_lblcr_set *set = ipvs_lblcr_set(en);
	unsigned int i;

	en->unlinked = true;
	hlist_bl_del_rcu(&en->node);
	if (set) {
		for (i = 0; i < set->n; i++) {
			if (set->d[i])
				ipvs_sched_dest_put(set->d[i]);
		}
		kfree_rcu(set, rcu);
	}
	kfree_rcu(en, rcu);
	atomic_dec(&s->entries);
}

/* A new entry for @addr with @dest as its only member, or @dest added. */
static void ipvs_lblcr_learn(struct ipvs_lblcr_state *s, u16 af,
			     const union nf_inet_addr *addr, struct ipvs_dest *dest)
{
	struct hlist_bl_head *b = ipvs_lblcr_bucket(s, af, addr);
	struct ipvs_lblcr_entry *en;

	ipvs_lblcr_lock(b);
	if (READ_ONCE(s->dead))
		goto out;

	en = ipvs_lblcr_find(b, af, addr);
	if (en) {
		ipvs_lblcr_set_insert(en, dest, true);
		goto out;
	}

	en = kzalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		goto out;
	if (af == AF_INET6)
		en->addr = *addr;
	else
		en->addr.ip = addr->ip;
	en->lastuse = jiffies;
	ipvs_lblcr_set_insert(en, dest, false);
	hlist_bl_add_head_rcu(&en->node, b);
	atomic_inc(&s->entries);
out:
	ipvs_lblcr_unlock(b);
}

static int ipvs_lblcr_sweep(struct ipvs_lblcr_state *s, int j, unsigned long now,
			    unsigned long age)
{
	struct hlist_bl_head *b = &s->bucket[j];
	struct hlist_bl_node *pos, *n;
	struct ipvs_lblcr_entry *en;
	int dropped = 0;

	ipvs_lblcr_lock(b);
	hlist_bl_for_each_entry_safe(en, pos, n, b, node) {
		if (time_before(now, READ_ONCE(en->lastuse) + age))
			continue;
		ipvs_lblcr_drop(s, en);
		dropped++;
	}
	ipvs_lblcr_unlock(b);
	return dropped;
}

/* Same collection policy as lblc. */
static void ipvs_lblcr_check_expire(struct timer_list *t)
{
	struct ipvs_lblcr_state *s = from_timer(s, t, timer);
	unsigned long now = jiffies;
	int i, j = s->rover, goal;

	if (s->counter % IPVS_LBLCR_FULL_CHECK_EVERY == 0) {
		for (i = 0; i < IPVS_LBLCR_TAB_SIZE; i++) {
			j = (j + 1) & IPVS_LBLCR_TAB_MASK;
			ipvs_lblcr_sweep(s, j, now, READ_ONCE(*s->expiration));
		}
		s->rover = j;
		s->counter = 1;
		goto out;
	}

	if (atomic_read(&s->entries) <= IPVS_LBLCR_MAX_ENTRIES) {
		s->counter++;
		goto out;
	}

	goal = (atomic_read(&s->entries) - IPVS_LBLCR_MAX_ENTRIES) * 4 / 3;
	if (goal > IPVS_LBLCR_MAX_ENTRIES / 2)
		goal = IPVS_LBLCR_MAX_ENTRIES / 2;
	for (i = 0; i < IPVS_LBLCR_TAB_SIZE; i++) {
		j = (j + 1) & IPVS_LBLCR_TAB_MASK;
		goal -= ipvs_lblcr_sweep(s, j, now, IPVS_LBLCR_ENTRY_TIMEOUT);
		if (goal <= 0)
			break;
	}
	s->rover = j;
out:
	mod_timer(&s->timer, jiffies + IPVS_LBLCR_CHECK_INTERVAL);
}

static struct ipvs_sched_state *ipvs_lblcr_init_service(struct ipvs_service *svc)
{
	struct ipvs_lblcr_net *pn = net_generic(svc->ipvs->net, ipvs_lblcr_net_id);
	struct ipvs_lblcr_state *s;
	struct ipvs_snap *snap;
	int i;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	snap = ipvs_snap_build(svc);
	if (!snap) {
		kfree(s);
		return ERR_PTR(-ENOMEM);
	}
	RCU_INIT_POINTER(s->snap, snap);
	s->expiration = &pn->expiration;
	for (i = 0; i < IPVS_LBLCR_TAB_SIZE; i++)
		INIT_HLIST_BL_HEAD(&s->bucket[i]);
	s->counter = 1;
	timer_setup(&s->timer, ipvs_lblcr_check_expire, 0);
	mod_timer(&s->timer, jiffies + IPVS_LBLCR_CHECK_INTERVAL);
	return &s->base;
}

static void ipvs_lblcr_done_service(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	struct ipvs_lblcr_state *s = to_lblcr(st);
	struct hlist_bl_node *pos, *n;
	struct ipvs_lblcr_entry *en;
	int i;

	timer_shutdown_sync(&s->timer);

	WRITE_ONCE(s->dead, true);
	for (i = 0; i < IPVS_LBLCR_TAB_SIZE; i++) {
		ipvs_lblcr_lock(&s->bucket[i]);
		hlist_bl_for_each_entry_safe(en, pos, n, &s->bucket[i], node)
			ipvs_lblcr_drop(s, en);
		ipvs_lblcr_unlock(&s->bucket[i]);
	}
	ipvs_snap_free(rcu_dereference_protected(s->snap, 1));
	kfree_rcu(s, base.rcu);
}

static int ipvs_lblcr_add_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			       struct ipvs_dest *dest)
{
	return ipvs_snap_refresh(svc, &to_lblcr(st)->snap);
}

static void ipvs_lblcr_del_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
				struct ipvs_dest *dest)
{
	ipvs_snap_remove(svc, &to_lblcr(st)->snap, dest);
}

/* The set has not changed for the expiration time: drop its most loaded member. */
static void ipvs_lblcr_shrink(struct hlist_bl_head *b, struct ipvs_lblcr_entry *en)
{
	struct ipvs_lblcr_set *set;
	struct ipvs_dest *m;

	ipvs_lblcr_lock(b);
	if (!en->unlinked && en->size > 1) {
		set = ipvs_lblcr_set(en);
		m = ipvs_lblcr_set_max(set->d, set->n);
		if (m)
			ipvs_lblcr_set_erase(en, m);
	}
	ipvs_lblcr_unlock(b);
}

static struct ipvs_dest *ipvs_lblcr_schedule(struct ipvs_service *svc,
					     struct ipvs_sched_state *st,
					     const struct sk_buff *skb,
					     const struct ipvs_iphdr *iph)
{
	struct ipvs_lblcr_state *s = to_lblcr(st);
	struct ipvs_snap *snap = rcu_dereference(s->snap);
	struct ipvs_lblcr_entry *en;
	struct ipvs_lblcr_set *set;
	struct hlist_bl_head *b;
	struct ipvs_dest *dest;

	if (!iph) {
		ipvs_sched_err(svc, "no destination available");
		return NULL;
	}

	b = ipvs_lblcr_bucket(s, svc->af, &iph->daddr);
	en = ipvs_lblcr_find(b, svc->af, &iph->daddr);
	if (!en) {
		dest = ipvs_wlc_pick(snap->dests, snap->n);
		/* Upstream stays silent here (debug message only). */
		if (!dest)
			return NULL;
		ipvs_lblcr_learn(s, svc->af, &iph->daddr, dest);
		return dest;
	}

	WRITE_ONCE(en->lastuse, jiffies);
	set = rcu_dereference(en->set);
	dest = set ? ipvs_lblcr_set_min(set->d, set->n) : NULL;

	if (READ_ONCE(en->size) > 1 &&
	    time_after(jiffies, READ_ONCE(en->lastmod) + READ_ONCE(*s->expiration)))
		ipvs_lblcr_shrink(b, en);

	if (dest && !ipvs_lblc_overloaded(dest, snap->dests, snap->n))
		return dest;

	dest = ipvs_wlc_pick(snap->dests, snap->n);
	if (!dest) {
		ipvs_sched_err(svc, "no destination available");
		return NULL;
	}
	ipvs_lblcr_lock(b);
	if (!READ_ONCE(s->dead) && !en->unlinked)
		ipvs_lblcr_set_insert(en, dest, true);
	ipvs_lblcr_unlock(b);
	return dest;
}

static struct ipvs_scheduler ipvs_lblcr_scheduler = {
	.name		= "lblcr",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_lblcr_init_service,
	.done_service	= ipvs_lblcr_done_service,
	.add_dest	= ipvs_lblcr_add_dest,
	.del_dest	= ipvs_lblcr_del_dest,
	.schedule	= ipvs_lblcr_schedule,
};

static const struct ctl_table ipvs_lblcr_ctl_template[] = {
	{
		.procname	= "lblcr_expiration",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_jiffies,
	},
	{ }
};

static int __net_init ipvs_lblcr_net_init(struct net *net)
{
	struct ipvs_lblcr_net *pn = net_generic(net, ipvs_lblcr_net_id);

	pn->expiration = IPVS_LBLCR_DEFAULT_EXPIRATION;
	pn->table = kmemdup(ipvs_lblcr_ctl_template, sizeof(ipvs_lblcr_ctl_template),
			    GFP_KERNEL);
	if (!pn->table)
		return -ENOMEM;
	pn->table[0].data = &pn->expiration;
	if (net->user_ns != &init_user_ns)
		pn->table[0].procname = NULL;
	pn->hdr = register_net_sysctl(net, "net/ipv4/vs", pn->table);
	if (!pn->hdr) {
		kfree(pn->table);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit ipvs_lblcr_net_exit(struct net *net)
{
	struct ipvs_lblcr_net *pn = net_generic(net, ipvs_lblcr_net_id);

	unregister_net_sysctl_table(pn->hdr);
	kfree(pn->table);
}

static struct pernet_operations ipvs_lblcr_net_ops = {
	.init	= ipvs_lblcr_net_init,
	.exit	= ipvs_lblcr_net_exit,
	.id	= &ipvs_lblcr_net_id,
	.size	= sizeof(struct ipvs_lblcr_net),
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
