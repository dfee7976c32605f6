// SPDX-License-Identifier: GPL-2.0
/*
 * Source hashing scheduler (ip_vs_sh.ko).
 *
 * Maps the client address (and, with sh-port, the client port) through a
 * 256-bucket table in which each destination owns as many consecutive
 * buckets as its weight, handed out in list order. An unusable destination
 * (weight 0 or overloaded) gets no connection, unless sh-fallback is set:
 * then the table is probed for the next usable one. Hashes, table layout
 * and probe order are upstream's (sched_hash_logic.h), so a client maps to
 * the same server as with the stock module.
 *
 * The table is rebuilt in place on every destination change under the
 * config mutex and read locklessly, slot by slot, as upstream does. The
 * flags are read on every packet, so ipvsadm -E takes effect at once.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <ipvs/sched.h>
#include <ipvs/packet.h>
#include <ipvs/sched_snap.h>
#include "sched_hash_logic.h"

struct ipvs_sh_state {
	struct ipvs_sched_state	base;
	struct ipvs_dvec	list;		/* config path only */
	struct ipvs_dest	*buckets[IPVS_SH_TAB_SIZE];
};

static struct ipvs_sh_state *to_sh(struct ipvs_sched_state *st)
{
	return container_of(st, struct ipvs_sh_state, base);
}

static int ipvs_sh_reassign(struct ipvs_service *svc, struct ipvs_sh_state *s)
{
	int ret = ipvs_dvec_load(svc, &s->list);

	if (ret)
		return ret;
	ipvs_sh_fill(s->buckets, s->list.d, s->list.n);
	return 0;
}

static struct ipvs_sched_state *ipvs_sh_init_service(struct ipvs_service *svc)
{
	struct ipvs_sh_state *s;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	if (ipvs_sh_reassign(svc, s)) {
		kfree(s);
		return ERR_PTR(-ENOMEM);
	}
	return &s->base;
}

static void ipvs_sh_done_service(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	struct ipvs_sh_state *s = to_sh(st);

	ipvs_dvec_free(&s->list);
	kfree_rcu(s, base.rcu);
}

static int ipvs_sh_add_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			    struct ipvs_dest *dest)
{
	return ipvs_sh_reassign(svc, to_sh(st));
}

/* Never fails: the list shrank or kept its length, the scratch fits. */
static void ipvs_sh_changed(struct ipvs_service *svc, struct ipvs_sched_state *st,
			    struct ipvs_dest *dest)
{
	WARN_ON_ONCE(ipvs_sh_reassign(svc, to_sh(st)));
}

static struct ipvs_dest *ipvs_sh_schedule(struct ipvs_service *svc,
					  struct ipvs_sched_state *st,
					  const struct sk_buff *skb,
					  const struct ipvs_iphdr *iph)
{
	struct ipvs_sh_state *s = to_sh(st);
	struct ipvs_dest *dest = NULL;
	u32 flags = READ_ONCE(svc->flags);
	__be16 port = 0;

	if (iph) {
		if (flags & IP_VS_SVC_F_SCHED_SH_PORT)
			port = ipvs_iph_client_port(iph);
		dest = ipvs_sh_get(s->buckets, svc->af, ipvs_iph_client(iph), port,
				   flags & IP_VS_SVC_F_SCHED_SH_FALLBACK);
	}
	if (!dest)
		ipvs_sched_err(svc, "no destination available");
	return dest;
}

static struct ipvs_scheduler ipvs_sh_scheduler = {
	.name		= "sh",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_sh_init_service,
	.done_service	= ipvs_sh_done_service,
	.add_dest	= ipvs_sh_add_dest,
	.del_dest	= ipvs_sh_changed,
	.upd_dest	= ipvs_sh_changed,
	.schedule	= ipvs_sh_schedule,
};

static int __init ipvs_sh_init(void)
{
	return ipvs_sched_register(&ipvs_sh_scheduler);
}

static void __exit ipvs_sh_exit(void)
{
	ipvs_sched_unregister(&ipvs_sh_scheduler);
}

module_init(ipvs_sh_init);
module_exit(ipvs_sh_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng source hashing scheduler");
