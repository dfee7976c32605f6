/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Destination snapshots for the ipvs-ng schedulers (header only, inlined
 * into each scheduler module; the one shared object, ipvs_snap_hole, lives
 * in sched.c).
 *
 * A snapshot is an array of a service's destinations in list order,
 * published with RCU in the scheduler's state. The scheduling path reads
 * it under rcu_read_lock() alone and scans it with the rules of
 * net/ipvs/sched_*_logic.h; scanning a packed array instead of chasing the
 * list lets the CPU fetch every destination in parallel (see
 * tests/unit/sched/bench.c for the numbers).
 *
 * Changes come from the config path (svc->ipvs->lock held):
 *  - add_dest builds a new snapshot and publishes it; if that cannot
 *    allocate, the add fails and the core unlinks the destination again;
 *  - del_dest must not fail: it builds a new snapshot if it can, otherwise
 *    it points the deleted destination's slot at ipvs_snap_hole, which
 *    readers skip, so either way they see the list without the
 *    destination, in the same order;
 *  - weights and flags are read live from the destinations, so upd_dest
 *    needs nothing.
 * Old snapshots are freed with kfree_rcu().
 */
#ifndef _IPVS_SCHED_SNAP_H
#define _IPVS_SCHED_SNAP_H

#include <linux/slab.h>
#include <linux/overflow.h>
#include <ipvs/sched.h>

struct ipvs_snap {
	struct rcu_head		rcu;
	unsigned int		n;		/* slots, holes included */
	struct ipvs_dest	*dests[];	/* list order; never NULL */
};

static inline struct ipvs_snap *ipvs_snap_build(struct ipvs_service *svc)
{
	struct ipvs_dest *dest;
	struct ipvs_snap *s;
	unsigned int i = 0;

	s = kmalloc(struct_size(s, dests, svc->num_dests), GFP_KERNEL);
	if (!s)
		return NULL;
	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (WARN_ON_ONCE(i >= svc->num_dests))
			break;
		s->dests[i++] = dest;
	}
	s->n = i;
	return s;
}

static inline struct ipvs_snap *ipvs_snap_cur(struct ipvs_service *svc,
					      struct ipvs_snap __rcu **slot)
{
	return rcu_dereference_protected(*slot, lockdep_is_held(&svc->ipvs->lock));
}

static inline void ipvs_snap_free(struct ipvs_snap *s)
{
	if (s)
		kfree_rcu(s, rcu);
}

/* Publish a fresh snapshot in @slot; on -ENOMEM the old one stays. */
static inline int ipvs_snap_refresh(struct ipvs_service *svc,
				    struct ipvs_snap __rcu **slot)
{
	struct ipvs_snap *old = ipvs_snap_cur(svc, slot), *s;

	s = ipvs_snap_build(svc);
	if (!s)
		return -ENOMEM;
	rcu_assign_pointer(*slot, s);
	ipvs_snap_free(old);
	return 0;
}

/*
 * Fills the slot of a destination deleted in place: overloaded, so every
 * rule skips it, and never NULL, so lc, wlc, sed and nq need no test.
 * One object, in sched.c, never written.
 */
extern struct ipvs_dest ipvs_snap_hole;

/* @dest was unlinked: drop it from the snapshot, in place if need be. */
static inline void ipvs_snap_remove(struct ipvs_service *svc,
				    struct ipvs_snap __rcu **slot,
				    struct ipvs_dest *dest)
{
	struct ipvs_snap *s;
	unsigned int i;

	if (!ipvs_snap_refresh(svc, slot))
		return;
	s = ipvs_snap_cur(svc, slot);
	for (i = 0; i < s->n; i++) {
		if (s->dests[i] == dest)
			WRITE_ONCE(s->dests[i], &ipvs_snap_hole);
	}
}

/*
 * The common state of the schedulers whose only per-service data is the
 * snapshot (lc, wlc, sed, nq, fo, ovf, twos), with hooks they plug in as is;
 * lblc and lblcr begin their state with it (sched_loc_tab.h).
 */
