// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of dh (destination hashing), compiled against the module's
 * source.
 *
 * Rule (upstream's): bucket = hash_32(packet destination address folded to
 * 32 bits, 8); bucket i belongs to server i mod n in list order, weights
 * ignored; a server that is unlinked, at weight 0 or overloaded takes no
 * connection (no fallback). Weight edits do not rebuild the table. Expected
 * bucket numbers were computed independently (see test_sh.c).
 */
#include "../../../net/ipvs/sched_dh.c"
#include "harness.h"

static struct ipvs_dest *pick_dst(struct tsvc *t, const char *dst)
{
	struct ipvs_iphdr h = tiph(t->svc.af, IPPROTO_TCP,
				   t->svc.af == AF_INET6 ? "2001:db8::100" : "10.9.9.9",
				   4242, dst, 80);

	return tpick(t, &h);
}

static void test_rule(void)
{
	static const struct dspec spec[] = { { 5 }, { 1 }, { 0 }, { 2 } };
	struct ipvs_dest *d[4], **b, *snap[256];
	union nf_inet_addr a;
	struct tsvc t;
	int i, bad = 0;

	tparse(AF_INET, "10.0.0.1", &a);
	ok(ipvs_dh_hashkey(AF_INET, &a) == 39, "hash(10.0.0.1) = 39");
	tparse(AF_INET6, "2001:db8::1", &a);
	ok(ipvs_dh_hashkey(AF_INET6, &a) == 63, "hash(2001:db8::1) = 63");

	tsvc_init(&t, AF_INET);
	tbuild(&t, spec, 4, d);
	b = to_dh(tst(&t))->buckets;
	for (i = 0; i < 256; i++)
		bad += b[i] != d[i % 4];
	ok(!bad, "bucket i -> server i mod 4, whatever the weights");

	/* 10.0.0.1 -> 39 -> #3; 192.168.1.77 -> 144 -> #0; 172.16.5.4 -> 138 -> #2 (w=0) */
	ok(pick_dst(&t, "10.0.0.1") == d[3] && pick_dst(&t, "192.168.1.77") == d[0],
	   "10.0.0.1 -> bucket 39 -> #3, 192.168.1.77 -> 144 -> #0");
	ok(!pick_dst(&t, "172.16.5.4"), "172.16.5.4 -> bucket 138 -> #2 at weight 0: nothing");

	memcpy(snap, b, sizeof(snap));
	tedit(&t, d[2], 7);
	tedit(&t, d[0], 1);
	ok(!memcmp(snap, b, sizeof(snap)), "weight edits leave the table alone");
	ok(pick_dst(&t, "172.16.5.4") == d[2], "... but weight > 0 makes #2 usable again");

	d[3]->flags |= IP_VS_DEST_F_OVERLOAD;
	ok(!pick_dst(&t, "10.0.0.1"), "overloaded server: nothing (dh has no fallback)");
	d[3]->flags &= ~IP_VS_DEST_F_OVERLOAD;
	d[3]->flags &= ~IP_VS_DEST_F_AVAILABLE;
	ok(!pick_dst(&t, "10.0.0.1"), "server no longer linked: nothing");
	d[3]->flags |= IP_VS_DEST_F_AVAILABLE;

	ok(pick_dst(&t, "10.0.0.1") == pick_dst(&t, "10.0.0.1"),
	   "same destination address, same server");
	ok(!tpick(&t, NULL), "no parsed headers: no pick");

	tdel(&t, d[1]);		/* list: 0, 2, 3 */
	for (i = 0, bad = 0; i < 256; i++)
		bad += b[i] != (i % 3 == 0 ? d[0] : i % 3 == 1 ? d[2] : d[3]);
	ok(!bad, "delete: table rebuilt over the remaining 3 in list order");
	ok(tsvc_free(&t), "teardown");
}

/* Servers that change state keep the others' clients where they were. */
static void test_stability(void)
{
	static const struct dspec spec[] = { { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 1 }, { 1 } };
	struct ipvs_dest *d[7], *before[2000], *now;
	int k, moved = 0, on_x = 0, refused = 0, cnt[7] = { 0 }, lo = 1 << 30, hi = 0;
	struct tsvc t;
	char ip[32];

	tsvc_init(&t, AF_INET);
	tbuild(&t, spec, 7, d);
	for (k = 0; k < 256; k++)
		cnt[tindex(d, 7, to_dh(tst(&t))->buckets[k])]++;
	for (k = 0; k < 7; k++) {
		lo = min(lo, cnt[k]);
		hi = max(hi, cnt[k]);
	}
	ok(lo == 36 && hi == 37, "7 servers share 256 buckets 36/37 each");

	for (k = 0; k < 2000; k++) {
		snprintf(ip, sizeof(ip), "10.20.%d.%d", k / 256, k % 256);
		before[k] = pick_dst(&t, ip);
	}
	tedit(&t, d[4], 0);
	d[5]->flags |= IP_VS_DEST_F_OVERLOAD;
	tedit(&t, d[1], 9);
	for (k = 0; k < 2000; k++) {
		snprintf(ip, sizeof(ip), "10.20.%d.%d", k / 256, k % 256);
		now = pick_dst(&t, ip);
		if (before[k] == d[4] || before[k] == d[5]) {
			on_x++;
			refused += !now;
		} else {
			moved += now != before[k];
		}
	}
	ok(on_x > 0 && refused == on_x && moved == 0,
	   "quiescing one server, overloading another, reweighting a third: only the %d clients of the first two change (0 others move: %d)",
	   on_x, moved);
	ok(tsvc_free(&t), "teardown");
}

int main(void)
{
	TEST_BEGIN("dh");
	test_rule();
	test_stability();
	return TEST_END();
}
