/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decision rules of the schedulers that scan the destinations and compare
 * connection counts: lc, wlc, sed, nq, fo, ovf, twos, and the parts of lblc
 * and lblcr that pick a destination.
 *
 * Pure logic: every function works on an array of destination pointers in
 * service list order (the order ipvsadm lists them, newest first). A
 * destination deleted in place is a NULL slot, or, in the snapshots that
 * lc, wlc, sed and nq scan, the overloaded ipvs_snap_hole (sched_snap.h):
 * those four read only ipvs_d_sched_weight() to decide who may take a
 * connection, which keeps their per-destination loop as short as it can
 * be. Every rule skips both kinds of hole. Nothing here
 * allocates, locks or sleeps, and the only kernel facilities used are
 * atomic_read() and READ_ONCE() on struct ipvs_dest, so the same code is
 * compiled into the modules and into the host unit tests
 * (tests/unit/sched/, against a shim <ipvs/sched.h>).
 *
 * Every rule reproduces upstream IPVS decision for decision: the same
 * iteration order, the same strict comparisons (so ties go to the earliest
 * destination in list order), the same integer widths. Where upstream
 * multiplies ints that could in theory overflow, the arithmetic is done on
 * the same widths here so even those corner cases agree.
 */
#ifndef _IPVS_SCHED_CONN_LOGIC_H
#define _IPVS_SCHED_CONN_LOGIC_H

#include <ipvs/sched.h>

/*
 * The scans of lc, wlc, sed and nq run once per new connection over every
 * destination; unrolled, the loop's own increment and compare are paid
 * once per four destinations. Counted with callgrind at 1,024 servers,
 * instructions per destination: lc 12, wlc 18, sed 16, nq 18; upstream's
 * list walks take lc 16, wlc 18.
 */
#define IPVS_SCAN_UNROLL	_Pragma("GCC unroll 4")

static inline int ipvs_d_weight(const struct ipvs_dest *d)
{
	return atomic_read(&d->weight);
}

static inline int ipvs_d_active(const struct ipvs_dest *d)
{
	return atomic_read(&d->activeconns);
}

static inline bool ipvs_d_overloaded(const struct ipvs_dest *d)
{
	return READ_ONCE(d->flags) & IP_VS_DEST_F_OVERLOAD;
}

static inline bool ipvs_d_available(const struct ipvs_dest *d)
{
	return READ_ONCE(d->flags) & IP_VS_DEST_F_AVAILABLE;
}

/*
 * Load estimate shared by lc, wlc, lblc and lblcr: an active connection
 * costs 256 times an inactive one. Computed on u32 so that the wrap-around
 * upstream's int shift would produce is reproduced without undefined
 * behaviour; wlc-style callers reinterpret it as int, as upstream does.
 */
static inline u32 ipvs_d_overhead(const struct ipvs_dest *d)
{
	return ((u32)atomic_read(&d->activeconns) << 8) +
	       (u32)atomic_read(&d->inactconns);
}

/* Expected-delay load of sed and nq: active connections plus this one. */
static inline int ipvs_d_sed_overhead(const struct ipvs_dest *d)
{
	return (int)((u32)atomic_read(&d->activeconns) + 1);
}

/*
 * lc: the usable destination (not overloaded, weight != 0) with the
 * smallest overhead, compared unsigned; the first one wins ties. Nothing
 * is below 0, so the first idle destination ends the scan early with the
 * answer the full scan would give.
 */
static inline struct ipvs_dest *ipvs_lc_pick(struct ipvs_dest *const *dests,
					     unsigned int n)
{
	struct ipvs_dest *d, *least = NULL;
	u64 loh = ~0ULL;	/* above any u32: the first usable one wins */
	unsigned int i;
	u32 doh;

	IPVS_SCAN_UNROLL
	for (i = 0; i < n; i++) {
		d = READ_ONCE(dests[i]);
		if (ipvs_d_sched_weight(d) <= 0)
			continue;
		doh = ipvs_d_overhead(d);
		if (doh < loh) {
			least = d;
			loh = doh;
			if (!loh)
				break;
		}
	}
	return least;
}

/*
 * The weighted least-load scan of wlc, sed, lblc and lblcr: start from the
 * first destination that is not overloaded and has a positive weight, then
 * move to any later non-overloaded destination whose load per weight is
 * strictly lower (loh * w_d > doh * w_least, in 64 bits). Later
 * destinations are not filtered on weight, exactly as upstream: a weight of
 * 0 makes the left side 0, so they can only win with a negative overhead.
 */
