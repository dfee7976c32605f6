// SPDX-License-Identifier: GPL-2.0
/*
 * Shortest expected delay scheduler (ip_vs_sed.ko).
 *
 * Picks the destination with the lowest (activeconns + 1) / weight among
 * those that are not overloaded, starting from the first one with a
 * positive weight and moving only on a strictly lower delay (first in list
 * order wins ties). The rule is ipvs_sed_pick() in sched_conn_logic.h, run
 * over the RCU snapshot of include/ipvs/sched_snap.h: no lock on the
 * scheduling path.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <ipvs/sched.h>
#include <ipvs/sched_snap.h>
#include "sched_conn_logic.h"

static struct ipvs_dest *ipvs_sed_schedule(struct ipvs_service *svc,
					   struct ipvs_sched_state *st,
					   const struct sk_buff *skb,
					   const struct ipvs_iphdr *iph)
{
	struct ipvs_snap *snap = ipvs_snap_get(st);
	struct ipvs_dest *dest;

	dest = ipvs_sed_pick(snap->dests, snap->n);
	if (!dest)
		ipvs_sched_err(svc, "no destination available");
	return dest;
}

static struct ipvs_scheduler ipvs_sed_scheduler = {
	.name		= "sed",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_snap_init_service,
	.done_service	= ipvs_snap_done_service,
	.add_dest	= ipvs_snap_add_dest,
	.del_dest	= ipvs_snap_del_dest,
	.schedule	= ipvs_sed_schedule,
};

static int __init ipvs_sed_init(void)
{
	return ipvs_sched_register(&ipvs_sed_scheduler);
}

static void __exit ipvs_sed_exit(void)
{
	ipvs_sched_unregister(&ipvs_sed_scheduler);
}

module_init(ipvs_sed_init);
module_exit(ipvs_sed_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng shortest expected delay scheduler");
