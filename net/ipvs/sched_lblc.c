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
 * Entries unused for lblc_expiration (sysctl, per namespace, default one
 * day) are dropped by a full sweep every 30 minutes; when the table holds
 * more than 16 entries per bucket, a partial sweep every minute drops
 * entries idle for 6 minutes. All as upstream.
 *
 * Concurrency: lookups are lockless (RCU hash chains). Changes to a chain
 * (new entry, new server for an entry, expiry) take that chain's bit lock,
 * so there is no per-service lock: scheduling of different addresses never
 * contends. Cache entries hold a reference on their server, as upstream's
 * do, so a deleted server stays in the trash, and is revived as the same
 * cached server if re-added, until its entries go.
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

#define IPVS_LBLC_TAB_BITS		10
#define IPVS_LBLC_TAB_SIZE		(1 << IPVS_LBLC_TAB_BITS)
#define IPVS_LBLC_TAB_MASK		(IPVS_LBLC_TAB_SIZE - 1)
#define IPVS_LBLC_MAX_ENTRIES		(IPVS_LBLC_TAB_SIZE * 16)
#define IPVS_LBLC_CHECK_INTERVAL	(60 * HZ)
#define IPVS_LBLC_ENTRY_TIMEOUT		(6 * 60 * HZ)
#define IPVS_LBLC_DEFAULT_EXPIRATION	(24 * 60 * 60 * HZ)
#define IPVS_LBLC_FULL_CHECK_EVERY	30	/* intervals */

/* Per network namespace: the lblc_expiration sysctl. */
struct ipvs_lblc_net {
	int			expiration;	/* jiffies */
	struct ctl_table	*table;
	struct ctl_table_header	*hdr;
};

static unsigned int ipvs_lblc_net_id __read_mostly;

struct ipvs_lblc_entry {
	struct hlist_bl_node	node;
	union nf_inet_addr	addr;
	struct ipvs_dest __rcu	*dest;		/* holds a reference */
	unsigned long		lastuse;
	struct rcu_head		rcu;
};

struct ipvs_lblc_state {
	struct ipvs_sched_state	base;
	struct ipvs_snap __rcu	*snap;
	const int		*expiration;
	bool			dead;		/* no more entries */
	atomic_t		entries;
	/* Garbage collection, timer only. */
	struct timer_list	timer;
	int			rover;
	int			counter;
	struct hlist_bl_head	bucket[IPVS_LBLC_TAB_SIZE];
};

static struct ipvs_lblc_state *to_lblc(struct ipvs_sched_state *st)
{
	return container_of(st, struct ipvs_lblc_state, base);
}

static struct hlist_bl_head *ipvs_lblc_bucket(struct ipvs_lblc_state *s, u16 af,
					      const union nf_inet_addr *addr)
{
	return &s->bucket[hash_32(ipvs_hash_fold(af, addr), IPVS_LBLC_TAB_BITS)];
}

/* Chain lock: taken from the packet path, the timer and the config path. */
static void ipvs_lblc_lock(struct hlist_bl_head *b)
{
	local_bh_disable();
	hlist_bl_lock(b);
}

static void ipvs_lblc_unlock(struct hlist_bl_head *b)
{
	hlist_bl_unlock(b);
	local_bh_enable();
}

/* Under RCU or the chain lock. */
static struct ipvs_lblc_entry *ipvs_lblc_find(struct hlist_bl_head *b, u16 af,
					      const union nf_inet_addr *addr)
{
	struct ipvs_lblc_entry *en;
	struct hlist_bl_node *pos;

	hlist_bl_for_each_entry_rcu(en, pos, b, node) {
		if (ipvs_addr_equal(af, &en->addr, addr))
			return en;
	}
	return NULL;
}

/* Chain locked. */
static void ipvs_lblc_drop(struct ipvs_lblc_state *s, struct ipvs_lblc_entry *en)
{
	hlist_bl_del_rcu(&en->node);
	ipvs_sched_dest_put(rcu_dereference_protected(en->dest, 1));
	kfree_rcu(en, rcu);
	atomic_dec(&s->entries);
}

