/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decision rules of the Maglev hashing scheduler (mh), after section 3.4 of
 * Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load
 * Balancer", NSDI 2016, with upstream IPVS's choices for everything the
 * paper leaves open: the prime table size (CONFIG_IP_VS_MH_TAB_INDEX, 12 in
 * Debian and by default: 4093 slots), the two fixed hsiphash keys, the
 * hashed value (offset + port + folded address), the weight scaling
 * (last_weight / gcd, shifted down to IPVS_MH_TAB_BITS significant bits),
 * and the fallback probe sequence. A given client therefore lands on the
 * same real server as with the stock ip_vs_mh.
 *
 * Pure logic, compiled into the module and the host unit tests.
 */
#ifndef _IPVS_SCHED_MH_LOGIC_H
#define _IPVS_SCHED_MH_LOGIC_H

#include <linux/bitops.h>
#include <linux/gcd.h>
#include <linux/siphash.h>
#include <ipvs/sched.h>
#include "sched_hash_logic.h"

#ifndef CONFIG_IP_VS_MH_TAB_INDEX
#define CONFIG_IP_VS_MH_TAB_INDEX	12
#endif

/* Table sizes: a prime just below each power of two from 2^8 to 2^17. */
#define IPVS_MH_PRIME(i)						\
	((i) == 0 ? 251 : (i) == 1 ? 509 : (i) == 2 ? 1021 :		\
	 (i) == 3 ? 2039 : (i) == 4 ? 4093 : (i) == 5 ? 8191 :		\
	 (i) == 6 ? 16381 : (i) == 7 ? 32749 : (i) == 8 ? 65521 : 131071)

#define IPVS_MH_TAB_BITS	(CONFIG_IP_VS_MH_TAB_INDEX / 2)
#define IPVS_MH_TAB_SIZE	IPVS_MH_PRIME(CONFIG_IP_VS_MH_TAB_INDEX - 8)

/* Per-destination population state, one per destination in list order. */
struct ipvs_mh_setup {
	struct ipvs_dest	*dest;
	u32			offset;	/* first preferred slot */
	u32			skip;	/* step through the preference list */
	u32			perm;	/* next slot to try */
	int			turns;	/* slots taken per round */
};

static const hsiphash_key_t ipvs_mh_key1 = {
	.key = { 2654435761UL, 2654435761UL },
};

static const hsiphash_key_t ipvs_mh_key2 = {
	.key = { 2654446892UL, 2654446892UL },
};

static inline u32 ipvs_mh_hashkey(u16 af, const union nf_inet_addr *addr,
				  __be16 port, const hsiphash_key_t *key,
				  u32 offset)
{
	u32 v = offset + ntohs(port) + ipvs_hash_fold(af, addr);

	return hsiphash(&v, sizeof(v), key);
}

/* A destination in the table takes no new connection at weight 0 or overloaded. */
static inline bool ipvs_mh_unavailable(const struct ipvs_dest *d)
{
	return atomic_read(&d->weight) <= 0 ||
	       (READ_ONCE(d->flags) & IP_VS_DEST_F_OVERLOAD);
}

/* gcd of the positive last weights (quiesced servers keep their slots); 0 if none. */
static inline int ipvs_mh_gcd(const struct ipvs_mh_setup *ds, unsigned int n)
{
	unsigned int i;
	int w, g = 0;

	for (i = 0; i < n; i++) {
		w = atomic_read(&ds[i].dest->last_weight);
		if (w > 0)
			g = g > 0 ? gcd(w, g) : w;
	}
	return g;
}

/* How far to shift last_weight / gcd so the largest keeps IPVS_MH_TAB_BITS bits. */
static inline int ipvs_mh_shift(const struct ipvs_mh_setup *ds, unsigned int n, int g)
{
	int w, max = 0, shift;
	unsigned int i;

	if (g < 1)
		return 0;
	for (i = 0; i < n; i++) {
		w = atomic_read(&ds[i].dest->last_weight);
		if (w > max)
			max = w;
	}
	shift = fls(max / g) - IPVS_MH_TAB_BITS;
	return shift > 0 ? shift : 0;
}

