/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Weight-ordered snapshots for fo and ovf (header only, inlined into those
 * two modules).
 *
 * Both rules want the highest weight among the destinations that qualify,
 * the first in list order on a tie, and a weight of 0 never qualifies.
 * Walking the destinations of positive weight by decreasing weight, list
 * order among equals, the first one that qualifies is that answer: one step
 * in the usual case instead of a pass over every destination (measured with
 * 1,024 servers: bench/sched.sh). Weight-0 destinations are left out when
 * the order is built; the walk still reads live weights, so a destination
 * set to 0 (drained) is skipped even before upd_dest has rebuilt the order.
 *
 * The order depends on weights, so upd_dest rebuilds it as well as
 * add_dest and del_dest (config path, svc->ipvs->lock held). It only
 * speeds things up: when it cannot be allocated the state holds NULL and
 * schedule() scans the list-order snapshot of sched_snap.h instead, which
 * gives the same answers. The flags (overload) are read live either way.
 */
#ifndef _IPVS_SCHED_WSNAP_H
#define _IPVS_SCHED_WSNAP_H

#include <linux/sort.h>
#include <ipvs/sched_snap.h>

struct ipvs_wsnap_state {
	struct ipvs_snap_state	snap;		/* list order, always there */
	struct ipvs_snap __rcu	*by_weight;	/* NULL: could not be built */
};

struct ipvs_wsnap_key {
	int			w;
	unsigned int		pos;		/* in list order */
	struct ipvs_dest	*d;
};

/* Decreasing weight, then list order: a total order, so any sort is stable. */
static inline int ipvs_wsnap_cmp(const void *a, const void *b)
{
	const struct ipvs_wsnap_key *x = a, *y = b;

	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static inline struct ipvs_snap *ipvs_wsnap_build(struct ipvs_service *svc)
{
	unsigned int i = 0, pos = 0, n = svc->num_dests;
	struct ipvs_wsnap_key *k;
	struct ipvs_dest *dest;
	struct ipvs_snap *s;

	/* Optional (see above): no allocation warning when it fails. */
	s = kmalloc(struct_size(s, dests, n), GFP_KERNEL | __GFP_NOWARN);
	k = kmalloc_array(max(n, 1U), sizeof(*k), GFP_KERNEL | __GFP_NOWARN);
	if (!s || !k) {
		kfree(k);
		kfree(s);
		return NULL;
	}
	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (WARN_ON_ONCE(pos >= n))
			break;
		k[i].w = atomic_read(&dest->weight);
		k[i].pos = pos++;
		k[i].d = dest;
		if (k[i].w > 0)
			i++;
	}
	sort(k, i, sizeof(*k), ipvs_wsnap_cmp, NULL);
	for (s->n = 0; s->n < i; s->n++)
		s->dests[s->n] = k[s->n].d;
	kfree(k);
	return s;
}

static inline struct ipvs_wsnap_state *ipvs_to_wsnap_state(struct ipvs_sched_state *st)
{
	return container_of(ipvs_to_snap_state(st), struct ipvs_wsnap_state, snap);
}

/* Replace the weight order; the old one is stale (or holds a deleted
 * destination) whether or not a new one could be built.
 */
static inline void ipvs_wsnap_refresh(struct ipvs_service *svc,
				      struct ipvs_sched_state *st)
{
	struct ipvs_wsnap_state *s = ipvs_to_wsnap_state(st);
	struct ipvs_snap *old = ipvs_snap_cur(svc, &s->by_weight);

	rcu_assign_pointer(s->by_weight, ipvs_wsnap_build(svc));
	ipvs_snap_free(old);
}

static inline struct ipvs_sched_state *ipvs_wsnap_init_service(struct ipvs_service *svc)
{
	struct ipvs_sched_state *st;

	st = ipvs_snap_state_new(svc, sizeof(struct ipvs_wsnap_state));
	if (!IS_ERR(st))
		RCU_INIT_POINTER(ipvs_to_wsnap_state(st)->by_weight, ipvs_wsnap_build(svc));
	return st;
}

static inline void ipvs_wsnap_done_service(struct ipvs_service *svc,
					   struct ipvs_sched_state *st)
{
	ipvs_snap_free(rcu_dereference_protected(ipvs_to_wsnap_state(st)->by_weight, 1));
	ipvs_snap_done_service(svc, st);
}

static inline int ipvs_wsnap_add_dest(struct ipvs_service *svc,
				      struct ipvs_sched_state *st,
				      struct ipvs_dest *dest)
{
	int ret = ipvs_snap_add_dest(svc, st, dest);

	if (!ret)
		ipvs_wsnap_refresh(svc, st);
	return ret;
}

static inline void ipvs_wsnap_del_dest(struct ipvs_service *svc,
				       struct ipvs_sched_state *st,
				       struct ipvs_dest *dest)
{
	ipvs_snap_del_dest(svc, st, dest);
	ipvs_wsnap_refresh(svc, st);
}

static inline void ipvs_wsnap_upd_dest(struct ipvs_service *svc,
				       struct ipvs_sched_state *st,
				       struct ipvs_dest *dest)
{
	ipvs_wsnap_refresh(svc, st);
}

/* The weight order to walk, or NULL (scan ipvs_snap_get(st) instead). */
static inline struct ipvs_snap *ipvs_wsnap_get(struct ipvs_sched_state *st)
{
	return rcu_dereference(ipvs_to_wsnap_state(st)->by_weight);
}

#endif /* _IPVS_SCHED_WSNAP_H */
