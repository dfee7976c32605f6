// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mh (Maglev hashing), compiled against the module's source.
 *
 *  - The host hsiphash (the shim's, used by these tests and by the
 *    stock-comparison predictor) against the kernel's published hsiphash
 *    test vectors (lib/test_siphash.c, 64-bit).
 *  - The lookup table against an independent implementation of the
 *    population written from the Maglev paper plus upstream's parameters:
 *    M = 4093, keys 2654435761 / 2654446892, offset = h1 % M,
 *    skip = h2 % (M - 1) + 1, turns = (last_weight / gcd) >> shift.
 *  - Spread within 1% for M > 100 N, disruption ~1/N on removal, quiescing
 *    without remapping, mh-port, mh-fallback probing.
 */
#include <math.h>
#include "../../../net/ipvs/sched_mh.c"
#include "harness.h"

#define M	4093

static const hsiphash_key_t vkey = { { 0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL } };

static void test_hsiphash(void)
{
	static const struct { int len; u32 want; } v[] = {
		{ 0, 0x050fc4dcU }, { 1, 0x7d57ca93U }, { 3, 0xe7ddf7fbU },
		{ 4, 0x88d38328U }, { 7, 0x9bb11140U }, { 8, 0x8d299a8eU },
		{ 15, 0x2a519956U }, { 16, 0x7d908b66U }, { 63, 0xb7bbb3a8U },
	};
	u8 in[64];
	unsigned int i;
	int bad = 0;

	for (i = 0; i < 64; i++)
		in[i] = i;
	for (i = 0; i < ARRAY_SIZE(v); i++)
		bad += hsiphash(in, v[i].len, &vkey) != v[i].want;
	ok(!bad, "host hsiphash matches the kernel's 64-bit test vectors");
	ok(IPVS_MH_TAB_SIZE == M && IPVS_MH_TAB_BITS == 6,
	   "table: 4093 slots, 6 weight bits (CONFIG_IP_VS_MH_TAB_INDEX=12, as Debian)");
}

/* ------------------------------------------------------------ reference */

static u32 rhash(u16 af, const union nf_inet_addr *a, __be16 port, unsigned long k, u32 off)
{
	hsiphash_key_t key = { { k, k } };
	u32 fold = af == AF_INET6 ? ntohl(a->ip6[0] ^ a->ip6[1] ^ a->ip6[2] ^ a->ip6[3])
				  : ntohl(a->ip);
	u32 v = off + ntohs(port) + fold;

	return hsiphash(&v, 4, &key);
}

static void rtable(struct ipvs_dest **dl, int n, u16 af, struct ipvs_dest **tab)
{
	unsigned long k1 = 2654435761UL, k2 = 2654446892UL;
	int i, t, g = 0, maxw = 0, shift, filled = 0;
	int turns[512];
	u64 off[512], skip[512], next[512];

	memset(tab, 0, M * sizeof(*tab));
	for (i = 0; i < n; i++) {
		int lw = atomic_read(&dl[i]->last_weight);

		if (lw > 0)
			g = g ? (int)gcd(lw, g) : lw;
		maxw = max(maxw, lw);
	}
	if (!g)
		return;
	shift = fls(maxw / g) - 6;
	if (shift < 0)
		shift = 0;
	for (i = 0; i < n; i++) {
		int lw = atomic_read(&dl[i]->last_weight);

		turns[i] = (lw / g) >> shift;
		if (!turns[i] && lw)
			turns[i] = 1;
		off[i] = rhash(af, &dl[i]->addr, dl[i]->port, k1, 0) % M;
		skip[i] = rhash(af, &dl[i]->addr, dl[i]->port, k2, 0) % (M - 1) + 1;
		next[i] = 0;
	}
	for (;;) {
		for (i = 0; i < n; i++) {
			for (t = 0; t < turns[i]; t++) {
				u64 c;

				do {
					c = (off[i] + next[i]++ * skip[i]) % M;
				} while (tab[c]);
				tab[c] = dl[i];
				if (++filled == M)
					return;
			}
		}
	}
}

