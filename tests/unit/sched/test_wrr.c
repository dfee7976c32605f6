// SPDX-License-Identifier: GPL-2.0
/*
 * Distribution checks of wrr (owned by the core; compiled here unchanged
 * against the same shim, as a black box).
 *
 * Upstream's rule: with mw the largest weight and di the gcd of the
 * weights, passes over the list at a current weight cw = mw, mw - di, ...
 * down to 1 pick every server whose weight is >= cw. For weights 5, 3, 1
 * one cycle is A(cw 5) A(4) A(3) B(3) A(2) B(2) A(1) B(1) C(1).
 *
 * Adding servers one by one to an empty service starts at cw = 1, as
 * upstream's dest_changed() does (cw 0 becomes mw = 1 at the first add,
 * and later adds keep a cw that is not above the new mw), so the first
 * pass is A B C, then full cycles follow.
 */
#include "../../../net/ipvs/sched_wrr.c"
#include "harness.h"

static void run(struct tsvc *t, struct ipvs_dest **d, int n, int picks, int *cnt, char *trace,
		int tlen)
{
	struct ipvs_dest *got;
	int i;

	memset(cnt, 0, n * sizeof(*cnt));
	for (i = 0; i < picks; i++) {
		got = tpick(t, NULL);
		if (i < tlen)
			trace[i] = got ? 'A' + tindex(d, n, got) : '-';
		if (got)
			cnt[tindex(d, n, got)]++;
	}
	trace[min(picks, tlen)] = 0;
}

int main(void)
{
	static const struct dspec w531[] = { { 5 }, { 3 }, { 1 } };
	static const struct dspec w422[] = { { 4 }, { 2 }, { 2 } };
	struct ipvs_dest *d[3];
	char trace[64];
	int cnt[3];
	struct tsvc t;

	TEST_BEGIN("wrr");
	tsvc_init(&t, AF_INET);
	tbuild(&t, w531, 3, d);
	run(&t, d, 3, 9000, cnt, trace, 18);
	ok(cnt[0] == 5000 && cnt[1] == 3000 && cnt[2] == 1000,
	   "weights 5:3:1 over 9000 picks: exactly %d/%d/%d", cnt[0], cnt[1], cnt[2]);
	ok(!strcmp(trace, "ABCAAABABABCAAABAB"), "sequence ABC then cycles AAABABABC (%s)", trace);

	d[0]->flags |= IP_VS_DEST_F_OVERLOAD;
	run(&t, d, 3, 4000, cnt, trace, 8);
	ok(cnt[0] == 0 && cnt[1] == 3000 && cnt[2] == 1000,
	   "first server overloaded: the others keep 3:1 (%d/%d/%d)", cnt[0], cnt[1], cnt[2]);
	d[0]->flags &= ~IP_VS_DEST_F_OVERLOAD;
	tedit(&t, d[1], 0);
	run(&t, d, 3, 6000, cnt, trace, 8);
	ok(cnt[0] == 5000 && cnt[1] == 0 && cnt[2] == 1000,
	   "second server quiesced: 5:0:1 (%d/%d/%d)", cnt[0], cnt[1], cnt[2]);
	ok(tsvc_free(&t), "teardown");

	tsvc_init(&t, AF_INET);
	tbuild(&t, w422, 3, d);
	run(&t, d, 3, 8000, cnt, trace, 8);
	ok(cnt[0] == 4000 && cnt[1] == 2000 && cnt[2] == 2000 && !strcmp(trace, "ABCAABCA"),
	   "weights 4:2:2 (gcd 2): ABC then cycles AABC (%s), %d/%d/%d", trace, cnt[0], cnt[1],
	   cnt[2]);
	ok(tsvc_free(&t), "teardown");
	return TEST_END();
}
