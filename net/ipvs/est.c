// SPDX-License-Identifier: GPL-2.0
/*
 * Rate estimator: connections, packets and bytes per second for every
 * service, destination and the namespace totals, shown by
 * "ipvsadm -L --rate" and /proc/net/ip_vs_stats.
 *
 * Every 2 seconds a per-namespace delayed work samples the per-CPU
 * counters and folds the difference into an exponentially weighted moving
 * average with weight 1/4, in fixed point, exactly as the classic upstream
 * estimator does: rates are kept scaled (<< 10 for conns and packets, << 5
 * for bytes) and rounded when published into stats->rate.
 *
 * The estimator state lives in struct ipvs_stats (est), under stats->lock,
 * which zeroing (-Z) also takes to restart the averages. The walk over
 * services and destinations runs under rcu_read_lock(): both are freed
 * through RCU, so nothing else is needed.
 */
#include <linux/workqueue.h>
#include <ipvs/conn.h>

#define IPVS_EST_PERIOD		(2 * HZ)

static void ipvs_est_sum(struct ipvs_stats *s, struct ipvs_kstats *sum)
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

/* Fold one sample: @shift scales a 2-second delta to the fixed point. */
static void ipvs_est_fold(u64 *avg, u64 *last, u64 now, int shift)
{
	s64 rate = (s64)((now - *last) << shift);

	*last = now;
	*avg += (rate - (s64)*avg) >> 2;
}

static void ipvs_est_one(struct ipvs_stats *s)
{
	struct ipvs_est *e = &s->est;
	struct ipvs_kstats k;

	ipvs_est_sum(s, &k);

	spin_lock_bh(&s->lock);
	ipvs_est_fold(&e->cps, &e->last_conns, k.conns, 9);
	ipvs_est_fold(&e->inpps, &e->last_inpkts, k.inpkts, 9);
	ipvs_est_fold(&e->outpps, &e->last_outpkts, k.outpkts, 9);
	ipvs_est_fold(&e->inbps, &e->last_inbytes, k.inbytes, 4);
	ipvs_est_fold(&e->outbps, &e->last_outbytes, k.outbytes, 4);
	s->rate.cps = (e->cps + 0x1FF) >> 10;
	s->rate.inpps = (e->inpps + 0x1FF) >> 10;
	s->rate.outpps = (e->outpps + 0x1FF) >> 10;
	s->rate.inbps = (e->inbps + 0xF) >> 5;
	s->rate.outbps = (e->outbps + 0xF) >> 5;
	spin_unlock_bh(&s->lock);
}

/* Zeroing: restart from the current counters. Caller holds s->lock. */
void ipvs_est_zero(struct ipvs_stats *s, const struct ipvs_kstats *now)
{
	struct ipvs_est *e = &s->est;

	lockdep_assert_held(&s->lock);
	memset(e, 0, sizeof(*e));
	e->last_conns = now->conns;
	e->last_inpkts = now->inpkts;
	e->last_outpkts = now->outpkts;
	e->last_inbytes = now->inbytes;
	e->last_outbytes = now->outbytes;
}

static void ipvs_est_work(struct work_struct *work)
{
	struct ipvs_dp_net *dp = container_of(to_delayed_work(work), struct ipvs_dp_net,
					      est_work);
	struct ipvs_net *ipvs = dp->ipvs;
	struct ipvs_service *svc;
	struct ipvs_dest *dest;
	int i;

	rcu_read_lock();
	ipvs_for_each_service(ipvs, svc, i) {
		ipvs_est_one(&svc->stats);
		list_for_each_entry_rcu(dest, &svc->destinations, n_list)
			ipvs_est_one(&dest->stats);
	}
	rcu_read_unlock();
	ipvs_est_one(&ipvs->tot_stats);

	if (!READ_ONCE(dp->dying))
		queue_delayed_work(system_power_efficient_wq, &dp->est_work, IPVS_EST_PERIOD);
}

void ipvs_est_init(struct ipvs_dp_net *dp)
{
	INIT_DELAYED_WORK(&dp->est_work, ipvs_est_work);
	queue_delayed_work(system_power_efficient_wq, &dp->est_work, IPVS_EST_PERIOD);
}

void ipvs_est_uninit(struct ipvs_dp_net *dp)
{
	WRITE_ONCE(dp->dying, true);
	cancel_delayed_work_sync(&dp->est_work);
}
