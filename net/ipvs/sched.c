// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler registry and the glue between services and schedulers.
 *
 * Locking:
 *   ipvs_sched_lock (mutex) protects the registry list; it is a leaf.
 *   Unregistering walks every namespace under ipvs_all_nets_lock and takes
 *   each namespace's config mutex (order: ipvs_all_nets_lock, ipvs->lock).
 *   Hence ipvs_sched_get() must not be called with an ipvs->lock held: its
 *   modprobe could wait for a module whose exit waits for that lock.
 *
 * Lookups take a module reference that the caller drops once the state is
 * published (ipvs_sched_put). Services do not hold one: see sched.h.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include <ipvs/ipvs.h>
#include <ipvs/sched.h>
#include <ipvs/sched_snap.h>

static LIST_HEAD(ipvs_schedulers);
static DEFINE_MUTEX(ipvs_sched_lock);

static struct ipvs_scheduler *ipvs_sched_find(const char *name)
{
	struct ipvs_scheduler *sched;

	mutex_lock(&ipvs_sched_lock);
	list_for_each_entry(sched, &ipvs_schedulers, n_list) {
		if (strcmp(sched->name, name))
			continue;
		/* A module on its way out is as good as absent. */
		if (!try_module_get(sched->owner))
			break;
		mutex_unlock(&ipvs_sched_lock);
		return sched;
	}
	mutex_unlock(&ipvs_sched_lock);
	return NULL;
}

/* Find a scheduler, loading ip_vs_<name>.ko on a miss as upstream does. */
struct ipvs_scheduler *ipvs_sched_get(const char *name)
{
	struct ipvs_scheduler *sched;

	sched = ipvs_sched_find(name);
	if (!sched) {
		request_module("ip_vs_%s", name);
		sched = ipvs_sched_find(name);
	}
	return sched;
}

void ipvs_sched_put(struct ipvs_scheduler *sched)
{
	if (sched)
		module_put(sched->owner);
}

/* Build a (not yet published) state of @sched for @svc. */
struct ipvs_sched_state *ipvs_sched_state_new(struct ipvs_scheduler *sched,
					      struct ipvs_service *svc)
{
	struct ipvs_sched_state *st;

	lockdep_assert_held(&svc->ipvs->lock);

	st = sched->init_service(svc);
	if (IS_ERR(st))
		return st;
	if (WARN_ON_ONCE(!st))
		return ERR_PTR(-EINVAL);
	st->sched = sched;
	return st;
}

/* Free a state that is no longer published (readers may still hold it). */
void ipvs_sched_state_free(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	if (st)
		st->sched->done_service(svc, st);
}

void ipvs_sched_publish(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	lockdep_assert_held(&svc->ipvs->lock);
	rcu_assign_pointer(svc->sched_state, st);
}
EXPORT_SYMBOL_GPL(ipvs_sched_publish);

struct ipvs_dest ipvs_snap_hole __read_mostly = {
	.flags		= IP_VS_DEST_F_OVERLOAD,
	.sched_weight	= -1,
};
EXPORT_SYMBOL_GPL(ipvs_snap_hole);

/* Pick a destination for a new connection. Caller holds rcu_read_lock(). */
struct ipvs_dest *ipvs_schedule(struct ipvs_service *svc, const struct sk_buff *skb,
				const struct ipvs_iphdr *iph)
{
	struct ipvs_sched_state *st = rcu_dereference(svc->sched_state);

	return st ? st->sched->schedule(svc, st, skb, iph) : NULL;
}

void ipvs_sched_err(const struct ipvs_service *svc, const char *msg)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	const char *name = ipvs_service_sched_name(svc);
	char buf[16];

	if (!__ratelimit(&rs))
		return;
	if (svc->fwmark)
		pr_err("%s: FWM %u 0x%08X - %s\n", name, svc->fwmark, svc->fwmark, msg);
	else if (svc->af == AF_INET6)
		pr_err("%s: %s [%pI6c]:%d - %s\n", name,
		       ipvs_proto_name(svc->protocol, buf, sizeof(buf)),
		       &svc->addr.in6, ntohs(svc->port), msg);
	else
		pr_err("%s: %s %pI4:%d - %s\n", name,
		       ipvs_proto_name(svc->protocol, buf, sizeof(buf)),
		       &svc->addr.ip, ntohs(svc->port), msg);
}
EXPORT_SYMBOL_GPL(ipvs_sched_err);

int ipvs_sched_register(struct ipvs_scheduler *sched)
{
	struct ipvs_scheduler *s;

	if (!sched || !sched->name || !sched->init_service ||
	    !sched->done_service || !sched->schedule ||
	    strnlen(sched->name, IP_VS_SCHEDNAME_MAXLEN) >= IP_VS_SCHEDNAME_MAXLEN)
		return -EINVAL;

	mutex_lock(&ipvs_sched_lock);
	list_for_each_entry(s, &ipvs_schedulers, n_list) {
		if (s == sched || !strcmp(s->name, sched->name)) {
			mutex_unlock(&ipvs_sched_lock);
			pr_err("[%s] scheduler already registered\n", sched->name);
			return -EEXIST;
		}
	}
	list_add(&sched->n_list, &ipvs_schedulers);
	mutex_unlock(&ipvs_sched_lock);

	pr_info("[%s] scheduler registered.\n", sched->name);
	return 0;
}
EXPORT_SYMBOL_GPL(ipvs_sched_register);

/* Detach @sched from every service of one namespace; returns how many. */
static unsigned int ipvs_sched_detach(struct ipvs_net *ipvs, struct ipvs_scheduler *sched)
{
	struct ipvs_service *svc;
	unsigned int n = 0;
	int i;

	mutex_lock(&ipvs->lock);
	ipvs_for_each_service(ipvs, svc, i) {
		struct ipvs_sched_state *st = ipvs_sched_state(svc);

		if (!st || st->sched != sched)
			continue;
		ipvs_sched_publish(svc, NULL);
		ipvs_sched_state_free(svc, st);
		n++;
	}
	mutex_unlock(&ipvs->lock);
	return n;
}

void ipvs_sched_unregister(struct ipvs_scheduler *sched)
{
	struct ipvs_net *ipvs;
	unsigned int n = 0;

	mutex_lock(&ipvs_sched_lock);
	list_del_init(&sched->n_list);
	mutex_unlock(&ipvs_sched_lock);

	/* No new lookup can find it now; take it away from existing users. */
	mutex_lock(&ipvs_all_nets_lock);
	list_for_each_entry(ipvs, &ipvs_all_nets, all_list)
		n += ipvs_sched_detach(ipvs, sched);
	mutex_unlock(&ipvs_all_nets_lock);

	if (n)
		pr_info("[%s] scheduler removed from %u service(s)\n", sched->name, n);

	/* Wait for schedule() callers still running the module's code. The
	 * states themselves go through kfree_rcu(), which needs no module.
	 */
	synchronize_rcu();

	pr_info("[%s] scheduler unregistered.\n", sched->name);
}
EXPORT_SYMBOL_GPL(ipvs_sched_unregister);
