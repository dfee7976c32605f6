/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The locality table of the lblc and lblcr schedulers (included by both
 * modules): per service, destination IP address -> scheduler entry, with
 * upstream's expiry rules and the per-namespace expiration sysctl.
 *
 * Expiry: every minute a timer runs; every 30th time it drops whatever was
 * unused for the expiration sysctl (default one day); otherwise, when the
 * table holds more than 16 entries per bucket, it drops entries idle for 6
 * minutes, 4/3 of the excess at most (capped at half the size), bucket by
 * bucket from where the last sweep stopped.
 *
 * Concurrency: lookups are lockless (RCU hash chains). Changes to a chain
 * take that chain's bit lock with BHs off (packet path, timer and config
 * path all change chains), so there is no per-service lock. After
 * ipvs_loc_tab_uninit() sets @dead, nothing may add entries.
 */
#ifndef _IPVS_SCHED_LOC_TAB_H
#define _IPVS_SCHED_LOC_TAB_H

#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/timer.h>
#include <linux/list_bl.h>
#include <linux/rculist_bl.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <ipvs/packet.h>
#include <ipvs/sched.h>
#include <ipvs/sched_snap.h>
#include "sched_hash_logic.h"

#define IPVS_LOC_TAB_BITS		10
#define IPVS_LOC_TAB_SIZE		(1 << IPVS_LOC_TAB_BITS)
#define IPVS_LOC_TAB_MASK		(IPVS_LOC_TAB_SIZE - 1)
#define IPVS_LOC_MAX_ENTRIES		(IPVS_LOC_TAB_SIZE * 16)
#define IPVS_LOC_CHECK_INTERVAL		(60 * HZ)
#define IPVS_LOC_ENTRY_TIMEOUT		(6 * 60 * HZ)
#define IPVS_LOC_DEFAULT_EXPIRATION	(24 * 60 * 60 * HZ)
#define IPVS_LOC_FULL_CHECK_EVERY	30	/* intervals */

/* The first member of each scheduler's entry. */
struct ipvs_loc_entry {
	struct hlist_bl_node	node;
	union nf_inet_addr	addr;
	unsigned long		lastuse;
};

struct ipvs_loc_tab {
	const int		*expiration;	/* jiffies, the namespace's sysctl */
	bool			dead;		/* no more entries */
	atomic_t		entries;
	/* Unlink @e (chain locked) and free it after a grace period. */
	void			(*drop)(struct ipvs_loc_tab *t, struct ipvs_loc_entry *e);
	/* Garbage collection, timer only. */
	struct timer_list	timer;
	int			rover;
	int			counter;
	struct hlist_bl_head	bucket[IPVS_LOC_TAB_SIZE];
};

static inline struct hlist_bl_head *ipvs_loc_bucket(struct ipvs_loc_tab *t, u16 af,
						    const union nf_inet_addr *addr)
{
	return &t->bucket[hash_32(ipvs_hash_fold(af, addr), IPVS_LOC_TAB_BITS)];
}

static inline void ipvs_loc_lock(struct hlist_bl_head *b)
{
	local_bh_disable();
	hlist_bl_lock(b);
}

static inline void ipvs_loc_unlock(struct hlist_bl_head *b)
{
	hlist_bl_unlock(b);
	local_bh_enable();
}

/* Under RCU or the chain lock. */
static inline struct ipvs_loc_entry *ipvs_loc_find(struct hlist_bl_head *b, u16 af,
						   const union nf_inet_addr *addr)
{
	struct ipvs_loc_entry *e;
	struct hlist_bl_node *pos;

	hlist_bl_for_each_entry_rcu(e, pos, b, node) {
		if (ipvs_addr_equal(af, &e->addr, addr))
			return e;
	}
	return NULL;
}

/* Chain @b locked: link the new entry @e for @addr. */
static inline void ipvs_loc_add(struct ipvs_loc_tab *t, struct hlist_bl_head *b,
				struct ipvs_loc_entry *e, u16 af,
				const union nf_inet_addr *addr)
{
	if (af == AF_INET6)
		e->addr = *addr;
	else
		e->addr.ip = addr->ip;
	e->lastuse = jiffies;
	hlist_bl_add_head_rcu(&e->node, b);
	atomic_inc(&t->entries);
}

/* Chain @b locked: the entry leaves the table. */
static inline void ipvs_loc_del(struct ipvs_loc_tab *t, struct ipvs_loc_entry *e)
{
	hlist_bl_del_rcu(&e->node);
	atomic_dec(&t->entries);
}

/* Drop the entries of bucket @j unused for @age; returns how many went. */
static inline int ipvs_loc_sweep(struct ipvs_loc_tab *t, int j, unsigned long now,
				 unsigned long age)
{
	struct hlist_bl_head *b = &t->bucket[j];
	struct hlist_bl_node *pos, *n;
	struct ipvs_loc_entry *e;
	int dropped = 0;

	ipvs_loc_lock(b);
	hlist_bl_for_each_entry_safe(e, pos, n, b, node) {
		if (time_before(now, READ_ONCE(e->lastuse) + age))
			continue;
		t->drop(t, e);
		dropped++;
	}
	ipvs_loc_unlock(b);
	return dropped;
}