/* Remember that @addr goes to @dest (a new entry, or a new server for it). */
static void ipvs_lblc_learn(struct ipvs_lblc_state *s, u16 af,
			    const union nf_inet_addr *addr, struct ipvs_dest *dest)
{
	struct hlist_bl_head *b = ipvs_lblc_bucket(s, af, addr);
	struct ipvs_lblc_entry *en;
	struct ipvs_dest *old;

	ipvs_lblc_lock(b);
	if (READ_ONCE(s->dead))
		goto out;

	en = ipvs_lblc_find(b, af, addr);
	if (en) {
		old = rcu_dereference_protected(en->dest, 1);
		if (old != dest) {
			ipvs_sched_dest_hold(dest);
			rcu_assign_pointer(en->dest, dest);
			WRITE_ONCE(en->lastuse, jiffies);
			ipvs_sched_dest_put(old);
		}
		goto out;
	}

	/* Without memory the connection still goes to @dest, uncached. */
	en = kzalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		goto out;
	if (af == AF_INET6)
		en->addr = *addr;
	else
		en->addr.ip = addr->ip;
	en->lastuse = jiffies;
	ipvs_sched_dest_hold(dest);
	RCU_INIT_POINTER(en->dest, dest);
	hlist_bl_add_head_rcu(&en->node, b);
	atomic_inc(&s->entries);
out:
	ipvs_lblc_unlock(b);
}

/* Drop the entries of bucket @j unused for @age; returns how many went. */
static int ipvs_lblc_sweep(struct ipvs_lblc_state *s, int j, unsigned long now,
			   unsigned long age)
{
	struct hlist_bl_head *b = &s->bucket[j];
	struct hlist_bl_node *pos, *n;
	struct ipvs_lblc_entry *en;
	int dropped = 0;

	ipvs_lblc_lock(b);
	hlist_bl_for_each_entry_safe(en, pos, n, b, node) {
		if (time_before(now, READ_ONCE(en->lastuse) + age))
			continue;
		ipvs_lblc_drop(s, en);
		dropped++;
	}
	ipvs_lblc_unlock(b);
	return dropped;
}

/*
 * Every minute: every 30th time, drop whatever expired; otherwise, if the
 * table is over its size, drop entries idle for 6 minutes, 4/3 of the
 * excess at most (capped at half the size), bucket by bucket from where
 * the last sweep stopped.
 */
static void ipvs_lblc_check_expire(struct timer_list *t)
{
	struct ipvs_lblc_state *s = from_timer(s, t, timer);
	unsigned long now = jiffies;
	int i, j = s->rover, goal;

	if (s->counter % IPVS_LBLC_FULL_CHECK_EVERY == 0) {
		for (i = 0; i < IPVS_LBLC_TAB_SIZE; i++) {
			j = (j + 1) & IPVS_LBLC_TAB_MASK;
			ipvs_lblc_sweep(s, j, now, READ_ONCE(*s->expiration));
		}
		s->rover = j;
		s->counter = 1;
		goto out;
	}

	if (atomic_read(&s->entries) <= IPVS_LBLC_MAX_ENTRIES) {
		s->counter++;
		goto out;
	}

	goal = (atomic_read(&s->entries) - IPVS_LBLC_MAX_ENTRIES) * 4 / 3;
	if (goal > IPVS_LBLC_MAX_ENTRIES / 2)
		goal = IPVS_LBLC_MAX_ENTRIES / 2;
	for (i = 0; i < IPVS_LBLC_TAB_SIZE; i++) {
		j = (j + 1) & IPVS_LBLC_TAB_MASK;
		goal -= ipvs_lblc_sweep(s, j, now, IPVS_LBLC_ENTRY_TIMEOUT);
		if (goal <= 0)
			break;
	}
	s->rover = j;
out:
	mod_timer(&s->timer, jiffies + IPVS_LBLC_CHECK_INTERVAL);
}

