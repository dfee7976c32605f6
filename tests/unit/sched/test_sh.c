// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of sh (source hashing), compiled against the module's source.
 *
 * Rule (upstream's): bucket = hash_32(port + client address folded to 32
 * bits, 8); the 256 buckets go to the servers in list order, each taking
 * weight consecutive buckets (one at weight 0), cycling; a server with
 * weight 0 or overloaded takes no connection, except that with
 * sh-fallback the buckets (2 * bucket + k) mod 256, k = 0.., are tried in
 * turn. The port is only hashed with sh-port, and only for TCP, UDP and
 * SCTP. Expected bucket numbers below were computed independently (Python,
 * from the golden-ratio multiply), not with the module's code.
 */
#include "../../../net/ipvs/sched_sh.c"
#include "harness.h"

#define FB	IP_VS_SVC_F_SCHED_SH_FALLBACK
#define PORT	IP_VS_SVC_F_SCHED_SH_PORT

static struct ipvs_dest **buckets(struct tsvc *t)
{
	return to_sh(tst(t))->buckets;
}

static struct ipvs_dest *pick_src(struct tsvc *t, const char *src, int sport)
{
	struct ipvs_iphdr h = tiph(t->svc.af, IPPROTO_TCP, src, sport,
				   t->svc.af == AF_INET6 ? "2001:db8::100" : "10.9.9.9", 80);

	return tpick(t, &h);
}

static void test_hash_values(void)
{
	union nf_inet_addr a;

	tparse(AF_INET, "10.0.0.1", &a);
	ok(ipvs_sh_hashkey(AF_INET, &a, 0, 0) == 39, "hash(10.0.0.1) = 39");
	ok(ipvs_sh_hashkey(AF_INET, &a, htons(1234), 0) == 128, "hash(10.0.0.1, port 1234) = 128");
	tparse(AF_INET, "192.168.1.77", &a);
	ok(ipvs_sh_hashkey(AF_INET, &a, 0, 0) == 144 &&
	   ipvs_sh_hashkey(AF_INET, &a, htons(1234), 0) == 233,
	   "hash(192.168.1.77) = 144, with port 1234 = 233");
	tparse(AF_INET6, "2001:db8::1", &a);
	ok(ipvs_sh_hashkey(AF_INET6, &a, 0, 0) == 63, "hash(2001:db8::1) folds the four words: 63");
	tparse(AF_INET6, "2001:db8:1:2:3:4:5:6", &a);
	ok(ipvs_sh_hashkey(AF_INET6, &a, 0, 0) == 124, "hash(2001:db8:1:2:3:4:5:6) = 124");
	ok(ipvs_sh_hashkey(AF_INET6, &a, 0, 5) == 129, "offset is added after hashing");
}

static void test_layout(void)
{
	static const struct dspec spec[] = { { 2 }, { 1 }, { 3 }, { 0 } };
	static const int cycle[7] = { 0, 0, 1, 2, 2, 2, 3 };	/* A A B C C C D */
	struct ipvs_dest *d[4], **b;
	struct tsvc t;
	int i, bad = 0;

	tsvc_init(&t, AF_INET);
	tbuild(&t, spec, 4, d);
	b = buckets(&t);
	for (i = 0; i < 256; i++)
		bad += b[i] != d[cycle[i % 7]];
	ok(!bad, "weights 2,1,3,0: buckets run A A B C C C D, cycling (weight 0 takes one)");

	tedit(&t, d[1], 2);	/* now A A B B C C C D */
	for (i = 0, bad = 0; i < 256; i++) {
		static const int c8[8] = { 0, 0, 1, 1, 2, 2, 2, 3 };

		bad += b[i] != d[c8[i % 8]];
	}
	ok(!bad, "a weight edit rebuilds the table (A A B B C C C D)");
	tsvc_free(&t);

	tsvc_init(&t, AF_INET);
	b = buckets(&t);
	for (i = 0, bad = 0; i < 256; i++)
		bad += b[i] != NULL;
	ok(!bad && !pick_src(&t, "10.0.0.1", 1000), "no servers: empty table, no pick");
	tsvc_free(&t);
}

