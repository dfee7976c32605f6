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
 */
#include <linux/percpu.h>
#include <linux/string.h>
#include <ipvs/ipvs.h>

int ipvs_stats_init(struct ipvs_stats *s)
{
	int cpu;

	spin_lock_init(&s->lock);
	memset(&s->base, 0, sizeof(s->base));
	memset(&s->rate, 0, sizeof(s->rate));
	memset(&s->est, 0, sizeof(s->est));
	s->cpu = alloc_percpu(struct ipvs_cpu_stats);
	if (!s->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(s->cpu, cpu)->syncp);
	return 0;
}

void ipvs_stats_destroy(struct ipvs_stats *s)
{
	free_percpu(s->cpu);
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
