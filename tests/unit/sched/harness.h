/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test harness for the scheduler modules: TAP output and a fake ip_vs core
 * that drives a scheduler's hooks exactly as net/ipvs/dest.c does
 * (destinations linked at the list head, AVAILABLE set while linked,
 * last_weight kept across weight 0, deleted destinations kept in a trash
 * with their reference count).
 *
 * Include it after the module's .c file, which registers the scheduler
 * from shim_module_init().
 */
#ifndef _IPVS_TEST_HARNESS_H
#define _IPVS_TEST_HARNESS_H

#include <stdarg.h>
#include <ipvs/packet.h>

extern struct ipvs_scheduler *shim_sched;
extern int shim_sched_errors;

/* ------------------------------------------------------------ TAP */

static int tap_n, tap_failed;
static const char *tap_prefix = "";

static bool __attribute__((format(printf, 2, 3))) ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s", cond ? "" : "not ", tap_n, tap_prefix);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

static void __attribute__((format(printf, 1, 2))) diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

/* ------------------------------------------------------------ fake core */

struct tsvc {
	struct ipvs_net		ipvs;
	struct ipvs_service	svc;
	struct list_head	trash;
	int			next_id;
};

static struct ipvs_sched_state *tst(struct tsvc *t)
{
	return t->svc.sched_state;
}

static bool tsvc_init(struct tsvc *t, u16 af)
{
	struct ipvs_sched_state *st;

	memset(t, 0, sizeof(*t));
	t->ipvs.net = &init_net;
	t->svc.ipvs = &t->ipvs;
	t->svc.af = af;
	t->svc.protocol = IPPROTO_TCP;
	INIT_LIST_HEAD(&t->svc.destinations);
	INIT_LIST_HEAD(&t->trash);
	st = shim_sched->init_service(&t->svc);
	if (!st || IS_ERR(st))
		return false;
	st->sched = shim_sched;
	ipvs_sched_publish(&t->svc, st);
	return true;
}

static void tparse(u16 af, const char *ip, union nf_inet_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(af, ip, a) != 1) {
		fprintf(stderr, "bad address %s\n", ip);
		exit(2);
	}
}

/* A destination as ipvs_dest_new() + ipvs_dest_apply() leave it, unlinked. */
static struct ipvs_dest *tdest_new(struct tsvc *t, const char *ip, int port, int weight)
{
	struct ipvs_dest *d = calloc(1, sizeof(*d));

	d->af = t->svc.af;
	tparse(d->af, ip, &d->addr);
	d->port = htons(port);
	atomic_set(&d->weight, weight);
	atomic_set(&d->last_weight, weight);
	refcount_set(&d->refcnt, 1);
	d->id = ++t->next_id;
	INIT_LIST_HEAD(&d->t_list);
	return d;
}

static void tunlink(struct tsvc *t, struct ipvs_dest *d)
{
	WRITE_ONCE(d->flags, d->flags & ~IP_VS_DEST_F_AVAILABLE);
	list_del(&d->n_list);
	t->svc.num_dests--;
}

/* Link at the head and tell the scheduler; undone if it refuses. */
static int tlink(struct tsvc *t, struct ipvs_dest *d)
{
	struct ipvs_sched_state *st = tst(t);
	int ret = 0;

	WRITE_ONCE(d->flags, d->flags | IP_VS_DEST_F_AVAILABLE);
	list_add(&d->n_list, &t->svc.destinations);
	t->svc.num_dests++;
	if (st && st->sched->add_dest)
		ret = st->sched->add_dest(&t->svc, st, d);
	if (ret) {
		tunlink(t, d);
		list_add(&d->t_list, &t->trash);
	}
	return ret;
}

static struct ipvs_dest *tadd(struct tsvc *t, const char *ip, int port, int weight)
{
	struct ipvs_dest *d = tdest_new(t, ip, port, weight);

	return tlink(t, d) ? NULL : d;
}

static void tdel(struct tsvc *t, struct ipvs_dest *d)
{
	struct ipvs_sched_state *st = tst(t);

	tunlink(t, d);
	if (st && st->sched->del_dest)
		st->sched->del_dest(&t->svc, st, d);
	list_add(&d->t_list, &t->trash);
}

/* Re-add a deleted destination: the core revives the same object. */
static int trevive(struct tsvc *t, struct ipvs_dest *d, int weight)
{
	list_del(&d->t_list);
	INIT_LIST_HEAD(&d->t_list);
	atomic_set(&d->last_weight, weight);
	atomic_set(&d->weight, weight);
	return tlink(t, d);
}

