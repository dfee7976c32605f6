// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the scanning schedulers: lc, wlc, sed, nq, fo, ovf. Built
 * once per scheduler (-DSCHED_NAME, -DSCHED_SRC); each build includes that
 * module's source unchanged.
 *
 *  1. A table of services, each with the index every scheduler must pick,
 *     worked out by hand from upstream's documented rule (comments give
 *     the arithmetic), including ties, weight 0, overload and the int
 *     wrap-around of the overhead.
 *  2. Decision sequences: each pick opens a connection on the chosen
 *     server; servers are added, deleted (also without memory), edited and
 *     overloaded in the middle; every pick is compared with a reference
 *     model written from the rule's definition ("the first server of
 *     minimal load", as an O(n^2) search with exact arithmetic), which
 *     shares no code with the module.
 *  3. Randomised services against the same reference.
 */
#include SCHED_SRC
#include "harness.h"

#define NAME SCHED_NAME
enum { LC, WLC, SED, NQ, FO, OVF };

static int which(void)
{
	static const char *const names[] = { "lc", "wlc", "sed", "nq", "fo", "ovf" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(NAME, names[i]))
			return i;
	}
	exit(2);
}

/* ------------------------------------------------------------ reference */

struct rdest {
	int w, act, inact;
	bool ol, gone;
};

/* Load of @d as a fraction num/den, per the scheduler's documented rule. */
static void rload(int s, const struct rdest *d, __int128 *num, __int128 *den)
{
	switch (s) {
	case LC:
		*num = (__int128)d->act * 256 + d->inact;
		*den = 1;
		break;
	case WLC:
		*num = (__int128)d->act * 256 + d->inact;
		*den = d->w;
		break;
	default:	/* SED, NQ */
		*num = (__int128)d->act + 1;
		*den = d->w;
		break;
	}
}

static bool religible(int s, const struct rdest *d)
{
	if (d->gone || d->ol || d->w <= 0)
		return false;
	if (s == OVF && d->act > d->w)
		return false;
	return true;
}

/* The documented rule, by definition; -1: none. */
static int rpick(int s, const struct rdest *d, int n)
{
	__int128 ni, di, nj, dj;
	int i, j;

	if (s == NQ) {
		for (i = 0; i < n; i++) {
			if (religible(s, &d[i]) && d[i].act == 0)
				return i;
		}
	}
	for (i = 0; i < n; i++) {
		bool best = true;

		if (!religible(s, &d[i]))
			continue;
		for (j = 0; j < n && best; j++) {
			if (!religible(s, &d[j]))
				continue;
			if (s == FO || s == OVF) {
				/* highest weight, first one on a tie */
				if (d[j].w > d[i].w || (d[j].w == d[i].w && j < i))
					best = false;
				continue;
			}
			/* lowest load, first one on a tie */
			rload(s, &d[i], &ni, &di);
			rload(s, &d[j], &nj, &dj);
			if (nj * di < ni * dj || (nj * di == ni * dj && j < i))
				best = false;
		}
		if (best)
			return i;
	}
	return -1;
}

/* ------------------------------------------------------------ 1. table */

struct tcase {
	const char	*desc;
	int		n;
	struct dspec	d[6];
	int		want[6];	/* lc, wlc, sed, nq, fo, ovf */
};

#define OL IP_VS_DEST_F_OVERLOAD

