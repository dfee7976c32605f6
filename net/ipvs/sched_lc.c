// SPDX-License-Identifier: GPL-2.0
/*
 * Least-connection scheduler (ip_vs_lc.ko).
 *
 * Picks the destination with the fewest connections, counting an active
 * connection as 256 inactive ones (activeconns * 256 + inactconns), among
 * those that are not overloaded and have a non-zero weight; the first in
 * list order wins ties. The rule is ipvs_lc_pick() in sched_conn_logic.h,
 * run over the RCU snapshot of include/ipvs/sched_snap.h: no lock on the
 * scheduling path.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <ipvs/sched.h>
#include <ipvs/sched_snap.h>
#include "sched_conn_logic.h"

static struct ipvs_dest *ipvs_lc_schedule(struct ipvs_service *svc,
					  struct ipvs_sched_state *st,
					  const struct sk_buff *skb,
					  const struct ipvs_iphdr *iph)
{
	struct ipvs_snap *snap = ipvs_snap_get(st);
	struct ipvs_dest *dest;

	dest = ipvs_lc_pick(snap->dests, snap->n);
	if (!dest)
		ipvs_sched_err(svc, "no destination available");
	return dest;
}

static struct ipvs_scheduler ipvs_lc_scheduler = {
	.name		= "lc",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_snap_init_service,
	.done_service	= ipvs_snap_done_service,
	.add_dest	= ipvs_snap_add_dest,
	.del_dest	= ipvs_snap_del_dest,
	.schedule	= ipvs_lc_schedule,
};

static int __init ipvs_lc_init(void)
{
	return ipvs_sched_register(&ipvs_lc_scheduler);
}

static void __exit ipvs_lc_exit(void)
{
	ipvs_sched_unregister(&ipvs_lc_scheduler);
}

module_init(ipvs_lc_init);
module_exit(ipvs_lc_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng least-connection scheduler");
