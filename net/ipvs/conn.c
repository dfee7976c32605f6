// SPDX-License-Identifier: GPL-2.0
/*
 * Connection table: lookup, creation, expiry.
 *
 * Design
 *
 *  - One rhashtable per namespace (ipvs_dp_net.conn_tab). rhashtable gives
 *    RCU lookups without locks, per-bucket locks for writers (no global
 *    lock) and automatic resizing, so the chains stay short from one to
 *    millions of connections; the stock module's fixed 4096 buckets do not.
 *    It is created with the namespace's first virtual service.
 *  - The hash covers the client side only, <af, proto, caddr, cport>, which
 *    both directions of a NAT flow carry unchanged: a request is matched on
 *    the source, a reply on the destination. The compare function then
 *    checks vaddr:vport (input) or daddr:dport (output), so one entry serves
 *    both directions and lives in one chain.
 *  - No timer per connection. A connection carries its expiry time in
 *    jiffies, pushed forward by its packets. Lookups ignore expired entries,
 *    so a connection is dead for the packet path at the exact moment its
 *    timeout runs out; a per-namespace garbage collector (a delayed work,
 *    like nf_conntrack's gc worker) walks the table in bounded batches and
 *    unlinks what has expired. No timer storm at 1M connections, and the
 *    walk is paced: at most IPVS_GC_RATE entries a second, so an idle table
 *    of any size costs the same small share of one CPU. The price: memory,
 *    the destinations' connection counters and conn_count catch up with an
 *    expiry within a rest (1 s) and a pass (1 s per 64k entries). A refused
 *    connection (conn_max) makes the walk go at full speed until the pass
 *    ends, so that expired entries free their room at once.
 *  - Memory ceiling: sysctl conn_max (default: an eighth of RAM worth of
 *    256-byte entries). A new connection beyond it, or one whose entry
 *    cannot be allocated, is refused, its packet dropped and conn_refused
 *    counted.
 *  - Entries come from the "ip_vs_conn" kmem_cache, so their footprint is
 *    visible in /proc/slabinfo.
 *  - Known limit of hashing the client side only: rhashtable refuses a
 *    chain longer than 16 entries of one hash, so more than 16 concurrent
 *    connections from the same client address *and* port (to different
 *    virtual services) cannot all be inserted; the excess is refused and
 *    counted in conn_refused. The element counter (ht->nelems) is one
 *    shared atomic, touched once per connection created and removed.
 *
 * Locking rules (this file owns cp->lock):
 *
 *  - The table is read under rcu_read_lock(). Insertions and removals take
 *    only the rhashtable bucket lock.
 *  - Whoever removes an entry from the table (rhashtable_remove_fast() says
 *    who) unbinds it from its destination and frees it after a grace period
 *    (call_rcu). The destination reference is dropped in the RCU callback,
 *    so a packet still holding the entry may dereference cp->dest.
 *  - cp->lock (a spinlock taken in softirq context, or with BHs disabled)
 *    serialises state changes, the INACTIVE/NOOUTPUT flags and the
 *    unlinked mark: the destination's active/inactive counters are only
 *    changed under it, and never after the entry was unlinked.
 *  - cp->expires is written locklessly (WRITE_ONCE), last writer wins.
 *  - Templates (persist.c): a connection scheduled through a template
 *    points at it (cp->control, set before the connection is hashed) and
 *    counts in its n_control, changed under the template's lock. A
 *    template is only unlinked under its own lock with n_control at 0, so
 *    it outlives every connection that points at it. The one-packet
 *    connections of -o services are never hashed; their creator frees them.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>

#define IPVS_GC_BATCH		1024	/* entries examined per run */
#define IPVS_GC_RATE		65536	/* entries examined per second, at most */
#define IPVS_GC_INTERVAL	HZ	/* between full passes */
/* Rest between two batches of one pass. */
#define IPVS_GC_PACE		DIV_ROUND_UP(IPVS_GC_BATCH * HZ, IPVS_GC_RATE)

static struct kmem_cache *ipvs_conn_cachep __read_mostly;