static const struct tcase cases[] = {
	{ "all idle, equal weights: first", 3,
	  { { 1 }, { 1 }, { 1 } },
	  { 0, 0, 0, 0, 0, 0 } },
	/* sed: 1/1, 1/3, 1/2 -> #1; nq: #0 is idle; fo, ovf: w=3 */
	{ "idle, weights 1,3,2", 3,
	  { { 1 }, { 3 }, { 2 } },
	  { 0, 0, 1, 0, 1, 1 } },
	/* overhead 512, 261, 259; sed 3, 2, 2 (tie -> #1); ovf: #0 has 2 > 1 */
	{ "loads, equal weights", 3,
	  { { 1, 2, 0 }, { 1, 1, 5 }, { 1, 1, 3 } },
	  { 2, 2, 1, 1, 0, 1 } },
	/* #0 overloaded; lc 768 vs 768 -> #1; wlc 768/1 vs 768/2 -> #2;
	 * sed 4/1 vs 4/2 -> #2; ovf: 3 > 1 and 3 > 2 -> none */
	{ "overloaded server skipped", 3,
	  { { 5, 0, 0, OL }, { 1, 3, 0 }, { 2, 3, 0 } },
	  { 1, 2, 2, 2, 2, -1 } },
	/* #0 quiesced; lc 256 vs 10; wlc 128 vs 10; sed 2/2 vs 1/1 tie -> #1;
	 * nq: #2 idle */
	{ "weight 0 quiesced", 3,
	  { { 0 }, { 2, 1, 0 }, { 1, 0, 10 } },
	  { 2, 2, 1, 2, 1, 1 } },
	{ "nothing usable", 2,
	  { { 0 }, { 3, 0, 0, OL } },
	  { -1, -1, -1, -1, -1, -1 } },
	{ "no destinations", 0,
	  { },
	  { -1, -1, -1, -1, -1, -1 } },
	/* wlc 256/2 = 512/4 (tie keeps #0), 200/1; lc 256, 512, 200;
	 * sed 2/2, 3/4, 1/1 -> #1 */
	{ "wlc tie keeps the earlier", 3,
	  { { 2, 1, 0 }, { 4, 2, 0 }, { 1, 0, 200 } },
	  { 2, 0, 1, 2, 1, 1 } },
	/* lc: 1, 0, 0 -> first zero, #1 */
	{ "lc first of several idle", 3,
	  { { 1, 0, 1 }, { 1, 0, 0 }, { 1, 0, 0 } },
	  { 1, 1, 0, 0, 0, 0 } },
	/* wlc starts at #1 (first w > 0), w=0 #2 never wins, #3: 1280*2 >
	 * 1280*1 -> #3; sed 6/1 vs 6/2; ovf: 5 > 1, 5 > 2 */
	{ "weight 0 around the candidates", 4,
	  { { 0 }, { 1, 5, 0 }, { 0 }, { 2, 5, 0 } },
	  { 1, 3, 3, 3, 3, -1 } },
	{ "idle but overloaded is skipped", 2,
	  { { 1, 0, 0, OL }, { 1, 1, 0 } },
	  { 1, 1, 1, 1, 1, 1 } },
	/* fo: first of the two w=3; ovf: #0 has 9 > 3 */
	{ "fo tie, ovf overflow", 3,
	  { { 3, 9, 0 }, { 3 }, { 1 } },
	  { 1, 1, 1, 1, 0, 1 } },
	/* 2^23 active: 2^23 << 8 wraps to INT_MIN in upstream's int
	 * overhead, so wlc keeps #0 (INT_MIN * 1 > 5 * 1 is false); lc
	 * compares unsigned and takes #1 */
	{ "overhead wrap-around as upstream", 2,
	  { { 1, 1 << 23, 0 }, { 1, 0, 5 } },
	  { 1, 0, 1, 1, 0, 1 } },
};

static void test_table(int s)
{
	struct ipvs_dest *d[6], *got;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct tcase *c = &cases[i];
		struct tsvc t;
		int idx;

		tsvc_init(&t, AF_INET);
		tbuild(&t, c->d, c->n, d);
		got = tpick(&t, NULL);
		idx = got ? tindex(d, c->n, got) : -1;
		ok(idx == c->want[s], "table: %s: picks %d (want %d)", c->desc, idx,
		   c->want[s]);
		tsvc_free(&t);
	}
}

/* ------------------------------------------------------------ 2. sequences */

/* Mirror the live service into reference form (list order). */
static int rsnap(struct tsvc *t, struct rdest *r, struct ipvs_dest **d)
{
	int i, n = tlist(t, d);

	for (i = 0; i < n; i++) {
		r[i].w = atomic_read(&d[i]->weight);
		r[i].act = atomic_read(&d[i]->activeconns);
		r[i].inact = atomic_read(&d[i]->inactconns);
		r[i].ol = d[i]->flags & IP_VS_DEST_F_OVERLOAD;
		r[i].gone = false;
	}
	return n;
}

/* Pick once; compare with the reference; open a connection on the pick. */
static bool step(struct tsvc *t, int s, bool active, char *trace)
{
	struct ipvs_dest *d[64], *got;
	struct rdest r[64];
	int n = rsnap(t, r, d), want = rpick(s, r, n), idx;

	got = tpick(t, NULL);
	idx = got ? tindex(d, n, got) : -1;
	if (trace)
		trace[strlen(trace)] = got ? 'A' + got->id - 1 : '-';
	if (got)
		atomic_inc(active ? &got->activeconns : &got->inactconns);
	if (idx != want)
		diag("pick %d, reference %d", idx, want);
	return idx == want;
}

static bool steps(struct tsvc *t, int s, int count, bool active, char *trace)
{
	bool good = true;

	while (count--)
		good &= step(t, s, active, trace);
	return good;
}

