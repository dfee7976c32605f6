// SPDX-License-Identifier: GPL-2.0
/*
 * Real servers (destinations) of a service, and the destination trash.
 *
 * Locking rules:
 *
 *  - svc->destinations is changed under ipvs->lock with list_add_rcu() /
 *    list_del_rcu(); the packet path and /proc walk it under RCU. New
 *    destinations go to the head of the list, as upstream does, which is
 *    the order dumps and /proc/net/ip_vs show.
 *  - Destination settings are written under ipvs->lock; fields the packet
 *    path reads are atomics or written with WRITE_ONCE().
 *  - dest->flags has two writers, the config path (AVAILABLE, OVERLOAD on
 *    threshold changes) and the packet path (OVERLOAD as connections come
 *    and go, no lock): both go through ipvs_dest_flags_update() (cmpxchg).
 *  - A destination holds a reference on its service. It is itself
 *    referenced once by its service list (or the trash) and, from the next
 *    milestone on, once per connection bound to it.
 *  - Deleting a destination moves it to the namespace trash (ipvs->dest_trash,
 *    under ipvs->lock) instead of freeing it: connections may still point at
 *    it, and re-adding the same server to the same service within
 *    IPVS_DEST_TRASH_PERIOD revives it with its counters, as upstream does.
 *    A delayed work frees trashed destinations that have stayed unreferenced
 *    for that long; freeing goes through call_rcu().
 *  - The route cache (dest->dst_cache) is emptied when a destination is
 *    added, edited or deleted, and released when it is freed; its own
 *    rules are at the top of dest_dst.c.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/slab.h>
#include <linux/jhash.h>
#include <linux/inetdevice.h>
#include <net/route.h>
#include <net/ip6_route.h>
#include <net/addrconf.h>
#include <ipvs/ipvs.h>
#include <ipvs/sched.h>

static void ipvs_trash_work(struct work_struct *work);

int ipvs_dest_init(struct ipvs_net *ipvs)
{
	ipvs->dest_trash = kcalloc(IPVS_TRASH_SIZE, sizeof(*ipvs->dest_trash), GFP_KERNEL);
	if (!ipvs->dest_trash)
		return -ENOMEM;
	ipvs->trash_len = 0;
	INIT_DELAYED_WORK(&ipvs->trash_work, ipvs_trash_work);
	ipvs->dying = false;
	return 0;
}

static void ipvs_dest_free_rcu(struct rcu_head *head)
{
	struct ipvs_dest *dest = container_of(head, struct ipvs_dest, rcu);

	ipvs_dest_dst_release(dest);
	ipvs_stats_destroy(&dest->stats);
	kfree(dest);
}

/* Drop a destination that nothing references any more but its list. */
static void ipvs_dest_free(struct ipvs_dest *dest)
{
	struct ipvs_service *svc = rcu_dereference_protected(dest->svc, 1);

	if (svc)
		ipvs_service_put(svc);
	call_rcu(&dest->rcu, ipvs_dest_free_rcu);
}

/* Namespace teardown, after every service was deleted: whatever is in the
 * trash goes, referenced or not (no connection can outlive the namespace).
 */
void ipvs_dest_uninit(struct ipvs_net *ipvs)
{
	struct ipvs_dest *dest;
	struct hlist_node *n;
	int i;

	mutex_lock(&ipvs->lock);
	ipvs->dying = true;
	mutex_unlock(&ipvs->lock);

	/* The work takes ipvs->lock, so cancel it without holding it. */
	cancel_delayed_work_sync(&ipvs->trash_work);

	mutex_lock(&ipvs->lock);
	for (i = 0; i < IPVS_TRASH_SIZE; i++) {
		hlist_for_each_entry_safe(dest, n, &ipvs->dest_trash[i], t_node) {
			hlist_del(&dest->t_node);
			ipvs_dest_free(dest);
		}
	}
	ipvs->trash_len = 0;
	mutex_unlock(&ipvs->lock);
	kfree(ipvs->dest_trash);
	ipvs->dest_trash = NULL;
}

