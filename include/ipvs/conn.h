/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvs-ng data plane: connection entries and the per-namespace data-plane
 * state (struct ipvs_dp_net, a pernet object of its own, see dp.c).
 *
 * A connection is one client flow <af, proto, caddr:cport -> vaddr:vport>
 * bound to one real server daddr:dport. It lives in a per-namespace
 * rhashtable keyed by the client side <af, proto, caddr, cport>, so that a
 * request (client -> VIP: compare vaddr:vport) and a reply (real server ->
 * client: compare daddr:dport) hash to the same chain; the compare function
 * decides by direction. See conn.c for the design and its locking rules.
 *
 * A persistence template (IP_VS_CONN_F_TEMPLATE, persist.c) is an entry of
 * the same table that pins a client network to a real server: <af, proto
 * (IPPROTO_IP for fwmark), masked caddr, cport 0, vaddr (or the fwmark),
 * vport (or 0)>. Connections scheduled through it point at it (@control)
 * and keep it alive (@n_control).
 */
#ifndef _IPVS_CONN_H
#define _IPVS_CONN_H

#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <linux/sysctl.h>
#include <ipvs/ipvs.h>
#include <ipvs/packet.h>

/* Directions, as upstream numbers them (the TCP state table uses them). */
enum {
	IPVS_DIR_INPUT = 0,	/* client -> real server */
	IPVS_DIR_OUTPUT,	/* real server -> client */
	IPVS_DIR_INPUT_ONLY,	/* input of a connection that sees no output */
};

struct ipvs_conn {
	struct rhash_head	node;		/* ipvs_dp_net.conn_tab */
	u16			af;
	u8			protocol;
	u8			state;		/* protocol state, under @lock */
	__be16			cport;
	__be16			vport;
	__be16			dport;
	u8			unlinked;	/* left the table; under @lock */
	u8			pad;
	u32			flags;		/* IP_VS_CONN_F_*, fwd method included */
	union nf_inet_addr	caddr;		/* client */
	union nf_inet_addr	vaddr;		/* virtual service */
	union nf_inet_addr	daddr;		/* real server */
	unsigned long		expires;	/* jiffies; refreshed by packets */
	u32			timeout;	/* jiffies, of the current state */
	spinlock_t		lock;		/* state, INACTIVE/NOOUTPUT flags */
	struct ipvs_dest	*dest;		/* holds a reference */
	struct ipvs_conn	*control;	/* our template, if any */
	int			n_control;	/* template: controlled conns, @lock */
	struct rcu_head		rcu;
};
/* Two connections per 256 bytes of slab: keep it so (see conn.c). Lock
 * debugging (the debug kernel, scripts/debug-kernel.sh) makes spinlock_t
 * larger: the bound holds for production kernels only.
 */
#if !defined(CONFIG_DEBUG_SPINLOCK) && !defined(CONFIG_DEBUG_LOCK_ALLOC)
static_assert(sizeof(struct ipvs_conn) <= 128);
#endif

/* ipvs-ng private flag (no upstream value): a template whose real server
 * became unusable; it matches no lookup and shows its ports as 65535, as
 * upstream's invalidated templates do. Set under @lock.
 */
#define IPVS_CONN_F_TMPL_INVALID	0x80000000

/* A template past its timeout that still controls connections lives on
 * by this much at a time, as upstream.
 */
#define IPVS_TMPL_REARM		(60 * HZ)

/* Template states, shown by name in /proc/net/ip_vs_conn as upstream. */
#define IPVS_CTPL_S_NONE	0
#define IPVS_CTPL_S_ASSURED	1

static inline unsigned int ipvs_conn_fwd(const struct ipvs_conn *cp)
{
	return cp->flags & IP_VS_CONN_F_FWD_MASK;
}

static inline bool ipvs_conn_expired(const struct ipvs_conn *cp, unsigned long now)
{
	return time_after_eq(now, READ_ONCE(cp->expires));
}

static inline bool ipvs_conn_is_tmpl(const struct ipvs_conn *cp)
{
	return cp->flags & IP_VS_CONN_F_TEMPLATE;
}

/* Gone for lookups and listings? A template outlives its timeout while it
 * still controls connections (upstream re-arms it 60 s at a time).
 */