static void test_sequences(int s)
{
	struct ipvs_dest *a, *b, *c, *e;
	char trace[256] = "";
	struct tsvc t;
	bool good;

	/* Hand-worked: A w=3 and B w=1, each pick adds an active connection.
	 * wlc: 0/3=0/1 A; 256/3<256 ... A B A A A B A A A B (ties go to A,
	 * first in list). */
	tsvc_init(&t, AF_INET);
	b = tadd(&t, "10.0.0.2", 80, 1);
	a = tadd(&t, "10.0.0.1", 80, 3);	/* list: a, b */
	a->id = 1;
	b->id = 2;
	good = steps(&t, s, 10, true, trace);
	ok(good, "sequence A(w3) B(w1), 10 picks match the rule: %s", trace);
	if (s == WLC)
		ok(!strcmp(trace, "ABAAABAAAB"), "wlc 3:1 hand-worked sequence ABAAABAAAB");
	/* sed: (a+1)/3 vs (b+1)/1: 1/3 2/3 3/3=1 (tie: A) then 4/3 > 1: B ... */
	if (s == SED)
		ok(!strcmp(trace, "AAABAAABAA"), "sed 3:1 hand-worked sequence AAABAAABAA");
	tsvc_free(&t);

	/* A longer scripted run with membership and state changes. */
	tsvc_init(&t, AF_INET);
	trace[0] = 0;
	a = tadd(&t, "10.0.0.1", 80, 2);
	b = tadd(&t, "10.0.0.2", 80, 1);
	c = tadd(&t, "10.0.0.3", 80, 4);
	good = steps(&t, s, 20, true, trace);
	good &= steps(&t, s, 10, false, trace);

	e = tadd(&t, "10.0.0.4", 80, 3);		/* joins at the head */
	good &= steps(&t, s, 15, true, trace);
	ok(good, "scripted run: picks before and after an add follow the rule");

	good = true;
	tedit(&t, c, 0);				/* quiesce */
	good &= steps(&t, s, 10, true, trace);
	c->flags |= IP_VS_DEST_F_OVERLOAD;
	tedit(&t, c, 5);
	good &= steps(&t, s, 10, true, trace);		/* still skipped: overloaded */
	c->flags &= ~IP_VS_DEST_F_OVERLOAD;
	atomic_set(&a->activeconns, 0);		/* connections closed */
	good &= steps(&t, s, 10, true, trace);
	ok(good, "weight edits, overload on/off, closed connections");

	good = true;
	tdel(&t, b);					/* delete in the middle */
	good &= steps(&t, s, 10, true, trace);
	shim_fail_allocs = 1;				/* delete without memory */
	tdel(&t, e);
	shim_fail_allocs = 0;
	good &= steps(&t, s, 10, true, trace);
	ok(good, "deletes (one in place, without memory) follow the rule");

	/* A weight written before upd_dest runs (ipvs_dest_edit applies the
	 * new weight first): the drained server must already be skipped. */
	good = true;
	atomic_set(&c->weight, 0);
	good &= steps(&t, s, 5, true, trace);
	tedit(&t, c, 0);
	good &= steps(&t, s, 5, true, trace);
	tedit(&t, c, 5);
	ok(good, "a weight set to 0 counts before the scheduler is told");

	good = true;
	shim_fail_allocs = 1;				/* edit without memory */
	tedit(&t, c, 6);
	shim_fail_allocs = 0;
	good &= steps(&t, s, 10, true, trace);
	shim_fail_allocs = 2;				/* delete, no memory at all */
	tdel(&t, a);
	shim_fail_allocs = 0;
	good &= steps(&t, s, 10, true, trace);
	tedit(&t, c, 2);				/* memory again */
	good &= steps(&t, s, 10, true, trace);
	ok(good, "fo/ovf: edits and deletes that cannot rebuild the weight order");

	shim_fail_allocs = 1;				/* add without memory fails */
	ok(!tadd(&t, "10.0.0.9", 80, 100), "add fails cleanly without memory");
	shim_fail_allocs = 0;
	good = steps(&t, s, 5, true, trace);
	e = tadd(&t, "10.0.0.5", 80, 100);		/* and a later add works */
	good &= steps(&t, s, 5, true, trace);
	ok(good && e, "after a failed add the old snapshot still schedules right");
	diag("trace %s", trace);
	shim_rcu_barrier();
	ok(tsvc_free(&t), "teardown leaves no reference on any server");
}

/* ------------------------------------------------------------ 3. random */

static void test_random(int s)
{
	int round, mismatches = 0, none = 0, picks = 0;

	for (round = 0; round < 3000; round++) {
		struct ipvs_dest *d[16], *got;
		struct dspec spec[16];
		struct rdest r[16];
		int i, n = 1 + trand() % 12, want, idx;
		struct tsvc t;

		for (i = 0; i < n; i++) {
			spec[i].w = trand() % 6;
			spec[i].act = trand() % 5;
			spec[i].inact = trand() % 700;
			spec[i].flags = trand() % 7 == 0 ? IP_VS_DEST_F_OVERLOAD : 0;
		}
		tsvc_init(&t, AF_INET);
		tbuild(&t, spec, n, d);
		n = rsnap(&t, r, d);
		want = rpick(s, r, n);
		got = tpick(&t, NULL);
		idx = got ? tindex(d, n, got) : -1;
		if (idx != want && mismatches++ < 5)
			diag("round %d: picked %d, rule says %d", round, idx, want);
		none += want < 0;
		picks++;
		tsvc_free(&t);
	}
	ok(mismatches == 0, "3000 random services: every pick equals the rule (%d mismatches)",
	   mismatches);
	ok(none > 0 && none < picks / 2, "random services cover both outcomes (%d with no pick)",
	   none);
}

int main(void)
{
	int s = which();

	TEST_BEGIN(NAME);
	test_table(s);
	test_sequences(s);
	test_random(s);
	ok(shim_sched_errors > 0, "\"no destination available\" reported when nothing fits");
	return TEST_END();
}
