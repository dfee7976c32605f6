// SPDX-License-Identifier: GPL-2.0
/*
 * Round-robin scheduler (ip_vs_rr.ko).
 *
 * Walks the service's destinations in list order, starting after the last
 * one picked, and takes the first that is not overloaded and has a non-zero
 * weight: upstream's algorithm and order.
 *
 * No lock on the scheduling path. The state is an immutable snapshot of the
 * destination list plus a cursor (index of the last pick). Concurrent
 * schedulers advance the cursor with cmpxchg, so every pick is still
 * "the next one after the previous pick". Membership changes (under the
 * config mutex) build a new snapshot, carry the cursor over to the same
 * destination (or, if it was deleted, to its predecessor, as upstream does)
 * and publish it with RCU.
 *
 * A deletion cannot fail: if the new snapshot cannot be allocated, the
 * deleted destination's slot in the current one is cleared in place, and
 * readers skip empty slots. (Readers that already loaded the pointer are
 * safe: destinations are freed through RCU.)
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/overflow.h>
#include <ipvs/sched.h>

struct ipvs_rr_state {
	struct ipvs_sched_state	base;
	int			last;	/* index of the last pick, -1: none */
	unsigned int		n;
	struct ipvs_dest	*dests[];	/* list order; NULL: deleted */
};

static struct ipvs_rr_state *to_rr(struct ipvs_sched_state *st)
{
	return container_of(st, struct ipvs_rr_state, base);
}

/* Snapshot the list; keep the cursor on the destination @old pointed at. */
static struct ipvs_rr_state *ipvs_rr_build(struct ipvs_service *svc,
					   struct ipvs_rr_state *old)
{
	struct ipvs_dest *dest, *cur = NULL;
	struct ipvs_rr_state *s;
	unsigned int i = 0;
	int last;

	s = kvzalloc(struct_size(s, dests, svc->num_dests), GFP_KERNEL);
	if (!s)
		return NULL;

	/* The last pick, or its nearest surviving predecessor. */
	if (old) {
		for (last = READ_ONCE(old->last); last >= 0; last--) {
			dest = old->dests[last];
			if (dest && (READ_ONCE(dest->flags) & IP_VS_DEST_F_AVAILABLE)) {
				cur = dest;
				break;
			}
		}
	}

	s->last = -1;
	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (WARN_ON_ONCE(i >= svc->num_dests))
			break;
		if (dest == cur)
			s->last = i;
		s->dests[i++] = dest;
	}
	s->n = i;
	return s;
}

static struct ipvs_sched_state *ipvs_rr_init_service(struct ipvs_service *svc)
{
	struct ipvs_rr_state *s = ipvs_rr_build(svc, NULL);

	return s ? &s->base : ERR_PTR(-ENOMEM);
}

static void ipvs_rr_done_service(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	kvfree_rcu(to_rr(st), base.rcu);
}

static int ipvs_rr_add_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			    struct ipvs_dest *dest)
{
	struct ipvs_rr_state *old = to_rr(st), *s;

	/* A failed add is undone by the core: leave the old state as is. */
	s = ipvs_rr_build(svc, old);
	if (!s)
		return -ENOMEM;
	s->base.sched = st->sched;
	ipvs_sched_publish(svc, &s->base);
	kvfree_rcu(old, base.rcu);
	return 0;
}

static void ipvs_rr_del_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			     struct ipvs_dest *dest)
{
	struct ipvs_rr_state *old = to_rr(st), *s;
	unsigned int i;

	s = ipvs_rr_build(svc, old);
	if (s) {
		s->base.sched = st->sched;
		ipvs_sched_publish(svc, &s->base);
		kvfree_rcu(old, base.rcu);
		return;
	}
	for (i = 0; i < old->n; i++) {
		if (old->dests[i] == dest)
			WRITE_ONCE(old->dests[i], NULL);
	}
}

static int ipvs_rr_next(const struct ipvs_rr_state *s, int last)
{
	struct ipvs_dest *dest;
	unsigned int i;
	int idx;

	for (i = 1; i <= s->n; i++) {
		idx = (last + i) % s->n;
		dest = READ_ONCE(s->dests[idx]);
		if (dest && ipvs_dest_usable(dest, 1))
			return idx;
	}
	return -1;
}

static struct ipvs_dest *ipvs_rr_schedule(struct ipvs_service *svc,
					  struct ipvs_sched_state *st,
					  const struct sk_buff *skb,
					  const struct ipvs_iphdr *iph)
{
	struct ipvs_rr_state *s = to_rr(st);
	struct ipvs_dest *dest;
	int last, idx;

	last = READ_ONCE(s->last);
	do {
		idx = ipvs_rr_next(s, last);
		if (idx < 0) {
			ipvs_sched_err(svc, "no destination available");
			return NULL;
		}
		dest = READ_ONCE(s->dests[idx]);
	} while (!try_cmpxchg(&s->last, &last, idx));
	return dest;
}

static struct ipvs_scheduler ipvs_rr_scheduler = {
	.name		= "rr",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_rr_init_service,
	.done_service	= ipvs_rr_done_service,
	.add_dest	= ipvs_rr_add_dest,
	.del_dest	= ipvs_rr_del_dest,
	.schedule	= ipvs_rr_schedule,
};

static int __init ipvs_rr_init(void)
{
	return ipvs_sched_register(&ipvs_rr_scheduler);
}

static void __exit ipvs_rr_exit(void)
{
	ipvs_sched_unregister(&ipvs_rr_scheduler);
}

module_init(ipvs_rr_init);
module_exit(ipvs_rr_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng round-robin scheduler");
