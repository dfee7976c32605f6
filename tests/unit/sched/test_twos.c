// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of twos (power of two choices), compiled against the module's
 * source. The random draws come from the shim: queued values for the
 * exact checks, a seeded generator for the distributions.
 *
 * Rule (upstream's): W = sum of the weights of the eligible servers (not
 * overloaded, weight > 0); two draws r1, r2 uniform in [0, W]; each selects
 * the first eligible server at which r minus the running weight sum drops
 * to <= 0 (so r = 0 selects the first one, which thus has odds
 * (w1 + 1) / (W + 1)); the second replaces the first only if
 * w2 * overhead1 > w1 * overhead2.
 */
#include "../../../net/ipvs/sched_twos.c"
#include "harness.h"

static void queue2(u32 a, u32 b)
{
	shim_random_queue[0] = a;
	shim_random_queue[1] = b;
	shim_random_queued = 2;
}

static int pick_idx(struct tsvc *t, struct ipvs_dest **d, int n, u32 r1, u32 r2)
{
	struct ipvs_dest *got;

	queue2(r1, r2);
	got = tpick(t, NULL);
	return got ? tindex(d, n, got) : -1;
}

static void test_draws(void)
{
	static const struct dspec spec[] = { { 2 }, { 3 }, { 5 } };
	/* r -> server, W = 10: [0,2] -> 0, [3,5] -> 1, [6,10] -> 2 */
	static const int want[11] = { 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2 };
	struct ipvs_dest *d[3];
	struct tsvc t;
	int r, bad = 0;

	tsvc_init(&t, AF_INET);
	tbuild(&t, spec, 3, d);
	for (r = 0; r <= 10; r++) {
		if (pick_idx(&t, d, 3, r, r) != want[r])
			bad++;
	}
	ok(!bad, "equal loads: draw r in [0,10] selects by running weight (0..2 -> #0, 3..5 -> #1, 6..10 -> #2)");
	/* The draw is below W + 1 = 11: a queued 11 wraps to 0. */
	ok(pick_idx(&t, d, 3, 11, 11) == 0, "draws are taken below W + 1");

	/* Loads: #0 256 (w2), #1 0 (w3), #2 512 (w5). */
	atomic_set(&d[0]->activeconns, 1);
	atomic_set(&d[2]->activeconns, 2);
	ok(pick_idx(&t, d, 3, 0, 3) == 1, "second wins when strictly lighter: 3*256 > 2*0");
	ok(pick_idx(&t, d, 3, 3, 0) == 1, "first kept when second is heavier: 2*0 > 3*256 is false");
	ok(pick_idx(&t, d, 3, 0, 6) == 2, "per weight: 5*256 > 2*512 -> second");
	ok(pick_idx(&t, d, 3, 6, 0) == 2, "per weight: 2*512 > 5*256 is false -> first");
	/* Same load per weight (256/2 vs 640/5 = 128): first kept. */
	atomic_set(&d[2]->activeconns, 2);
	atomic_set(&d[2]->inactconns, 128);
	ok(pick_idx(&t, d, 3, 0, 6) == 0, "tie per weight keeps the first choice");
	tsvc_free(&t);
}

static void test_eligibility(void)
{
	static const struct dspec spec[] = {
		{ 2, 0, 0, IP_VS_DEST_F_OVERLOAD }, { 0 }, { 3 }, { 1 },
	};
	struct ipvs_dest *d[4];
	struct tsvc t;
	int errs;

	tsvc_init(&t, AF_INET);
	tbuild(&t, spec, 4, d);
	/* W = 3 + 1 = 4: [0,3] -> #2, 4 -> #3. */
	ok(pick_idx(&t, d, 4, 0, 0) == 2 && pick_idx(&t, d, 4, 3, 3) == 2 &&
	   pick_idx(&t, d, 4, 4, 4) == 3,
	   "overloaded and weight-0 servers take no share of the draw");
	tedit(&t, d[2], 0);
	d[3]->flags |= IP_VS_DEST_F_OVERLOAD;
	errs = shim_sched_errors;
	ok(!tpick(&t, NULL) && shim_sched_errors == errs + 1,
	   "no eligible server: no pick, error reported");
	tsvc_free(&t);
}

static void test_distribution(void)
{
	static const struct dspec spec[] = { { 2 }, { 3 }, { 5 } };
	struct ipvs_dest *d[3], *got;
	int cnt[3] = { 0 }, i, n = 110000;
	struct tsvc t;
	double want[3] = { 3.0 / 11, 3.0 / 11, 5.0 / 11 }, worst = 0;

	tsvc_init(&t, AF_INET);
	tbuild(&t, spec, 3, d);
	for (i = 0; i < n; i++) {
		got = tpick(&t, NULL);
		cnt[tindex(d, 3, got)]++;
	}
	for (i = 0; i < 3; i++) {
		double dev = (double)cnt[i] / n / want[i] - 1;

		if (dev < 0)
			dev = -dev;
		if (dev > worst)
			worst = dev;
	}
	ok(worst < 0.02,
	   "idle servers w=2,3,5: shares %d/%d/%d of %d match (w1+1):w2:w3 over W+1 within 2%% (worst %.2f%%)",
	   cnt[0], cnt[1], cnt[2], n, worst * 100);
	tsvc_free(&t);
}

/* Two choices keep loads much closer than one weighted random choice. */
static void test_balance(void)
{
	static const struct dspec spec[] = { { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 1 } };
	struct ipvs_dest *d[6], *got;
	int i, lo = 1 << 30, hi = 0, a;
	struct tsvc t;

	tsvc_init(&t, AF_INET);
	tbuild(&t, spec, 6, d);
	for (i = 0; i < 60000; i++) {
		got = tpick(&t, NULL);
		atomic_inc(&got->activeconns);
	}
	for (i = 0; i < 6; i++) {
		a = atomic_read(&d[i]->activeconns);
		lo = min(lo, a);
		hi = max(hi, a);
	}
	/* One random choice would spread them by hundreds (sd ~ 91). */
	ok(hi - lo <= 30, "60000 connections on 6 equal servers: spread %d (<= 30)", hi - lo);
	tsvc_free(&t);
}

int main(void)
{
	TEST_BEGIN("twos");
	test_draws();
	test_eligibility();
	test_distribution();
	test_balance();
	return TEST_END();
}
