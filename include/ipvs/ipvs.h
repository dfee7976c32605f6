/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvs-ng core data structures, shared by every file of ip_vs.ko.
 *
 * Object model:
 *
 *   struct ipvs_net      one per network namespace (net_generic), owns the
 *                        service hash tables, the config mutex, the
 *                        destination trash and the namespace totals.
 *   struct ipvs_service  a virtual service, keyed by (af, proto, addr, port)
 *                        or by (af, fwmark).
 *   struct ipvs_dest     a real server of one service.
 *
 * Lifetimes are reference counted and every free goes through RCU, because
 * the packet path (next milestone) will look services and destinations up
 * with nothing but rcu_read_lock(). The locking rules live at the top of
 * service.c (config mutex, tables) and dest.c (destination list, trash).
 */
#ifndef _IPVS_IPVS_H
#define _IPVS_IPVS_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/netfilter.h>
#include <linux/ip_vs.h>
#include <net/net_namespace.h>
#include <net/ipv6.h>

/* Shown in /sys/module/ip_vs/version; "ng" tells it from the stock module. */
#define IPVS_MODULE_VERSION	"1.2.1-ng0.1"

/* Destination status flags (struct ipvs_dest.flags), values as upstream. */
#define IP_VS_DEST_F_AVAILABLE	0x0001	/* linked into a service */
#define IP_VS_DEST_F_OVERLOAD	0x0002	/* above its upper threshold */

/* Service hash tables: 256 buckets each, per namespace. */
#define IPVS_SVC_TAB_BITS	8
#define IPVS_SVC_TAB_SIZE	(1 << IPVS_SVC_TAB_BITS)

/*
 * How long an unreferenced, deleted destination lingers in the trash so that
 * re-adding it revives its counters (and, once connections exist, lets the
 * connections still bound to it carry on). Same period as upstream.
 */
#define IPVS_DEST_TRASH_PERIOD	(120 * HZ)
#define IPVS_TRASH_BITS		10
#define IPVS_TRASH_SIZE		(1 << IPVS_TRASH_BITS)

/* ----------------------------------------------------------------------
 * Statistics (stats.c)
 */

/* A snapshot of counters and rates, in the widest type any user wants. */
struct ipvs_kstats {
	u64	conns;
	u64	inpkts;
	u64	outpkts;
	u64	inbytes;
	u64	outbytes;
	u64	cps;
	u64	inpps;
	u64	outpps;
	u64	inbps;
	u64	outbps;
};

/* Written only by the CPU that owns it, from the packet path. */
struct ipvs_cpu_stats {
	u64_stats_t		conns;
	u64_stats_t		inpkts;
	u64_stats_t		outpkts;
	u64_stats_t		inbytes;
	u64_stats_t		outbytes;
	struct u64_stats_sync	syncp;
};

/* Rate estimator state (est.c): last samples and scaled averages. */
struct ipvs_est {
	u64	last_conns;
	u64	last_inpkts;
	u64	last_outpkts;
	u64	last_inbytes;
	u64	last_outbytes;
	u64	cps;
	u64	inpps;
	u64	outpps;
	u64	inbps;
	u64	outbps;
};

struct ipvs_stats_block;

struct ipvs_stats {
	struct ipvs_cpu_stats __percpu	*cpu;	/* a slot of @block (stats.c) */
	struct ipvs_stats_block		*block;
	unsigned int			slot;
	spinlock_t			lock;	/* base, rate and est */
	struct ipvs_kstats		base;	/* sums at the last zeroing */
	struct ipvs_kstats		rate;	/* estimator output (est.c) */
	struct ipvs_est			est;
};

int ipvs_stats_init(struct ipvs_stats *s);
void ipvs_stats_destroy(struct ipvs_stats *s);
void ipvs_stats_pool_uninit(void);
void ipvs_stats_read(struct ipvs_stats *s, struct ipvs_kstats *out);
void ipvs_stats_read_cpu(struct ipvs_stats *s, int cpu, struct ipvs_kstats *out);
void ipvs_stats_zero(struct ipvs_stats *s);
void ipvs_est_zero(struct ipvs_stats *s, const struct ipvs_kstats *now);

/* ----------------------------------------------------------------------
 * Per network namespace state (main.c)
 */

struct ipvs_net {
	struct net		*net;

	/* Serialises every control-plane change in this namespace. */
	struct mutex		lock;

	/* Services, RCU readable, changed under @lock (service.c). */
	struct hlist_head	svc_table[IPVS_SVC_TAB_SIZE];
	struct hlist_head	fwm_table[IPVS_SVC_TAB_SIZE];
	unsigned int		num_services;	/* AF_INET */
	unsigned int		num_services6;	/* AF_INET6 */
	unsigned int		mixed_af_dests;	/* dest af != service af */
	/* Services on port 21 and on port 0, for the packet path's fallback
	 * lookups (written under @lock, read locklessly).
	 */
	unsigned int		ftpsvc_count;
	unsigned int		nullsvc_count;