static inline bool ipvs_conn_dead(const struct ipvs_conn *cp, unsigned long now)
{
	return ipvs_conn_expired(cp, now) &&
	       (!ipvs_conn_is_tmpl(cp) || !READ_ONCE(cp->n_control));
}

/* Per-namespace sysctls (sysctl.c), read locklessly by the packet path. */
struct ipvs_dp_sysctl {
	int	expire_nodest_conn;
	int	expire_quiescent_template;
	int	conn_reuse_mode;
	int	conntrack;
	int	snat_reroute;
	int	sloppy_tcp;
	int	sloppy_sctp;
	int	nat_icmp_send;
	int	conn_max;		/* ipvs-ng: connection ceiling */
};

struct ipvs_snat_rt;

struct ipvs_dp_net {
	struct net			*net;
	struct ipvs_net			*ipvs;

	/* Connections (conn.c). */
	struct rhashtable		conn_tab;	/* from the first service */
	bool				conn_tab_ready;
	atomic_long_t			conn_refused;	/* conn_max, no memory */
	struct delayed_work		gc_work;
	struct rhashtable_iter		gc_iter;
	bool				gc_walking;
	bool				gc_hurry;	/* conn_max hit: no pacing */
	bool				dying;

	/* Netfilter hooks (hooks.c), registered with the first service:
	 * the namespace's own copies of the hook tables, whose priv is dp.
	 */
	struct nf_hook_ops		*hook_ops;

	/* Last reply route of each CPU (snat_route.c). */
	struct ipvs_snat_rt __percpu	*snat_rt;

	/* Rate estimator (est.c). */
	struct delayed_work		est_work;

	struct ipvs_dp_sysctl		sysctl;
	struct ctl_table_header		*sysctl_hdr;
	struct ctl_table		*sysctl_tbl;
};

struct ipvs_dp_net *ipvs_dp(const struct net *net);

/* Lookup keys; see conn.c. */
struct ipvs_conn_key {
	const union nf_inet_addr	*caddr;
	const union nf_inet_addr	*oaddr;	/* vaddr (in) or daddr (out) */
	__be16				cport;
	__be16				oport;
	u16				af;
	u8				protocol;
	u8				dir;	/* IPVS_DIR_INPUT or _OUTPUT */
	u8				tmpl;	/* look for a template (input) */
};

/* What a new entry is made of (the real server comes from the dest). */
struct ipvs_conn_param {
	const union nf_inet_addr	*caddr;
	const union nf_inet_addr	*vaddr;
	__be16				cport;
	__be16				vport;
	__be16				dport;
	u16				af;
	u8				protocol;
	u32				flags;	/* IP_VS_CONN_F_TEMPLATE, _ONE_PACKET */
	u32				timeout; /* jiffies, first timeout */
	struct ipvs_conn		*ct;	/* template controlling the new entry */
};

/* conn.c */
int ipvs_conn_module_init(void);
void ipvs_conn_module_uninit(void);
void ipvs_conn_init(struct ipvs_dp_net *dp);
int ipvs_conn_table_enable(struct ipvs_dp_net *dp);
void ipvs_conn_uninit(struct ipvs_dp_net *dp);

/* Does the table exist? For readers outside the packet path. */
static inline bool ipvs_conn_tab_ready(struct ipvs_dp_net *dp)
{
	/* Pairs with the release in ipvs_conn_table_enable(). */
	return smp_load_acquire(&dp->conn_tab_ready);
}

/* Entries in the table (all kinds), 0 before it exists. */
static inline unsigned int ipvs_conn_count(struct ipvs_dp_net *dp)
{
	return READ_ONCE(dp->conn_tab_ready) ? atomic_read(&dp->conn_tab.nelems) : 0;
}

struct ipvs_conn *ipvs_conn_in_get(struct ipvs_dp_net *dp, u16 af, u8 proto,
				   const union nf_inet_addr *caddr, __be16 cport,
				   const union nf_inet_addr *vaddr, __be16 vport);
struct ipvs_conn *ipvs_conn_out_get(struct ipvs_dp_net *dp, u16 af, u8 proto,
				    const union nf_inet_addr *caddr, __be16 cport,
				    const union nf_inet_addr *daddr, __be16 dport);
