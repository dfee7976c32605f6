/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel API, in userspace, to compile the ipvs-ng
 * scheduler modules (net/ipvs/sched_*.c) and their logic headers unchanged
 * into host unit tests, in the manner of tools/testing/ in the kernel.
 *
 * Single-threaded semantics: RCU readers never overlap writers, so
 * rcu_dereference() is a plain load. Frees deferred by kfree_rcu() are held
 * until shim_rcu_barrier(), so a test can check that nothing still
 * published was handed to kfree_rcu(). Allocations are counted (leak
 * checks) and can be made to fail (shim_fail_allocs) to exercise the
 * out-of-memory paths. WARN_ON_ONCE() counts into shim_warnings.
 */
#ifndef _IPVS_TEST_KSHIM_H
#define _IPVS_TEST_KSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* <linux/build_bug.h>'s one-argument form. */
#define static_assert(e) _Static_assert(e, #e)
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef uint32_t __le32;
typedef unsigned int gfp_t;

union nf_inet_addr {
	__u32		all[4];
	__be32		ip;
	__be32		ip6[4];
	struct in_addr	in;
	struct in6_addr	in6;
};

#define __rcu
#define __init
#define __exit
#define __net_init
#define __net_exit
#define __read_mostly
#define __always_unused __attribute__((unused))
#define __maybe_unused __attribute__((unused))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ warnings */

extern int shim_warnings;
#define WARN_ON_ONCE(c) ({						\
	bool __c = !!(c);						\
	if (__c) {							\
		shim_warnings++;					\
		fprintf(stderr, "WARN_ON_ONCE at %s:%d\n", __FILE__, __LINE__); \
	}								\
	__c;								\
})
#define WARN_ON(c)	WARN_ON_ONCE(c)

extern int shim_quiet;
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_err(fmt, ...) \
	do { if (!shim_quiet) fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__); } while (0)
#define pr_info pr_err

/* ------------------------------------------------------------ errors */

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long e) { return (void *)e; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p) { return IS_ERR_VALUE(p); }

/* ------------------------------------------------------------ atomics */

typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
typedef struct { int refs; } refcount_t;

#define ATOMIC_INIT(i)	{ (i) }
static inline int atomic_read(const atomic_t *a) { return READ_ONCE(a->counter); }
static inline void atomic_set(atomic_t *a, int v) { WRITE_ONCE(a->counter, v); }
static inline void atomic_inc(atomic_t *a) { a->counter++; }
static inline void atomic_dec(atomic_t *a) { a->counter--; }
static inline s64 atomic64_read(const atomic64_t *a) { return READ_ONCE(a->counter); }
static inline void atomic64_set(atomic64_t *a, s64 v) { WRITE_ONCE(a->counter, v); }
static inline bool atomic64_try_cmpxchg(atomic64_t *a, s64 *old, s64 new)
{
	if (a->counter == *old) {
		a->counter = new;
		return true;
	}
	*old = a->counter;
	return false;
}

#define try_cmpxchg(ptr, oldp, new) ({					\
	bool __ok = *(ptr) == *(oldp);					\
	if (__ok)							\
		*(ptr) = (new);						\
	else								\
		*(oldp) = *(ptr);					\
	__ok;								\
})

static inline void refcount_set(refcount_t *r, int v) { r->refs = v; }
static inline int refcount_read(const refcount_t *r) { return r->refs; }
static inline void refcount_inc(refcount_t *r)
{
	WARN_ON_ONCE(r->refs <= 0);
	r->refs++;
}
static inline void refcount_dec(refcount_t *r)
{
	WARN_ON_ONCE(r->refs <= 1);
	r->refs--;
}

/* ------------------------------------------------------------ memory */

#define GFP_KERNEL	0x1u
#define GFP_ATOMIC	0x2u
#define __GFP_NOWARN	0x4u