/* Offsets, skips and turns of every destination (ds[i].dest already set). */
static inline void ipvs_mh_permutate(struct ipvs_mh_setup *ds, unsigned int n,
				     u16 af, int g, int shift)
{
	unsigned int i;
	int lw, turns;

	if (g < 1)
		return;
	for (i = 0; i < n; i++) {
		struct ipvs_dest *d = ds[i].dest;

		ds[i].offset = ipvs_mh_hashkey(af, &d->addr, d->port,
					       &ipvs_mh_key1, 0) % IPVS_MH_TAB_SIZE;
		ds[i].skip = ipvs_mh_hashkey(af, &d->addr, d->port, &ipvs_mh_key2, 0) %
			     (IPVS_MH_TAB_SIZE - 1) + 1;
		ds[i].perm = ds[i].offset;
		lw = atomic_read(&d->last_weight);
		turns = (lw / g) >> shift;
		ds[i].turns = turns ? turns : (lw != 0);
	}
}

/*
 * Fill every slot: destinations take turns in list order, each claiming
 * its next free preferred slot @turns times per round, until the table is
 * full. With no positive weight at all the table is emptied. @used is a
 * scratch bitmap of IPVS_MH_TAB_SIZE bits.
 */
static inline void ipvs_mh_populate(struct ipvs_dest **lookup, unsigned long *used,
				    struct ipvs_mh_setup *ds, unsigned int n, int g)
{
	unsigned int i, filled = 0;
	int taken = 0;
	u32 c;

	if (g < 1) {
		for (c = 0; c < IPVS_MH_TAB_SIZE; c++)
			WRITE_ONCE(lookup[c], NULL);
		return;
	}

	bitmap_zero(used, IPVS_MH_TAB_SIZE);
	for (;;) {
		for (i = 0; i < n;) {
			if (ds[i].turns < 1) {
				i++;
				continue;
			}
			c = ds[i].perm;
			while (test_bit(c, used)) {
				ds[i].perm += ds[i].skip;
				if (ds[i].perm >= IPVS_MH_TAB_SIZE)
					ds[i].perm -= IPVS_MH_TAB_SIZE;
				c = ds[i].perm;
			}
			__set_bit(c, used);
			WRITE_ONCE(lookup[c], ds[i].dest);
			if (++filled == IPVS_MH_TAB_SIZE)
				return;
			if (++taken >= ds[i].turns) {
				taken = 0;
				i++;
			}
		}
	}
}

/* Recompute the whole table from @ds[0..n).dest (list order). */
static inline void ipvs_mh_build(struct ipvs_dest **lookup, unsigned long *used,
				 struct ipvs_mh_setup *ds, unsigned int n, u16 af)
{
	int g = ipvs_mh_gcd(ds, n);

	ipvs_mh_permutate(ds, n, af, g, ipvs_mh_shift(ds, n, g));
	ipvs_mh_populate(lookup, used, ds, n, g);
}

/*
 * The client's slot; with @fallback, when that destination is unusable,
 * probe slots hashed with increasing offsets from the client's own slot
 * and take the first usable one. An empty table gives NULL.
 */
static inline struct ipvs_dest *ipvs_mh_get(struct ipvs_dest *const *lookup, u16 af,
					    const union nf_inet_addr *addr,
					    __be16 port, bool fallback)
{
	u32 ihash, off, hash;
	struct ipvs_dest *d;

	ihash = ipvs_mh_hashkey(af, addr, port, &ipvs_mh_key1, 0) % IPVS_MH_TAB_SIZE;
	d = READ_ONCE(lookup[ihash]);
	if (!d)
		return NULL;
	if (!ipvs_mh_unavailable(d))
		return d;
	if (!fallback)
		return NULL;

	for (off = 0; off < IPVS_MH_TAB_SIZE; off++) {
		hash = ipvs_mh_hashkey(af, addr, port, &ipvs_mh_key1,
				       (off + ihash) % IPVS_MH_TAB_SIZE) % IPVS_MH_TAB_SIZE;
		d = READ_ONCE(lookup[hash]);
		if (!d)
			break;
		if (!ipvs_mh_unavailable(d))
			return d;
	}
	return NULL;
}

#endif /* _IPVS_SCHED_MH_LOGIC_H */
