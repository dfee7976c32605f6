// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted round-robin scheduler (ip_vs_wrr.ko).
 *
 * Upstream's algorithm: with mw the largest weight and di the gcd of the
 * weights, passes over the destination list pick every destination whose
 * weight is >= cw, and cw steps down by di after each pass, from
 * mw - (di - 1) to 1, then starts over. (The -(di - 1) makes the last pass
 * run at cw = 1, so a weight lowered below di meanwhile is still served.)
 *
 * Why no lock on the scheduling path: the position is two numbers (list
 * index, cw) that must move together. They are packed into one 64-bit word
 * and advanced with cmpxchg; a scheduler that loses the race recomputes
 * from the winner's position. Everything else the algorithm needs (the
 * destination list, mw, di) is an immutable snapshot published with RCU and
 * rebuilt under the config mutex on every add/delete/weight change, which
 * also resets the position to the list head as upstream does. Updates
 * therefore need no lock of their own either: the config mutex serialises
 * them, and readers only ever see a complete snapshot.
 *
 * Deletes and weight changes cannot fail: if the new snapshot cannot be
 * allocated, the current one is patched in place instead (the deleted
 * slot cleared, mw and di recomputed, the position reset). Readers then
 * may see mw and di from before and after the change within one decision,
 * which the algorithm tolerates as it tolerates concurrent weight changes.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/gcd.h>
#include <linux/overflow.h>
#include <ipvs/sched.h>

struct ipvs_wrr_state {
	struct ipvs_sched_state	base;
	atomic64_t		pos;	/* see ipvs_wrr_pos() */
	int			mw;	/* max weight - (di - 1) */
	int			di;	/* gcd of the positive weights */
	unsigned int		n;
	struct ipvs_dest	*dests[];	/* list order; NULL: deleted */
};

/* Position: index of the current destination (-1: list head) and cw. */
static s64 ipvs_wrr_pos(int idx, int cw)
{
	return (s64)(((u64)(u32)(idx + 1) << 32) | (u32)cw);
}

static int ipvs_wrr_pos_idx(s64 pos)
{
	return (int)((u64)pos >> 32) - 1;
}

static int ipvs_wrr_pos_cw(s64 pos)
{
	return (int)(u32)pos;
}

static struct ipvs_wrr_state *to_wrr(struct ipvs_sched_state *st)
{
	return container_of(st, struct ipvs_wrr_state, base);
}

/* mw and di of the destinations in @svc's list, upstream's definitions. */
static void ipvs_wrr_weights(struct ipvs_service *svc, int *mw, int *di)
{
	struct ipvs_dest *dest;
	int w, g = 0, max = 0;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		w = atomic_read(&dest->weight);
		if (w > 0)
			g = g ? gcd(w, g) : w;
		if (w > max)
			max = w;
	}
	*di = g ? g : 1;
	*mw = max - (*di - 1);
}

/* Keep the current weight across a change, snapped to the new grid. */
static s64 ipvs_wrr_reset_pos(int old_cw, int mw, int di)
{
	int cw = old_cw;

	if (cw > mw || !cw)
		cw = mw;
	else if (di > 1)
		cw = (cw / di) * di + 1;
	return ipvs_wrr_pos(-1, cw);
}

static struct ipvs_wrr_state *ipvs_wrr_build(struct ipvs_service *svc,
					     struct ipvs_wrr_state *old)
{
	struct ipvs_wrr_state *s;
	struct ipvs_dest *dest;
	unsigned int i = 0;
	int old_cw;

	s = kvzalloc(struct_size(s, dests, svc->num_dests), GFP_KERNEL);
	if (!s)
		return NULL;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (WARN_ON_ONCE(i >= svc->num_dests))
			break;
		s->dests[i++] = dest;
	}
	s->n = i;
	ipvs_wrr_weights(svc, &s->mw, &s->di);
	old_cw = old ? ipvs_wrr_pos_cw(atomic64_read(&old->pos)) : 0;
	atomic64_set(&s->pos, ipvs_wrr_reset_pos(old_cw, s->mw, s->di));
	return s;
}

static struct ipvs_sched_state *ipvs_wrr_init_service(struct ipvs_service *svc)
{
	struct ipvs_wrr_state *s = ipvs_wrr_build(svc, NULL);

	return s ? &s->base : ERR_PTR(-ENOMEM);
}

static void ipvs_wrr_done_service(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	kvfree_rcu(to_wrr(st), base.rcu);
}

