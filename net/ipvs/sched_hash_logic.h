/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decision rules of the hashing schedulers sh and dh, and the hash inputs
 * that mh, lblc and lblcr share with them.
 *
 * Pure logic, compiled into the modules and into the host unit tests (see
 * sched_conn_logic.h). Hash functions, table sizes and the order in which
 * table slots are handed out are upstream's, so a given client maps to the
 * same real server (same position in the destination list) as with the
 * stock modules.
 *
 * Tables are written with WRITE_ONCE() by the config path and read with
 * READ_ONCE() by the scheduling path: like upstream, a rebuild updates the
 * table in place, slot by slot.
 */
#ifndef _IPVS_SCHED_HASH_LOGIC_H
#define _IPVS_SCHED_HASH_LOGIC_H

#include <linux/hash.h>
#include <ipvs/sched.h>
#include <ipvs/packet.h>

#ifndef CONFIG_IP_VS_SH_TAB_BITS
#define CONFIG_IP_VS_SH_TAB_BITS	8
#endif
#define IPVS_SH_TAB_BITS	CONFIG_IP_VS_SH_TAB_BITS
#define IPVS_SH_TAB_SIZE	(1U << IPVS_SH_TAB_BITS)
#define IPVS_SH_TAB_MASK	(IPVS_SH_TAB_SIZE - 1)

/* Upstream has no Kconfig knob for dh: always 256 buckets. */
#define IPVS_DH_TAB_BITS	8
#define IPVS_DH_TAB_SIZE	(1U << IPVS_DH_TAB_BITS)

/* Upstream's sh and mh flag names for the generic scheduler flags. */
#ifndef IP_VS_SVC_F_SCHED_SH_FALLBACK
#define IP_VS_SVC_F_SCHED_SH_FALLBACK	IP_VS_SVC_F_SCHED1
#define IP_VS_SVC_F_SCHED_SH_PORT	IP_VS_SVC_F_SCHED2
#endif
#define IPVS_SVC_F_SCHED_MH_FALLBACK	IP_VS_SVC_F_SCHED1
#define IPVS_SVC_F_SCHED_MH_PORT	IP_VS_SVC_F_SCHED2

/*
 * An address as one 32-bit number in host order: IPv4 as is, IPv6 as the
 * XOR of its four words. The service's family decides, for client and
 * real server addresses alike, as upstream.
 */
static inline u32 ipvs_hash_fold(u16 af, const union nf_inet_addr *addr)
{
	__be32 fold = addr->ip;

	if (af == AF_INET6)
		fold = addr->ip6[0] ^ addr->ip6[1] ^ addr->ip6[2] ^ addr->ip6[3];
	return ntohl(fold);
}

/*
 * The client side of a packet for sh and mh: the source, or, for the
 * headers embedded in an ICMP error (which travel the other way), the
 * destination.
 */
static inline bool ipvs_iph_inverse(const struct ipvs_iphdr *iph)
{
	return iph->flags & IPVS_IPH_F_ICMP_INNER;
}

static inline const union nf_inet_addr *ipvs_iph_client(const struct ipvs_iphdr *iph)
{
	return ipvs_iph_inverse(iph) ? &iph->daddr : &iph->saddr;
}

/* Client port for sh-port/mh-port: TCP, UDP and SCTP only, else 0. */
static inline __be16 ipvs_iph_client_port(const struct ipvs_iphdr *iph)
{
	switch (iph->protocol) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		if (iph->flags & IPVS_IPH_F_FRAG)
			return 0;
		return ipvs_iph_inverse(iph) ? iph->dport : iph->sport;
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- sh */

static inline unsigned int ipvs_sh_hashkey(u16 af, const union nf_inet_addr *addr,
					   __be16 port, unsigned int offset)
{
	return (offset + hash_32(ntohs(port) + ipvs_hash_fold(af, addr),
				 IPVS_SH_TAB_BITS)) & IPVS_SH_TAB_MASK;
}

static inline bool ipvs_sh_unavailable(const struct ipvs_dest *d)
{
	return atomic_read(&d->weight) <= 0 ||
	       (READ_ONCE(d->flags) & IP_VS_DEST_F_OVERLOAD);
}

/*
 * Hand the buckets out in list order, each destination taking as many
 * consecutive buckets as its weight (at least one, even at weight 0),
 * cycling through the list until the table is full. @dests has no holes.
 */
static inline void ipvs_sh_fill(struct ipvs_dest **buckets,
				struct ipvs_dest *const *dests, unsigned int n)
{
	unsigned int i, j = 0;
	int count = 0;

	for (i = 0; i < IPVS_SH_TAB_SIZE; i++) {
		if (!n) {
			WRITE_ONCE(buckets[i], NULL);
			continue;
		}
		WRITE_ONCE(buckets[i], dests[j]);
		if (++count >= atomic_read(&dests[j]->weight)) {
			count = 0;
			if (++j == n)
				j = 0;
		}
	}
}

/*
 * The client's bucket; with @fallback, when its destination is unusable,
 * probe the table from there (upstream adds the probe offset to the hash
 * start and then the hash again, so probing starts two hashes in) and take
 * the first usable destination. An empty table gives NULL.
 */
static inline struct ipvs_dest *ipvs_sh_get(struct ipvs_dest *const *buckets,
					    u16 af, const union nf_inet_addr *addr,
					    __be16 port, bool fallback)
{
	unsigned int ihash, off, hash;
	struct ipvs_dest *d;

	ihash = ipvs_sh_hashkey(af, addr, port, 0);
	d = READ_ONCE(buckets[ihash]);
	if (!d)
		return NULL;
	if (!ipvs_sh_unavailable(d))
		return d;
	if (!fallback)
		return NULL;

	for (off = 0; off < IPVS_SH_TAB_SIZE; off++) {
		hash = ipvs_sh_hashkey(af, addr, port,
				       (off + ihash) % IPVS_SH_TAB_SIZE);
		d = READ_ONCE(buckets[hash]);
		if (!d)
			break;
		if (!ipvs_sh_unavailable(d))
			return d;
	}
	return NULL;
}

/* ---------------------------------------------------------------- dh */

static inline unsigned int ipvs_dh_hashkey(u16 af, const union nf_inet_addr *addr)
{
	return hash_32(ipvs_hash_fold(af, addr), IPVS_DH_TAB_BITS);
}

/* One bucket per destination in turn, weights ignored; no holes in @dests. */
static inline void ipvs_dh_fill(struct ipvs_dest **buckets,
				struct ipvs_dest *const *dests, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < IPVS_DH_TAB_SIZE; i++)
		WRITE_ONCE(buckets[i], n ? dests[i % n] : NULL);
}

/* The destination address's bucket, if usable: linked, weight > 0, not overloaded. */
static inline struct ipvs_dest *ipvs_dh_get(struct ipvs_dest *const *buckets, u16 af,
					    const union nf_inet_addr *addr)
{
	struct ipvs_dest *d = READ_ONCE(buckets[ipvs_dh_hashkey(af, addr)]);
	unsigned int flags;

	if (!d)
		return NULL;
	flags = READ_ONCE(d->flags);
	if (!(flags & IP_VS_DEST_F_AVAILABLE) || atomic_read(&d->weight) <= 0 ||
	    (flags & IP_VS_DEST_F_OVERLOAD))
		return NULL;
	return d;
}

#endif /* _IPVS_SCHED_HASH_LOGIC_H */
