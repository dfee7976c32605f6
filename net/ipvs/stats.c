// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU traffic counters for services, destinations and namespace totals.
 *
 * The packet path bumps the counters of the CPU it runs on without locks
 * (u64_stats_sync makes 64-bit reads tear-free on 32-bit hosts). Zeroing does
 * not touch the per-CPU data, which other CPUs may be writing: it records the
 * current sums as a base that readers subtract, as upstream does. @lock only
 * orders zeroing against readers of base and rate.
 *
 * Rates (cps, pps, bps) come from the estimator (est.c), which writes
 * @rate and its own state under @lock.
 *
 * The per-CPU counters come from blocks of IPVS_STATS_PER_BLOCK slots, one
 * alloc_percpu() per block: alloc_percpu() searches the per-CPU chunks with
 * interrupts off, and one call per service and per destination was half
 * the kernel's work in restoring 10,000 services x 4 servers.  Locking:
 * stats_pool_lock (BH: slots are returned from RCU callbacks) guards
 * stats_partial and every block's @free; a slot, once handed out, belongs
 * to its ipvs_stats alone.
 */
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <ipvs/ipvs.h>

#define IPVS_STATS_PER_BLOCK	64

struct ipvs_stats_block {
	struct ipvs_cpu_stats __percpu	*cpu;	/* IPVS_STATS_PER_BLOCK each */
	struct list_head		list;	/* on stats_partial, if @free */
	u64				free;	/* bit i: slot i is unused */
};

static DEFINE_SPINLOCK(stats_pool_lock);
static LIST_HEAD(stats_partial);	/* blocks with at least one free slot */

static struct ipvs_stats_block *stats_block_new(void)
{
	struct ipvs_stats_block *b = kmalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	b->cpu = __alloc_percpu(sizeof(struct ipvs_cpu_stats) *
				IPVS_STATS_PER_BLOCK,
				__alignof__(struct ipvs_cpu_stats));
	if (!b->cpu) {
		kfree(b);
		return NULL;
	}
	b->free = ~0ULL;
	return b;
}

static void stats_block_free(struct ipvs_stats_block *b)
{
	free_percpu(b->cpu);
	kfree(b);
}

/* Takes a free slot into @s, making a new block if none has one. */
static int stats_slot_get(struct ipvs_stats *s)
{
	struct ipvs_stats_block *b, *fresh = NULL;

	spin_lock_bh(&stats_pool_lock);
	if (list_empty(&stats_partial)) {
		spin_unlock_bh(&stats_pool_lock);
		fresh = stats_block_new();
		if (!fresh)
			return -ENOMEM;
		spin_lock_bh(&stats_pool_lock);
		list_add(&fresh->list, &stats_partial);
	}
	b = list_first_entry(&stats_partial, struct ipvs_stats_block, list);
	s->slot = __ffs64(b->free);
	b->free &= ~BIT_ULL(s->slot);
	if (!b->free)
		list_del_init(&b->list);
	spin_unlock_bh(&stats_pool_lock);

	s->block = b;
	s->cpu = b->cpu + s->slot;
	return 0;
}

/* An empty block is freed unless it is the only one with free slots, so
 * that adding and deleting one service does not allocate every time.
 */
static void stats_slot_put(struct ipvs_stats *s)
{
	struct ipvs_stats_block *b = s->block;

	spin_lock_bh(&stats_pool_lock);
	if (!b->free)
		list_add(&b->list, &stats_partial);
	b->free |= BIT_ULL(s->slot);
	if (b->free == ~0ULL && !list_is_singular(&stats_partial))
		list_del(&b->list);
	else
		b = NULL;
	spin_unlock_bh(&stats_pool_lock);
	if (b)
		stats_block_free(b);
}

/* Module exit, after every ipvs_stats is gone: the one cached block. */
void ipvs_stats_pool_uninit(void)
{
	struct ipvs_stats_block *b, *tmp;

	list_for_each_entry_safe(b, tmp, &stats_partial, list) {
		WARN_ON(b->free != ~0ULL);
		list_del(&b->list);
		stats_block_free(b);
	}
}

int ipvs_stats_init(struct ipvs_stats *s)
{
	int cpu;

	spin_lock_init(&s->lock);
	memset(&s->base, 0, sizeof(s->base));
	memset(&s->rate, 0, sizeof(s->rate));
	memset(&s->est, 0, sizeof(s->est));
	s->block = NULL;
	if (stats_slot_get(s))
		return -ENOMEM;
	/* a slot may have been used before */
	for_each_possible_cpu(cpu) {
		struct ipvs_cpu_stats *c = per_cpu_ptr(s->cpu, cpu);

		memset(c, 0, sizeof(*c));
		u64_stats_init(&c->syncp);
	}
	return 0;
}

void ipvs_stats_destroy(struct ipvs_stats *s)
{
	if (!s->block)
		return;
	stats_slot_put(s);
	s->block = NULL;
	s->cpu = NULL;
}

void ipvs_stats_read_cpu(struct ipvs_stats *s, int cpu, struct ipvs_kstats *out)
{
	struct ipvs_cpu_stats *c = per_cpu_ptr(s->cpu, cpu);
	unsigned int start;

	memset(out, 0, sizeof(*out));
	do {
		start = u64_stats_fetch_begin(&c->syncp);
		out->conns = u64_stats_read(&c->conns);
		out->inpkts = u64_stats_read(&c->inpkts);
		out->outpkts = u64_stats_read(&c->outpkts);
		out->inbytes = u64_stats_read(&c->inbytes);
		out->outbytes = u64_stats_read(&c->outbytes);
	} while (u64_stats_fetch_retry(&c->syncp, start));
}

static void ipvs_stats_sum(struct ipvs_stats *s, struct ipvs_kstats *sum)
{
	struct ipvs_kstats one;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		ipvs_stats_read_cpu(s, cpu, &one);
		sum->conns += one.conns;
		sum->inpkts += one.inpkts;
		sum->outpkts += one.outpkts;
		sum->inbytes += one.inbytes;
		sum->outbytes += one.outbytes;
	}
}

/* Counters since the last zeroing, plus the current rates. */
void ipvs_stats_read(struct ipvs_stats *s, struct ipvs_kstats *out)
{
	ipvs_stats_sum(s, out);

	spin_lock_bh(&s->lock);
	out->conns -= s->base.conns;
	out->inpkts -= s->base.inpkts;
	out->outpkts -= s->base.outpkts;
	out->inbytes -= s->base.inbytes;
	out->outbytes -= s->base.outbytes;
	out->cps = s->rate.cps;
	out->inpps = s->rate.inpps;
	out->outpps = s->rate.outpps;
	out->inbps = s->rate.inbps;
	out->outbps = s->rate.outbps;
	spin_unlock_bh(&s->lock);
}

void ipvs_stats_zero(struct ipvs_stats *s)
{
	struct ipvs_kstats now;

	ipvs_stats_sum(s, &now);

	spin_lock_bh(&s->lock);
	s->base.conns = now.conns;
	s->base.inpkts = now.inpkts;
	s->base.outpkts = now.outpkts;
	s->base.inbytes = now.inbytes;
	s->base.outbytes = now.outbytes;
	memset(&s->rate, 0, sizeof(s->rate));
	ipvs_est_zero(s, &now);
	spin_unlock_bh(&s->lock);
}