static void test_lookup(void)
{
	static const struct dspec spec[] = { { 1 }, { 1 }, { 1 }, { 1 }, { 1 } };
	struct ipvs_dest *d[5], *got;
	struct ipvs_iphdr h;
	struct tsvc t;
	int k, first;

	tsvc_init(&t, AF_INET);
	tbuild(&t, spec, 5, d);
	/* bucket 39 -> 39 % 5 = 4; bucket 144 -> 4; bucket 138 -> 3 */
	ok(pick_src(&t, "10.0.0.1", 1) == d[4] && pick_src(&t, "172.16.5.4", 1) == d[3],
	   "client 10.0.0.1 -> bucket 39 -> server #4; 172.16.5.4 -> 138 -> #3");
	ok(pick_src(&t, "10.0.0.1", 1) == pick_src(&t, "10.0.0.1", 60000),
	   "without sh-port the client port does not matter");

	t.svc.flags = PORT;
	/* port 1234: bucket 128 -> #3 */
	ok(pick_src(&t, "10.0.0.1", 1234) == d[3], "sh-port: 10.0.0.1:1234 -> bucket 128 -> #3");
	h = tiph(AF_INET, IPPROTO_ICMP, "10.0.0.1", 1234, "10.9.9.9", 80);
	ok(tpick(&t, &h) == d[4], "sh-port: no port for ICMP (bucket 39)");
	h = tiph(AF_INET, IPPROTO_UDP, "10.0.0.1", 1234, "10.9.9.9", 80);
	h.flags = IPVS_IPH_F_FRAG;
	ok(tpick(&t, &h) == d[4], "sh-port: no port for a non-first fragment");
	h = tiph(AF_INET, IPPROTO_SCTP, "10.0.0.1", 1234, "10.9.9.9", 80);
	ok(tpick(&t, &h) == d[3], "sh-port: SCTP ports are hashed");
	/* ICMP error about a reply: the client is the inner destination. */
	h = tiph(AF_INET, IPPROTO_TCP, "10.9.9.9", 80, "10.0.0.1", 1234);
	h.flags = IPVS_IPH_F_ICMP_INNER;
	ok(tpick(&t, &h) == d[3], "inner headers of an ICMP error hash the destination side");
	t.svc.flags = 0;

	/* Unusable: no fallback -> nothing. */
	tedit(&t, d[4], 0);
	ok(!pick_src(&t, "10.0.0.1", 1), "server at weight 0: its clients get nothing without fallback");
	tedit(&t, d[4], 1);
	d[4]->flags |= IP_VS_DEST_F_OVERLOAD;
	ok(!pick_src(&t, "10.0.0.1", 1), "overloaded server: its clients get nothing without fallback");

	/* Fallback probes buckets 2*39 + k = 78, 79, ...: 78 % 5 = 3. */
	t.svc.flags = FB;
	got = pick_src(&t, "10.0.0.1", 1);
	ok(got == d[3], "sh-fallback: first probe is bucket 78 -> #3");
	d[3]->flags |= IP_VS_DEST_F_OVERLOAD;
	got = pick_src(&t, "10.0.0.1", 1);
	ok(got == d[0], "sh-fallback: #3 unusable too -> bucket 80 -> #0");
	for (k = 0; k < 5; k++)
		d[k]->flags |= IP_VS_DEST_F_OVERLOAD;
	ok(!pick_src(&t, "10.0.0.1", 1), "sh-fallback: every server unusable -> nothing");
	for (k = 0; k < 5; k++)
		d[k]->flags &= ~IP_VS_DEST_F_OVERLOAD;

	/* Independent check of the probe order on a bigger sample. */
	tedit(&t, d[2], 0);
	tedit(&t, d[0], 0);
	first = 0;
	for (k = 0; k < 2000; k++) {
		char ip[32];
		unsigned int hsh, j;
		union nf_inet_addr a;
		struct ipvs_dest *want = NULL;

		snprintf(ip, sizeof(ip), "10.%d.%d.%d", k / 65536, (k / 256) % 256, k % 256);
		tparse(AF_INET, ip, &a);
		hsh = hash_32(ntohl(a.ip), 8);
		want = d[hsh % 5];
		if (want == d[0] || want == d[2]) {
			want = NULL;
			for (j = 0; j < 256 && !want; j++) {
				struct ipvs_dest *c = d[((2 * hsh + j) & 255) % 5];

				if (c != d[0] && c != d[2])
					want = c;
			}
		}
		first += pick_src(&t, ip, 1) != want;
	}
	ok(!first, "sh-fallback over 2000 clients follows buckets (2h + k) mod 256");
	ok(!tpick(&t, NULL), "no parsed headers (no data plane yet): no pick");
	ok(tsvc_free(&t), "teardown");
}

