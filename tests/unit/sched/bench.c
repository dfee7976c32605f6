// SPDX-License-Identifier: GPL-2.0
/*
 * Microbenchmark of the per-connection scan of lc/wlc/sed/nq at large
 * real-server counts: upstream's walk of the RCU destination list versus
 * the packed snapshot array the ipvs-ng modules scan (the real rule from
 * net/ipvs/sched_conn_logic.h, compiled against the test shim).
 *
 * Destinations live in 512-byte slots (the kmalloc-512 slab that a real
 * struct ipvs_dest lands in) shuffled in memory, so list order is not
 * address order, as on a long-running director. Loads are random and every
 * server is busy (no early exit). Reported: ns per scheduling decision and
 * per destination examined, best of several rounds.
 *
 *   make bench
 */
#include <math.h>
#include <time.h>
#include "shim/ipvs/sched.h"
#include "../../../net/ipvs/sched_conn_logic.h"

#define SLOT 512

/* Upstream's wlc loop, over the list. */
static struct ipvs_dest *list_wlc(struct list_head *head)
{
	struct ipvs_dest *dest, *least = NULL;
	int loh = 0, doh;

	list_for_each_entry(dest, head, n_list) {
		if (!(dest->flags & IP_VS_DEST_F_OVERLOAD) && atomic_read(&dest->weight) > 0) {
			least = dest;
			loh = (int)ipvs_d_overhead(least);
			goto next;
		}
	}
	return NULL;
next:
	for (dest = list_entry(dest->n_list.next, struct ipvs_dest, n_list);
	     &dest->n_list != head;
	     dest = list_entry(dest->n_list.next, struct ipvs_dest, n_list)) {
		if (dest->flags & IP_VS_DEST_F_OVERLOAD)
			continue;
		doh = (int)ipvs_d_overhead(dest);
		if ((s64)loh * atomic_read(&dest->weight) > (s64)doh * atomic_read(&least->weight)) {
			least = dest;
			loh = doh;
		}
	}
	return least;
}

/* Upstream's lc loop, over the list. */
static struct ipvs_dest *list_lc(struct list_head *head)
{
	struct ipvs_dest *dest, *least = NULL;
	unsigned int loh = 0, doh;

	list_for_each_entry(dest, head, n_list) {
		if ((dest->flags & IP_VS_DEST_F_OVERLOAD) || atomic_read(&dest->weight) == 0)
			continue;
		doh = ipvs_d_overhead(dest);
		if (!least || doh < loh) {
			least = dest;
			loh = doh;
		}
	}
	return least;
}

/* Variant: weights copied into the snapshot next to the pointers. */
struct wslot {
	struct ipvs_dest	*d;
	int			w;
};

static struct ipvs_dest *arr_wlc_w(const struct wslot *a, unsigned int n)
{
	struct ipvs_dest *least = NULL;
	int loh = 0, lw = 0, doh;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct ipvs_dest *d = a[i].d;

		if (d->flags & IP_VS_DEST_F_OVERLOAD)
			continue;
		if (!least) {
			if (a[i].w <= 0)
				continue;
			least = d;
			lw = a[i].w;
			loh = (int)ipvs_d_overhead(d);
			continue;
		}
		doh = (int)ipvs_d_overhead(d);
		if ((s64)loh * a[i].w > (s64)doh * lw) {
			least = d;
			loh = doh;
			lw = a[i].w;
		}
	}
	return least;
}

_Static_assert(offsetof(struct ipvs_dest, weight) == 60 &&
	       offsetof(struct ipvs_dest, flags) == 68 &&
	       offsetof(struct ipvs_dest, activeconns) == 88,
	       "shim layout must match the kernel's struct ipvs_dest");

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static u64 rs = 0x2545F4914F6CDD1DULL;

static u32 rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs >> 32;
}

static volatile void *sink;

int main(void)
{
	static const unsigned int ns[] = { 8, 64, 512, 4096, 32768 };
	unsigned int c;

	printf("%8s %10s %10s %10s %10s %10s %10s %11s\n", "servers", "wlc list", "wlc array",
	       "speedup", "lc list", "lc array", "speedup", "wlc w-cache");
	for (c = 0; c < sizeof(ns) / sizeof(ns[0]); c++) {
		unsigned int n = ns[c], i, r, reps = 4000000 / n + 10;
		char *pool = aligned_alloc(4096, (size_t)n * SLOT);
		struct ipvs_dest **arr = malloc(n * sizeof(*arr));
		struct wslot *ws = malloc(n * sizeof(*ws));
		unsigned int *perm = malloc(n * sizeof(*perm));
		struct list_head head;
		double best[5] = { 1e30, 1e30, 1e30, 1e30, 1e30 };

		memset(pool, 0, (size_t)n * SLOT);
		for (i = 0; i < n; i++)
			perm[i] = i;
		for (i = n - 1; i > 0; i--) {
			unsigned int j = rnd() % (i + 1), t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		INIT_LIST_HEAD(&head);
		for (i = 0; i < n; i++) {
			struct ipvs_dest *d = (struct ipvs_dest *)(pool + (size_t)perm[i] * SLOT);

			atomic_set(&d->weight, 1 + rnd() % 10);
			atomic_set(&d->activeconns, 1 + rnd() % 1000);
			atomic_set(&d->inactconns, rnd() % 5000);
			d->flags = IP_VS_DEST_F_AVAILABLE;
			list_add(&d->n_list, &head);	/* at the head, as the core does */
		}
		i = 0;
		{
			struct ipvs_dest *d;

			list_for_each_entry(d, &head, n_list) {
				ws[i].d = d;
				ws[i].w = atomic_read(&d->weight);
				arr[i++] = d;
			}
		}

		for (r = 0; r < 5; r++) {
			double t0;
			unsigned int k;

			t0 = now_ns();
			for (k = 0; k < reps; k++)
				sink = list_wlc(&head);
			best[0] = fmin(best[0], (now_ns() - t0) / reps);
			t0 = now_ns();
			for (k = 0; k < reps; k++)
				sink = ipvs_wlc_pick(arr, n);
			best[1] = fmin(best[1], (now_ns() - t0) / reps);
			t0 = now_ns();
			for (k = 0; k < reps; k++)
				sink = list_lc(&head);
			best[2] = fmin(best[2], (now_ns() - t0) / reps);
			t0 = now_ns();
			for (k = 0; k < reps; k++)
				sink = ipvs_lc_pick(arr, n);
			best[3] = fmin(best[3], (now_ns() - t0) / reps);
			t0 = now_ns();
			for (k = 0; k < reps; k++)
				sink = arr_wlc_w(ws, n);
			best[4] = fmin(best[4], (now_ns() - t0) / reps);
		}
		if (list_wlc(&head) != ipvs_wlc_pick(arr, n) || list_lc(&head) != ipvs_lc_pick(arr, n) ||
		    arr_wlc_w(ws, n) != ipvs_wlc_pick(arr, n)) {
			printf("MISMATCH at n=%u\n", n);
			return 1;
		}
		printf("%8u %8.0fns %8.0fns %9.2fx %8.0fns %8.0fns %9.2fx %9.0fns\n",
		       n, best[0], best[1], best[0] / best[1], best[2], best[3], best[2] / best[3],
		       best[4]);
		free(pool);
		free(arr);
		free(ws);
		free(perm);
	}
	return 0;
}