static u32 ipvs_addr_fold(u16 af, const union nf_inet_addr *addr, u32 seed)
{
	if (af == AF_INET6)
		return jhash2((const u32 *)addr->ip6, 4, seed);
	return (__force u32)addr->ip;
}

/*
 * Connections hash on the client side only (see above). Templates all have
 * cport 0, so they also mix in the virtual side, which never changes once
 * they are hashed: a client network with templates for many services does
 * not pile them into one chain.
 */
static __always_inline u32 ipvs_conn_hash(const struct ipvs_conn_key *k, u32 seed)
{
	u32 a = ipvs_addr_fold(k->af, k->caddr, seed), b = (__force u32)k->cport;

	if (k->tmpl)
		b ^= ipvs_addr_fold(k->af, k->oaddr, seed) ^ ((__force u32)k->oport << 16) ^ 1;
	return jhash_3words(a, b, ((u32)k->af << 8) | k->protocol, seed);
}

static __always_inline u32 ipvs_conn_key_hashfn(const void *data, u32 len, u32 seed)
{
	return ipvs_conn_hash(data, seed);
}

static u32 ipvs_conn_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct ipvs_conn *cp = data;
	struct ipvs_conn_key k = {
		.caddr = &cp->caddr, .oaddr = &cp->vaddr, .cport = cp->cport,
		.oport = cp->vport, .af = cp->af, .protocol = cp->protocol,
		.tmpl = ipvs_conn_is_tmpl(cp),
	};

	return ipvs_conn_hash(&k, seed);
}

/* 0 when @obj is what @arg->key asks for and is still alive. */
static __always_inline int ipvs_conn_cmpfn(struct rhashtable_compare_arg *arg,
					   const void *obj)
{
	const struct ipvs_conn_key *k = arg->key;
	const struct ipvs_conn *cp = obj;

	if (cp->cport != k->cport || cp->af != k->af || cp->protocol != k->protocol ||
	    ipvs_conn_is_tmpl(cp) != k->tmpl || !ipvs_addr_equal(k->af, &cp->caddr, k->caddr))
		return 1;
	if (k->tmpl && (READ_ONCE(cp->flags) & IPVS_CONN_F_TMPL_INVALID))
		return 1;
	if (k->dir == IPVS_DIR_INPUT) {
		if (cp->vport != k->oport || !ipvs_addr_equal(k->af, &cp->vaddr, k->oaddr))
			return 1;
	} else {
		if (cp->dport != k->oport || !ipvs_addr_equal(k->af, &cp->daddr, k->oaddr))
			return 1;
	}
	return ipvs_conn_dead(cp, jiffies);
}

static const struct rhashtable_params ipvs_conn_params = {
	.head_offset		= offsetof(struct ipvs_conn, node),
	.hashfn			= ipvs_conn_key_hashfn,
	.obj_hashfn		= ipvs_conn_obj_hashfn,
	.obj_cmpfn		= ipvs_conn_cmpfn,
	/* 2^14 buckets (128 KB; upstream's fixed default is 2^12): a
	 * namespace taking traffic grows to 12k entries without a resize,
	 * each of which rehashes every entry (measured: crr with 2,000 to
	 * 8,000 entries in the table cost 0.7 % more per connection with
	 * 4,096 buckets to start from).
	 */
	.min_size		= 16384,
	.automatic_shrinking	= true,
};

/* Under rcu_read_lock(). */
struct ipvs_conn *ipvs_conn_in_get(struct ipvs_dp_net *dp, u16 af, u8 proto,
				   const union nf_inet_addr *caddr, __be16 cport,
				   const union nf_inet_addr *vaddr, __be16 vport)
{
	struct ipvs_conn_key k = {
		.caddr = caddr, .oaddr = vaddr, .cport = cport, .oport = vport,
		.af = af, .protocol = proto, .dir = IPVS_DIR_INPUT,
	};

	return rhashtable_lookup(&dp->conn_tab, &k, ipvs_conn_params);
}

/* Under rcu_read_lock(). */
struct ipvs_conn *ipvs_conn_out_get(struct ipvs_dp_net *dp, u16 af, u8 proto,
				    const union nf_inet_addr *caddr, __be16 cport,
				    const union nf_inet_addr *daddr, __be16 dport)
{
	struct ipvs_conn_key k = {
		.caddr = caddr, .oaddr = daddr, .cport = cport, .oport = dport,
		.af = af, .protocol = proto, .dir = IPVS_DIR_OUTPUT,
	};

	return rhashtable_lookup(&dp->conn_tab, &k, ipvs_conn_params);
}

