// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lblcr, compiled against the module's source.
 *
 * Rule (upstream's): each destination address has a server set, newest
 * member first. A packet goes to the set's least loaded member per weight
 * (first such among those not overloaded, weight > 0 and linked); if the
 * set has 2+ members and has not changed for lblcr_expiration, its most
 * loaded member per weight (weight > 0) is dropped (after that choice was
 * made). If there was no member, or it is lblc-overloaded (active > weight
 * while some server of the service has active * 2 < weight), the wlc
 * server of the whole service is used and added to the set. A new address
 * gets a set of its wlc server.
 *
 * Sequences are checked against a model of that rule written here.
 */
#include "../../../net/ipvs/sched_lblcr.c"
#include "harness.h"

static struct ipvs_loc_state *S(struct tsvc *t)
{
	return to_loc_state(tst(t));
}

static struct ipvs_loc_net *PN(void)
{
	return net_generic(&init_net, ipvs_lblcr_net_id);
}

static struct ipvs_dest *pick_dst(struct tsvc *t, u32 daddr)
{
	struct ipvs_iphdr h;

	memset(&h, 0, sizeof(h));
	h.af = AF_INET;
	h.protocol = IPPROTO_UDP;
	h.saddr.ip = htonl(0xc0a80001);
	h.daddr.ip = htonl(daddr);
	return tpick(t, &h);
}

static struct ipvs_lblcr_entry *entry(struct tsvc *t, u32 daddr)
{
	union nf_inet_addr a = { .ip = htonl(daddr) };

	return ipvs_lblcr_entry(ipvs_loc_find(ipvs_loc_bucket(&S(t)->tab, AF_INET, &a), AF_INET, &a));
}

/* The set as a string of server ids, newest first ('.' = cleared slot). */
static const char *set_str(struct tsvc *t, u32 daddr)
{
	static char buf[64];
	struct ipvs_lblcr_entry *en = entry(t, daddr);
	struct ipvs_lblcr_set *set = en ? en->set : NULL;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; set && i < set->n; i++)
		buf[i] = set->d[i] ? '0' + set->d[i]->id : '.';
	buf[set ? set->n : 0] = 0;
	return buf;
}

/* ------------------------------------------------------------ model */

#define MAXD 12
#define MAXA 48

struct mentry {
	bool			exists;
	int			n;
	struct ipvs_dest	*d[MAXD];
	unsigned long		lastmod;
};

static s64 oh(struct ipvs_dest *x)
{
	return (s64)atomic_read(&x->activeconns) * 256 + atomic_read(&x->inactconns);
}

static bool usable(struct ipvs_dest *x)
{
	return !(x->flags & IP_VS_DEST_F_OVERLOAD) && atomic_read(&x->weight) > 0;
}

/* First of minimal (sign < 0) or maximal (sign > 0) load per weight. */
static struct ipvs_dest *extreme(struct ipvs_dest **d, int n, int sign,
				 bool (*ok_fn)(struct ipvs_dest *))
{
	int i, j;

	for (i = 0; i < n; i++) {
		bool best = true;

		if (!ok_fn(d[i]))
			continue;
		for (j = 0; j < n && best; j++) {
			__int128 l = (__int128)oh(d[j]) * atomic_read(&d[i]->weight);
			__int128 r = (__int128)oh(d[i]) * atomic_read(&d[j]->weight);

			if (!ok_fn(d[j]))
				continue;
			if ((sign < 0 ? l < r : l > r) || (l == r && j < i))
				best = false;
		}
		if (best)
			return d[i];
	}
	return NULL;
}

static bool min_ok(struct ipvs_dest *x)
{
	return usable(x) && (x->flags & IP_VS_DEST_F_AVAILABLE);
}

static bool max_ok(struct ipvs_dest *x)
{
	return atomic_read(&x->weight) > 0;
}

static bool m_overloaded(struct ipvs_dest **dl, int n, struct ipvs_dest *x)
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

static void m_insert(struct mentry *e, struct ipvs_dest *x)
{
	int i;

	for (i = 0; i < e->n; i++) {
		if (e->d[i] == x)
			return;
	}
	memmove(e->d + 1, e->d, e->n * sizeof(e->d[0]));
	e->d[0] = x;
	e->n++;
	e->lastmod = jiffies;
}

static struct ipvs_dest *m_pick(struct mentry *e, struct tsvc *t)
{
	struct ipvs_dest *dl[MAXD], *x, *m;
	int n = tlist(t, dl), i;