/* Changes that do not touch a client's server leave it where it is. */
static void test_stability(void)
{
	struct ipvs_dest *d[6], *before[3000];
	static const struct dspec spec[] = { { 3 }, { 1 }, { 2 }, { 1 }, { 4 }, { 1 } };
	struct tsvc t;
	int k, moved = 0, lost = 0, on_x = 0;
	char ip[32];

	tsvc_init(&t, AF_INET);
	tbuild(&t, spec, 6, d);
	for (k = 0; k < 3000; k++) {
		snprintf(ip, sizeof(ip), "192.168.%d.%d", k / 256, k % 256);
		before[k] = pick_src(&t, ip, 1);
	}
	d[2]->flags |= IP_VS_DEST_F_OVERLOAD;
	d[2]->u_threshold = 10;
	for (k = 0; k < 3000; k++) {
		struct ipvs_dest *now;

		snprintf(ip, sizeof(ip), "192.168.%d.%d", k / 256, k % 256);
		now = pick_src(&t, ip, 1);
		if (before[k] == d[2]) {
			on_x++;
			lost += now == NULL;
		} else {
			moved += now != before[k];
		}
	}
	ok(on_x > 0 && lost == on_x && moved == 0,
	   "overloading one server: only its %d clients change (all refused), 0 others move (%d)",
	   on_x, moved);

	t.svc.flags = FB;
	for (k = 0, moved = 0; k < 3000; k++) {
		snprintf(ip, sizeof(ip), "192.168.%d.%d", k / 256, k % 256);
		if (before[k] != d[2])
			moved += pick_src(&t, ip, 1) != before[k];
	}
	ok(moved == 0, "with sh-fallback, clients of other servers stay too");
	ok(tsvc_free(&t), "teardown");
}

static void test_membership(void)
{
	struct ipvs_dest *a, *b, *c, **bk;
	struct tsvc t;
	int i, bad = 0;

	tsvc_init(&t, AF_INET6);
	a = tadd(&t, "2001:db8::a", 80, 1);
	b = tadd(&t, "2001:db8::b", 80, 1);
	c = tadd(&t, "2001:db8::c", 80, 1);	/* list c, b, a */
	bk = buckets(&t);
	for (i = 0; i < 256; i++)
		bad += bk[i] != (i % 3 == 0 ? c : i % 3 == 1 ? b : a);
	ok(!bad, "new servers join at the head of the list: buckets c b a c b a ...");
	/* 2001:db8::1 -> bucket 63 -> 63 % 3 = 0 -> c */
	ok(pick_src(&t, "2001:db8::1", 1) == c, "IPv6 client 2001:db8::1 -> bucket 63 -> c");

	tdel(&t, b);
	for (i = 0, bad = 0; i < 256; i++)
		bad += bk[i] != (i % 2 == 0 ? c : a);
	ok(!bad, "delete rebuilds the table in place: c a c a ...");

	ok(trevive(&t, b, 1) == 0 && bk[0] == b && bk[1] == c && bk[2] == a,
	   "a revived server is linked at the head again");
	ok(tsvc_free(&t), "teardown");

	tsvc_init(&t, AF_INET);
	shim_fail_allocs = 1;
	a = tadd(&t, "10.0.0.1", 80, 1);
	shim_fail_allocs = 0;
	bk = buckets(&t);
	for (i = 0, bad = 0; i < 256; i++)
		bad += bk[i] != NULL;
	ok(!a && !bad, "an add that cannot grow the scratch list fails, table untouched");
	ok(tadd(&t, "10.0.0.1", 80, 1) && bk[0] && bk[255] == bk[0], "the same add then works");
	ok(tsvc_free(&t), "teardown");
}

int main(void)
{
	TEST_BEGIN("sh");
	test_hash_values();
	test_layout();
	test_lookup();
	test_stability();
	test_membership();
	return TEST_END();
}