/* The persistence template <af, proto, caddr, 0, vaddr, vport>, under
 * rcu_read_lock(). Invalidated templates are not returned.
 */
struct ipvs_conn *ipvs_conn_tmpl_get(struct ipvs_dp_net *dp, u16 af, u8 proto,
				     const union nf_inet_addr *caddr,
				     const union nf_inet_addr *vaddr, __be16 vport)
{
	struct ipvs_conn_key k = {
		.caddr = caddr, .oaddr = vaddr, .oport = vport,
		.af = af, .protocol = proto, .dir = IPVS_DIR_INPUT, .tmpl = 1,
	};

	return rhashtable_lookup(&dp->conn_tab, &k, ipvs_conn_params);
}

static unsigned int ipvs_dest_totalconns(const struct ipvs_dest *dest)
{
	return atomic_read(&dest->activeconns) + atomic_read(&dest->inactconns);
}

static void ipvs_conn_bind_dest(struct ipvs_conn *cp, struct ipvs_dest *dest)
{
	u32 u = READ_ONCE(dest->u_threshold);

	/* A template is no connection: counted apart, never overloads. */
	if (ipvs_conn_is_tmpl(cp)) {
		atomic_inc(&dest->persistconns);
		return;
	}
	if (cp->flags & IP_VS_CONN_F_INACTIVE)
		atomic_inc(&dest->inactconns);
	else
		atomic_inc(&dest->activeconns);
	if (u && ipvs_dest_totalconns(dest) >= u)
		ipvs_dest_flags_update(dest, IP_VS_DEST_F_OVERLOAD, 0);
}

/* Upstream's hysteresis: clear OVERLOAD below l_threshold, or below 3/4 of
 * u_threshold when there is no lower one (both in l_threshold_val), or at
 * once without thresholds.
 */
static void ipvs_conn_unbind_dest(struct ipvs_conn *cp)
{
	struct ipvs_dest *dest = cp->dest;
	unsigned int total;

	if (ipvs_conn_is_tmpl(cp)) {
		atomic_dec(&dest->persistconns);
		return;
	}
	if (cp->flags & IP_VS_CONN_F_INACTIVE)
		atomic_dec(&dest->inactconns);
	else
		atomic_dec(&dest->activeconns);
	/* Either we see the flag ipvs_dest_update_overload() sets, or it
	 * sees our decrement.
	 */
	smp_mb__after_atomic();
	if (!(READ_ONCE(dest->flags) & IP_VS_DEST_F_OVERLOAD))
		return;
	total = ipvs_dest_totalconns(dest);
	if (!READ_ONCE(dest->u_threshold) || total < READ_ONCE(dest->l_threshold_val))
		ipvs_dest_flags_update(dest, 0, IP_VS_DEST_F_OVERLOAD);
}

/* ipvs_conn_state_set() (proto.h) when the state changes. */
void ipvs_conn_state_change(struct ipvs_conn *cp, u8 state, unsigned int timeout, bool active)
{
	struct ipvs_dest *dest = cp->dest;

	lockdep_assert_held(&cp->lock);

	if (dest && !cp->unlinked) {
		if (!(cp->flags & IP_VS_CONN_F_INACTIVE) && !active) {
			atomic_dec(&dest->activeconns);
			atomic_inc(&dest->inactconns);
			cp->flags |= IP_VS_CONN_F_INACTIVE;
		} else if ((cp->flags & IP_VS_CONN_F_INACTIVE) && active) {
			atomic_inc(&dest->activeconns);
			atomic_dec(&dest->inactconns);
			cp->flags &= ~IP_VS_CONN_F_INACTIVE;
		}
	}
	cp->state = state;
	WRITE_ONCE(cp->timeout, timeout);
}

/*
 * When @cp really expires. Upstream re-arms a template that still controls
 * connections for 60 s each time its timer fires; here the same instants
 * are computed when someone looks (persist.c writes them back).
 */