static struct ipvs_sched_state *ipvs_lblc_init_service(struct ipvs_service *svc)
{
	struct ipvs_lblc_net *pn = net_generic(svc->ipvs->net, ipvs_lblc_net_id);
	struct ipvs_lblc_state *s;
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
	for (i = 0; i < IPVS_LBLC_TAB_SIZE; i++)
		INIT_HLIST_BL_HEAD(&s->bucket[i]);
	s->counter = 1;
	timer_setup(&s->timer, ipvs_lblc_check_expire, 0);
	mod_timer(&s->timer, jiffies + IPVS_LBLC_CHECK_INTERVAL);
	return &s->base;
}

static void ipvs_lblc_done_service(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	struct ipvs_lblc_state *s = to_lblc(st);
	struct hlist_bl_node *pos, *n;
	struct ipvs_lblc_entry *en;
	int i;

	timer_shutdown_sync(&s->timer);

	/* Schedulers still running on this state must not add entries now. */
	WRITE_ONCE(s->dead, true);
	for (i = 0; i < IPVS_LBLC_TAB_SIZE; i++) {
		ipvs_lblc_lock(&s->bucket[i]);
		hlist_bl_for_each_entry_safe(en, pos, n, &s->bucket[i], node)
			ipvs_lblc_drop(s, en);
		ipvs_lblc_unlock(&s->bucket[i]);
	}
	ipvs_snap_free(rcu_dereference_protected(s->snap, 1));
	kfree_rcu(s, base.rcu);
}

static int ipvs_lblc_add_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			      struct ipvs_dest *dest)
{
	return ipvs_snap_refresh(svc, &to_lblc(st)->snap);
}

static void ipvs_lblc_del_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			       struct ipvs_dest *dest)
{
	ipvs_snap_remove(svc, &to_lblc(st)->snap, dest);
}

static struct ipvs_dest *ipvs_lblc_schedule(struct ipvs_service *svc,
					    struct ipvs_sched_state *st,
					    const struct sk_buff *skb,
					    const struct ipvs_iphdr *iph)
{
	struct ipvs_lblc_state *s = to_lblc(st);
	struct ipvs_snap *snap = rcu_dereference(s->snap);
	struct ipvs_lblc_entry *en;
	struct ipvs_dest *dest;

	if (!iph) {
		ipvs_sched_err(svc, "no destination available");
		return NULL;
	}

	en = ipvs_lblc_find(ipvs_lblc_bucket(s, svc->af, &iph->daddr), svc->af,
			    &iph->daddr);
	if (en) {
		WRITE_ONCE(en->lastuse, jiffies);
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
	.done_service	= ipvs_lblc_done_service,
	.add_dest	= ipvs_lblc_add_dest,
	.del_dest	= ipvs_lblc_del_dest,
	.schedule	= ipvs_lblc_schedule,
};

static const struct ctl_table ipvs_lblc_ctl_template[] = {
	{
		.procname	= "lblc_expiration",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_jiffies,
	},
	{ }
};

static int __net_init ipvs_lblc_net_init(struct net *net)
{
	struct ipvs_lblc_net *pn = net_generic(net, ipvs_lblc_net_id);

	pn->expiration = IPVS_LBLC_DEFAULT_EXPIRATION;
	pn->table = kmemdup(ipvs_lblc_ctl_template, sizeof(ipvs_lblc_ctl_template),
			    GFP_KERNEL);
	if (!pn->table)
		return -ENOMEM;
	pn->table[0].data = &pn->expiration;
	/* As upstream: not writable from unprivileged user namespaces. */
	if (net->user_ns != &init_user_ns)
		pn->table[0].procname = NULL;
	pn->hdr = register_net_sysctl(net, "net/ipv4/vs", pn->table);
	if (!pn->hdr) {
		kfree(pn->table);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit ipvs_lblc_net_exit(struct net *net)
{
	struct ipvs_lblc_net *pn = net_generic(net, ipvs_lblc_net_id);

	unregister_net_sysctl_table(pn->hdr);
	kfree(pn->table);
}

static struct pernet_operations ipvs_lblc_net_ops = {
	.init	= ipvs_lblc_net_init,
	.exit	= ipvs_lblc_net_exit,
	.id	= &ipvs_lblc_net_id,
	.size	= sizeof(struct ipvs_lblc_net),
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