extern long shim_allocs;	/* live allocations */
extern int shim_fail_allocs;	/* fail this many of the next allocations */
extern int shim_fail_after;	/* ... after letting this many succeed */

static inline void *shim_alloc(size_t n, bool zero)
{
	void *p;

	if (shim_fail_allocs > 0) {
		if (shim_fail_after > 0) {
			shim_fail_after--;
		} else {
			shim_fail_allocs--;
			return NULL;
		}
	}
	p = zero ? calloc(1, n ? n : 1) : malloc(n ? n : 1);
	if (p)
		shim_allocs++;
	return p;
}

static inline void *kmalloc(size_t n, gfp_t gfp) { return shim_alloc(n, false); }
static inline void *kzalloc(size_t n, gfp_t gfp) { return shim_alloc(n, true); }
static inline void *kvzalloc(size_t n, gfp_t gfp) { return shim_alloc(n, true); }
static inline void *kcalloc(size_t n, size_t sz, gfp_t gfp) { return shim_alloc(n * sz, true); }
static inline void *kmalloc_array(size_t n, size_t sz, gfp_t gfp) { return shim_alloc(n * sz, false); }
static inline void *kmemdup(const void *src, size_t n, gfp_t gfp)
{
	void *p = shim_alloc(n, false);

	if (p)
		memcpy(p, src, n);
	return p;
}
static inline void kfree(const void *p)
{
	if (p) {
		shim_allocs--;
		free((void *)p);
	}
}
static inline void kvfree(const void *p) { kfree(p); }

#define struct_size(p, member, n) \
	(sizeof(*(p)) + (size_t)(n) * sizeof((p)->member[0]))

/* ------------------------------------------------------------ RCU */

struct rcu_head {
	struct rcu_head	*next;
	void		*obj;
};

extern struct rcu_head *shim_rcu_pending;
extern long shim_rcu_deferred;

static inline void shim_kfree_rcu(void *obj, struct rcu_head *h)
{
	h->obj = obj;
	h->next = shim_rcu_pending;
	shim_rcu_pending = h;
	shim_rcu_deferred++;
}

/* A grace period: free everything handed to kfree_rcu() so far. */
static inline void shim_rcu_barrier(void)
{
	while (shim_rcu_pending) {
		struct rcu_head *h = shim_rcu_pending;

		shim_rcu_pending = h->next;
		shim_rcu_deferred--;
		kfree(h->obj);
	}
}

#define kfree_rcu(ptr, field)	shim_kfree_rcu((ptr), &(ptr)->field)
#define kvfree_rcu(ptr, field)	kfree_rcu(ptr, field)

#define rcu_read_lock()			do { } while (0)
#define rcu_read_unlock()		do { } while (0)
#define rcu_dereference(p)		(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_dereference_check(p, c)	(p)
#define rcu_assign_pointer(p, v)	((p) = (v))
#define RCU_INIT_POINTER(p, v)		((p) = (v))
#define lockdep_is_held(l)		1
#define lockdep_assert_held(l)		do { } while (0)
#define synchronize_rcu()		shim_rcu_barrier()

/* ------------------------------------------------------------ lists */

struct list_head {
	struct list_head *next, *prev;
};

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void list_add(struct list_head *n, struct list_head *h)
{
	n->next = h->next;
	n->prev = h;
	h->next->prev = n;
	h->next = n;
}

static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
}

#define list_add_rcu	list_add
#define list_del_rcu	list_del
#define list_entry(p, t, m)	container_of(p, t, m)
#define list_first_entry(h, t, m)	list_entry((h)->next, t, m)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_rcu(pos, head, member, ...) \
	list_for_each_entry(pos, head, member)
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),	\
	     n = list_entry(pos->member.next, __typeof__(*pos), member); \
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

/* Bit-locked hash chains: the lock is a flag checked for misuse. */
struct hlist_bl_node {
	struct hlist_bl_node *next, **pprev;
};