static void ipvs_trash_arm(struct ipvs_net *ipvs)
{
	if (!ipvs->dying)
		queue_delayed_work(system_long_wq, &ipvs->trash_work,
				   IPVS_DEST_TRASH_PERIOD / 2);
}

/* A destination leaves the trash once it has been seen unreferenced for a
 * whole period: the first pass that finds it idle starts the clock.
 */
static void ipvs_trash_work(struct work_struct *work)
{
	struct ipvs_net *ipvs = container_of(to_delayed_work(work), struct ipvs_net,
					     trash_work);
	unsigned long now = jiffies;
	struct ipvs_dest *dest;
	struct hlist_node *n;
	int i;

	mutex_lock(&ipvs->lock);
	for (i = 0; i < IPVS_TRASH_SIZE; i++) {
		hlist_for_each_entry_safe(dest, n, &ipvs->dest_trash[i], t_node) {
			if (refcount_read(&dest->refcnt) > 1)
				continue;
			if (!dest->idle_start) {
				dest->idle_start = max(1UL, now);
				continue;
			}
			if (time_before(now, dest->idle_start + IPVS_DEST_TRASH_PERIOD))
				continue;
			hlist_del(&dest->t_node);
			ipvs->trash_len--;
			ipvs_dest_free(dest);
		}
	}
	if (ipvs->trash_len)
		ipvs_trash_arm(ipvs);
	mutex_unlock(&ipvs->lock);
}

static u32 ipvs_trash_fold(u16 af, const union nf_inet_addr *addr)
{
	return af == AF_INET6 ? jhash2((const u32 *)addr->ip6, 4, 0) : (__force u32)addr->ip;
}

/* The bucket of a destination identity and the service it belongs to: the
 * fields ipvs_trash_get() compares.
 */
static struct hlist_head *ipvs_trash_bucket(struct ipvs_net *ipvs, u16 af,
					    const union nf_inet_addr *addr, __be16 port,
					    const struct ipvs_service *svc)
{
	u32 v = svc->fwmark ?: ipvs_trash_fold(svc->af, &svc->addr) ^ (__force u32)svc->port;
	u32 h = jhash_3words(ipvs_trash_fold(af, addr) ^ (__force u32)port, v,
			     ((u32)svc->af << 16) | svc->protocol, 0);

	return &ipvs->dest_trash[h >> (32 - IPVS_TRASH_BITS)];
}

static void ipvs_trash_put(struct ipvs_net *ipvs, struct ipvs_dest *dest)
{
	struct ipvs_service *svc = rcu_dereference_protected(dest->svc,
							     lockdep_is_held(&ipvs->lock));

	lockdep_assert_held(&ipvs->lock);

	if (!ipvs->trash_len++)
		ipvs_trash_arm(ipvs);
	hlist_add_head(&dest->t_node,
		       ipvs_trash_bucket(ipvs, dest->af, &dest->addr, dest->port, svc));
	dest->idle_start = 0;
}

/* Take a trashed destination back if it belonged to a service like @svc
 * (same family, protocol, address and port, or same fwmark).
 */
static struct ipvs_dest *ipvs_trash_get(struct ipvs_service *svc,
					const struct ipvs_dest_conf *c)
{
	struct ipvs_net *ipvs = svc->ipvs;
	struct hlist_head *b;
	struct ipvs_dest *dest;

	lockdep_assert_held(&ipvs->lock);

	b = ipvs_trash_bucket(ipvs, c->af, &c->addr, c->port, svc);
	hlist_for_each_entry(dest, b, t_node) {
		struct ipvs_service *old = rcu_dereference_protected(dest->svc,
							lockdep_is_held(&ipvs->lock));

		if (dest->af == c->af && ipvs_addr_equal(c->af, &dest->addr, &c->addr) &&
		    dest->port == c->port && dest->vfwmark == svc->fwmark &&
		    dest->vprotocol == svc->protocol && old->af == svc->af &&
		    (svc->fwmark || (ipvs_addr_equal(svc->af, &dest->vaddr, &svc->addr) &&
				     dest->vport == svc->port))) {
			hlist_del(&dest->t_node);
			ipvs->trash_len--;
			return dest;
		}
	}
	return NULL;
}