static inline struct ipvs_dest *
ipvs_wlc_scan(struct ipvs_dest *const *dests, unsigned int n, bool sed)
{
	struct ipvs_dest *d, *least = NULL;
	s64 loh = 1, lw = 0;	/* none yet: any weight > 0 wins */
	unsigned int i;
	int doh, w;

	IPVS_SCAN_UNROLL
	for (i = 0; i < n; i++) {
		d = READ_ONCE(dests[i]);
		w = ipvs_d_sched_weight(d);
		if (w < 0)
			continue;
		doh = sed ? ipvs_d_sed_overhead(d) : (int)ipvs_d_overhead(d);
		if (loh * w > (s64)doh * lw) {
			least = d;
			loh = doh;
			lw = w;
		}
	}
	return least;
}

/* wlc, and the "weighted least-connection node" of lblc and lblcr. */
static inline struct ipvs_dest *ipvs_wlc_pick(struct ipvs_dest *const *dests,
					      unsigned int n)
{
	return ipvs_wlc_scan(dests, n, false);
}

/* sed: as wlc, with (activeconns + 1) as the load. */
static inline struct ipvs_dest *ipvs_sed_pick(struct ipvs_dest *const *dests,
					      unsigned int n)
{
	return ipvs_wlc_scan(dests, n, true);
}

/*
 * nq: the first usable destination with no active connection, else the
 * sed choice among usable destinations (weight-0 ones are skipped here,
 * unlike in the wlc scan, as upstream does).
 */
static inline struct ipvs_dest *ipvs_nq_pick(struct ipvs_dest *const *dests,
					     unsigned int n)
{
	struct ipvs_dest *d, *least = NULL;
	s64 loh = 1, lw = 0;	/* none yet: any weight > 0 wins */
	unsigned int i;
	int doh, w;

	IPVS_SCAN_UNROLL
	for (i = 0; i < n; i++) {
		d = READ_ONCE(dests[i]);
		w = ipvs_d_sched_weight(d);
		if (w <= 0)
			continue;
		doh = ipvs_d_sed_overhead(d);
		if (doh == 1)		/* no active connection */
			return d;
		if (loh * w > (s64)doh * lw) {
			least = d;
			loh = doh;
			lw = w;
		}
	}
	return least;
}

/* fo: the non-overloaded destination with the highest weight (> 0), first wins. */
static inline struct ipvs_dest *ipvs_fo_pick(struct ipvs_dest *const *dests,
					     unsigned int n)
{
	struct ipvs_dest *d, *best = NULL;
	int hw = 0, w;
	unsigned int i;

	for (i = 0; i < n; i++) {
		d = READ_ONCE(dests[i]);
		if (!d || ipvs_d_overloaded(d))
			continue;
		w = ipvs_d_weight(d);
		if (w > hw) {
			best = d;
			hw = w;
		}
	}
	return best;
}

/*
 * ovf: the highest-weight destination that is not overloaded, has a
 * non-zero weight and does not have more active connections than its
 * weight; the first one wins ties.
 */
static inline struct ipvs_dest *ipvs_ovf_pick(struct ipvs_dest *const *dests,
					      unsigned int n)
{
	struct ipvs_dest *d, *best = NULL;
	int hw = 0, w;
	unsigned int i;

	for (i = 0; i < n; i++) {
		d = READ_ONCE(dests[i]);
		if (!d)
			continue;
		w = ipvs_d_weight(d);
		if (ipvs_d_overloaded(d) || ipvs_d_active(d) > w || w == 0)
			continue;
		if (!best || w > hw) {
			best = d;
			hw = w;
		}
	}
	return best;
}

/*
 * fo and ovf over the destinations of positive weight sorted by decreasing
 * weight, list order among equals (sched_wsnap.h): the first one that
 * qualifies is the one the list scans above return. Weights are read live:
 * one set to 0 since the order was built is skipped, not taken for the end
 * (the rest may still qualify). An overloaded destination reads as weight
 * -1. ovf also wants room: no more active connections than the weight.
 */
static inline struct ipvs_dest *ipvs_weight_walk(struct ipvs_dest *const *dests,
						 unsigned int n, bool room)
{
	struct ipvs_dest *d;
	unsigned int i;
	int w;

	for (i = 0; i < n; i++) {
		d = READ_ONCE(dests[i]);
		w = ipvs_d_sched_weight(d);
		if (w > 0 && (!room || ipvs_d_active(d) <= w))
			return d;
	}
	return NULL;
}

static inline struct ipvs_dest *ipvs_fo_pick_sorted(struct ipvs_dest *const *dests,
						    unsigned int n)
{
	return ipvs_weight_walk(dests, n, false);
}

static inline struct ipvs_dest *ipvs_ovf_pick_sorted(struct ipvs_dest *const *dests,
						     unsigned int n)
{
	return ipvs_weight_walk(dests, n, true);
}

/*
 * twos, first pass: the total weight of the eligible destinations (not
 * overloaded, weight > 0) and the last of them, which is what upstream
 * returns if the second pass finds nothing (only possible when weights
 * change between the passes). Returns NULL when none is eligible.
 */