unsigned long ipvs_conn_expires(const struct ipvs_conn *cp, unsigned long now)
{
	unsigned long e = READ_ONCE(cp->expires);

	if (!ipvs_conn_is_tmpl(cp) || time_before(now, e) || !READ_ONCE(cp->n_control))
		return e;
	return e + ((now - e) / IPVS_TMPL_REARM + 1) * IPVS_TMPL_REARM;
}

static void ipvs_conn_free_rcu(struct rcu_head *head)
{
	struct ipvs_conn *cp = container_of(head, struct ipvs_conn, rcu);

	/* The destination list or trash holds one more: never the last. */
	refcount_dec(&cp->dest->refcnt);
	kmem_cache_free(ipvs_conn_cachep, cp);
}

/*
 * Remove @cp from the table; false if someone else already did, or if @cp
 * is a template that still controls connections (those keep pointers to
 * it; n_control only changes under its lock, see persist.c).
 */
static bool ipvs_conn_unlink(struct ipvs_dp_net *dp, struct ipvs_conn *cp)
{
	spin_lock_bh(&cp->lock);
	if (cp->unlinked || cp->n_control ||
	    rhashtable_remove_fast(&dp->conn_tab, &cp->node, ipvs_conn_params)) {
		spin_unlock_bh(&cp->lock);
		return false;
	}
	cp->unlinked = 1;
	ipvs_conn_unbind_dest(cp);
	spin_unlock_bh(&cp->lock);

	if (cp->control)
		ipvs_conn_control_del(cp);
	ipvs_nfct_drop(dp, cp);

	call_rcu(&cp->rcu, ipvs_conn_free_rcu);
	return true;
}

/* A one-packet connection, never hashed, after its packet was sent. */
void ipvs_conn_release_ops(struct ipvs_conn *cp)
{
	if (cp->control)
		ipvs_conn_control_del(cp);
	ipvs_conn_unbind_dest(cp);
	refcount_dec(&cp->dest->refcnt);
	kmem_cache_free(ipvs_conn_cachep, cp);
}

void ipvs_conn_expire_now(struct ipvs_dp_net *dp, struct ipvs_conn *cp)
{
	ipvs_conn_unlink(dp, cp);
}

/* The table is full: walk at full speed until the end of a pass. Packet
 * path: past the first refusal of a pass, one read.
 */
static void ipvs_conn_gc_hurry(struct ipvs_dp_net *dp)
{
	if (READ_ONCE(dp->gc_hurry) || READ_ONCE(dp->dying))
		return;
	WRITE_ONCE(dp->gc_hurry, true);
	mod_delayed_work(system_power_efficient_wq, &dp->gc_work, 0);
}

/*
 * A new entry described by @p, bound to @dest. Under rcu_read_lock(), BHs
 * disabled. Returns NULL when refused (ceiling, memory); if another CPU
 * created the same entry first, returns that one. A one-packet connection
 * is not hashed: the caller sends its packet and releases it.
 */
struct ipvs_conn *ipvs_conn_new(struct ipvs_dp_net *dp, const struct ipvs_conn_param *p,
				struct ipvs_dest *dest)
{
	const struct ipvs_proto *pp = ipvs_proto_get(p->protocol);
	bool ops = p->flags & IP_VS_CONN_F_ONE_PACKET;
	struct ipvs_conn_key k;
	struct ipvs_conn *cp, *old;
	struct ipvs_service *dsvc;

	if (!ops && atomic_read(&dp->conn_tab.nelems) >= READ_ONCE(dp->sysctl.conn_max)) {
		atomic_long_inc(&dp->conn_refused);
		ipvs_conn_gc_hurry(dp);
		net_warn_ratelimited("IPVS: connection table full (conn_max %d)\n",
				     READ_ONCE(dp->sysctl.conn_max));
		return NULL;
	}

	cp = kmem_cache_zalloc(ipvs_conn_cachep, GFP_ATOMIC | __GFP_NOWARN);
	if (!cp) {
		atomic_long_inc(&dp->conn_refused);
		net_warn_ratelimited("IPVS: no memory for a connection entry\n");
		return NULL;
	}