static struct ipvs_dest *ipvs_dest_find(struct ipvs_service *svc, u16 af,
					const union nf_inet_addr *addr, __be16 port)
{
	struct ipvs_dest *dest;

	list_for_each_entry_rcu(dest, &svc->destinations, n_list,
				lockdep_is_held(&svc->ipvs->lock)) {
		if (dest->af == af && dest->port == port &&
		    ipvs_addr_equal(af, &dest->addr, addr))
			return dest;
	}
	return NULL;
}

static bool ipvs_addr_is_local_v6(struct net *net, const struct in6_addr *addr)
{
	struct flowi6 fl6 = { .daddr = *addr };
	struct dst_entry *dst = ip6_route_output(net, NULL, &fl6);
	bool local = !dst->error && dst->dev && (dst->dev->flags & IFF_LOOPBACK);

	dst_release(dst);
	return local;
}

/* Upstream refuses broadcast, multicast and (v6) non-local link-local servers. */
static bool ipvs_dest_addr_ok(struct net *net, const struct ipvs_dest_conf *c)
{
	if (c->af == AF_INET6) {
		int type = ipv6_addr_type(&c->addr.in6);

		return (type & IPV6_ADDR_UNICAST && !(type & IPV6_ADDR_LINKLOCAL)) ||
		       ipvs_addr_is_local_v6(net, &c->addr.in6);
	} else {
		unsigned int type = inet_addr_type(net, c->addr.ip);

		return type == RTN_LOCAL || type == RTN_UNICAST;
	}
}

/*
 * Refresh dest->sched_weight from flags and weight after changing either.
 * Writers of flags race (the packet path flips OVERLOAD with cmpxchg, not
 * under ipvs->lock), so each one writes and then re-reads what it derived from:
 * whoever changes an input last also writes last, and never a stale value.
 */
void ipvs_dest_sync_sched(struct ipvs_dest *dest)
{
	unsigned int flags;
	int w;

	smp_mb();	/* the caller's change of an input before our reads */
	do {
		flags = READ_ONCE(dest->flags);
		w = atomic_read(&dest->weight);
		WRITE_ONCE(dest->sched_weight, flags & IP_VS_DEST_F_OVERLOAD ? -1 : w);
		smp_mb();
	} while (READ_ONCE(dest->flags) != flags || atomic_read(&dest->weight) != w);
}

/*
 * The only writer of dest->flags. The packet path flips OVERLOAD as
 * connections come and go while the config path (under ipvs->lock) flips
 * AVAILABLE and re-evaluates OVERLOAD: bits change with cmpxchg so that
 * neither side undoes the other's change.
 */
void ipvs_dest_flags_update(struct ipvs_dest *dest, unsigned int set, unsigned int clear)
{
	unsigned int old = READ_ONCE(dest->flags), new;

	do {
		new = (old | set) & ~clear;
		if (new == old)
			return;
	} while (!try_cmpxchg(&dest->flags, &old, new));
	ipvs_dest_sync_sched(dest);
}

/* The thresholds changed: re-evaluate the overload flag with the
 * hysteresis of Linux 6.1.y (set at the upper threshold, kept down to the
 * lower one, 3/4 of the upper if unset). The packet path applies the same
 * rule as connections come and go (conn.c). Under ipvs->lock.
 */
static int ipvs_dest_conns(const struct ipvs_dest *dest)
{
	return atomic_read(&dest->activeconns) + atomic_read(&dest->inactconns);
}

static void ipvs_dest_update_overload(struct ipvs_dest *dest)
{
	u32 u = READ_ONCE(dest->u_threshold);

	if (u && ipvs_dest_conns(dest) >= u) {
		ipvs_dest_flags_update(dest, IP_VS_DEST_F_OVERLOAD, 0);
		/* A connection that went meanwhile may not have seen the flag
		 * (ipvs_conn_unbind_dest()): if none is left to clear it, the
		 * server would stay skipped for good. Look again.
		 */
		smp_mb();
		if (ipvs_dest_conns(dest) >= READ_ONCE(dest->l_threshold_val))
			return;
	} else if (u && ipvs_dest_conns(dest) >= READ_ONCE(dest->l_threshold_val)) {
		return;
	}
	ipvs_dest_flags_update(dest, 0, IP_VS_DEST_F_OVERLOAD);
}