static inline struct ipvs_dest *ipvs_twos_total(struct ipvs_dest *const *dests,
						unsigned int n, int *total)
{
	struct ipvs_dest *d, *last = NULL;
	unsigned int i;
	int w, sum = 0;

	for (i = 0; i < n; i++) {
		d = READ_ONCE(dests[i]);
		if (!d || ipvs_d_overloaded(d))
			continue;
		w = ipvs_d_weight(d);
		if (w > 0) {
			sum += w;
			last = d;
		}
	}
	*total = sum;
	return last;
}

/*
 * twos, second pass. @r1 and @r2 are uniform in [0, total] (the caller
 * draws them below total + 1). Each picks, by weight, the first eligible
 * destination at which the running sum of weights reaches it, so the
 * first eligible destination also takes r == 0. Of the two, the second
 * replaces the first only if its overhead per weight is strictly lower;
 * upstream compares int products, reproduced here with wrap-around.
 */
static inline struct ipvs_dest *ipvs_twos_pick(struct ipvs_dest *const *dests,
					       unsigned int n,
					       struct ipvs_dest *choice1,
					       int r1, int r2)
{
	struct ipvs_dest *d, *choice2 = NULL;
	int w1 = -1, w2 = -1, oh1 = 0, oh2 = 0, w;
	unsigned int i;

	for (i = 0; i < n; i++) {
		d = READ_ONCE(dests[i]);
		if (!d || ipvs_d_overloaded(d))
			continue;
		w = ipvs_d_weight(d);
		if (w <= 0)
			continue;
		r1 -= w;
		r2 -= w;
		if (r1 <= 0 && w1 == -1) {
			choice1 = d;
			w1 = w;
			oh1 = (int)ipvs_d_overhead(d);
		}
		if (r2 <= 0 && w2 == -1) {
			choice2 = d;
			w2 = w;
			oh2 = (int)ipvs_d_overhead(d);
		}
		if (w1 != -1 && w2 != -1)
			break;
	}
	if (choice2 &&
	    (int)((u32)w2 * (u32)oh1) > (int)((u32)w1 * (u32)oh2))
		choice1 = choice2;
	return choice1;
}

/*
 * lblc/lblcr: a cached destination counts as overloaded when it has more
 * active connections than its weight while some destination of the
 * service (any, overloaded or not) is below half of its own weight.
 */
static inline bool ipvs_lblc_overloaded(const struct ipvs_dest *dest,
					struct ipvs_dest *const *dests,
					unsigned int n)
{
	struct ipvs_dest *d;
	unsigned int i;

	if (ipvs_d_active(dest) <= ipvs_d_weight(dest))
		return false;
	for (i = 0; i < n; i++) {
		d = READ_ONCE(dests[i]);
		if (d && (int)((u32)ipvs_d_active(d) * 2) < ipvs_d_weight(d))
			return true;
	}
	return false;
}

/*
 * lblcr: least loaded member of a destination set (set order: most
 * recently added first). The first member that is not overloaded, has a
 * positive weight and is still linked to a service starts; later ones that
 * are not overloaded replace it when strictly less loaded per weight and
 * linked.
 */
static inline struct ipvs_dest *ipvs_lblcr_set_min(struct ipvs_dest *const *set,
						   unsigned int n)
{
	struct ipvs_dest *d, *least = NULL;
	int loh = 0, doh, lw = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		d = READ_ONCE(set[i]);
		if (!d || ipvs_d_overloaded(d))
			continue;
		if (!least) {
			lw = ipvs_d_weight(d);
			if (lw <= 0 || !ipvs_d_available(d))
				continue;
			least = d;
			loh = (int)ipvs_d_overhead(d);
			continue;
		}
		doh = (int)ipvs_d_overhead(d);
		if ((s64)loh * ipvs_d_weight(d) > (s64)doh * lw &&
		    ipvs_d_available(d)) {
			least = d;
			loh = doh;
			lw = ipvs_d_weight(d);
		}
	}
	return least;
}

/*
 * lblcr: most loaded member of a set, the one dropped when the set has not
 * changed for the expiration time. Only positive weights count; overload
 * and availability are not looked at.
 */
static inline struct ipvs_dest *ipvs_lblcr_set_max(struct ipvs_dest *const *set,
						   unsigned int n)
{
	struct ipvs_dest *d, *most = NULL;
	int moh = 0, doh, mw = 0, w;
	unsigned int i;

	for (i = 0; i < n; i++) {
		d = READ_ONCE(set[i]);
		if (!d)
			continue;
		w = ipvs_d_weight(d);
		if (!most) {
			if (w <= 0)
				continue;
			most = d;
			mw = w;
			moh = (int)ipvs_d_overhead(d);
			continue;
		}
		doh = (int)ipvs_d_overhead(d);
		if ((s64)moh * w < (s64)doh * mw && w > 0) {
			most = d;
			moh = doh;
			mw = w;
		}
	}
	return most;
}

#endif /* _IPVS_SCHED_CONN_LOGIC_H */
