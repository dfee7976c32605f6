// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual services: the per-namespace service tables and the operations
 * behind NEW/SET/DEL_SERVICE, FLUSH and ZERO.
 *
 * Locking rules (this file owns ipvs->lock):
 *
 *  - ipvs->lock, a mutex per namespace, serialises every control-plane
 *    operation: all changes to the tables, to a service and to its
 *    destination list, and the netlink dumps. Functions that need it say
 *    so with lockdep_assert_held().
 *  - Order: RTNL, then ipvs->lock (the device notifier in dp.c takes it
 *    under RTNL), so nothing may take RTNL while holding ipvs->lock;
 *    ipvs_all_nets_lock, then ipvs->lock (main.c).
 *  - The tables (svc_table by <af, proto, addr, port>, fwm_table by
 *    <af, fwmark>) are hlists changed with the _rcu primitives, so the packet
 *    path can look services up under rcu_read_lock() alone. /proc readers
 *    do the same.
 *  - Scalar service settings (flags, timeout, netmask) are written with
 *    WRITE_ONCE() under the mutex and read with READ_ONCE() by lockless
 *    readers; the scheduler is switched by publishing one RCU pointer.
 *  - A service is freed with call_rcu() when its last reference goes: one is
 *    held by the table, one by each destination, including destinations
 *    waiting in the trash (dest.c).
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <ipvs/ipvs.h>
#include <ipvs/sched.h>
#include <ipvs/conn.h>

bool ipvs_af_valid(u16 af)
{
	return af == AF_INET || (af == AF_INET6 && ipv6_mod_enabled());
}

static u32 ipvs_addr_fold(u16 af, const union nf_inet_addr *addr)
{
	if (af == AF_INET6)
		return (__force u32)(addr->ip6[0] ^ addr->ip6[1] ^ addr->ip6[2] ^ addr->ip6[3]);
	return (__force u32)addr->ip;
}

static unsigned int ipvs_svc_hash(u16 af, u16 protocol, const union nf_inet_addr *addr,
				  __be16 port)
{
	return jhash_3words(ipvs_addr_fold(af, addr), (__force u32)port,
			    ((u32)af << 16) | protocol, 0) & (IPVS_SVC_TAB_SIZE - 1);
}

static unsigned int ipvs_fwm_hash(u32 fwmark)
{
	return hash_32(fwmark, IPVS_SVC_TAB_BITS);
}

int ipvs_service_init(struct ipvs_net *ipvs)
{
	int i;

	mutex_init(&ipvs->lock);
	for (i = 0; i < IPVS_SVC_TAB_SIZE; i++) {
		INIT_HLIST_HEAD(&ipvs->svc_table[i]);
		INIT_HLIST_HEAD(&ipvs->fwm_table[i]);
	}
	return 0;
}

/* Namespace teardown: remove every service (their destinations go to the
 * trash, which dest.c empties right after).
 */
void ipvs_service_uninit(struct ipvs_net *ipvs)
{
	mutex_lock(&ipvs->lock);
	ipvs_service_flush(ipvs);
	mutex_unlock(&ipvs->lock);
}

/* Under rcu_read_lock() or ipvs->lock. */
struct ipvs_service *ipvs_service_find(struct ipvs_net *ipvs, u16 af, u16 protocol,
				       const union nf_inet_addr *addr, __be16 port)
{
	unsigned int h = ipvs_svc_hash(af, protocol, addr, port);
	struct ipvs_service *svc;

	hlist_for_each_entry_rcu(svc, &ipvs->svc_table[h], s_list,
				 lockdep_is_held(&ipvs->lock)) {
		if (svc->af == af && svc->protocol == protocol && svc->port == port &&
		    ipvs_addr_equal(af, &svc->addr, addr))
			return svc;
	}
	return NULL;
}

/* Under rcu_read_lock() or ipvs->lock. */
struct ipvs_service *ipvs_service_find_fwm(struct ipvs_net *ipvs, u16 af, u32 fwmark)
{
	struct ipvs_service *svc;

	hlist_for_each_entry_rcu(svc, &ipvs->fwm_table[ipvs_fwm_hash(fwmark)], s_list,
				 lockdep_is_held(&ipvs->lock)) {
		if (svc->fwmark == fwmark && svc->af == af)
			return svc;
	}
	return NULL;
}

/*
 * The service a packet is for, under rcu_read_lock(): by firewall mark
 * first, then by address and port; failing that, as upstream, a TCP
 * packet to port 20 or to an unprivileged port may belong to an FTP
 * service (port 21: its data connections), and anything may fall to a
 * port-zero (any port) service of the address.
 */
