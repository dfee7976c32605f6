// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lblc, compiled against the module's source.
 *
 * Rule (upstream's): look the packet's destination address up in the
 * cache; if found, use its server when it is linked, has weight > 0 and is
 * not lblc-overloaded (active > weight while some server of the service
 * has active * 2 < weight) -- its OVERLOAD flag is not consulted. Otherwise
 * pick the wlc server (first non-overloaded of minimal overhead/weight)
 * and cache it. Entries unused for lblc_expiration go in the full sweep
 * every 30th minute; above 16384 entries a per-minute sweep drops entries
 * idle 6 minutes, 4/3 of the excess at most.
 *
 * Sequences are checked against a model of that rule written here, which
 * shares no code with the module.
 */
#include "../../../net/ipvs/sched_lblc.c"
#include "harness.h"

static struct ipvs_loc_state *S(struct tsvc *t)
{
	return to_loc_state(tst(t));
}

static struct ipvs_dest *pick_dst(struct tsvc *t, u32 daddr)
{
	struct ipvs_iphdr h;

	memset(&h, 0, sizeof(h));
	h.af = AF_INET;
	h.protocol = IPPROTO_TCP;
	h.saddr.ip = htonl(0xc0a80001);
	h.daddr.ip = htonl(daddr);
	return tpick(t, &h);
}

static void tick(struct tsvc *t)
{
	jiffies += IPVS_LOC_CHECK_INTERVAL;
	S(t)->tab.timer.function(&S(t)->tab.timer);
}

/* ------------------------------------------------------------ model */

#define MAXD 16
#define MAXA 64

struct model {
	struct ipvs_dest	*cache[MAXA];
};

static bool m_lblc_overloaded(struct ipvs_dest **dl, int n, struct ipvs_dest *x)
{
	int i;

	if (atomic_read(&x->activeconns) <= atomic_read(&x->weight))
		return false;
	for (i = 0; i < n; i++) {
		if (atomic_read(&dl[i]->activeconns) * 2 < atomic_read(&dl[i]->weight))
			return true;
	}
	return false;
}

/* wlc by definition: first usable server of minimal overhead / weight. */
static struct ipvs_dest *m_wlc(struct ipvs_dest **dl, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		__int128 oi, oj;
		bool best = true;

		if ((dl[i]->flags & IP_VS_DEST_F_OVERLOAD) || atomic_read(&dl[i]->weight) <= 0)
			continue;
		oi = (__int128)atomic_read(&dl[i]->activeconns) * 256 +
		     atomic_read(&dl[i]->inactconns);
		for (j = 0; j < n && best; j++) {
			if ((dl[j]->flags & IP_VS_DEST_F_OVERLOAD) ||
			    atomic_read(&dl[j]->weight) <= 0)
				continue;
			oj = (__int128)atomic_read(&dl[j]->activeconns) * 256 +
			     atomic_read(&dl[j]->inactconns);
			if (oj * atomic_read(&dl[i]->weight) < oi * atomic_read(&dl[j]->weight) ||
			    (oj * atomic_read(&dl[i]->weight) == oi * atomic_read(&dl[j]->weight) &&
			     j < i))
				best = false;
		}
		if (best)
			return dl[i];
	}
	return NULL;
}

static struct ipvs_dest *m_pick(struct model *m, struct tsvc *t, int a)
{
	struct ipvs_dest *dl[MAXD], *x = m->cache[a];
	int n = tlist(t, dl);

	if (x && (x->flags & IP_VS_DEST_F_AVAILABLE) && atomic_read(&x->weight) > 0 &&
	    !m_lblc_overloaded(dl, n, x))
		return x;
	x = m_wlc(dl, n);
	if (x)
		m->cache[a] = x;
	return x;
}

/* ------------------------------------------------------------ tests */

static void test_sysctl(void)
{
	struct ipvs_loc_net *pn = net_generic(&init_net, ipvs_lblc_net_id);
	struct ctl_table_header *h = NULL;
	int i;

	for (i = 0; i < SHIM_MAX_SYSCTLS; i++) {
		if (shim_sysctls[i] && shim_sysctls[i]->table &&
		    shim_sysctls[i]->table[0].procname &&
		    !strcmp(shim_sysctls[i]->table[0].procname, "lblc_expiration"))
			h = shim_sysctls[i];
	}
	ok(h && !strcmp(h->path, "net/ipv4/vs") && h->net == &init_net,
	   "per-namespace sysctl net/ipv4/vs/lblc_expiration registered");
	ok(h && h->table[0].data == &pn->expiration && h->table[0].mode == 0644 &&
	   h->table[0].proc_handler == proc_dointvec_jiffies && !h->table[1].procname,
	   "... an int in jiffies, 0644, shown in seconds (proc_dointvec_jiffies)");
	ok(pn->expiration == 24 * 60 * 60 * HZ, "default expiration: one day");
}