	/* Deleted destinations kept for revival (dest.c), under @lock: a hash
	 * table, as a flush and a restore of thousands of servers looks up
	 * every one of them.
	 */
	struct hlist_head	*dest_trash;	/* IPVS_TRASH_SIZE heads */
	unsigned int		trash_len;
	struct delayed_work	trash_work;
	bool			dying;

	/* Protocol timeouts, jiffies (proto.c). */
	int			timeout_tcp;
	int			timeout_tcp_fin;
	int			timeout_udp;

	/* Namespace totals for /proc/net/ip_vs_stats. */
	struct ipvs_stats	tot_stats;

	/* On ipvs_all_nets, so scheduler unload can reach every service. */
	struct list_head	all_list;
};

struct ipvs_net *ipvs_net(const struct net *net);
extern unsigned int ipvs_conn_tab_size;

/* Walk every live namespace state, under ipvs_all_nets_lock. */
extern struct mutex ipvs_all_nets_lock;
extern struct list_head ipvs_all_nets;

/* ----------------------------------------------------------------------
 * Services (service.c)
 */

struct ipvs_sched_state;
struct ipvs_scheduler;

struct ipvs_service {
	struct hlist_node	s_list;		/* svc_table or fwm_table */
	struct ipvs_net		*ipvs;

	/* Identity, immutable once hashed. */
	u16			af;
	u16			protocol;
	union nf_inet_addr	addr;
	__be16			port;
	u32			fwmark;

	/* Configuration, written under ipvs->lock, read locklessly. */
	u32			flags;		/* IP_VS_SVC_F_* */
	unsigned int		timeout;	/* persistence, jiffies */
	__be32			netmask;	/* v4 mask, or v6 prefix length */

	struct list_head	destinations;	/* RCU, ipvs->lock */
	unsigned int		num_dests;

	/*
	 * The scheduler and its per-service state are one object, published
	 * with one pointer, so a reader can never pair a scheduler with
	 * another scheduler's state. NULL means "none".
	 */
	struct ipvs_sched_state __rcu *sched_state;

	struct ipvs_stats	stats;

	/* One for the hash table, one per destination (live or trashed). */
	refcount_t		refcnt;
	struct rcu_head		rcu;
};

/* What userspace asked for, parsed from IPVS_CMD_ATTR_SERVICE. */
struct ipvs_service_conf {
	u16			af;
	u16			protocol;
	union nf_inet_addr	addr;
	__be16			port;
	u32			fwmark;
	const char		*sched_name;
	/* sched_name resolved by the caller before taking ipvs->lock (holds a
	 * module reference), NULL if it is "none" or unknown.
	 */
	struct ipvs_scheduler	*sched;
	const char		*pe_name;
	u32			flags;
	u32			timeout;	/* seconds */
	__be32			netmask;
};

int ipvs_service_init(struct ipvs_net *ipvs);
void ipvs_service_uninit(struct ipvs_net *ipvs);
struct ipvs_service *ipvs_service_find(struct ipvs_net *ipvs, u16 af, u16 protocol,
				       const union nf_inet_addr *addr, __be16 port);
struct ipvs_service *ipvs_service_find_fwm(struct ipvs_net *ipvs, u16 af, u32 fwmark);
struct ipvs_service *ipvs_service_find_pkt(struct ipvs_net *ipvs, u16 af, u32 mark, u16 protocol,
					   const union nf_inet_addr *addr, __be16 port);
struct ipvs_service *ipvs_service_lookup(struct ipvs_net *ipvs,
					 const struct ipvs_service_conf *c);
int ipvs_service_add(struct ipvs_net *ipvs, const struct ipvs_service_conf *c);
int ipvs_service_edit(struct ipvs_service *svc, const struct ipvs_service_conf *c);
void ipvs_service_del(struct ipvs_service *svc);
void ipvs_service_flush(struct ipvs_net *ipvs);
void ipvs_service_zero(struct ipvs_service *svc);
void ipvs_service_zero_all(struct ipvs_net *ipvs);
void ipvs_service_put(struct ipvs_service *svc);
const char *ipvs_service_sched_name(const struct ipvs_service *svc);
bool ipvs_af_valid(u16 af);

/* Bucket @i of both service tables, 0 <= @i < IPVS_SVC_BUCKETS. */
#define IPVS_SVC_BUCKETS	(2 * IPVS_SVC_TAB_SIZE)
static inline struct hlist_head *ipvs_svc_bucket(struct ipvs_net *ipvs, int i)
{
	return i < IPVS_SVC_TAB_SIZE ? &ipvs->svc_table[i] :
	       &ipvs->fwm_table[i - IPVS_SVC_TAB_SIZE];
}

/* Iterate the services of a namespace, both tables, under ipvs->lock or RCU. */
#define ipvs_for_each_service(ipvs, svc, i)					\
	for ((i) = 0; (i) < IPVS_SVC_BUCKETS; (i)++)				\
		hlist_for_each_entry_rcu((svc), ipvs_svc_bucket((ipvs), (i)),	\
					 s_list, lockdep_is_held(&(ipvs)->lock))