struct ipvs_service *ipvs_service_find_pkt(struct ipvs_net *ipvs, u16 af, u32 mark, u16 protocol,
					   const union nf_inet_addr *addr, __be16 port)
{
	struct ipvs_service *svc = NULL;

	if (mark)
		svc = ipvs_service_find_fwm(ipvs, af, mark);
	if (!svc)
		svc = ipvs_service_find(ipvs, af, protocol, addr, port);
	if (!svc && protocol == IPPROTO_TCP && READ_ONCE(ipvs->ftpsvc_count) &&
	    (port == htons(20) || !inet_port_requires_bind_service(ipvs->net, ntohs(port))))
		svc = ipvs_service_find(ipvs, af, protocol, addr, htons(21));
	if (!svc && READ_ONCE(ipvs->nullsvc_count))
		svc = ipvs_service_find(ipvs, af, protocol, addr, 0);
	return svc;
}

/* Keep the fallback counters of ipvs_service_find_pkt(); under ipvs->lock. */
static void ipvs_service_count(struct ipvs_service *svc, int d)
{
	struct ipvs_net *ipvs = svc->ipvs;

	if (svc->fwmark)
		return;
	if (svc->port == htons(21))
		WRITE_ONCE(ipvs->ftpsvc_count, ipvs->ftpsvc_count + d);
	else if (!svc->port)
		WRITE_ONCE(ipvs->nullsvc_count, ipvs->nullsvc_count + d);
}

/* The service a request names: by fwmark if it has one, else by address. */
struct ipvs_service *ipvs_service_lookup(struct ipvs_net *ipvs,
					 const struct ipvs_service_conf *c)
{
	if (c->fwmark)
		return ipvs_service_find_fwm(ipvs, c->af, c->fwmark);
	return ipvs_service_find(ipvs, c->af, c->protocol, &c->addr, c->port);
}

const char *ipvs_service_sched_name(const struct ipvs_service *svc)
{
	struct ipvs_sched_state *st;

	st = rcu_dereference_check(svc->sched_state, lockdep_is_held(&svc->ipvs->lock));
	return st ? st->sched->name : "none";
}

static void ipvs_service_free_rcu(struct rcu_head *head)
{
	struct ipvs_service *svc = container_of(head, struct ipvs_service, rcu);

	ipvs_stats_destroy(&svc->stats);
	kfree(svc);
}

void ipvs_service_put(struct ipvs_service *svc)
{
	if (refcount_dec_and_test(&svc->refcnt))
		call_rcu(&svc->rcu, ipvs_service_free_rcu);
}

/* The checks every add/edit makes, in upstream's order so a request with
 * several problems fails with the same errno: scheduler, persistence
 * engine, then the IPv6 prefix length.
 *
 * The caller looked the scheduler up (c->sched) before taking ipvs->lock:
 * that may run modprobe, which must not wait for a scheduler module whose
 * exit is itself waiting for ipvs->lock (see sched.c).
 */
static int ipvs_service_check(const struct ipvs_service_conf *c)
{
	if (strcmp(c->sched_name, "none") && !c->sched) {
		pr_info("Scheduler module ip_vs_%s not found\n", c->sched_name);
		return -ENOENT;
	}

	/* No persistence engine exists yet, so any name is unknown. */
	if (c->pe_name && *c->pe_name) {
		pr_info("persistence engine module ip_vs_pe_%s not found\n", c->pe_name);
		return -ENOENT;
	}

	/* For IPv6 the "netmask" carries a prefix length. */
	if (c->af == AF_INET6) {
		u32 plen = (__force u32)c->netmask;

		if (plen < 1 || plen > 128)
			return -EINVAL;
	}
	return 0;
}