static void test_locality(void)
{
	struct ipvs_dest *a, *b, *c, *got;
	struct tsvc t;
	u32 X = 0x0a000063, Y = 0x0a000064;
	int errs;

	tsvc_init(&t, AF_INET);
	c = tadd(&t, "10.0.0.3", 80, 1);
	b = tadd(&t, "10.0.0.2", 80, 1);
	a = tadd(&t, "10.0.0.1", 80, 1);	/* list a b c */

	got = pick_dst(&t, X);
	ok(got == a && atomic_read(&S(&t)->tab.entries) == 1 && refcount_read(&a->refcnt) == 2,
	   "first packet to X: wlc server (a) cached, with a reference");
	atomic_inc(&a->activeconns);
	ok(pick_dst(&t, Y) == b, "another address goes by wlc (b)");
	atomic_inc(&b->activeconns);
	ok(pick_dst(&t, X) == a, "X sticks to a although wlc would say c");

	atomic_set(&a->activeconns, 5);
	atomic_set(&c->activeconns, 1);
	atomic_set(&b->activeconns, 1);
	ok(pick_dst(&t, X) == a, "a above its weight but nobody below half: kept");
	atomic_set(&c->activeconns, 0);
	got = pick_dst(&t, X);
	ok(got == c && refcount_read(&a->refcnt) == 1 && refcount_read(&c->refcnt) == 2,
	   "a above its weight and c idle: X moves to c, references follow");

	c->flags |= IP_VS_DEST_F_OVERLOAD;
	ok(pick_dst(&t, X) == c, "cached server with the OVERLOAD flag is still used (upstream)");
	c->flags &= ~IP_VS_DEST_F_OVERLOAD;

	tedit(&t, c, 0);
	got = pick_dst(&t, X);
	ok(got == b, "cached server quiesced (weight 0): rescheduled by wlc (b)");
	tedit(&t, c, 1);

	tdel(&t, b);
	ok(refcount_read(&b->refcnt) >= 2, "a deleted server stays referenced by its entries");
	ok(trevive(&t, b, 1) == 0 && pick_dst(&t, X) == b,
	   "re-added (revived) server serves its cached addresses again");
	tdel(&t, b);
	got = pick_dst(&t, X);
	ok(got && got != b && refcount_read(&b->refcnt) == 2,
	   "deleted server: X rescheduled, its reference dropped (Y's remains)");

	errs = shim_sched_errors;
	ok(!tpick(&t, NULL) && shim_sched_errors == errs + 1, "no parsed headers: no pick");

	shim_fail_allocs = 1;
	ok(pick_dst(&t, 0x0a0000ff) != NULL && atomic_read(&S(&t)->tab.entries) == 2,
	   "no memory for an entry: still scheduled, just not cached");
	shim_fail_allocs = 0;
	ok(tsvc_free(&t), "teardown drops every reference");
}

static void test_model(void)
{
	struct ipvs_dest *d[MAXD], *dl[MAXD], *got, *want;
	struct model m = { };
	int i, n = 6, bad = 0, step, local = 0;
	struct tsvc t;
	char ip[32];

	tsvc_init(&t, AF_INET);
	for (i = 0; i < n; i++) {
		snprintf(ip, sizeof(ip), "10.5.0.%d", i + 1);
		d[i] = tadd(&t, ip, 80, 1 + trand() % 4);
	}
	for (step = 0; step < 20000; step++) {
		int a = trand() % MAXA, r = trand() % 100, k = trand() % n;

		n = tlist(&t, dl);
		want = m_pick(&m, &t, a);
		local += want && want != m_wlc(dl, n);
		n = 6;
		got = pick_dst(&t, 0x0a100000 + a);
		if (got != want && bad++ < 5)
			diag("step %d: module %d, model %d", step, got ? got->id : 0,
			     want ? want->id : 0);
		if (got)
			atomic_inc(r < 70 ? &got->activeconns : &got->inactconns);
		/* connections end; servers change */
		if (r < 60 && atomic_read(&d[k]->activeconns) > 0)
			atomic_dec(&d[k]->activeconns);
		if (r == 90)
			tedit(&t, d[k], trand() % 5);
		if (r == 91)
			d[k]->flags ^= IP_VS_DEST_F_OVERLOAD;
		if (r == 92 && (d[k]->flags & IP_VS_DEST_F_AVAILABLE) && t.svc.num_dests > 2)
			tdel(&t, d[k]);
		if (r == 93 && !(d[k]->flags & IP_VS_DEST_F_AVAILABLE))
			trevive(&t, d[k], 1 + trand() % 3);
	}
	ok(!bad, "20000 scheduling steps with churn match the model (%d mismatches)", bad);
	ok(local > 1000, "... of which %d kept a cached server other than wlc's choice", local);
	ok(tsvc_free(&t), "teardown drops every reference");
}

