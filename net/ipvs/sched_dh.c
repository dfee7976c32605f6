// SPDX-License-Identifier: GPL-2.0
/*
 * Destination hashing scheduler (ip_vs_dh.ko).
 *
 * Maps the packet's destination address through a 256-bucket table whose
 * buckets go to the destinations in turn, in list order, weights ignored.
 * A destination that is unlinked, has weight 0 or is overloaded gets no
 * connection (there is no fallback). Hash and layout are upstream's
 * (sched_hash_logic.h). As upstream, a weight change does not rebuild the
 * table: only adds and deletes do, in place, under the config mutex, while
 * the scheduling path reads it locklessly.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <ipvs/sched.h>
#include <ipvs/packet.h>
#include <ipvs/sched_snap.h>
#include "sched_hash_logic.h"

struct ipvs_dh_state {
	struct ipvs_sched_state	base;
	struct ipvs_dvec	list;		/* config path only */
	struct ipvs_dest	*buckets[IPVS_DH_TAB_SIZE];
};

static struct ipvs_dh_state *to_dh(struct ipvs_sched_state *st)
{
	return container_of(st, struct ipvs_dh_state, base);
}

static int ipvs_dh_reassign(struct ipvs_service *svc, struct ipvs_dh_state *s)
{
	int ret = ipvs_dvec_load(svc, &s->list);

	if (ret)
		return ret;
	ipvs_dh_fill(s->buckets, s->list.d, s->list.n);
	return 0;
}

static struct ipvs_sched_state *ipvs_dh_init_service(struct ipvs_service *svc)
{
	struct ipvs_dh_state *s;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	if (ipvs_dh_reassign(svc, s)) {
		kfree(s);
		return ERR_PTR(-ENOMEM);
	}
	return &s->base;
}

static void ipvs_dh_done_service(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	struct ipvs_dh_state *s = to_dh(st);

	ipvs_dvec_free(&s->list);
	kfree_rcu(s, base.rcu);
}

static int ipvs_dh_add_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			    struct ipvs_dest *dest)
{
	return ipvs_dh_reassign(svc, to_dh(st));
}

/* Never fails: the list shrank, the scratch fits. */
static void ipvs_dh_del_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			     struct ipvs_dest *dest)
{
	WARN_ON_ONCE(ipvs_dh_reassign(svc, to_dh(st)));
}

static struct ipvs_dest *ipvs_dh_schedule(struct ipvs_service *svc,
					  struct ipvs_sched_state *st,
					  const struct sk_buff *skb,
					  const struct ipvs_iphdr *iph)
{
	struct ipvs_dest *dest = NULL;

	if (iph)
		dest = ipvs_dh_get(to_dh(st)->buckets, svc->af, &iph->daddr);
	if (!dest)
		ipvs_sched_err(svc, "no destination available");
	return dest;
}

static struct ipvs_scheduler ipvs_dh_scheduler = {
	.name		= "dh",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_dh_init_service,
	.done_service	= ipvs_dh_done_service,
	.add_dest	= ipvs_dh_add_dest,
	.del_dest	= ipvs_dh_del_dest,
	.schedule	= ipvs_dh_schedule,
};

static int __init ipvs_dh_init(void)
{
	return ipvs_sched_register(&ipvs_dh_scheduler);
}

static void __exit ipvs_dh_exit(void)
{
	ipvs_sched_unregister(&ipvs_dh_scheduler);
}

module_init(ipvs_dh_init);
module_exit(ipvs_dh_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng destination hashing scheduler");