struct hlist_bl_head {
	struct hlist_bl_node	*first;
	int			locked;
};

extern int shim_bl_locked;	/* chains currently locked */

static inline void INIT_HLIST_BL_HEAD(struct hlist_bl_head *h)
{
	h->first = NULL;
	h->locked = 0;
}

static inline void hlist_bl_lock(struct hlist_bl_head *h)
{
	WARN_ON_ONCE(h->locked);
	h->locked = 1;
	shim_bl_locked++;
}

static inline void hlist_bl_unlock(struct hlist_bl_head *h)
{
	WARN_ON_ONCE(!h->locked);
	h->locked = 0;
	shim_bl_locked--;
}

/* Changes are only legal with the chain locked, as in the kernel. */
static inline void hlist_bl_add_head_rcu(struct hlist_bl_node *n, struct hlist_bl_head *h)
{
	WARN_ON_ONCE(!h->locked);
	n->next = h->first;
	if (h->first)
		h->first->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}

static inline void hlist_bl_del_rcu(struct hlist_bl_node *n)
{
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
	n->pprev = NULL;
}

#define hlist_bl_entry(ptr, type, member) container_of(ptr, type, member)
#define hlist_bl_for_each_entry_rcu(tpos, pos, head, member)		\
	for (pos = (head)->first;					\
	     pos && ({ tpos = hlist_bl_entry(pos, __typeof__(*tpos), member); 1; }); \
	     pos = pos->next)
#define hlist_bl_for_each_entry_safe(tpos, pos, n, head, member)	\
	for (pos = (head)->first;					\
	     pos && ({ n = pos->next; 1; }) &&				\
	     ({ tpos = hlist_bl_entry(pos, __typeof__(*tpos), member); 1; }); \
	     pos = n)

static inline void local_bh_disable(void) { }
static inline void local_bh_enable(void) { }

/* ------------------------------------------------------------ bits, hashes */

#define BITS_PER_LONG		(8 * sizeof(long))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static inline void bitmap_zero(unsigned long *b, unsigned int nbits)
{
	memset(b, 0, BITS_TO_LONGS(nbits) * sizeof(long));
}

