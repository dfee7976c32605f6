// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: mutate valid IPVS generic-netlink requests and fire them at the
 * module, checking after every batch that it still answers.
 *
 *   nlfuzz [-n ITERATIONS] [-b BATCH] [-s SEED] [-r NETNS_EVERY] [-w WORKERS] [-v]
 *
 * Two sockets: the "keep" socket is opened in the caller's network namespace,
 * where the test has configured a known set of services; then the process
 * moves to a fresh namespace and opens the "fuzz" socket there. Every mutated
 * message goes to the fuzz namespace, so a message that happens to be a valid
 * FLUSH or DEL cannot touch the known set. After each batch, through the keep
 * socket: GET_INFO must answer, and a dump of the services must have the same
 * fingerprint (every service attribute except the counters) as at the start.
 * The fuzz namespace is re-seeded with a few services and real servers at the
 * start of each batch (so mutated SET/DEL requests find something to act on),
 * and replaced by a new namespace every NETNS_EVERY batches (so per-namespace
 * teardown runs with whatever state the fuzzing left).
 *
 * With -w N, N-1 worker processes fire mutated requests into the same fuzz
 * namespace concurrently with the main loop, each on its own socket, until
 * the namespace is replaced (their requests are counted apart: "workers sent").
 *
 * Mutations, one to four per message: bit flips, truncation, attribute
 * swaps, random attribute lengths, garbage in nested attributes, duplicated
 * attributes ("huge counts"), extreme integer values, random command and
 * version bytes, random netlink flags.
 *
 * Output: a progress line every 10% and a summary; exit 0 if every check
 * held, 1 (with the seed and the failing batch's number) if one did not.
 * Without workers the run is deterministic for a given seed and kernel state;
 * with them the interleaving is not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <ipvs/ng_uapi.h>
#include <linux/netlink.h>

#define MSGSZ 2048
#define RBUFSZ 65536
#define NKINDS (8 * 12)	/* corpus(): 8 services x 12 request kinds */

struct msg {
	union {
		struct nlmsghdr nlh;
		char buf[MSGSZ];
	};
	unsigned int len;
};

static uint16_t family;
static uint32_t seq;
static int verbose;

/* ---- deterministic PRNG (xorshift64*) ---------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static unsigned int rndn(unsigned int n)
{
	return n ? (unsigned int)(rnd() % n) : 0;
}

/* ---- message building -------------------------------------------------- */

static void *tail(struct msg *m)
{
	return m->buf + m->len;
}

static void msg_init(struct msg *m, uint16_t type, int cmd, int version)
{
	struct genlmsghdr *g;

	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m->len = NLMSG_HDRLEN;
	g = tail(m);
	g->cmd = cmd;
	g->version = version;
	m->len += GENL_HDRLEN;
}

static struct nlattr *put(struct msg *m, int type, const void *data, int len)
{
	struct nlattr *a = tail(m);

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > MSGSZ)
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(a->nla_len);
	return a;
}

static void put_u16(struct msg *m, int type, uint16_t v)
{
	put(m, type, &v, sizeof(v));
}

static void put_u32(struct msg *m, int type, uint32_t v)
{
	put(m, type, &v, sizeof(v));
}

static void put_str(struct msg *m, int type, const char *s)
{
	put(m, type, s, strlen(s) + 1);
}

static void put_addr(struct msg *m, int type, int af, const char *addr)
{
	uint32_t a[4] = { 0 };

	inet_pton(af, addr, a);
	put(m, type, a, sizeof(a));
}

static struct nlattr *nest(struct msg *m, int type)
{
	return put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m, struct nlattr *a)
{
	a->nla_len = (char *)tail(m) - (char *)a;
}

/* ---- the corpus: valid requests ------------------------------------------ */

struct svc {
	int af, proto;
	const char *addr;
	int port;
	uint32_t fwmark;
	const char *sched, *pe;
	uint32_t flags, timeout, netmask;
};