	if (!e->exists) {
		x = extreme(dl, n, -1, usable);
		if (x) {
			e->exists = true;
			e->n = 0;
			m_insert(e, x);
		}
		return x;
	}
	x = extreme(e->d, e->n, -1, min_ok);
	if (e->n > 1 && time_after(jiffies, e->lastmod + PN()->expiration)) {
		m = extreme(e->d, e->n, +1, max_ok);
		for (i = 0; m && i < e->n; i++) {
			if (e->d[i] == m) {
				memmove(e->d + i, e->d + i + 1, (e->n - i - 1) * sizeof(e->d[0]));
				e->n--;
				e->lastmod = jiffies;
				break;
			}
		}
	}
	if (x && !m_overloaded(dl, n, x))
		return x;
	x = extreme(dl, n, -1, usable);
	if (x)
		m_insert(e, x);
	return x;
}

/* ------------------------------------------------------------ tests */

static void test_sysctl(void)
{
	struct ctl_table_header *h = NULL;
	int i;

	for (i = 0; i < SHIM_MAX_SYSCTLS; i++) {
		if (shim_sysctls[i] && shim_sysctls[i]->table[0].procname &&
		    !strcmp(shim_sysctls[i]->table[0].procname, "lblcr_expiration"))
			h = shim_sysctls[i];
	}
	ok(h && !strcmp(h->path, "net/ipv4/vs") && h->table[0].data == &PN()->expiration &&
	   h->table[0].proc_handler == proc_dointvec_jiffies && h->table[0].mode == 0644,
	   "per-namespace sysctl net/ipv4/vs/lblcr_expiration registered");
	ok(PN()->expiration == 24 * 60 * 60 * HZ, "default expiration: one day");
}

static void test_sets(void)
{
	struct ipvs_dest *a, *b, *c;
	u32 X = 0x0a0000aa;
	struct tsvc t;

	tsvc_init(&t, AF_INET);
	c = tadd(&t, "10.0.0.3", 80, 2);
	b = tadd(&t, "10.0.0.2", 80, 1);
	a = tadd(&t, "10.0.0.1", 80, 1);	/* list a b c; ids c=1 b=2 a=3 */

	ok(pick_dst(&t, X) == a && !strcmp(set_str(&t, X), "3"), "new address: set {a} (wlc)");
	atomic_set(&a->activeconns, 1);
	ok(pick_dst(&t, X) == a, "a at its weight: kept");
	atomic_set(&a->activeconns, 2);
	/* a: 2 > 1 and b idle (0 < 1/2): reschedule by wlc: b 0, c 0 -> b */
	ok(pick_dst(&t, X) == b && !strcmp(set_str(&t, X), "23"),
	   "a lblc-overloaded: wlc adds b in front: {b, a}");
	atomic_set(&b->activeconns, 1);
	atomic_set(&a->activeconns, 1);
	/* set min: b 256/1, a 256/1 -> b (first) */
	ok(pick_dst(&t, X) == b, "least loaded member, first on a tie (b)");
	atomic_set(&b->activeconns, 2);
	ok(pick_dst(&t, X) == a, "least loaded member (a: 256 < b: 512)");
	ok(refcount_read(&a->refcnt) == 2 && refcount_read(&b->refcnt) == 2,
	   "members hold references");

	/* b (2 > 1) is not lblc-overloaded while nobody is below half. */
	atomic_set(&c->activeconns, 1);
	a->flags |= IP_VS_DEST_F_OVERLOAD;
	ok(pick_dst(&t, X) == b, "overloaded member skipped by the set scan");
	a->flags &= ~IP_VS_DEST_F_OVERLOAD;

	/* Expiry: the set has not changed for a day: drop the most loaded (b). */
	jiffies += PN()->expiration + 1;
	ok(pick_dst(&t, X) == a && !strcmp(set_str(&t, X), "3") &&
	   refcount_read(&b->refcnt) == 1,
	   "set unchanged for lblcr_expiration: most loaded member b dropped");
	ok(pick_dst(&t, X) == a && !strcmp(set_str(&t, X), "3"), "a single member is never dropped");

	tdel(&t, a);
	ok(refcount_read(&a->refcnt) == 2, "deleted member stays referenced");
	/* a unlinked: set scan finds nothing -> wlc: b 512/1, c 0/2 -> c */
	ok(pick_dst(&t, X) == c && !strcmp(set_str(&t, X), "13"),
	   "unlinked member not used: wlc's c joins the set");

	/* Out of memory: insert and erase degrade as upstream (no change / cleared slot). */
	atomic_set(&c->activeconns, 5);
	atomic_set(&b->activeconns, 0);
	shim_fail_allocs = 1;
	ok(pick_dst(&t, X) == b && !strcmp(set_str(&t, X), "13"),
	   "no memory to add b: still scheduled to b, set unchanged");
	shim_fail_allocs = 0;
	ok(pick_dst(&t, X) == b && !strcmp(set_str(&t, X), "213"), "next time b joins");
	jiffies += PN()->expiration + 1;
	shim_fail_allocs = 1;
	pick_dst(&t, X);
	shim_fail_allocs = 0;
	ok(!strcmp(set_str(&t, X), "2.3") && refcount_read(&c->refcnt) == 1 &&
	   entry(&t, X)->size == 2,
	   "no memory to shrink: c's slot cleared in place, reference dropped");
	ok(pick_dst(&t, X) == b, "cleared slot skipped");
	atomic_set(&b->activeconns, 9);
	atomic_set(&c->activeconns, 0);
	ok(pick_dst(&t, X) == c && !strcmp(set_str(&t, X), "123"),
	   "next insert compacts the set");

	ok(!tpick(&t, NULL), "no parsed headers: no pick");
	ok(tsvc_free(&t), "teardown drops every reference");
}