/* The checks add and edit share, in upstream's order. */
static int ipvs_dest_check(const struct ipvs_dest_conf *c)
{
	if (c->weight < 0) {
		pr_err("%s(): server weight less than zero\n", __func__);
		return -ERANGE;
	}
	if (c->l_threshold > c->u_threshold) {
		pr_err("%s(): lower threshold is higher than upper threshold\n", __func__);
		return -ERANGE;
	}
	/* Connection counts are ints: a larger threshold could never trip. */
	if (c->u_threshold > INT_MAX)
		return -EINVAL;
	if (c->tun_type == IP_VS_CONN_F_TUNNEL_TYPE_GUE && !c->tun_port) {
		pr_err("%s(): tunnel port is zero\n", __func__);
		return -EINVAL;
	}
	return 0;
}

/* Apply @c to @dest and bind it to @svc (it may come from the trash). */
static void ipvs_dest_apply(struct ipvs_service *svc, struct ipvs_dest *dest,
			    const struct ipvs_dest_conf *c, bool add)
{
	struct ipvs_service *old_svc;
	unsigned int conn_flags;

	/* Remember the last non-zero weight (quiesced servers keep it). */
	if (add || c->weight)
		atomic_set(&dest->last_weight, c->weight);
	atomic_set(&dest->weight, c->weight);

	conn_flags = (c->conn_flags & IP_VS_CONN_F_DEST_MASK) | IP_VS_CONN_F_INACTIVE;
	if ((conn_flags & IP_VS_CONN_F_FWD_MASK) != IP_VS_CONN_F_MASQ)
		conn_flags |= IP_VS_CONN_F_NOOUTPUT;
	atomic_set(&dest->conn_flags, conn_flags);

	dest->tun_type = c->tun_type;
	dest->tun_port = c->tun_port;
	dest->tun_flags = c->tun_flags;
	/* The forwarding method decides how the route is looked up. */
	ipvs_dest_dst_reset(dest);

	old_svc = rcu_dereference_protected(dest->svc, lockdep_is_held(&svc->ipvs->lock));
	if (old_svc != svc) {
		/* Revived into a re-created service: old counters are moot. */
		if (old_svc)
			ipvs_stats_zero(&dest->stats);
		refcount_inc(&svc->refcnt);
		rcu_assign_pointer(dest->svc, svc);
		if (old_svc)
			ipvs_service_put(old_svc);
	}

	ipvs_dest_flags_update(dest, IP_VS_DEST_F_AVAILABLE, 0);
	/* The weight, set above (the update only syncs if a flag changed). */
	ipvs_dest_sync_sched(dest);
	if (dest->u_threshold != c->u_threshold || dest->l_threshold != c->l_threshold) {
		WRITE_ONCE(dest->u_threshold, c->u_threshold);
		WRITE_ONCE(dest->l_threshold, c->l_threshold);
		WRITE_ONCE(dest->l_threshold_val,
			   c->l_threshold ?: c->u_threshold - (c->u_threshold >> 2));
		ipvs_dest_update_overload(dest);
	}
}

static void ipvs_dest_link(struct ipvs_service *svc, struct ipvs_dest *dest)
{
	list_add_rcu(&dest->n_list, &svc->destinations);
	svc->num_dests++;
	if (dest->af != svc->af)
		svc->ipvs->mixed_af_dests++;
}

static void ipvs_dest_unlink(struct ipvs_service *svc, struct ipvs_dest *dest)
{
	ipvs_dest_flags_update(dest, 0, IP_VS_DEST_F_AVAILABLE);
	/* Packets still on their way may cache it again: freed with @dest. */
	ipvs_dest_dst_reset(dest);
	list_del_rcu(&dest->n_list);
	svc->num_dests--;
	if (dest->af != svc->af)
		svc->ipvs->mixed_af_dests--;
}

