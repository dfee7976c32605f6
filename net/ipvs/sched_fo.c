// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted failover scheduler (ip_vs_fo.ko).
 *
 * Sends every connection to the non-overloaded destination with the
 * highest weight (first in list order on a tie); weight 0 never qualifies.
 * The rule is ipvs_fo_pick_sorted() in sched_conn_logic.h, walking the
 * weight-ordered RCU snapshot of include/ipvs/sched_wsnap.h (ipvs_fo_pick()
 * over the list order if that could not be allocated): no lock on the
 * scheduling path, and one step unless the heaviest servers are overloaded.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <ipvs/sched.h>
#include <ipvs/sched_wsnap.h>
#include "sched_conn_logic.h"

static struct ipvs_dest *ipvs_fo_schedule(struct ipvs_service *svc,
					  struct ipvs_sched_state *st,
					  const struct sk_buff *skb,
					  const struct ipvs_iphdr *iph)
{
	struct ipvs_snap *snap = ipvs_wsnap_get(st);
	struct ipvs_dest *dest;

	if (snap) {
		dest = ipvs_fo_pick_sorted(snap->dests, snap->n);
	} else {
		snap = ipvs_snap_get(st);
		dest = ipvs_fo_pick(snap->dests, snap->n);
	}
	if (!dest)
		ipvs_sched_err(svc, "no destination available");
	return dest;
}

static struct ipvs_scheduler ipvs_fo_scheduler = {
	.name		= "fo",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_wsnap_init_service,
	.done_service	= ipvs_wsnap_done_service,
	.add_dest	= ipvs_wsnap_add_dest,
	.del_dest	= ipvs_wsnap_del_dest,
	.upd_dest	= ipvs_wsnap_upd_dest,
	.schedule	= ipvs_fo_schedule,
};

static int __init ipvs_fo_init(void)
{
	return ipvs_sched_register(&ipvs_fo_scheduler);
}

static void __exit ipvs_fo_exit(void)
{
	ipvs_sched_unregister(&ipvs_fo_scheduler);
}

module_init(ipvs_fo_init);
module_exit(ipvs_fo_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng weighted failover scheduler");