static const struct svc svcs[] = {
	{ AF_INET, IPPROTO_TCP, "10.1.0.1", 80, 0, "rr", NULL, 0, 0, 0 },
	{ AF_INET, IPPROTO_UDP, "10.1.0.1", 53, 0, "wrr", NULL, 0, 0, 0 },
	{ AF_INET, IPPROTO_SCTP, "10.1.0.2", 9, 0, "lc", NULL, 0, 0, 0 },
	{ AF_INET, IPPROTO_TCP, "10.1.0.3", 443, 0, "sh", NULL, 0x1, 300, 0xffffff00 },
	{ AF_INET6, IPPROTO_TCP, "2001:db8::1", 80, 0, "mh", NULL, 0, 0, 0 },
	{ AF_INET6, IPPROTO_UDP, "2001:db8::2", 0, 0, "wlc", NULL, 0x1, 60, 64 },
	{ AF_INET, 0, NULL, 0, 7, "dh", NULL, 0, 0, 0 },
	{ AF_INET6, 0, NULL, 0, 8, "lblcr", NULL, 0x4, 0, 0 },
};

static void put_svc(struct msg *m, const struct svc *s, int full)
{
	struct nlattr *n = nest(m, IPVS_CMD_ATTR_SERVICE);
	struct ip_vs_flags f = { .flags = s->flags, .mask = ~0u };

	put_u16(m, IPVS_SVC_ATTR_AF, s->af);
	if (s->fwmark) {
		put_u32(m, IPVS_SVC_ATTR_FWMARK, s->fwmark);
	} else {
		put_u16(m, IPVS_SVC_ATTR_PROTOCOL, s->proto);
		put_addr(m, IPVS_SVC_ATTR_ADDR, s->af, s->addr);
		put_u16(m, IPVS_SVC_ATTR_PORT, htons(s->port));
	}
	if (full) {
		put_str(m, IPVS_SVC_ATTR_SCHED_NAME, s->sched);
		if (s->pe)
			put_str(m, IPVS_SVC_ATTR_PE_NAME, s->pe);
		put(m, IPVS_SVC_ATTR_FLAGS, &f, sizeof(f));
		put_u32(m, IPVS_SVC_ATTR_TIMEOUT, s->timeout);
		put_u32(m, IPVS_SVC_ATTR_NETMASK, s->netmask);
	}
	nest_end(m, n);
}

static void put_dest(struct msg *m, int af, const char *addr, int port, int fwd, int full)
{
	struct nlattr *n = nest(m, IPVS_CMD_ATTR_DEST);

	put_addr(m, IPVS_DEST_ATTR_ADDR, af, addr);
	put_u16(m, IPVS_DEST_ATTR_PORT, htons(port));
	if (full) {
		put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, af);
		put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, fwd);
		put_u32(m, IPVS_DEST_ATTR_WEIGHT, 1 + rndn(100));
		put_u32(m, IPVS_DEST_ATTR_U_THRESH, rndn(2) ? 0 : 1000);
		put_u32(m, IPVS_DEST_ATTR_L_THRESH, 0);
		if (fwd == IP_VS_CONN_F_TUNNEL) {
			put(m, IPVS_DEST_ATTR_TUN_TYPE, &(uint8_t){ rndn(3) }, 1);
			put_u16(m, IPVS_DEST_ATTR_TUN_PORT, htons(6080));
			put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS, rndn(8));
		}
	}
	nest_end(m, n);
}

static const int fwds[] = { IP_VS_CONN_F_MASQ, IP_VS_CONN_F_DROUTE, IP_VS_CONN_F_TUNNEL,
			    IP_VS_CONN_F_LOCALNODE };