struct ipvs_snap_state {
	struct ipvs_sched_state	base;
	struct ipvs_snap __rcu	*snap;
};

static inline struct ipvs_snap_state *ipvs_to_snap_state(struct ipvs_sched_state *st)
{
	return container_of(st, struct ipvs_snap_state, base);
}

/* A state of @size bytes beginning with a struct ipvs_snap_state. */
static inline struct ipvs_sched_state *ipvs_snap_state_new(struct ipvs_service *svc,
							  size_t size)
{
	struct ipvs_snap_state *s;
	struct ipvs_snap *snap;

	s = kzalloc(size, GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	snap = ipvs_snap_build(svc);
	if (!snap) {
		kfree(s);
		return ERR_PTR(-ENOMEM);
	}
	RCU_INIT_POINTER(s->snap, snap);
	return &s->base;
}

static inline struct ipvs_sched_state *ipvs_snap_init_service(struct ipvs_service *svc)
{
	return ipvs_snap_state_new(svc, sizeof(struct ipvs_snap_state));
}

static inline void ipvs_snap_done_service(struct ipvs_service *svc,
					  struct ipvs_sched_state *st)
{
	struct ipvs_snap_state *s = ipvs_to_snap_state(st);

	ipvs_snap_free(rcu_dereference_protected(s->snap, 1));
	kfree_rcu(s, base.rcu);
}

static inline int ipvs_snap_add_dest(struct ipvs_service *svc,
				     struct ipvs_sched_state *st,
				     struct ipvs_dest *dest)
{
	return ipvs_snap_refresh(svc, &ipvs_to_snap_state(st)->snap);
}

static inline void ipvs_snap_del_dest(struct ipvs_service *svc,
				      struct ipvs_sched_state *st,
				      struct ipvs_dest *dest)
{
	ipvs_snap_remove(svc, &ipvs_to_snap_state(st)->snap, dest);
}

/* The snapshot to scan, from schedule() (under rcu_read_lock()). */
static inline struct ipvs_snap *ipvs_snap_get(struct ipvs_sched_state *st)
{
	return rcu_dereference(ipvs_to_snap_state(st)->snap);
}

/*
 * A scratch copy of the destination list for schedulers that rebuild a
 * lookup table from it on every change (sh, dh). Only the config path uses
 * it. Its capacity only grows, and only add_dest/init_service can need
 * more, so del_dest and upd_dest, which must not fail, never allocate.
 */
struct ipvs_dvec {
	struct ipvs_dest	**d;
	unsigned int		n;
	unsigned int		cap;
};

/* Copy the list into @v, growing it if @svc has more destinations. */
static inline int ipvs_dvec_load(struct ipvs_service *svc, struct ipvs_dvec *v)
{
	struct ipvs_dest *dest, **d;
	unsigned int i = 0, cap;

	if (svc->num_dests > v->cap) {
		cap = max(svc->num_dests, 2 * v->cap);
		d = kmalloc_array(cap, sizeof(*d), GFP_KERNEL);
		if (!d)
			return -ENOMEM;
		kfree(v->d);
		v->d = d;
		v->cap = cap;
	}
	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (WARN_ON_ONCE(i >= v->cap))
			break;
		v->d[i++] = dest;
	}
	v->n = i;
	return 0;
}

static inline void ipvs_dvec_free(struct ipvs_dvec *v)
{
	kfree(v->d);
	v->d = NULL;
	v->n = v->cap = 0;
}

/*
 * Destination references held by scheduler caches (lblc, lblcr), as
 * upstream's caches hold them: a referenced destination stays in the trash
 * after deletion instead of being freed, and comes back as the same object
 * if re-added. The list or trash always holds one reference of its own, so
 * these never drop the last one.
 */
static inline void ipvs_sched_dest_hold(struct ipvs_dest *dest)
{
	refcount_inc(&dest->refcnt);
}

static inline void ipvs_sched_dest_put(struct ipvs_dest *dest)
{
	refcount_dec(&dest->refcnt);
}

#endif /* _IPVS_SCHED_SNAP_H */