static void test_model(void)
{
	static struct mentry m[MAXA];
	struct ipvs_dest *d[MAXD], *got, *want;
	int i, n = 7, bad = 0, step, sets = 0, shrinks = 0;
	struct tsvc t;
	char ip[32];

	PN()->expiration = 5 * HZ;
	tsvc_init(&t, AF_INET);
	for (i = 0; i < n; i++) {
		snprintf(ip, sizeof(ip), "10.6.0.%d", i + 1);
		d[i] = tadd(&t, ip, 80, 1 + trand() % 3);
	}
	for (step = 0; step < 30000; step++) {
		int a = trand() % MAXA, r = trand() % 100, k = trand() % n, before;

		jiffies += trand() % (HZ / 2);
		before = m[a].n;
		want = m_pick(&m[a], &t);
		got = pick_dst(&t, 0x0a300000 + a);
		shrinks += m[a].n < before;
		if (got != want && bad++ < 5)
			diag("step %d: module %d, model %d", step, got ? got->id : 0,
			     want ? want->id : 0);
		if (!bad && m[a].exists && strlen(set_str(&t, 0x0a300000 + a)) != (size_t)m[a].n &&
		    bad++ < 5)
			diag("step %d: set size %zu, model %d", step,
			     strlen(set_str(&t, 0x0a300000 + a)), m[a].n);
		if (got)
			atomic_inc(r < 75 ? &got->activeconns : &got->inactconns);
		if (r < 65 && atomic_read(&d[k]->activeconns) > 0)
			atomic_dec(&d[k]->activeconns);
		if (r == 90)
			tedit(&t, d[k], trand() % 4);
		if (r == 91)
			d[k]->flags ^= IP_VS_DEST_F_OVERLOAD;
		if (r == 92 && (d[k]->flags & IP_VS_DEST_F_AVAILABLE) && t.svc.num_dests > 2)
			tdel(&t, d[k]);
		if (r == 93 && !(d[k]->flags & IP_VS_DEST_F_AVAILABLE))
			trevive(&t, d[k], 1 + trand() % 3);
	}
	for (i = 0; i < MAXA; i++)
		sets += m[i].n > 1;
	ok(!bad, "30000 steps with churn and a 5 s expiration match the model (%d mismatches)",
	   bad);
	ok(shrinks > 50 && sets > 0, "... exercising set growth and %d expiry shrinks", shrinks);
	PN()->expiration = 24 * 60 * 60 * HZ;
	ok(tsvc_free(&t), "teardown drops every reference");
}

static void test_gc(void)
{
	struct ipvs_dest *a;
	struct tsvc t;
	int i;

	tsvc_init(&t, AF_INET);
	a = tadd(&t, "10.0.0.1", 80, 1);
	for (i = 0; i < 50; i++)
		pick_dst(&t, 0x0a400000 + i);
	ok(atomic_read(&S(&t)->tab.entries) == 50 && refcount_read(&a->refcnt) == 51,
	   "50 addresses cached");
	for (i = 0; i < 29; i++) {
		jiffies += 60 * HZ;
		S(&t)->tab.timer.function(&S(&t)->tab.timer);
	}
	ok(atomic_read(&S(&t)->tab.entries) == 50, "no collection before the 30th minute");
	jiffies += PN()->expiration;
	S(&t)->tab.timer.function(&S(&t)->tab.timer);
	ok(atomic_read(&S(&t)->tab.entries) == 0 && refcount_read(&a->refcnt) == 1,
	   "full sweep drops entries unused for lblcr_expiration, with their references");
	{
		union nf_inet_addr x = { .ip = htonl(0x0c000001) };
		int j = hash_32(ipvs_hash_fold(AF_INET, &x), IPVS_LOC_TAB_BITS);
		unsigned long t0 = jiffies;

		pick_dst(&t, 0x0c000001);
		ok(ipvs_loc_sweep(&S(&t)->tab, j, t0 + 100 * HZ - 1, 100 * HZ) == 0 &&
		   ipvs_loc_sweep(&S(&t)->tab, j, t0 + 100 * HZ, 100 * HZ) == 1,
		   "an entry expires when idle for exactly the age, not a jiffy before");
	}
	ok(tsvc_free(&t), "teardown");
}

int main(void)
{
	TEST_BEGIN("lblcr");
	test_sysctl();
	test_sets();
	test_model();
	test_gc();
	return TEST_END();
}