/* ----------------------------------------------------------------------
 * Destinations (dest.c)
 */

struct ipvs_dest {
	struct list_head	n_list;		/* svc->destinations, RCU */
	struct hlist_node	t_node;		/* ipvs->dest_trash */

	/* Identity. */
	u16			af;		/* may differ from svc af (tunnel) */
	union nf_inet_addr	addr;
	__be16			port;

	/* Configuration, written under ipvs->lock, read locklessly (but for
	 * @flags, which the packet path writes too).
	 */
	atomic_t		conn_flags;	/* IP_VS_CONN_F_* incl. fwd method */
	atomic_t		weight;
	atomic_t		last_weight;	/* last non-zero weight */
	unsigned int		flags;		/* IP_VS_DEST_F_*: ipvs_dest_flags_update() */
	/* What the scanning schedulers read instead of weight and flags:
	 * -1 while OVERLOAD is set, else the weight (ipvs_dest_sync_sched()).
	 */
	int			sched_weight;
	u32			u_threshold;
	u32			l_threshold;
	u8			tun_type;	/* IP_VS_CONN_F_TUNNEL_TYPE_* */
	__be16			tun_port;
	u16			tun_flags;

	/* Connection accounting, updated by the packet path. */
	atomic_t		activeconns;
	atomic_t		inactconns;
	atomic_t		persistconns;
	u32			l_threshold_val; /* l_threshold, or 3/4 of upper */

	/* The route to the real server (dest_dst.c, which has the rules). */
	struct ipvs_dest_dst __rcu *dst_cache;

	/* One for the service list or the trash, one per connection. */
	refcount_t		refcnt;
	struct ipvs_stats	stats;

	/* Owning service (holds a reference on it) and its identity, kept so
	 * a trashed destination can be matched to a re-created service.
	 */
	struct ipvs_service __rcu *svc;
	u16			vprotocol;
	union nf_inet_addr	vaddr;
	__be16			vport;
	u32			vfwmark;

	unsigned long		idle_start;	/* jiffies, in trash */
	struct rcu_head		rcu;
};

/* What userspace asked for, parsed from IPVS_CMD_ATTR_DEST. */
struct ipvs_dest_conf {
	u16			af;
	union nf_inet_addr	addr;
	__be16			port;
	u32			conn_flags;	/* forwarding method only */
	int			weight;
	u32			u_threshold;
	u32			l_threshold;
	u8			tun_type;
	__be16			tun_port;
	u16			tun_flags;
};

/* Iterate the destination trash, under ipvs->lock. */
#define ipvs_for_each_trashed(ipvs, dest, i)					\
	for ((i) = 0; (i) < IPVS_TRASH_SIZE; (i)++)				\
		hlist_for_each_entry((dest), &(ipvs)->dest_trash[(i)], t_node)

int ipvs_dest_init(struct ipvs_net *ipvs);
void ipvs_dest_uninit(struct ipvs_net *ipvs);
int ipvs_dest_add(struct ipvs_service *svc, const struct ipvs_dest_conf *c);
int ipvs_dest_edit(struct ipvs_service *svc, const struct ipvs_dest_conf *c);
int ipvs_dest_del(struct ipvs_service *svc, const struct ipvs_dest_conf *c);
void ipvs_dest_unlink_all(struct ipvs_service *svc);
void ipvs_dest_flags_update(struct ipvs_dest *dest, unsigned int set, unsigned int clear);
void ipvs_dest_sync_sched(struct ipvs_dest *dest);

/* dest_dst.c: the destination's route cache. */
struct ipvs_dest_dst;
void ipvs_dest_dst_reset(struct ipvs_dest *dest);
void ipvs_dest_dst_flush(struct ipvs_net *ipvs);
void ipvs_dest_dst_release(struct ipvs_dest *dest);

static inline bool ipvs_addr_equal(u16 af, const union nf_inet_addr *a,
				   const union nf_inet_addr *b)
{
	if (af == AF_INET6)
		return ipv6_addr_equal(&a->in6, &b->in6);
	return a->ip == b->ip;
}

/* ----------------------------------------------------------------------
 * Protocol timeouts (proto.c)
 */

struct ipvs_timeouts {
	int	tcp;		/* seconds */
	int	tcp_fin;
	int	udp;
};

void ipvs_proto_init(struct ipvs_net *ipvs);
void ipvs_timeouts_get(struct ipvs_net *ipvs, struct ipvs_timeouts *t);
int ipvs_timeouts_set(struct ipvs_net *ipvs, const struct ipvs_timeouts *t);
const char *ipvs_proto_name(unsigned int proto, char *buf, size_t len);

/* ----------------------------------------------------------------------
 * Module-wide pieces (netlink.c, proc.c, sched.c)
 */

int ipvs_netlink_init(void);
void ipvs_netlink_uninit(void);
int ipvs_proc_init(struct ipvs_net *ipvs);
void ipvs_proc_uninit(struct ipvs_net *ipvs);

#endif /* _IPVS_IPVS_H */