/* ipvsadm -e: the weight (last_weight keeps the last non-zero one). */
static void tedit(struct tsvc *t, struct ipvs_dest *d, int weight)
{
	struct ipvs_sched_state *st = tst(t);

	if (weight)
		atomic_set(&d->last_weight, weight);
	atomic_set(&d->weight, weight);
	if (st && st->sched->upd_dest)
		st->sched->upd_dest(&t->svc, st, d);
}

static struct ipvs_dest *tpick(struct tsvc *t, const struct ipvs_iphdr *iph)
{
	struct ipvs_sched_state *st = tst(t);

	return st->sched->schedule(&t->svc, st, NULL, iph);
}

/* Destinations in list order (the order schedulers must follow). */
static unsigned int tlist(struct tsvc *t, struct ipvs_dest **out)
{
	struct ipvs_dest *d;
	unsigned int n = 0;

	list_for_each_entry(d, &t->svc.destinations, n_list)
		out[n++] = d;
	return n;
}

struct dspec {
	int		w;
	int		act;
	int		inact;
	unsigned int	flags;	/* IP_VS_DEST_F_OVERLOAD or 0 */
};

/* Add @n destinations so that list order is @spec order; fills @out. */
static void tbuild(struct tsvc *t, const struct dspec *spec, unsigned int n,
		   struct ipvs_dest **out)
{
	char ip[32];
	int i;

	for (i = n - 1; i >= 0; i--) {
		snprintf(ip, sizeof(ip), "10.1.%d.%d", (i + 1) / 250, (i + 1) % 250 + 1);
		out[i] = tadd(t, ip, 80, spec[i].w);
		atomic_set(&out[i]->activeconns, spec[i].act);
		atomic_set(&out[i]->inactconns, spec[i].inact);
		out[i]->flags |= spec[i].flags;
	}
}

static int tindex(struct ipvs_dest *const *d, unsigned int n, const struct ipvs_dest *x)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (d[i] == x)
			return i;
	}
	return -1;
}

/*
 * Tear down as the core does (done_service, grace period) and free the
 * destinations. Returns false if the scheduler leaked memory or left a
 * reference on a destination.
 */
static bool tsvc_free(struct tsvc *t)
{
	struct ipvs_dest *d, *n;
	struct ipvs_sched_state *st = tst(t);
	bool clean = true;

	if (st) {
		ipvs_sched_publish(&t->svc, NULL);
		st->sched->done_service(&t->svc, st);
	}
	shim_rcu_barrier();
	list_for_each_entry_safe(d, n, &t->svc.destinations, n_list) {
		if (refcount_read(&d->refcnt) != 1)
			clean = false;
		list_del(&d->n_list);
		free(d);
	}
	list_for_each_entry_safe(d, n, &t->trash, t_list) {
		if (refcount_read(&d->refcnt) != 1)
			clean = false;
		list_del(&d->t_list);
		free(d);
	}
	return clean;
}

/* A parsed packet from @saddr:@sport to @daddr:@dport. */
static struct ipvs_iphdr tiph(u16 af, u8 proto, const char *saddr, int sport,
			      const char *daddr, int dport)
{
	struct ipvs_iphdr h;

	memset(&h, 0, sizeof(h));
	h.af = af;
	h.protocol = proto;
	tparse(af, saddr, &h.saddr);
	tparse(af, daddr, &h.daddr);
	h.sport = htons(sport);
	h.dport = htons(dport);
	return h;
}

/* Deterministic pseudo-random numbers for the tests themselves. */
static u64 trand_state = 88172645463325252ULL;

static u32 trand(void)
{
	trand_state ^= trand_state << 13;
	trand_state ^= trand_state >> 7;
	trand_state ^= trand_state << 17;
	return (u32)(trand_state >> 32);
}

/* Module load, as modprobe would; every test program starts with it. */
#define TEST_BEGIN(nm) do {						\
	setvbuf(stdout, NULL, _IOLBF, 0);				\
	tap_prefix = nm ": ";						\
	ok(shim_module_init() == 0 && shim_sched &&			\
	   !strcmp(shim_sched->name, nm), "module registers scheduler \"%s\"", nm); \
} while (0)

/* Module unload; no memory may be left behind, no warning issued. */
#define TEST_END() ({							\
	shim_module_exit();						\
	shim_rcu_barrier();						\
	ok(!shim_sched, "module unregisters");				\
	ok(shim_allocs == 0, "no memory leaked (%ld live allocations)", shim_allocs); \
	ok(shim_warnings == 0, "no kernel warning (%d)", shim_warnings); \
	ok(shim_bl_locked == 0, "no chain lock left held");		\
	tap_done();							\
})

#endif /* _IPVS_TEST_HARNESS_H */
