/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-in for include/ipvs/sched.h (and the parts of ipvs.h the
 * schedulers use). Field names and semantics follow the real headers; the
 * core's side of the API (registration, publishing, error reports) is
 * implemented in shim.c.
 */
#ifndef _IPVS_SCHED_H
#define _IPVS_SCHED_H

#include "../kshim.h"

#define IPVS_MODULE_VERSION	"test"
#define IP_VS_SCHEDNAME_MAXLEN	16
#define IP_VS_SVC_F_SCHED1	0x0008
#define IP_VS_SVC_F_SCHED2	0x0010
#define IP_VS_SVC_F_SCHED3	0x0020
#define IP_VS_SVC_F_HASHED	0x0002

#define IP_VS_DEST_F_AVAILABLE	0x0001
#define IP_VS_DEST_F_OVERLOAD	0x0002

struct ipvs_net {
	struct net	*net;
	int		lock;
};

struct ipvs_sched_state;

struct ipvs_service {
	struct ipvs_net			*ipvs;
	u16				af;
	u16				protocol;
	union nf_inet_addr		addr;
	__be16				port;
	u32				fwmark;
	u32				flags;
	struct list_head		destinations;
	unsigned int			num_dests;
	struct ipvs_sched_state __rcu	*sched_state;
};

/* The fields of the real one the scheduling code touches (not its layout). */
struct ipvs_dest {
	struct list_head	n_list;
	struct list_head	t_list;
	u16			af;
	union nf_inet_addr	addr;
	__be16			port;
	atomic_t		conn_flags;
	atomic_t		weight;
	atomic_t		last_weight;
	unsigned int		flags;
	int			sched_weight;	/* unused: derived */
	u32			u_threshold;
	u32			l_threshold;
	u8			tun_type;
	__be16			tun_port;
	u16			tun_flags;
	atomic_t		activeconns;
	atomic_t		inactconns;
	atomic_t		persistconns;
	refcount_t		refcnt;
	/* test bookkeeping */
	int			id;
};

static inline bool ipvs_addr_equal(u16 af, const union nf_inet_addr *a,
				   const union nf_inet_addr *b)
{
	if (af == AF_INET6)
		return !memcmp(a->ip6, b->ip6, sizeof(a->ip6));
	return a->ip == b->ip;
}

struct sk_buff;
struct ipvs_iphdr;
struct ipvs_scheduler;

struct ipvs_sched_state {
	const struct ipvs_scheduler	*sched;
	struct rcu_head			rcu;
};

struct ipvs_scheduler {
	struct list_head	n_list;
	const char		*name;
	struct module		*owner;

	struct ipvs_sched_state *(*init_service)(struct ipvs_service *svc);
	void (*done_service)(struct ipvs_service *svc, struct ipvs_sched_state *st);
	int (*add_dest)(struct ipvs_service *svc, struct ipvs_sched_state *st,
			struct ipvs_dest *dest);
	void (*del_dest)(struct ipvs_service *svc, struct ipvs_sched_state *st,
			 struct ipvs_dest *dest);
	void (*upd_dest)(struct ipvs_service *svc, struct ipvs_sched_state *st,
			 struct ipvs_dest *dest);
	struct ipvs_dest *(*schedule)(struct ipvs_service *svc,
				      struct ipvs_sched_state *st,
				      const struct sk_buff *skb,
				      const struct ipvs_iphdr *iph);
};

int ipvs_sched_register(struct ipvs_scheduler *sched);
void ipvs_sched_unregister(struct ipvs_scheduler *sched);
void ipvs_sched_publish(struct ipvs_service *svc, struct ipvs_sched_state *st);
void ipvs_sched_err(const struct ipvs_service *svc, const char *msg);

static inline struct ipvs_sched_state *ipvs_sched_state(const struct ipvs_service *svc)
{
	return svc->sched_state;
}

/* The kernel keeps this in struct ipvs_dest; here it is derived. */
static inline int ipvs_d_sched_weight(const struct ipvs_dest *d)
{
	return (READ_ONCE(d->flags) & IP_VS_DEST_F_OVERLOAD) ? -1 : atomic_read(&d->weight);
}

static inline bool ipvs_dest_usable(const struct ipvs_dest *dest, int min_weight)
{
	return !(READ_ONCE(dest->flags) & IP_VS_DEST_F_OVERLOAD) &&
	       atomic_read(&dest->weight) >= min_weight;
}

#endif /* _IPVS_SCHED_H */
