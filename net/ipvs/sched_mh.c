// SPDX-License-Identifier: GPL-2.0
/*
 * Maglev hashing scheduler (ip_vs_mh.ko).
 *
 * Consistent hashing of the client address (and, with mh-port, the client
 * port) over a prime-sized lookup table filled with Maglev's permutation
 * scheme, weighted by each destination's last non-zero weight, so that
 * quiescing a server (weight 0) does not move anybody else's clients and
 * removing one remaps only about 1/N of them. A client whose slot holds an
 * unusable destination (weight 0 or overloaded) gets none, unless
 * mh-fallback is set: then further slots are probed. The rules, hashes and
 * table size are upstream's (sched_mh_logic.h).
 *
 * The table is rebuilt in place, as upstream does, on every destination
 * change under the config mutex and read locklessly. The population
 * scratch space is kept in the state and only ever grows on add (which
 * may fail), so deletions and updates never need memory.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <ipvs/sched.h>
#include <ipvs/packet.h>
#include "sched_mh_logic.h"

struct ipvs_mh_state {
	struct ipvs_sched_state	base;
	/* Config path only. */
	struct ipvs_mh_setup	*setup;
	unsigned int		setup_cap;
	unsigned long		used[BITS_TO_LONGS(IPVS_MH_TAB_SIZE)];
	/* Read by the scheduling path. */
	struct ipvs_dest	*lookup[IPVS_MH_TAB_SIZE];
};

static struct ipvs_mh_state *to_mh(struct ipvs_sched_state *st)
{
	return container_of(st, struct ipvs_mh_state, base);
}

static int ipvs_mh_reassign(struct ipvs_service *svc, struct ipvs_mh_state *s)
{
	struct ipvs_mh_setup *ds;
	struct ipvs_dest *dest;
	unsigned int i = 0, cap;

	if (svc->num_dests > IPVS_MH_TAB_SIZE)
		return -EINVAL;
	if (svc->num_dests > s->setup_cap) {
		cap = min_t(unsigned int, max(svc->num_dests, 2 * s->setup_cap),
			    IPVS_MH_TAB_SIZE);
		ds = kcalloc(cap, sizeof(*ds), GFP_KERNEL);
		if (!ds)
			return -ENOMEM;
		kfree(s->setup);
		s->setup = ds;
		s->setup_cap = cap;
	}

	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (WARN_ON_ONCE(i >= s->setup_cap))
			break;
		s->setup[i] = (struct ipvs_mh_setup){ .dest = dest };
		i++;
	}
	ipvs_mh_build(s->lookup, s->used, s->setup, i, svc->af);
	return 0;
}

static struct ipvs_sched_state *ipvs_mh_init_service(struct ipvs_service *svc)
{
	struct ipvs_mh_state *s;
	int ret;

	s = kvzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	ret = ipvs_mh_reassign(svc, s);
	if (ret) {
		kfree(s->setup);
		kvfree(s);
		return ERR_PTR(ret);
	}
	return &s->base;
}

static void ipvs_mh_done_service(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	struct ipvs_mh_state *s = to_mh(st);

	kfree(s->setup);
	s->setup = NULL;
	kvfree_rcu(s, base.rcu);
}

static int ipvs_mh_add_dest(struct ipvs_service *svc, struct ipvs_sched_state *st,
			    struct ipvs_dest *dest)
{
	return ipvs_mh_reassign(svc, to_mh(st));
}

/* Never fails: the list shrank or kept its length, the scratch fits. */
static void ipvs_mh_changed(struct ipvs_service *svc, struct ipvs_sched_state *st,
			    struct ipvs_dest *dest)
{
	WARN_ON_ONCE(ipvs_mh_reassign(svc, to_mh(st)));
}

static struct ipvs_dest *ipvs_mh_schedule(struct ipvs_service *svc,
					  struct ipvs_sched_state *st,
					  const struct sk_buff *skb,
					  const struct ipvs_iphdr *iph)
{
	struct ipvs_mh_state *s = to_mh(st);
	struct ipvs_dest *dest = NULL;
	u32 flags = READ_ONCE(svc->flags);
	__be16 port = 0;

	if (iph) {
		if (flags & IPVS_SVC_F_SCHED_MH_PORT)
			port = ipvs_iph_client_port(iph);
		dest = ipvs_mh_get(s->lookup, svc->af, ipvs_iph_client(iph), port,
				   flags & IPVS_SVC_F_SCHED_MH_FALLBACK);
	}
	if (!dest)
		ipvs_sched_err(svc, "no destination available");
	return dest;
}

static struct ipvs_scheduler ipvs_mh_scheduler = {
	.name		= "mh",
	.owner		= THIS_MODULE,
	.init_service	= ipvs_mh_init_service,
	.done_service	= ipvs_mh_done_service,
	.add_dest	= ipvs_mh_add_dest,
	.del_dest	= ipvs_mh_changed,
	.upd_dest	= ipvs_mh_changed,
	.schedule	= ipvs_mh_schedule,
};

static int __init ipvs_mh_init(void)
{
	return ipvs_sched_register(&ipvs_mh_scheduler);
}

static void __exit ipvs_mh_exit(void)
{
	ipvs_sched_unregister(&ipvs_mh_scheduler);
}

module_init(ipvs_mh_init);
module_exit(ipvs_mh_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng Maglev hashing scheduler");