/* One valid request: k % 8 picks the service, k / 8 the request kind. */
static void corpus(struct msg *m, unsigned int k)
{
	const struct svc *s = &svcs[k % (sizeof(svcs) / sizeof(svcs[0]))];
	const char *raddr = s->af == AF_INET6 ? "2001:db8::10" : "10.2.0.10";
	int fwd = fwds[rndn(4)];
	struct nlattr *n;

	switch ((k / 8) % 12) {
	case 0:
		msg_init(m, family, IPVS_CMD_NEW_SERVICE, IPVS_GENL_VERSION);
		put_svc(m, s, 1);
		break;
	case 1:
		msg_init(m, family, IPVS_CMD_SET_SERVICE, IPVS_GENL_VERSION);
		put_svc(m, s, 1);
		break;
	case 2:
		msg_init(m, family, IPVS_CMD_DEL_SERVICE, IPVS_GENL_VERSION);
		put_svc(m, s, 0);
		break;
	case 3:
		msg_init(m, family, IPVS_CMD_GET_SERVICE, IPVS_GENL_VERSION);
		if (rndn(2))
			put_svc(m, s, 0);
		else
			m->nlh.nlmsg_flags |= NLM_F_DUMP;
		break;
	case 4:
		msg_init(m, family, IPVS_CMD_NEW_DEST, IPVS_GENL_VERSION);
		put_svc(m, s, 0);
		put_dest(m, s->af, raddr, s->port ? s->port : 80, fwd, 1);
		break;
	case 5:
		msg_init(m, family, IPVS_CMD_SET_DEST, IPVS_GENL_VERSION);
		put_svc(m, s, 0);
		put_dest(m, s->af, raddr, s->port ? s->port : 80, fwd, 1);
		break;
	case 6:
		msg_init(m, family, IPVS_CMD_DEL_DEST, IPVS_GENL_VERSION);
		put_svc(m, s, 0);
		put_dest(m, s->af, raddr, s->port ? s->port : 80, fwd, 0);
		break;
	case 7:
		/* one service's destinations, or all (an ipvs-ng extension) */
		msg_init(m, family, rndn(4) ? IPVS_CMD_GET_DEST : IPVS_NG_CMD_GET_DESTS,
			 IPVS_GENL_VERSION);
		m->nlh.nlmsg_flags |= NLM_F_DUMP;
		put_svc(m, s, 0);
		break;
	case 8:
		msg_init(m, family, k & 1 ? IPVS_CMD_GET_INFO : IPVS_CMD_GET_CONFIG,
			 IPVS_GENL_VERSION);
		break;
	case 9:
		msg_init(m, family, IPVS_CMD_SET_CONFIG, IPVS_GENL_VERSION);
		put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP, 900);
		put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, 120);
		put_u32(m, IPVS_CMD_ATTR_TIMEOUT_UDP, 300);
		break;
	case 10:
		msg_init(m, family, k & 1 ? IPVS_CMD_ZERO : IPVS_CMD_FLUSH, IPVS_GENL_VERSION);
		if (k & 1 && rndn(2))
			put_svc(m, s, 0);
		break;
	default:
		msg_init(m, family, IPVS_CMD_NEW_DAEMON + rndn(3), IPVS_GENL_VERSION);
		if (rndn(2))
			m->nlh.nlmsg_flags |= NLM_F_DUMP;
		n = nest(m, IPVS_CMD_ATTR_DAEMON);
		put_u32(m, IPVS_DAEMON_ATTR_STATE, 1 + rndn(2));
		put_str(m, IPVS_DAEMON_ATTR_MCAST_IFN, "lo");
		put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, rndn(256));
		nest_end(m, n);
		break;
	}
}

/* ---- mutations ----------------------------------------------------------- */

/* Collect the attributes of a region (top level or one nest) into at[]. */
static int attrs(char *p, int len, struct nlattr **at, int max)
{
	int n = 0;

	while (len >= NLA_HDRLEN && n < max) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			break;
		at[n++] = a;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return n;
}

/* A random attribute, nested ones included (one level deep). */
static struct nlattr *pick_attr(struct msg *m)
{
	struct nlattr *top[32], *in[32], *a;
	int nt, ni;

	nt = attrs(m->buf + NLMSG_HDRLEN + GENL_HDRLEN, m->len - NLMSG_HDRLEN - GENL_HDRLEN,
		   top, 32);
	if (!nt)
		return NULL;
	a = top[rndn(nt)];
	if (rndn(3) && a->nla_len > NLA_HDRLEN) {
		ni = attrs((char *)a + NLA_HDRLEN, a->nla_len - NLA_HDRLEN, in, 32);
		if (ni)
			return in[rndn(ni)];
	}
	return a;
}

static const uint32_t extremes[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff,
				     0x80000000, 0xfffffffe, 0xffffffff };