static struct ipvs_dest *ipvs_dest_new(struct ipvs_service *svc,
				       const struct ipvs_dest_conf *c)
{
	struct ipvs_dest *dest;

	dest = kzalloc(sizeof(*dest), GFP_KERNEL);
	if (!dest)
		return NULL;
	if (ipvs_stats_init(&dest->stats)) {
		kfree(dest);
		return NULL;
	}
	dest->af = c->af;
	if (c->af == AF_INET6)
		dest->addr = c->addr;
	else
		dest->addr.ip = c->addr.ip;
	dest->port = c->port;
	dest->vprotocol = svc->protocol;
	dest->vaddr = svc->addr;
	dest->vport = svc->port;
	dest->vfwmark = svc->fwmark;
	refcount_set(&dest->refcnt, 1);
	return dest;
}

int ipvs_dest_add(struct ipvs_service *svc, const struct ipvs_dest_conf *c)
{
	struct ipvs_net *ipvs = svc->ipvs;
	struct ipvs_sched_state *st;
	struct ipvs_dest *dest;
	bool revived;
	int ret;

	lockdep_assert_held(&ipvs->lock);

	ret = ipvs_dest_check(c);
	if (ret)
		return ret;

	if (ipvs_dest_find(svc, c->af, &c->addr, c->port))
		return -EEXIST;

	dest = ipvs_trash_get(svc, c);
	revived = dest;
	if (!dest) {
		if (!ipvs_dest_addr_ok(ipvs->net, c))
			return -EINVAL;
		dest = ipvs_dest_new(svc, c);
		if (!dest)
			return -ENOMEM;
	}

	ipvs_dest_apply(svc, dest, c, true);
	ipvs_dest_link(svc, dest);

	st = ipvs_sched_state(svc);
	if (st && st->sched->add_dest) {
		ret = st->sched->add_dest(svc, st, dest);
		if (ret) {
			/* Undo; readers may have seen it, so RCU-free it (or
			 * return it to the trash it came from).
			 */
			ipvs_dest_unlink(svc, dest);
			if (revived)
				ipvs_trash_put(ipvs, dest);
			else
				ipvs_dest_free(dest);
			return ret;
		}
	}
	return 0;
}

int ipvs_dest_edit(struct ipvs_service *svc, const struct ipvs_dest_conf *c)
{
	struct ipvs_sched_state *st;
	struct ipvs_dest *dest;
	int ret;

	lockdep_assert_held(&svc->ipvs->lock);

	ret = ipvs_dest_check(c);
	if (ret)
		return ret;

	dest = ipvs_dest_find(svc, c->af, &c->addr, c->port);
	if (!dest)
		return -ENOENT;

	ipvs_dest_apply(svc, dest, c, false);

	st = ipvs_sched_state(svc);
	if (st && st->sched->upd_dest)
		st->sched->upd_dest(svc, st, dest);
	return 0;
}

int ipvs_dest_del(struct ipvs_service *svc, const struct ipvs_dest_conf *c)
{
	struct ipvs_sched_state *st;
	struct ipvs_dest *dest;

	lockdep_assert_held(&svc->ipvs->lock);

	dest = ipvs_dest_find(svc, c->af, &c->addr, c->port);
	if (!dest)
		return -ENOENT;

	ipvs_dest_unlink(svc, dest);
	st = ipvs_sched_state(svc);
	if (st && st->sched->del_dest)
		st->sched->del_dest(svc, st, dest);
	ipvs_trash_put(svc->ipvs, dest);
	return 0;
}

/* Service deletion: the scheduler is already gone, so no hooks. */
void ipvs_dest_unlink_all(struct ipvs_service *svc)
{
	struct ipvs_dest *dest, *n;

	lockdep_assert_held(&svc->ipvs->lock);

	list_for_each_entry_safe(dest, n, &svc->destinations, n_list) {
		ipvs_dest_unlink(svc, dest);
		ipvs_trash_put(svc->ipvs, dest);
	}
}
