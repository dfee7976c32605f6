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
	struct rcu_head		rcu;
};

static inline unsigned int ipvs_conn_fwd(const struct ipvs_conn *cp)
{
	return cp->flags & IP_VS_CONN_F_FWD_MASK;
}

static inline bool ipvs_conn_expired(const struct ipvs_conn *cp, unsigned long now)
{
	return time_after_eq(now, READ_ONCE(cp->expires));
}

/* Per-namespace sysctls (sysctl.c), read locklessly by the packet path. */
struct ipvs_dp_sysctl {
	int	expire_nodest_conn;
	int	expire_quiescent_template;
	int	conn_reuse_mode;
	int	conntrack;
	int	snat_reroute;
	int	sloppy_tcp;
	int	nat_icmp_send;
	int	conn_max;		/* ipvs-ng: connection ceiling */
};

struct ipvs_dp_net {
	struct net			*net;
	struct ipvs_net			*ipvs;

	/* Connections (conn.c). */
	struct rhashtable		conn_tab;
	bool				conn_tab_ready;
	atomic_long_t			conn_refused;	/* refused by conn_max */
	struct delayed_work		gc_work;
	struct rhashtable_iter		gc_iter;
	bool				gc_walking;
	bool				dying;

	/* Netfilter hooks (hooks.c), registered with the first service. */
	bool				hooks_on;

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
};

/* conn.c */
int ipvs_conn_module_init(void);
void ipvs_conn_module_uninit(void);
int ipvs_conn_init(struct ipvs_dp_net *dp);
void ipvs_conn_uninit(struct ipvs_dp_net *dp);
unsigned int ipvs_conn_count(struct ipvs_dp_net *dp);
struct ipvs_conn *ipvs_conn_in_get(struct ipvs_dp_net *dp, u16 af, u8 proto,
				   const union nf_inet_addr *caddr, __be16 cport,
				   const union nf_inet_addr *vaddr, __be16 vport);
struct ipvs_conn *ipvs_conn_out_get(struct ipvs_dp_net *dp, u16 af, u8 proto,
				    const union nf_inet_addr *caddr, __be16 cport,
				    const union nf_inet_addr *daddr, __be16 dport);
struct ipvs_conn *ipvs_conn_new(struct ipvs_dp_net *dp, const struct ipvs_iphdr *iph,
				struct ipvs_service *svc, struct ipvs_dest *dest);
void ipvs_conn_expire_now(struct ipvs_dp_net *dp, struct ipvs_conn *cp);
void ipvs_conn_touch(struct ipvs_conn *cp);

/* hooks.c */
int ipvs_hooks_enable(struct ipvs_dp_net *dp);
void ipvs_hooks_disable(struct ipvs_dp_net *dp);

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