static void mutate_one(struct msg *m)
{
	struct nlattr *a, *b;
	unsigned int i, n, off;
	char tmp[MSGSZ];

	switch (rndn(10)) {
	case 0:		/* bit flips anywhere after the netlink header */
		n = 1 + rndn(4);
		for (i = 0; i < n && m->len > NLMSG_HDRLEN; i++) {
			off = NLMSG_HDRLEN + rndn(m->len - NLMSG_HDRLEN);
			m->buf[off] ^= 1 << rndn(8);
		}
		break;
	case 1:		/* truncation */
		if (m->len > NLMSG_HDRLEN)
			m->len = NLMSG_HDRLEN + rndn(m->len - NLMSG_HDRLEN);
		break;
	case 2:		/* attribute swap: exchange the types of two attributes */
		a = pick_attr(m);
		b = pick_attr(m);
		if (a && b) {
			uint16_t t = a->nla_type;

			a->nla_type = b->nla_type;
			b->nla_type = t;
		}
		break;
	case 3:		/* random attribute length */
		a = pick_attr(m);
		if (a)
			a->nla_len = rndn(2) ? rndn(64) : (uint16_t)rnd();
		break;
	case 4:		/* nested garbage: a nest full of random bytes or random attrs */
		a = pick_attr(m);
		if (!a || a->nla_len <= NLA_HDRLEN) {
			a = put(m, 1 + rndn(6), NULL, 0);
			if (!a)
				break;
		}
		a->nla_type |= NLA_F_NESTED;
		for (i = NLA_HDRLEN; i < a->nla_len; i++)
			((unsigned char *)a)[i] = rndn(3) ? rnd() : 0;
		if (rndn(2)) {
			/* Random well-formed attributes of random types and sizes. */
			off = (char *)a - m->buf;
			if (off + a->nla_len != m->len)
				break;
			n = 1 + rndn(8);
			for (i = 0; i < n; i++) {
				unsigned int l = rndn(24);
				uint8_t junk[24];

				for (unsigned int j = 0; j < l; j++)
					junk[j] = rnd();
				if (!put(m, rndn(20) | (rndn(4) ? 0 : NLA_F_NESTED), junk, l))
					break;
			}
			a = (struct nlattr *)(m->buf + off);
			a->nla_len = m->len - off;
		}
		break;
	case 5:		/* huge counts: duplicate an attribute many times */
		a = pick_attr(m);
		if (!a || a->nla_len < NLA_HDRLEN || a->nla_len > 256)
			break;
		memcpy(tmp, a, a->nla_len);
		n = rndn(200);
		for (i = 0; i < n; i++)
			if (!put(m, ((struct nlattr *)tmp)->nla_type, tmp + NLA_HDRLEN,
				 ((struct nlattr *)tmp)->nla_len - NLA_HDRLEN))
				break;
		break;
	case 6:		/* extreme integer values in an attribute's payload */
		a = pick_attr(m);
		if (a && a->nla_len >= NLA_HDRLEN + 2) {
			uint32_t v = extremes[rndn(sizeof(extremes) / sizeof(extremes[0]))];

			off = NLA_HDRLEN + (a->nla_len >= NLA_HDRLEN + 4 ?
					    rndn((a->nla_len - NLA_HDRLEN) / 4) * 4 : 0);
			memcpy((char *)a + off, &v, a->nla_len - off >= 4 ? 4 : 2);
		}
		break;
	case 7:		/* random command and version */
		((struct genlmsghdr *)NLMSG_DATA(&m->nlh))->cmd = rndn(4) ? rndn(IPVS_CMD_MAX + 3)
									  : rnd();
		if (!rndn(4))
			((struct genlmsghdr *)NLMSG_DATA(&m->nlh))->version = rnd();
		break;
	case 8:		/* netlink flags */
		m->nlh.nlmsg_flags ^= 1 << rndn(12);
		break;
	default:	/* strings without a terminator, or overlong */
		a = pick_attr(m);
		if (a && a->nla_len > NLA_HDRLEN) {
			memset((char *)a + NLA_HDRLEN, 'A' + rndn(26), a->nla_len - NLA_HDRLEN);
			if (!rndn(2) && (char *)a + a->nla_len == m->buf + m->len) {
				n = rndn(300);
				if (m->len + n < MSGSZ) {
					memset(m->buf + m->len, 'x', n);
					a->nla_len += n;
					m->len += NLA_ALIGN(n);
				}
			}
		}
		break;
	}
}

