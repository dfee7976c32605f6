/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduler API exported by ip_vs.ko to scheduler modules (ip_vs_rr.ko, ...).
 *
 * A scheduler keeps per-service state in its own type that embeds
 * struct ipvs_sched_state; the core publishes it in svc->sched_state with a
 * single RCU pointer and recovers the scheduler from state->sched, so the
 * (scheduler, state) pair always changes atomically.
 *
 * Calling context:
 *   init_service, add_dest, del_dest, upd_dest, done_service: process
 *	context, svc->ipvs->lock held (may sleep, may allocate GFP_KERNEL).
 *   schedule: any context, under rcu_read_lock() only; must not sleep.
 *
 * The state passed to the hooks is the currently published one. A hook that
 * needs a new state builds it, publishes it with ipvs_sched_publish() and
 * frees the old one with kvfree_rcu(). init_service must not publish: it
 * returns the state and the core publishes it once every other check of the
 * operation passed, so a failed operation leaves the service untouched.
 *
 * Modules: a service does not pin its scheduler's module. Unregistering a
 * scheduler detaches it from every service that uses it (they fall back to
 * "none") and waits for an RCU grace period, so schedule() can no longer be
 * running when the module's text goes away. States must therefore be freed
 * with kfree_rcu() or kvfree_rcu() (never call_rcu() with a callback in the module).
 */
#ifndef _IPVS_SCHED_H
#define _IPVS_SCHED_H

#include <linux/module.h>
#include <ipvs/ipvs.h>

struct sk_buff;
struct ipvs_iphdr;	/* parsed packet headers, defined by the packet path */
struct ipvs_scheduler;

struct ipvs_sched_state {
	const struct ipvs_scheduler	*sched;
	struct rcu_head			rcu;
};

struct ipvs_scheduler {
	struct list_head	n_list;		/* registry, private to the core */
	const char		*name;		/* < IP_VS_SCHEDNAME_MAXLEN */
	struct module		*owner;

	struct ipvs_sched_state *(*init_service)(struct ipvs_service *svc);
	void (*done_service)(struct ipvs_service *svc, struct ipvs_sched_state *st);

	/* @dest is already linked (add) or already unlinked (del). add_dest
	 * may fail, and the core then unlinks the destination again; del_dest
	 * and upd_dest must cope without failing.
	 */
	int (*add_dest)(struct ipvs_service *svc, struct ipvs_sched_state *st,
			struct ipvs_dest *dest);
	void (*del_dest)(struct ipvs_service *svc, struct ipvs_sched_state *st,
			 struct ipvs_dest *dest);
	void (*upd_dest)(struct ipvs_service *svc, struct ipvs_sched_state *st,
			 struct ipvs_dest *dest);

	/* @skb and @iph are NULL until the packet path exists. */
	struct ipvs_dest *(*schedule)(struct ipvs_service *svc,
				      struct ipvs_sched_state *st,
				      const struct sk_buff *skb,
				      const struct ipvs_iphdr *iph);
};

int ipvs_sched_register(struct ipvs_scheduler *sched);
void ipvs_sched_unregister(struct ipvs_scheduler *sched);
void ipvs_sched_publish(struct ipvs_service *svc, struct ipvs_sched_state *st);
void ipvs_sched_err(const struct ipvs_service *svc, const char *msg);

/* Core side (sched.c), used by service.c. */
struct ipvs_scheduler *ipvs_sched_get(const char *name);
void ipvs_sched_put(struct ipvs_scheduler *sched);
struct ipvs_sched_state *ipvs_sched_state_new(struct ipvs_scheduler *sched,
					      struct ipvs_service *svc);
void ipvs_sched_state_free(struct ipvs_service *svc, struct ipvs_sched_state *st);
struct ipvs_dest *ipvs_schedule(struct ipvs_service *svc, const struct sk_buff *skb,
				const struct ipvs_iphdr *iph);

/* The published state, for hooks running under the config mutex. */
static inline struct ipvs_sched_state *ipvs_sched_state(const struct ipvs_service *svc)
{
	return rcu_dereference_protected(svc->sched_state,
					 lockdep_is_held(&svc->ipvs->lock));
}

/* -1: overloaded; else the weight. What lc, wlc, sed and nq scan. */
static inline int ipvs_d_sched_weight(const struct ipvs_dest *d)
{
	return READ_ONCE(d->sched_weight);
}

/* Can @dest take a new connection? Read locklessly on the packet path. */
static inline bool ipvs_dest_usable(const struct ipvs_dest *dest, int min_weight)
{
	return !(READ_ONCE(dest->flags) & IP_VS_DEST_F_OVERLOAD) &&
	       atomic_read(&dest->weight) >= min_weight;
}

#endif /* _IPVS_SCHED_H */