	cp->af = p->af;
	cp->protocol = p->protocol;
	cp->caddr = *p->caddr;
	cp->cport = p->cport;
	cp->vaddr = *p->vaddr;
	cp->vport = p->vport;
	cp->daddr = dest->addr;
	cp->dport = p->dport;
	cp->flags = (atomic_read(&dest->conn_flags) & ~IP_VS_CONN_F_ONE_PACKET) | p->flags;
	if (ipvs_conn_is_tmpl(cp))
		cp->state = IPVS_CTPL_S_NONE;
	else
		cp->state = pp ? pp->init_state : 0;
	if (READ_ONCE(dp->sysctl.conntrack) && !ipvs_conn_is_tmpl(cp))
		cp->flags |= IP_VS_CONN_F_NFCT;
	cp->timeout = p->timeout ? p->timeout : 3 * HZ;
	cp->expires = jiffies + cp->timeout;
	spin_lock_init(&cp->lock);

	refcount_inc(&dest->refcnt);
	cp->dest = dest;
	ipvs_conn_bind_dest(cp, dest);

	/* Before anyone can see (and unlink) it: see ipvs_conn_unlink(). */
	if (p->ct)
		ipvs_conn_control_add(cp, p->ct);

	if (!ops) {
		k.caddr = &cp->caddr;
		k.cport = cp->cport;
		k.oaddr = &cp->vaddr;
		k.oport = cp->vport;
		k.af = cp->af;
		k.protocol = cp->protocol;
		k.dir = IPVS_DIR_INPUT;
		k.tmpl = ipvs_conn_is_tmpl(cp);
		old = rhashtable_lookup_get_insert_key(&dp->conn_tab, &k, &cp->node,
						       ipvs_conn_params);
		if (old) {
			/* Never visible: undo without a grace period. */
			if (cp->control)
				ipvs_conn_control_del(cp);
			ipvs_conn_unbind_dest(cp);
			refcount_dec(&dest->refcnt);
			kmem_cache_free(ipvs_conn_cachep, cp);
			if (IS_ERR(old)) {
				atomic_long_inc(&dp->conn_refused);
				return NULL;
			}
			return old;
		}
	}

	if (ipvs_conn_is_tmpl(cp))
		return cp;
	ipvs_stats_conn(&dest->stats);
	dsvc = rcu_dereference(dest->svc);
	if (dsvc)
		ipvs_stats_conn(&dsvc->stats);
	ipvs_stats_conn(&dp->ipvs->tot_stats);
	return cp;
}

/*
 * Incremental garbage collection: examine at most IPVS_GC_BATCH entries per
 * run, rest IPVS_GC_PACE (one jiffy when hurried), continue; rest
 * IPVS_GC_INTERVAL after a full pass. Also expires connections whose
 * destination was removed when expire_nodest_conn is set (upstream flushes
 * those from a work too).
 */
static void ipvs_conn_gc(struct work_struct *work)
{
	struct ipvs_dp_net *dp = container_of(to_delayed_work(work), struct ipvs_dp_net,
					      gc_work);
	bool nodest = READ_ONCE(dp->sysctl.expire_nodest_conn);
	unsigned long now = jiffies, delay = IPVS_GC_PACE;
	struct ipvs_conn *cp;
	int n = 0;

	if (!dp->gc_walking) {
		/* An empty table (its connections all gone) is not walked:
		 * a pass over its 16k empty buckets costs 300k instructions.
		 */
		if (!atomic_read(&dp->conn_tab.nelems)) {
			delay = IPVS_GC_INTERVAL;
			WRITE_ONCE(dp->gc_hurry, false);
			goto out;
		}
		rhashtable_walk_enter(&dp->conn_tab, &dp->gc_iter);
		dp->gc_walking = true;
	}
	rhashtable_walk_start(&dp->gc_iter);
	while ((cp = rhashtable_walk_next(&dp->gc_iter))) {
		if (IS_ERR(cp)) {
			if (PTR_ERR(cp) == -EAGAIN)
				continue;
			cp = NULL;
			break;
		}
		/* Templates still in control are skipped by the unlink. */
		if (ipvs_conn_dead(cp, now) ||
		    (nodest && !(READ_ONCE(cp->dest->flags) & IP_VS_DEST_F_AVAILABLE)))
			ipvs_conn_unlink(dp, cp);
		if (++n >= IPVS_GC_BATCH)
			break;
	}
	rhashtable_walk_stop(&dp->gc_iter);

	if (!cp) {
		rhashtable_walk_exit(&dp->gc_iter);
		dp->gc_walking = false;
		delay = IPVS_GC_INTERVAL;
		WRITE_ONCE(dp->gc_hurry, false);
	} else if (READ_ONCE(dp->gc_hurry)) {
		delay = 1;
	}
out:
	if (!READ_ONCE(dp->dying))
		queue_delayed_work(system_power_efficient_wq, &dp->gc_work, delay);
}