/* ---- netlink I/O ----------------------------------------------------------- */

static char rbuf[RBUFSZ];

struct counts {
	unsigned long sent, acked_ok, errors, dumps, send_fail, by_errno[140];
};

static struct counts cnt;
static unsigned long *worker_sent;	/* shared with the workers */

static int open_sock(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1, sz = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("nlfuzz: netlink socket");
		exit(2);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

/*
 * Send m (m->len bytes, nlmsg_len as the mutation left it) and drain every
 * answer without blocking: genetlink handles the request inside sendmsg, and
 * recv() produces the remaining parts of a dump.
 */
static void fire(int fd, struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;
	int guard = 0;

	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		cnt.send_fail++;
		return;
	}
	cnt.sent++;
	while ((n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT)) > 0 && guard++ < 10000) {
		struct nlmsghdr *h;
		int rem = n;

		for (h = (void *)rbuf; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				int e = -((struct nlmsgerr *)NLMSG_DATA(h))->error;

				if (!e) {
					cnt.acked_ok++;
				} else {
					cnt.errors++;
					if (e > 0 && e < 140)
						cnt.by_errno[e]++;
				}
			} else if (h->nlmsg_type == NLMSG_DONE) {
				cnt.dumps++;
			}
		}
	}
}

/* A well-formed request that must succeed: returns 0 or -errno. */
static int request(int fd, struct msg *m, void (*each)(struct nlmsghdr *, void *), void *arg)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	m->nlh.nlmsg_seq = ++seq;
	m->nlh.nlmsg_len = m->len;
	while (recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT) > 0)
		;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;
		int rem;

		n = recv(fd, rbuf, sizeof(rbuf), 0);
		if (n < 0)
			return -errno;
		rem = n;
		for (h = (void *)rbuf; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
			if (h->nlmsg_seq != m->nlh.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (each)
				each(h, arg);
			if (!(h->nlmsg_flags & NLM_F_MULTI) && !(m->nlh.nlmsg_flags & NLM_F_ACK))
				return 0;
		}
	}
}