static void test_expiry(void)
{
	struct ipvs_loc_net *pn = net_generic(&init_net, ipvs_lblc_net_id);
	struct ipvs_dest *a;
	struct tsvc t;
	int i, e;

	tsvc_init(&t, AF_INET);
	a = tadd(&t, "10.0.0.1", 80, 1);
	ok(S(&t)->tab.timer.pending && S(&t)->tab.timer.expires == jiffies + 60 * HZ,
	   "collection timer armed for a minute");
	for (i = 0; i < 100; i++)
		pick_dst(&t, 0x0a200000 + i);
	ok(atomic_read(&S(&t)->tab.entries) == 100 && refcount_read(&a->refcnt) == 101,
	   "100 addresses cached");

	/* Minutes 1..29: table small, nothing collected. */
	for (i = 0; i < 29; i++)
		tick(&t);
	ok(atomic_read(&S(&t)->tab.entries) == 100, "29 minutes: small table, no collection");
	/* Keep 10 of them in use, let a day pass for the rest. */
	jiffies += pn->expiration;
	for (i = 0; i < 10; i++)
		pick_dst(&t, 0x0a200000 + i);
	tick(&t);
	ok(atomic_read(&S(&t)->tab.entries) == 10 && refcount_read(&a->refcnt) == 11,
	   "30th minute: full sweep drops the 90 entries unused for a day");

	pn->expiration = 120 * HZ;
	for (i = 0; i < 29; i++)
		tick(&t);
	ok(atomic_read(&S(&t)->tab.entries) == 10, "next 29 minutes: no full sweep");
	tick(&t);
	ok(atomic_read(&S(&t)->tab.entries) == 0 && refcount_read(&a->refcnt) == 1,
	   "lblc_expiration lowered to 2 minutes: next full sweep drops idle entries");
	pn->expiration = 24 * 60 * 60 * HZ;

	/* Over 16384 entries: a minute's sweep removes 4/3 of the excess. */
	for (i = 0; i < 17000; i++)
		pick_dst(&t, 0x0b000000 + i * 7);
	ok(atomic_read(&S(&t)->tab.entries) == 17000, "17000 addresses cached");
	jiffies += 7 * 60 * HZ;
	tick(&t);
	e = atomic_read(&S(&t)->tab.entries);
	ok(e <= 17000 - 821 && e > 17000 - 821 - 100,
	   "over the limit: one sweep drops the 6-minute idle, >= (17000-16384)*4/3 = 821, then stops (%d left)",
	   17000 - e > 0 ? e : 0);
	ok(S(&t)->tab.timer.pending, "timer re-armed");
	ok(tsvc_free(&t), "teardown drops every reference");

	/* Exact boundary: idle for the whole age goes, one jiffy less stays. */
	tsvc_init(&t, AF_INET);
	a = tadd(&t, "10.0.0.1", 80, 1);
	{
		union nf_inet_addr x = { .ip = htonl(0x0c000001) };
		int j = hash_32(ipvs_hash_fold(AF_INET, &x), IPVS_LOC_TAB_BITS);
		unsigned long t0 = jiffies;

		pick_dst(&t, 0x0c000001);
		ok(ipvs_loc_sweep(&S(&t)->tab, j, t0 + 100 * HZ - 1, 100 * HZ) == 0 &&
		   ipvs_loc_sweep(&S(&t)->tab, j, t0 + 100 * HZ, 100 * HZ) == 1 &&
		   refcount_read(&a->refcnt) == 1,
		   "an entry expires when idle for exactly the age, not a jiffy before");
	}
	ok(tsvc_free(&t), "teardown");
}

int main(void)
{
	TEST_BEGIN("lblc");
	test_sysctl();
	test_locality();
	test_model();
	test_expiry();
	return TEST_END();
}