static inline void ipvs_loc_check_expire(struct timer_list *timer)
{
	struct ipvs_loc_tab *t = from_timer(t, timer, timer);
	unsigned long now = jiffies;
	int i, j = t->rover, goal;

	if (t->counter % IPVS_LOC_FULL_CHECK_EVERY == 0) {
		for (i = 0; i < IPVS_LOC_TAB_SIZE; i++) {
			j = (j + 1) & IPVS_LOC_TAB_MASK;
			ipvs_loc_sweep(t, j, now, READ_ONCE(*t->expiration));
		}
		t->rover = j;
		t->counter = 1;
		goto out;
	}

	if (atomic_read(&t->entries) <= IPVS_LOC_MAX_ENTRIES) {
		t->counter++;
		goto out;
	}

	goal = (atomic_read(&t->entries) - IPVS_LOC_MAX_ENTRIES) * 4 / 3;
	if (goal > IPVS_LOC_MAX_ENTRIES / 2)
		goal = IPVS_LOC_MAX_ENTRIES / 2;
	for (i = 0; i < IPVS_LOC_TAB_SIZE; i++) {
		j = (j + 1) & IPVS_LOC_TAB_MASK;
		goal -= ipvs_loc_sweep(t, j, now, IPVS_LOC_ENTRY_TIMEOUT);
		if (goal <= 0)
			break;
	}
	t->rover = j;
out:
	mod_timer(&t->timer, jiffies + IPVS_LOC_CHECK_INTERVAL);
}

static inline void ipvs_loc_tab_init(struct ipvs_loc_tab *t, const int *expiration,
				     void (*drop)(struct ipvs_loc_tab *, struct ipvs_loc_entry *))
{
	int i;

	t->expiration = expiration;
	t->drop = drop;
	for (i = 0; i < IPVS_LOC_TAB_SIZE; i++)
		INIT_HLIST_BL_HEAD(&t->bucket[i]);
	t->counter = 1;
	timer_setup(&t->timer, ipvs_loc_check_expire, 0);
	mod_timer(&t->timer, jiffies + IPVS_LOC_CHECK_INTERVAL);
}

/* The service goes: stop the timer, refuse new entries, drop them all. */
static inline void ipvs_loc_tab_uninit(struct ipvs_loc_tab *t)
{
	struct hlist_bl_node *pos, *n;
	struct ipvs_loc_entry *e;
	int i;

	timer_shutdown_sync(&t->timer);
	/* Schedulers still running on this table must not add entries now. */
	WRITE_ONCE(t->dead, true);
	for (i = 0; i < IPVS_LOC_TAB_SIZE; i++) {
		ipvs_loc_lock(&t->bucket[i]);
		hlist_bl_for_each_entry_safe(e, pos, n, &t->bucket[i], node)
			t->drop(t, e);
		ipvs_loc_unlock(&t->bucket[i]);
	}
}

/* Per network namespace: the <name>_expiration sysctl. */
struct ipvs_loc_net {
	int			expiration;	/* jiffies */
	struct ctl_table	*table;
	struct ctl_table_header	*hdr;
};

static inline int ipvs_loc_net_init(struct ipvs_loc_net *pn, struct net *net,
				    const char *procname)
{
	pn->expiration = IPVS_LOC_DEFAULT_EXPIRATION;
	pn->table = kcalloc(2, sizeof(*pn->table), GFP_KERNEL);
	if (!pn->table)
		return -ENOMEM;
	pn->table[0].procname = procname;
	pn->table[0].data = &pn->expiration;
	pn->table[0].maxlen = sizeof(int);
	pn->table[0].mode = 0644;
	pn->table[0].proc_handler = proc_dointvec_jiffies;
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

static inline void ipvs_loc_net_exit(struct ipvs_loc_net *pn)
{
	unregister_net_sysctl_table(pn->hdr);
	kfree(pn->table);
}

/*
 * What lblc and lblcr keep per service: the destination snapshot their wlc
 * fallback scans (first, so the snapshot hooks of sched_snap.h apply as
 * they are), and the locality table.
 */
struct ipvs_loc_state {
	struct ipvs_snap_state	ss;
	struct ipvs_loc_tab	tab;		/* last: a large array */
};

/* kzalloc()/kfree_rcu() of the snapshot state free the whole of it. */
static_assert(offsetof(struct ipvs_loc_state, ss) == 0);

static inline struct ipvs_loc_state *to_loc_state(struct ipvs_sched_state *st)
{
	return container_of(st, struct ipvs_loc_state, ss.base);
}

static inline struct ipvs_sched_state *
ipvs_loc_state_new(struct ipvs_service *svc, const struct ipvs_loc_net *pn,
		   void (*drop)(struct ipvs_loc_tab *, struct ipvs_loc_entry *))
{
	struct ipvs_sched_state *st = ipvs_snap_state_new(svc, sizeof(struct ipvs_loc_state));

	if (!IS_ERR(st))
		ipvs_loc_tab_init(&to_loc_state(st)->tab, &pn->expiration, drop);
	return st;
}

static inline void ipvs_loc_done_service(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	ipvs_loc_tab_uninit(&to_loc_state(st)->tab);
	ipvs_snap_done_service(svc, st);
}

#endif /* _IPVS_SCHED_LOC_TAB_H */
