// SPDX-License-Identifier: GPL-2.0
/*
 * Never-queue scheduler (ip_vs_nq.ko).
 *
 * Sends a connection to the first usable destination (not overloaded,
 * non-zero weight) that has no active connection; when every one is busy,
 * falls back to the shortest-expected-delay choice among them. The rule is
 * ipvs_nq_pick() in sched_conn_logic.h, run over the RCU snapshot of
 * include/ipvs/sched_snap.h: no lock on the scheduling path.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <ipvs/sched.h>
#include <ipvs/sched_snap.h>
#include "sched_conn_logic.h"

static struct ipvs_dest *ipvs_nq_schedule(struct ipvs_service *svc,
					  struct ipvs_sched_state *st,
					  const struct sk_buff *skb,
					  const struct ipvs_iphdr *iph)
{
	struct ipvs_snap *snap = ipvs_snap_get(st);
	struct ipvs_dest *dest;

	dest = ipvs_nq_pick(snap->dests, snap->n);
	if (!dest)
		ipvs_sched_err(svc, "no destination available");
	return dest;
}

static struct ipvs_scheduler ipvs_nq_scheduler = {
	.name		= "nq",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_snap_init_service,
	.done_service	= ipvs_snap_done_service,
	.add_dest	= ipvs_snap_add_dest,
	.del_dest	= ipvs_snap_del_dest,
	.schedule	= ipvs_nq_schedule,
};

static int __init ipvs_nq_init(void)
{
	return ipvs_sched_register(&ipvs_nq_scheduler);
}

static void __exit ipvs_nq_exit(void)
{
	ipvs_sched_unregister(&ipvs_nq_scheduler);
}

module_init(ipvs_nq_init);
module_exit(ipvs_nq_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng never queue scheduler");