static inline bool test_bit(unsigned int nr, const unsigned long *b)
{
	return (b[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

static inline void __set_bit(unsigned int nr, unsigned long *b)
{
	b[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline unsigned long gcd(unsigned long a, unsigned long b)
{
	while (b) {
		unsigned long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

#define GOLDEN_RATIO_32 0x61C88647u
static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (u32)(val * GOLDEN_RATIO_32) >> (32 - bits);
}

/* SipHash-1-3, which is what the kernel's hsiphash is on 64-bit. */
typedef struct {
	unsigned long key[2];
} hsiphash_key_t;

static inline u64 shim_rol64(u64 w, unsigned int s)
{
	return (w << s) | (w >> (64 - s));
}

#define SHIM_SIPROUND do {						\
	v0 += v1; v1 = shim_rol64(v1, 13); v1 ^= v0; v0 = shim_rol64(v0, 32); \
	v2 += v3; v3 = shim_rol64(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = shim_rol64(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = shim_rol64(v1, 17); v1 ^= v2; v2 = shim_rol64(v2, 32); \
} while (0)

static inline u32 hsiphash(const void *data, size_t len, const hsiphash_key_t *key)
{
	const u8 *p = data;
	u64 v0 = 0x736f6d6570736575ULL ^ key->key[0];
	u64 v1 = 0x646f72616e646f6dULL ^ key->key[1];
	u64 v2 = 0x6c7967656e657261ULL ^ key->key[0];
	u64 v3 = 0x7465646279746573ULL ^ key->key[1];
	u64 b = (u64)len << 56, m;
	size_t i, words = len / 8;

	for (i = 0; i < words; i++, p += 8) {
		memcpy(&m, p, 8);	/* the host is little-endian, as the VM */
		v3 ^= m;
		SHIM_SIPROUND;
		v0 ^= m;
	}
	for (i = 0; i < len % 8; i++)
		b |= (u64)p[i] << (8 * i);
	v3 ^= b;
	SHIM_SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SHIM_SIPROUND;
	SHIM_SIPROUND;
	SHIM_SIPROUND;
	return (u32)((v0 ^ v1) ^ (v2 ^ v3));
}

/* Random draws: a seeded xorshift, or values queued by the test. */
extern u32 shim_random_queue[64];
extern int shim_random_queued;
extern u64 shim_random_state;

static inline u32 get_random_u32_below(u32 ceil)
{
	if (shim_random_queued > 0) {
		u32 v = shim_random_queue[0];

		memmove(shim_random_queue, shim_random_queue + 1,
			--shim_random_queued * sizeof(u32));
		return v % ceil;
	}
	shim_random_state ^= shim_random_state << 13;
	shim_random_state ^= shim_random_state >> 7;
	shim_random_state ^= shim_random_state << 17;
	return (u32)(((shim_random_state >> 32) * (u64)ceil) >> 32);
}

/* ------------------------------------------------------------ time, timers */

#define HZ	1000
extern unsigned long jiffies;
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)

struct timer_list {
	void		(*function)(struct timer_list *);
	unsigned long	expires;
	bool		pending;
	bool		shutdown;
};

#define from_timer(var, t, field) container_of(t, __typeof__(*var), field)

static inline void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
			       unsigned int flags)
{
	memset(t, 0, sizeof(*t));
	t->function = fn;
}

static inline int mod_timer(struct timer_list *t, unsigned long expires)
{
	if (t->shutdown)
		return 0;
	t->expires = expires;
	t->pending = true;
	return 1;
}

static inline int timer_shutdown_sync(struct timer_list *t)
{
	t->shutdown = true;
	t->pending = false;
	return 0;
}

/* ------------------------------------------------------------ modules */

struct module;
#define THIS_MODULE	((struct module *)0)
#define MODULE_LICENSE(x)
#define MODULE_VERSION(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_AUTHOR(x)
#define module_init(fn) \
	static int (*shim_module_init)(void) __attribute__((unused)) = fn
#define module_exit(fn) \
	static void (*shim_module_exit)(void) __attribute__((unused)) = fn

/* ------------------------------------------------------------ net, sysctl */

struct user_namespace { int dummy; };
extern struct user_namespace init_user_ns;

#define SHIM_NET_GEN	8
struct net {
	struct user_namespace	*user_ns;
	void			*gen[SHIM_NET_GEN];
};
extern struct net init_net;

static inline void *net_generic(const struct net *net, unsigned int id)
{
	return net->gen[id];
}

struct pernet_operations {
	int		(*init)(struct net *net);
	void		(*exit)(struct net *net);
	unsigned int	*id;
	size_t		size;
};

int register_pernet_subsys(struct pernet_operations *ops);
void unregister_pernet_subsys(struct pernet_operations *ops);

struct ctl_table {
	const char	*procname;
	void		*data;
	int		maxlen;
	unsigned short	mode;
	int		(*proc_handler)(struct ctl_table *, int, void *, size_t *, long *);
};

struct ctl_table_header {
	struct net		*net;
	char			path[32];
	struct ctl_table	*table;
};

static inline int proc_dointvec_jiffies(struct ctl_table *t, int write, void *buf,
					size_t *len, long *ppos)
{
	return 0;
}

/* Registered sysctls, for the tests to look at. */
#define SHIM_MAX_SYSCTLS 8
extern struct ctl_table_header *shim_sysctls[SHIM_MAX_SYSCTLS];
struct ctl_table_header *register_net_sysctl(struct net *net, const char *path,
					     struct ctl_table *table);
void unregister_net_sysctl_table(struct ctl_table_header *hdr);

#endif /* _IPVS_TEST_KSHIM_H */