/*
 * Namespace init: settings only. The table comes with the first service
 * (ipvs_conn_table_enable()), so a namespace that never has one (every
 * container of a host that loaded ip_vs) pays for no buckets (128 KB) and
 * runs no collector.
 */
void ipvs_conn_init(struct ipvs_dp_net *dp)
{
	u64 max;

	/* An eighth of RAM in 256-byte entries, at least 64k. */
	max = ((u64)totalram_pages() << PAGE_SHIFT) / 8 / 256;
	dp->sysctl.conn_max = clamp_t(u64, max, 65536, INT_MAX);
	atomic_long_set(&dp->conn_refused, 0);
	dp->conn_tab_ready = false;
}

/*
 * Under ipvs->lock, before the hooks are registered (ipvs_dp_enable()):
 * the packet path only runs once the table exists. /proc readers check
 * conn_tab_ready without the lock (ipvs_conn_tab_ready()).
 */
int ipvs_conn_table_enable(struct ipvs_dp_net *dp)
{
	int ret;

	lockdep_assert_held(&dp->ipvs->lock);
	if (dp->conn_tab_ready)
		return 0;
	ret = rhashtable_init(&dp->conn_tab, &ipvs_conn_params);
	if (ret)
		return ret;
	dp->gc_walking = false;
	dp->gc_hurry = false;
	INIT_DELAYED_WORK(&dp->gc_work, ipvs_conn_gc);
	/* Pairs with ipvs_conn_tab_ready(): a reader sees a whole table. */
	smp_store_release(&dp->conn_tab_ready, true);
	queue_delayed_work(system_power_efficient_wq, &dp->gc_work, IPVS_GC_INTERVAL);
	return 0;
}

/* Teardown: hooks are unregistered and readers gone, nothing races us.
 * Templates go in any order, so @control is not followed.
 */
static void ipvs_conn_free_one(void *ptr, void *arg)
{
	struct ipvs_conn *cp = ptr;

	ipvs_conn_unbind_dest(cp);
	refcount_dec(&cp->dest->refcnt);
	kmem_cache_free(ipvs_conn_cachep, cp);
}

void ipvs_conn_uninit(struct ipvs_dp_net *dp)
{
	if (!dp->conn_tab_ready)
		return;
	WRITE_ONCE(dp->dying, true);
	cancel_delayed_work_sync(&dp->gc_work);
	if (dp->gc_walking) {
		rhashtable_walk_exit(&dp->gc_iter);
		dp->gc_walking = false;
	}
	rhashtable_free_and_destroy(&dp->conn_tab, ipvs_conn_free_one, NULL);
	dp->conn_tab_ready = false;
}

/*
 * No constructor: SLUB would then keep its free pointer outside the object
 * and a 128-byte connection would take a 192-byte slot. The cache may be
 * merged with another of its size (as the stock module's is); boot with
 * slab_nomerge to see it on its own line of /proc/slabinfo.
 */
int ipvs_conn_module_init(void)
{
	ipvs_conn_cachep = kmem_cache_create("ip_vs_conn", sizeof(struct ipvs_conn), 0,
					     SLAB_HWCACHE_ALIGN, NULL);
	return ipvs_conn_cachep ? 0 : -ENOMEM;
}

/* After every namespace's table is gone and rcu_barrier() ran. */
void ipvs_conn_module_uninit(void)
{
	kmem_cache_destroy(ipvs_conn_cachep);
}