int ipvs_service_add(struct ipvs_net *ipvs, const struct ipvs_service_conf *c)
{
	struct ipvs_sched_state *st = NULL;
	struct ipvs_service *svc;
	int ret;

	lockdep_assert_held(&ipvs->lock);

	ret = ipvs_service_check(c);
	if (ret)
		return ret;

	/* The data plane's hooks come with the namespace's first service. */
	ret = ipvs_dp_enable(ipvs);
	if (ret)
		return ret;

	ret = -ENOMEM;
	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	if (!svc)
		return ret;
	if (ipvs_stats_init(&svc->stats))
		goto out_free;

	svc->ipvs = ipvs;
	svc->af = c->af;
	svc->protocol = c->protocol;
	if (c->af == AF_INET6)
		svc->addr = c->addr;
	else
		svc->addr.ip = c->addr.ip;
	svc->port = c->port;
	svc->fwmark = c->fwmark;
	svc->flags = (c->flags & ~IP_VS_SVC_F_HASHED) | IP_VS_SVC_F_HASHED;
	svc->timeout = c->timeout * HZ;		/* wraps like upstream's */
	svc->netmask = c->netmask;
	INIT_LIST_HEAD(&svc->destinations);
	refcount_set(&svc->refcnt, 1);		/* the table's */

	if (c->sched) {
		st = ipvs_sched_state_new(c->sched, svc);
		if (IS_ERR(st)) {
			ret = PTR_ERR(st);
			goto out_stats;
		}
	}
	RCU_INIT_POINTER(svc->sched_state, st);

	if (svc->af == AF_INET6)
		ipvs->num_services6++;
	else
		ipvs->num_services++;

	ipvs_service_count(svc, 1);
	if (svc->fwmark)
		hlist_add_head_rcu(&svc->s_list, &ipvs->fwm_table[ipvs_fwm_hash(svc->fwmark)]);
	else
		hlist_add_head_rcu(&svc->s_list,
				   &ipvs->svc_table[ipvs_svc_hash(svc->af, svc->protocol,
								  &svc->addr, svc->port)]);
	return 0;

out_stats:
	ipvs_stats_destroy(&svc->stats);
out_free:
	kfree(svc);
	return ret;
}

/* Everything is checked and the new scheduler state built before anything
 * changes, so a failing edit leaves the service exactly as it was.
 */
int ipvs_service_edit(struct ipvs_service *svc, const struct ipvs_service_conf *c)
{
	struct ipvs_sched_state *old, *st;
	int ret;

	lockdep_assert_held(&svc->ipvs->lock);

	ret = ipvs_service_check(c);
	if (ret)
		return ret;

	old = ipvs_sched_state(svc);
	if ((old ? old->sched : NULL) != c->sched) {
		st = NULL;
		if (c->sched) {
			st = ipvs_sched_state_new(c->sched, svc);
			if (IS_ERR(st))
				return PTR_ERR(st);
		}
		ipvs_sched_publish(svc, st);
		ipvs_sched_state_free(svc, old);
	}

	WRITE_ONCE(svc->flags, c->flags | IP_VS_SVC_F_HASHED);
	WRITE_ONCE(svc->timeout, c->timeout * HZ);
	WRITE_ONCE(svc->netmask, c->netmask);
	return 0;
}

void ipvs_service_del(struct ipvs_service *svc)
{
	struct ipvs_net *ipvs = svc->ipvs;
	struct ipvs_sched_state *st;

	lockdep_assert_held(&ipvs->lock);

	hlist_del_rcu(&svc->s_list);
	ipvs_service_count(svc, -1);
	if (svc->af == AF_INET6)
		ipvs->num_services6--;
	else
		ipvs->num_services--;

	st = ipvs_sched_state(svc);
	ipvs_sched_publish(svc, NULL);
	ipvs_sched_state_free(svc, st);

	/* Destinations go to the trash, each still holding a reference. */
	ipvs_dest_unlink_all(svc);

	ipvs_service_put(svc);		/* the table's */
}

void ipvs_service_flush(struct ipvs_net *ipvs)
{
	struct ipvs_service *svc;
	struct hlist_node *n;
	int i;

	lockdep_assert_held(&ipvs->lock);

	for (i = 0; i < IPVS_SVC_TAB_SIZE; i++) {
		hlist_for_each_entry_safe(svc, n, &ipvs->svc_table[i], s_list)
			ipvs_service_del(svc);
	}
	for (i = 0; i < IPVS_SVC_TAB_SIZE; i++) {
		hlist_for_each_entry_safe(svc, n, &ipvs->fwm_table[i], s_list)
			ipvs_service_del(svc);
	}
}

void ipvs_service_zero(struct ipvs_service *svc)
{
	struct ipvs_dest *dest;

	lockdep_assert_held(&svc->ipvs->lock);

	list_for_each_entry(dest, &svc->destinations, n_list)
		ipvs_stats_zero(&dest->stats);
	ipvs_stats_zero(&svc->stats);
}

void ipvs_service_zero_all(struct ipvs_net *ipvs)
{
	struct ipvs_service *svc;
	int i;

	lockdep_assert_held(&ipvs->lock);

	ipvs_for_each_service(ipvs, svc, i)
		ipvs_service_zero(svc);
	ipvs_stats_zero(&ipvs->tot_stats);
}