static int resolve_family(int fd)
{
	struct msg m;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *h = (void *)rbuf;
	struct nlattr *at[32];
	ssize_t n;
	int i, na;

	msg_init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	put_str(&m, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME);
	m.nlh.nlmsg_len = m.len;
	if (sendto(fd, m.buf, m.len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	n = recv(fd, rbuf, sizeof(rbuf), 0);
	if (n < 0 || !NLMSG_OK(h, n) || h->nlmsg_type == NLMSG_ERROR)
		return -ENOENT;
	na = attrs((char *)NLMSG_DATA(h) + GENL_HDRLEN, h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
		   at, 32);
	for (i = 0; i < na; i++)
		if (at[i]->nla_type == CTRL_ATTR_FAMILY_ID) {
			family = *(uint16_t *)((char *)at[i] + NLA_HDRLEN);
			return 0;
		}
	return -ENOENT;
}

/* ---- the checks ------------------------------------------------------------- */

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ULL;
	return h;
}

struct fp {
	uint64_t sum;
	unsigned int nsvc;
};

/* Fold one service of a dump into the fingerprint, counters left out. */
static void fp_service(struct nlmsghdr *h, void *arg)
{
	struct fp *fp = arg;
	struct nlattr *top[8], *in[32];
	uint64_t hs = 0xcbf29ce484222325ULL;
	int nt, ni, i, j;

	nt = attrs((char *)NLMSG_DATA(h) + GENL_HDRLEN, h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
		   top, 8);
	for (i = 0; i < nt; i++) {
		if ((top[i]->nla_type & NLA_TYPE_MASK) != IPVS_CMD_ATTR_SERVICE)
			continue;
		ni = attrs((char *)top[i] + NLA_HDRLEN, top[i]->nla_len - NLA_HDRLEN, in, 32);
		for (j = 0; j < ni; j++) {
			int t = in[j]->nla_type & NLA_TYPE_MASK;

			if (t == IPVS_SVC_ATTR_STATS || t == IPVS_SVC_ATTR_STATS64)
				continue;
			hs = fnv(in[j], in[j]->nla_len, hs);
		}
		fp->sum += hs;	/* order-independent */
		fp->nsvc++;
	}
}

static int fingerprint(int fd, struct fp *fp)
{
	struct msg m;

	memset(fp, 0, sizeof(*fp));
	msg_init(&m, family, IPVS_CMD_GET_SERVICE, IPVS_GENL_VERSION);
	m.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	return request(fd, &m, fp_service, fp);
}

static void got_info(struct nlmsghdr *h, void *arg)
{
	if (h->nlmsg_type == family)
		*(int *)arg = 1;
}

static int info_ok(int fd)
{
	struct msg m;
	int got = 0, e;

	msg_init(&m, family, IPVS_CMD_GET_INFO, IPVS_GENL_VERSION);
	m.nlh.nlmsg_flags = NLM_F_REQUEST;
	e = request(fd, &m, got_info, &got);
	return e ? e : got ? 0 : -ENODATA;
}

/* Put a few services with real servers into the fuzz namespace. */
static void seed(int fd)
{
	struct msg m;
	unsigned int i;

	msg_init(&m, family, IPVS_CMD_FLUSH, IPVS_GENL_VERSION);
	request(fd, &m, NULL, NULL);
	for (i = 0; i < sizeof(svcs) / sizeof(svcs[0]); i += 1 + rndn(2)) {
		msg_init(&m, family, IPVS_CMD_NEW_SERVICE, IPVS_GENL_VERSION);
		put_svc(&m, &svcs[i], 1);
		request(fd, &m, NULL, NULL);
		msg_init(&m, family, IPVS_CMD_NEW_DEST, IPVS_GENL_VERSION);
		put_svc(&m, &svcs[i], 0);
		put_dest(&m, svcs[i].af, svcs[i].af == AF_INET6 ? "2001:db8::10" : "10.2.0.10",
			 svcs[i].port ? svcs[i].port : 80, fwds[rndn(4)], 1);
		request(fd, &m, NULL, NULL);
	}
}

/* One mutated request from the corpus. */
static void make_mutant(struct msg *m)
{
	unsigned int nm = 1 + rndn(4);

	corpus(m, rndn(NKINDS));
	m->nlh.nlmsg_seq = ++seq;
	m->nlh.nlmsg_len = m->len;
	for (unsigned int j = 0; j < nm; j++)
		mutate_one(m);
	/* Usually keep nlmsg_len honest, so the message gets past the netlink
	 * layer into the IPVS handlers. */
	if (rndn(8))
		m->nlh.nlmsg_len = m->len;
	if (m->len < NLMSG_HDRLEN)
		m->len = NLMSG_HDRLEN;
}

static pid_t workers[16];
static unsigned int nworkers;

static void stop_workers(void)
{
	for (unsigned int i = 0; i < nworkers; i++) {
		kill(workers[i], SIGKILL);
		waitpid(workers[i], NULL, 0);
	}
	nworkers = 0;
}

/* Workers: fire mutants into the current (fuzz) namespace until killed. */
static void start_workers(unsigned int n, uint64_t seed)
{
	for (unsigned int i = 0; i < n && i < 16; i++) {
		pid_t p = fork();

		if (p < 0) {
			perror("nlfuzz: fork");
			exit(2);
		}
		if (p == 0) {
			struct msg m;
			int fd;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			fd = open_sock();
			rng_state = (seed + i + 1) * 0xD1B54A32D192ED03ULL + 7;
			for (;;) {
				make_mutant(&m);
				fire(fd, &m);
				__atomic_add_fetch(worker_sent, 1, __ATOMIC_RELAXED);
			}
		}
		workers[nworkers++] = p;
	}
}

static int new_fuzz_ns(int old)
{
	if (old >= 0)
		close(old);
	if (unshare(CLONE_NEWNET) < 0) {
		perror("nlfuzz: unshare(CLONE_NEWNET)");
		exit(2);
	}
	return open_sock();
}

int main(int argc, char **argv)
{
	unsigned long iters = 100000, batch = 100, ns_every = 50, nw = 1, it, b;
	uint64_t seed0 = 1;
	struct fp want, got;
	int keep, fuzz = -1, c, e;
	struct msg m;

	while ((c = getopt(argc, argv, "n:b:s:r:w:v")) != -1) {
		switch (c) {
		case 'n': iters = strtoul(optarg, NULL, 0); break;
		case 'b': batch = strtoul(optarg, NULL, 0); break;
		case 's': seed0 = strtoull(optarg, NULL, 0); break;
		case 'r': ns_every = strtoul(optarg, NULL, 0); break;
		case 'w': nw = strtoul(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: nlfuzz [-n ITER] [-b BATCH] [-s SEED] [-r NS_EVERY] [-w WORKERS] [-v]\n");
			return 2;
		}
	}
	if (!batch)
		batch = 1;
	if (!ns_every)
		ns_every = 1;
	if (nw > 16)
		nw = 16;
	worker_sent = mmap(NULL, sizeof(*worker_sent), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (worker_sent == MAP_FAILED) {
		perror("nlfuzz: mmap");
		return 2;
	}
	rng_state = seed0 * 0x9E3779B97F4A7C15ULL + 1;

	keep = open_sock();
	e = resolve_family(keep);
	if (e) {
		fprintf(stderr, "nlfuzz: no IPVS genetlink family: %s\n", strerror(-e));
		return 2;
	}
	e = fingerprint(keep, &want);
	if (e || info_ok(keep)) {
		fprintf(stderr, "nlfuzz: initial GET_SERVICE/GET_INFO failed: %s\n", strerror(-e));
		return 2;
	}
	printf("nlfuzz: seed %llu, %lu iterations in batches of %lu, %u known services\n",
	       (unsigned long long)seed0, iters, batch, want.nsvc);

	for (it = 0, b = 0; it < iters; b++) {
		if (b % ns_every == 0) {
			stop_workers();
			fuzz = new_fuzz_ns(fuzz);
			start_workers(nw > 1 ? nw - 1 : 0, seed0 * 1000 + b);
		}
		seed(fuzz);
		for (unsigned long i = 0; i < batch && it < iters; i++, it++) {
			make_mutant(&m);
			fire(fuzz, &m);
		}
		e = info_ok(keep);
		if (!e)
			e = fingerprint(keep, &got);
		if (e || got.sum != want.sum || got.nsvc != want.nsvc) {
			printf("nlfuzz: FAILED after batch %lu (iteration %lu, seed %llu): %s\n",
			       b, it, (unsigned long long)seed0,
			       e ? strerror(-e) : "known service set changed");
			stop_workers();
			return 1;
		}
		e = info_ok(fuzz);
		if (e) {
			printf("nlfuzz: FAILED after batch %lu: fuzz namespace GET_INFO: %s\n",
			       b, strerror(-e));
			stop_workers();
			return 1;
		}
		if (verbose || (iters >= 10 && it % (iters / 10) < batch && it > batch))
			printf("nlfuzz: %lu/%lu sent %lu ok %lu errors %lu dumps %lu\n",
			       it, iters, cnt.sent, cnt.acked_ok, cnt.errors, cnt.dumps);
		fflush(stdout);
	}
	stop_workers();
	close(fuzz);
	printf("nlfuzz: done: %lu iterations, %lu batches, %lu namespaces; sent %lu, send failed %lu, "
	       "acked ok %lu, errors %lu, dumps %lu; workers sent %lu\n",
	       it, b, (b + ns_every - 1) / ns_every, cnt.sent, cnt.send_fail, cnt.acked_ok,
	       cnt.errors, cnt.dumps, *worker_sent);
	printf("nlfuzz: errnos:");
	for (e = 1; e < 140; e++)
		if (cnt.by_errno[e])
			printf(" %s=%lu", strerrorname_np(e) ? strerrorname_np(e) : "?",
			       cnt.by_errno[e]);
	printf("\n");
	return 0;
}