static struct ipvs_dest **table(struct tsvc *t)
{
	return to_mh(tst(t))->lookup;
}

static bool same_as_reference(struct tsvc *t)
{
	static struct ipvs_dest *ref[M];
	struct ipvs_dest *dl[512];
	int n = tlist(t, dl);

	rtable(dl, n, t->svc.af, ref);
	return !memcmp(ref, table(t), sizeof(ref));
}

static struct ipvs_dest *pick_src(struct tsvc *t, const char *src, int sport)
{
	struct ipvs_iphdr h = tiph(t->svc.af, IPPROTO_TCP, src, sport,
				   t->svc.af == AF_INET6 ? "2001:db8::100" : "10.9.9.9", 80);

	return tpick(t, &h);
}

static void add_n(struct tsvc *t, int n, int w, struct ipvs_dest **d)
{
	char ip[32];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(ip, sizeof(ip), "10.3.%d.%d", i / 200, i % 200 + 1);
		d[i] = tadd(t, ip, 8080, w);
	}
}

static void test_table(void)
{
	static const int weights[][5] = {
		{ 1, 1, 1, 1, 1 }, { 1, 2, 3, 4, 0 }, { 1000, 3000, 2000, 0, 0 },
		{ 100, 7, 1, 64, 65 }, { 65535, 1, 2, 3, 4 },
	};
	struct ipvs_dest *d[64];
	unsigned int c;
	struct tsvc t;
	char ip[32];
	int i, bad = 0;

	for (c = 0; c < ARRAY_SIZE(weights); c++) {
		tsvc_init(&t, AF_INET);
		for (i = 0; i < 5; i++) {
			snprintf(ip, sizeof(ip), "192.0.2.%d", i + 1);
			d[i] = tadd(&t, ip, 80, weights[c][i]);
		}
		bad += !same_as_reference(&t);
		tsvc_free(&t);
	}
	ok(!bad, "tables equal the reference population for 5 weight sets (incl. gcd and shift)");

	tsvc_init(&t, AF_INET6);
	for (i = 0; i < 7; i++) {
		snprintf(ip, sizeof(ip), "2001:db8:%x::%x", i, i + 1);
		d[i] = tadd(&t, ip, 443, 1 + i % 3);
	}
	ok(same_as_reference(&t), "IPv6 servers: table equals the reference");
	tdel(&t, d[3]);
	tedit(&t, d[5], 9);
	ok(same_as_reference(&t), "after a delete and a weight edit: rebuilt to the reference");
	tedit(&t, d[5], 0);
	ok(same_as_reference(&t), "quiescing (weight 0) keeps the table: last_weight is used");
	for (i = 0; i < 7; i++) {
		if (i != 3)
			tedit(&t, d[i], 0);
	}
	ok(same_as_reference(&t) && table(&t)[0], "all quiesced: table still full (last weights)");
	ok(!pick_src(&t, "2001:db8::77", 1), "... but nobody is usable: no pick");
	tsvc_free(&t);

	tsvc_init(&t, AF_INET);
	ok(!table(&t)[0] && !pick_src(&t, "10.0.0.1", 1), "no servers: empty table, no pick");
	d[0] = tadd(&t, "10.0.0.2", 80, 0);
	ok(!table(&t)[0] && !table(&t)[M - 1], "only a weight-0 server (never weighted): empty table");
	tedit(&t, d[0], 3);
	for (i = 0, bad = 0; i < M; i++)
		bad += table(&t)[i] != d[0];
	ok(!bad, "single server: owns all 4093 slots");

	t.svc.num_dests = M + 1;	/* pretend */
	ok(to_mh(tst(&t))->base.sched->add_dest(&t.svc, tst(&t), d[0]) == -EINVAL,
	   "more servers than slots: add refused (-EINVAL)");
	t.svc.num_dests = 1;
	tsvc_free(&t);
}

