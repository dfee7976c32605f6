// SPDX-License-Identifier: GPL-2.0
/*
 * Power-of-two-choices scheduler (ip_vs_twos.ko).
 *
 * Draws two destinations at random, each with probability proportional to
 * its weight (among those that are not overloaded and have a positive
 * weight), and keeps the second only if its overhead per weight is
 * strictly lower than the first's. As upstream, both draws are uniform over
 * [0, total weight] and the first eligible destination also takes a draw
 * of 0. The rule is ipvs_twos_total()/ipvs_twos_pick() in
 * sched_conn_logic.h, run over the RCU snapshot of
 * include/ipvs/sched_snap.h: no lock on the scheduling path.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <linux/random.h>
#include <ipvs/sched.h>
#include <ipvs/sched_snap.h>
#include "sched_conn_logic.h"

static struct ipvs_dest *ipvs_twos_schedule(struct ipvs_service *svc,
					    struct ipvs_sched_state *st,
					    const struct sk_buff *skb,
					    const struct ipvs_iphdr *iph)
{
	struct ipvs_snap *snap = ipvs_snap_get(st);
	struct ipvs_dest *choice1;
	int total, r1, r2;

	choice1 = ipvs_twos_total(snap->dests, snap->n, &total);
	if (!choice1) {
		ipvs_sched_err(svc, "no destination available");
		return NULL;
	}

	/* Both draws in [0, total], bounds included. */
	total += 1;
	r1 = get_random_u32_below(total);
	r2 = get_random_u32_below(total);
	return ipvs_twos_pick(snap->dests, snap->n, choice1, r1, r2);
}

static struct ipvs_scheduler ipvs_twos_scheduler = {
	.name		= "twos",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_snap_init_service,
	.done_service	= ipvs_snap_done_service,
	.add_dest	= ipvs_snap_add_dest,
	.del_dest	= ipvs_snap_del_dest,
	.schedule	= ipvs_twos_schedule,
};

static int __init ipvs_twos_init(void)
{
	return ipvs_sched_register(&ipvs_twos_scheduler);
}

static void __exit ipvs_twos_exit(void)
{
	ipvs_sched_unregister(&ipvs_twos_scheduler);
}

module_init(ipvs_twos_init);
module_exit(ipvs_twos_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng power of two choices scheduler");