struct ipvs_conn *ipvs_conn_tmpl_get(struct ipvs_dp_net *dp, u16 af, u8 proto,
				     const union nf_inet_addr *caddr,
				     const union nf_inet_addr *vaddr, __be16 vport);
struct ipvs_conn *ipvs_conn_new(struct ipvs_dp_net *dp, const struct ipvs_conn_param *p,
				struct ipvs_dest *dest);
void ipvs_conn_release_ops(struct ipvs_conn *cp);
void ipvs_conn_expire_now(struct ipvs_dp_net *dp, struct ipvs_conn *cp);

/* A packet of @cp: its timeout runs from now. */
static inline void ipvs_conn_touch(struct ipvs_conn *cp)
{
	unsigned long exp = jiffies + READ_ONCE(cp->timeout);

	if (READ_ONCE(cp->expires) != exp)
		WRITE_ONCE(cp->expires, exp);
}

unsigned long ipvs_conn_expires(const struct ipvs_conn *cp, unsigned long now);

/* persist.c: templates and the connections they control. */
bool ipvs_tmpl_usable(struct ipvs_dp_net *dp, struct ipvs_conn *ct);
bool ipvs_conn_control_add(struct ipvs_conn *cp, struct ipvs_conn *ct);
void ipvs_conn_control_del(struct ipvs_conn *cp);
void ipvs_tmpl_extend(struct ipvs_conn *ct, unsigned long now);
void ipvs_conn_assure_ct(struct ipvs_conn *cp);
struct ipvs_conn *ipvs_conn_schedule(struct ipvs_dp_net *dp, struct ipvs_service *svc,
				     struct sk_buff *skb, const struct ipvs_iphdr *iph,
				     bool *leave);

/* hooks.c */
int ipvs_hooks_enable(struct ipvs_dp_net *dp);
void ipvs_hooks_disable(struct ipvs_dp_net *dp);
unsigned int ipvs_local_hook(void *priv, struct sk_buff *skb, const struct nf_hook_state *state);

/* snat_route.c */
int ipvs_snat_route_init(struct ipvs_dp_net *dp);
void ipvs_snat_route_flush(struct ipvs_dp_net *dp);
void ipvs_snat_route_uninit(struct ipvs_dp_net *dp);

/* est.c */
void ipvs_est_init(struct ipvs_dp_net *dp);
void ipvs_est_uninit(struct ipvs_dp_net *dp);

/* sysctl.c */
int ipvs_sysctl_init(struct ipvs_dp_net *dp);
void ipvs_sysctl_uninit(struct ipvs_dp_net *dp);

/* proc_conn.c */
int ipvs_proc_conn_init(struct ipvs_dp_net *dp);
void ipvs_proc_conn_uninit(struct ipvs_dp_net *dp);

/* dp.c: module-level entry points, called from main.c. */
int ipvs_dp_module_init(void);
void ipvs_dp_module_uninit(void);
/* Called by the control plane, under ipvs->lock, before the first service. */
int ipvs_dp_enable(struct ipvs_net *ipvs);

/*
 * Per-CPU traffic counters. The packet path runs with bottom halves
 * disabled (softirq, or LOCAL_OUT hooks that disable them), so the CPU's
 * copy is written by one context at a time.
 */
static inline void ipvs_stats_conn(struct ipvs_stats *s)
{
	struct ipvs_cpu_stats *c = this_cpu_ptr(s->cpu);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->conns);
	u64_stats_update_end(&c->syncp);
}

static inline void ipvs_stats_pkt(struct ipvs_stats *s, bool out, unsigned int len)
{
	struct ipvs_cpu_stats *c = this_cpu_ptr(s->cpu);

	u64_stats_update_begin(&c->syncp);
	if (out) {
		u64_stats_inc(&c->outpkts);
		u64_stats_add(&c->outbytes, len);
	} else {
		u64_stats_inc(&c->inpkts);
		u64_stats_add(&c->inbytes, len);
	}
	u64_stats_update_end(&c->syncp);
}

#endif /* _IPVS_CONN_H */