static void test_spread(void)
{
	static const int ns[] = { 10, 40 };
	struct ipvs_dest *d[64], *got;
	int cnt[64], i, k;
	unsigned int c;
	struct tsvc t;
	double worst;

	for (c = 0; c < ARRAY_SIZE(ns); c++) {
		int n = ns[c];

		tsvc_init(&t, AF_INET);
		add_n(&t, n, 1, d);
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < M; i++)
			cnt[tindex(d, n, table(&t)[i])]++;
		for (i = 0, worst = 0; i < n; i++)
			worst = fmax(worst, fabs(cnt[i] * (double)n / M - 1));
		ok(worst < 0.01, "N=%d equal weights: slot shares within 1%% of M/N (worst %.2f%%)",
		   n, worst * 100);
		tsvc_free(&t);
	}

	/* Weighted, and measured on clients rather than slots. */
	tsvc_init(&t, AF_INET);
	for (i = 0; i < 4; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "10.4.0.%d", i + 1);
		d[i] = tadd(&t, ip, 80, i + 1);
	}
	memset(cnt, 0, sizeof(cnt));
	for (k = 0; k < 1000000; k++) {
		struct ipvs_iphdr h;

		memset(&h, 0, sizeof(h));
		h.af = AF_INET;
		h.protocol = IPPROTO_TCP;
		h.saddr.ip = htonl(0x0b000000u + trand() % 0x00ffffffu);
		got = tpick(&t, &h);
		cnt[tindex(d, 4, got)]++;
	}
	for (i = 0, worst = 0; i < 4; i++)
		worst = fmax(worst, fabs(cnt[i] / (1000000.0 * (i + 1) / 10) - 1));
	ok(worst < 0.01, "weights 1:2:3:4, 1M random clients: shares within 1%% (worst %.2f%%)",
	   worst * 100);
	tsvc_free(&t);
}

/*
 * Removing one of N servers must move its own slots and few others.
 * Maglev is not minimally disruptive (the paper measures some extra
 * churn, more as M/N shrinks): with M = 4093 the others' moves stay around
 * 1-2% of the table, so allow at most 2/N in total.
 */
static void test_disruption(void)
{
	static struct ipvs_dest *before[M];
	static const int ns[] = { 10, 20, 40 };
	struct ipvs_dest *d[64], **tab;
	unsigned int c;
	struct tsvc t;

	for (c = 0; c < ARRAY_SIZE(ns); c++) {
		/* the victim is the newest: at the list head, where a re-add goes */
		int n = ns[c], i, own = 0, other = 0, victim = c == 1 ? n - 1 : n / 3;

		tsvc_init(&t, AF_INET);
		add_n(&t, n, 1, d);
		tab = table(&t);
		memcpy(before, tab, sizeof(before));
		tdel(&t, d[victim]);
		for (i = 0; i < M; i++) {
			if (before[i] == d[victim])
				own++;
			else if (tab[i] != before[i])
				other++;
		}
		ok(own >= M / n - 1 && own <= M / n + 1 &&
		   own + other <= 2.0 * M / n,
		   "removing 1 of %d: %.2f%% of slots remapped (its own %d, %d others), 1/N = %.2f%%",
		   n, 100.0 * (own + other) / M, own, other, 100.0 / n);
		if (c == 1) {
			ok(trevive(&t, d[victim], 1) == 0 && !memcmp(before, tab, sizeof(before)),
			   "re-adding it (same list position) restores the old table exactly");
		}
		tsvc_free(&t);
	}
}