static int ipvs_wrr_replace(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	struct ipvs_wrr_state *old = to_wrr(st), *s;

	s = ipvs_wrr_build(svc, old);
	if (!s)
		return -ENOMEM;
	s->base.sched = st->sched;
	ipvs_sched_publish(svc, &s->base);
	kvfree_rcu(old, base.rcu);
	return 0;
}

/* Fallback when no new snapshot can be had: patch the current one. */
static void ipvs_wrr_patch(struct ipvs_service *svc, struct ipvs_wrr_state *s,
			   struct ipvs_dest *gone)
{
	unsigned int i;
	int mw, di;

	for (i = 0; gone && i < s->n; i++) {
		if (s->dests[i] == gone)
			WRITE_ONCE(s->dests[i], NULL);
	}
	ipvs_wrr_weights(svc, &mw, &di);
	WRITE_ONCE(s->mw, mw);
	WRITE_ONCE(s->di, di);
	atomic64_set(&s->pos, ipvs_wrr_reset_pos(ipvs_wrr_pos_cw(atomic64_read(&s->pos)),
						 mw, di));
}

static int ipvs_wrr_add_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			     struct ipvs_dest *dest)
{
	return ipvs_wrr_replace(svc, st);
}

static void ipvs_wrr_del_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			      struct ipvs_dest *dest)
{
	if (ipvs_wrr_replace(svc, st))
		ipvs_wrr_patch(svc, to_wrr(st), dest);
}

static void ipvs_wrr_upd_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			      struct ipvs_dest *dest)
{
	if (ipvs_wrr_replace(svc, st))
		ipvs_wrr_patch(svc, to_wrr(st), NULL);
}

/* One scheduling decision from position @pos: returns the chosen index (or
 * -1) and stores the position to move to in @next. Upstream's loop, over
 * the snapshot array instead of the list.
 */
static int ipvs_wrr_step(const struct ipvs_wrr_state *s, int mw, int di, s64 pos,
			 s64 *next)
{
	int last = ipvs_wrr_pos_idx(pos), cw = ipvs_wrr_pos_cw(pos);
	bool last_pass = false, restarted = false;
	int i = last, stop = -2;
	struct ipvs_dest *dest;

	if (mw <= 0) {
		*next = pos;
		return -1;
	}

	for (;;) {
		for (i = i + 1; i < (int)s->n; i++) {
			dest = READ_ONCE(s->dests[i]);
			if (dest && ipvs_dest_usable(dest, cw)) {
				*next = ipvs_wrr_pos(i, cw);
				return i;
			}
			if (i == stop)
				goto overloaded;
		}
		i = -1;
		cw -= di;
		if (cw <= 0) {
			cw = mw;
			/* Every destination was tried at weight >= 1 already. */
			if (last_pass || last == -1)
				goto overloaded;
			restarted = true;
		}
		last_pass = cw <= di;
		/* The first w >= 1 pass began after @last; finish at @last. */
		if (last_pass && restarted && last != -1)
			stop = last;
	}

overloaded:
	*next = ipvs_wrr_pos(i, cw);
	return -1;
}

static struct ipvs_dest *ipvs_wrr_schedule(struct ipvs_service *svc,
					   struct ipvs_sched_state *st,
					   const struct sk_buff *skb,
					   const struct ipvs_iphdr *iph)
{
	struct ipvs_wrr_state *s = to_wrr(st);
	int idx, mw = READ_ONCE(s->mw), di = READ_ONCE(s->di);
	s64 pos, next;

	pos = atomic64_read(&s->pos);
	do {
		idx = ipvs_wrr_step(s, mw, di, pos, &next);
	} while (!atomic64_try_cmpxchg(&s->pos, &pos, next));

	if (idx >= 0)
		return READ_ONCE(s->dests[idx]);
	if (mw <= 0)
		ipvs_sched_err(svc, "no destination available");
	else
		ipvs_sched_err(svc, "no destination available: all destinations are overloaded");
	return NULL;
}

static struct ipvs_scheduler ipvs_wrr_scheduler = {
	.name		= "wrr",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_wrr_init_service,
	.done_service	= ipvs_wrr_done_service,
	.add_dest	= ipvs_wrr_add_dest,
	.del_dest	= ipvs_wrr_del_dest,
	.upd_dest	= ipvs_wrr_upd_dest,
	.schedule	= ipvs_wrr_schedule,
};

static int __init ipvs_wrr_init(void)
{
	return ipvs_sched_register(&ipvs_wrr_scheduler);
}

static void __exit ipvs_wrr_exit(void)
{
	ipvs_sched_unregister(&ipvs_wrr_scheduler);
}

module_init(ipvs_wrr_init);
module_exit(ipvs_wrr_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng weighted round-robin scheduler");