static void test_lookup(void)
{
	struct ipvs_dest *d[8], *got, *x;
	struct ipvs_iphdr h;
	union nf_inet_addr a;
	struct tsvc t;
	int k, moved = 0, on_x = 0, refused = 0, bad = 0;
	u32 ih, off;
	char ip[32];

	tsvc_init(&t, AF_INET);
	add_n(&t, 8, 2, d);

	/* Client -> slot hsiphash(addr) % M. */
	tparse(AF_INET, "10.0.0.1", &a);
	ih = rhash(AF_INET, &a, 0, 2654435761UL, 0) % M;
	ok(pick_src(&t, "10.0.0.1", 999) == table(&t)[ih], "client -> slot h1(client) mod 4093");

	t.svc.flags = IPVS_SVC_F_SCHED_MH_PORT;
	ih = rhash(AF_INET, &a, htons(999), 2654435761UL, 0) % M;
	ok(pick_src(&t, "10.0.0.1", 999) == table(&t)[ih], "mh-port: slot h1(client + port)");
	h = tiph(AF_INET, IPPROTO_ICMP, "10.0.0.1", 999, "10.9.9.9", 80);
	ok(tpick(&t, &h) == pick_src(&t, "10.0.0.1", 0), "mh-port: ICMP hashes no port");
	t.svc.flags = 0;

	/* Quiesce one server: only its clients change. */
	x = d[3];
	tedit(&t, x, 0);
	for (k = 0; k < 3000; k++) {
		struct ipvs_dest *was;

		snprintf(ip, sizeof(ip), "172.20.%d.%d", k / 256, k % 256);
		tparse(AF_INET, ip, &a);
		was = table(&t)[rhash(AF_INET, &a, 0, 2654435761UL, 0) % M];
		got = pick_src(&t, ip, 1);
		if (was == x) {
			on_x++;
			refused += !got;
		} else {
			moved += got != was;
		}
	}
	ok(on_x > 0 && refused == on_x && !moved,
	   "quiesced server: its %d clients refused, no other client moves", on_x);

	/* Fallback: the probe sequence h1(client, offset (k + slot) mod M). */
	t.svc.flags = IPVS_SVC_F_SCHED_MH_FALLBACK;
	d[5]->flags |= IP_VS_DEST_F_OVERLOAD;
	for (k = 0; k < 3000; k++) {
		struct ipvs_dest *want = NULL;

		snprintf(ip, sizeof(ip), "172.20.%d.%d", k / 256, k % 256);
		tparse(AF_INET, ip, &a);
		ih = rhash(AF_INET, &a, 0, 2654435761UL, 0) % M;
		want = table(&t)[ih];
		if (want == x || want == d[5]) {
			want = NULL;
			for (off = 0; off < M && !want; off++) {
				struct ipvs_dest *c =
					table(&t)[rhash(AF_INET, &a, 0, 2654435761UL,
							(off + ih) % M) % M];

				if (c != x && c != d[5])
					want = c;
			}
		}
		bad += pick_src(&t, ip, 1) != want;
	}
	ok(!bad, "mh-fallback over 3000 clients follows the upstream probe sequence");
	for (k = 0; k < 8; k++)
		d[k]->flags |= IP_VS_DEST_F_OVERLOAD;
	ok(!pick_src(&t, "10.0.0.1", 1), "mh-fallback with everything unusable: no pick");
	ok(!tpick(&t, NULL), "no parsed headers: no pick");
	tsvc_free(&t);
}

static void test_memory(void)
{
	struct ipvs_dest *d[8];
	struct tsvc t;

	tsvc_init(&t, AF_INET);
	add_n(&t, 2, 1, d);		/* scratch capacity 2 */
	shim_fail_allocs = 1;
	ok(!tadd(&t, "10.8.0.1", 80, 1) && same_as_reference(&t),
	   "add needing more scratch without memory fails, table untouched");
	shim_fail_allocs = 0;
	d[2] = tadd(&t, "10.8.0.1", 80, 1);
	shim_fail_allocs = 100;	/* deletes and edits never allocate */
	tdel(&t, d[0]);
	tedit(&t, d[1], 5);
	shim_fail_allocs = 0;
	ok(d[2] && same_as_reference(&t), "deletes and edits rebuild without allocating");
	tsvc_free(&t);
}

int main(void)
{
	TEST_BEGIN("mh");
	test_hsiphash();
	test_table();
	test_spread();
	test_disruption();
	test_lookup();
	test_memory();
	return TEST_END();
}
