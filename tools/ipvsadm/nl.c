// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport: one socket per run, the "IPVS" family
 * resolved once, request/reply exchanges, a pipelined batch sender for
 * restore, and the attribute builders and reply parsers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "ipvsadm.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static struct nl_sock *sk;
static int family = -1;

/*
 * IPVSADM_NL_RECORD=FILE appends every request and every buffer received
 * by vs_nl_talk() to FILE as frames of {char tag 'Q'|'A', u32 length,
 * bytes}; the unit tests replay such recordings through the parsers and
 * printers (tests/unit/ipvsadm).
 */
static FILE *record;

static void record_frame(char tag, const void *buf, uint32_t len)
{
	if (!record)
		return;
	fputc(tag, record);
	fwrite(&len, sizeof(len), 1, record);
	fwrite(buf, 1, len, record);
	fflush(record);
}

int vs_nl_open(void)
{
	int one = 1;

	if (sk)
		return 0;
	sk = nl_socket_alloc();
	if (!sk) {
		errno = ENOMEM;
		return -1;
	}
	if (genl_connect(sk) < 0)
		goto fail;
	family = genl_ctrl_resolve(sk, IPVS_GENL_NAME);
	if (family < 0)
		goto fail;
	nl_socket_enable_msg_peek(sk);
	if (getenv("IPVSADM_NL_RECORD"))
		record = fopen(getenv("IPVSADM_NL_RECORD"), "a");
	/* Error acks need not echo our request back. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	return 0;
fail:
	nl_socket_free(sk);
	sk = NULL;
	family = -1;
	errno = ENOPROTOOPT;
	return -1;
}

void vs_nl_close(void)
{
	if (sk)
		nl_socket_free(sk);
	sk = NULL;
}

void vs_nl_msg(struct vs_msg *m, int cmd, int flags)
{
	vs_msg_init(m, family, cmd, flags);
}

/*
 * Stamps length, port, sequence number and request flags; returns the
 * seq.  ack: ask for an acknowledgement even on success (errors always
 * get one).
 */
static uint32_t finish_msg(struct vs_msg *m, int ack)
{
	struct nlmsghdr *nlh = &m->u.nlh;

	nlh->nlmsg_len = (uint32_t)m->len;
	nlh->nlmsg_pid = nl_socket_get_local_port(sk);
	nlh->nlmsg_seq = nl_socket_use_seq(sk);
	nlh->nlmsg_flags |= NLM_F_REQUEST;
	if (ack && !(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	return nlh->nlmsg_seq;
}

/*
 * Sends m and reads the answer: every data message goes to
 * cb, until the ack (or NLMSG_DONE for a dump).  Returns 0, or -1 with
 * errno set to the kernel's error (EINVAL when a reply did not parse).
 */
int vs_nl_talk(struct vs_msg *m, vs_nl_cb cb, void *arg)
{
	uint32_t seq;
	int ret = 0, done = 0, n;

	if (m->bad) {
		errno = ENOMEM;
		return -1;
	}
	seq = finish_msg(m, 1);
	record_frame('Q', m->u.buf, (uint32_t)m->len);
	n = nl_sendto(sk, m->u.buf, m->len);
	if (n < 0) {
		errno = EINVAL;
		return -1;
	}
	while (!done) {
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;
		struct nlmsghdr *h;

		n = nl_recv(sk, &peer, &buf, NULL);
		if (n <= 0) {
			free(buf);
			errno = n == -NLE_NOMEM ? ENOMEM : EINVAL;
			return -1;
		}
		record_frame('A', buf, n);
		for (h = (struct nlmsghdr *)buf; nlmsg_ok(h, n);
		     h = nlmsg_next(h, &n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = nlmsg_data(h);

				if (e->error && !ret) {
					ret = -1;
					errno = -e->error;
				}
				done = 1;
				break;
			}
			if (cb && !ret && cb(h, arg) < 0) {
				ret = -1;
				errno = EINVAL;
			}
		}
		free(buf);
	}
	return ret;
}

/* ---- pipelined batch ------------------------------------------------ */

/*
 * Only the last request of a batch asks for an acknowledgement: the kernel
 * handles a send's requests in order and answers each failing one with an
 * error whether asked or not, so once the last ack is in, every request
 * without an error succeeded.  That saves an ack allocation in the kernel
 * and a receive here per request.
 */
static struct {
	unsigned char *buf;
	size_t len, cap, last;	/* last: offset of the newest request */
	long *cookies;
	int *errs;
	int n, max;
	uint32_t first_seq;
	vs_batch_done done;
	void *arg;
} batch;

#define BATCH_BYTES	(128 * 1024)
#define BATCH_MAX	2048

static int sock_buf(int fd, int force, int plain, int size)
{
	socklen_t l = sizeof(size);

	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, plain, &size, sizeof(size));
	if (getsockopt(fd, SOL_SOCKET, plain, &size, &l) < 0)
		return 0;
	return size;
}

void vs_batch_init(vs_batch_done done, void *arg)
{
	int fd = nl_socket_get_fd(sk), rcv;

	batch.done = done;
	batch.arg = arg;
	batch.cap = BATCH_BYTES;
	batch.buf = malloc(batch.cap);
	sock_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, 4 * BATCH_BYTES);
	rcv = sock_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, 8 << 20);
	/* Every error costs about a kilobyte of receive buffer; never queue
	 * more than the socket can hold or the kernel drops them. */
	batch.max = rcv / 2048;
	if (batch.max > BATCH_MAX)
		batch.max = BATCH_MAX;
	if (batch.max < 8)
		batch.max = 8;
	batch.cookies = malloc(sizeof(long) * batch.max);
	batch.errs = malloc(sizeof(int) * batch.max);
	if (!batch.buf || !batch.cookies || !batch.errs)
		vs_fail(1, "%s", vs_strerror(OP_NONE, ENOMEM));
}

/* Reads answers until the last request's ack; errors into batch.errs. */
static int batch_collect(void)
{
	uint32_t last = (uint32_t)batch.n - 1;

	for (;;) {
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;
		struct nlmsghdr *h;
		int n = nl_recv(sk, &peer, &buf, NULL), seen_last = 0;

		if (n <= 0) {
			free(buf);
			return -1;
		}
		for (h = (struct nlmsghdr *)buf; nlmsg_ok(h, n);
		     h = nlmsg_next(h, &n)) {
			uint32_t idx = h->nlmsg_seq - batch.first_seq;

			if (h->nlmsg_type != NLMSG_ERROR || idx > last)
				continue;
			batch.errs[idx] = -((struct nlmsgerr *)nlmsg_data(h))->error;
			seen_last |= idx == last;
		}
		free(buf);
		if (seen_last)
			return 0;
	}
}

int vs_batch_flush(void)
{
	struct nlmsghdr *tail;
	int ret = 0, lost = 0;

	if (!batch.n)
		return 0;
	tail = (struct nlmsghdr *)(batch.buf + batch.last);
	tail->nlmsg_flags |= NLM_F_ACK;
	memset(batch.errs, 0, sizeof(int) * batch.n);
	if (nl_sendto(sk, batch.buf, batch.len) < 0)
		lost = EINVAL;
	else if (batch_collect() < 0)
		lost = ENOBUFS;	/* answers lost: nothing is known to have worked */
	for (int i = 0; i < batch.n; i++) {
		int err = batch.errs[i] ? batch.errs[i] : lost;

		if (err)
			ret = -1;
		batch.done(batch.cookies[i], err, batch.arg);
	}
	batch.n = 0;
	batch.len = 0;
	return ret;
}

int vs_batch_add(struct vs_msg *m, long cookie)
{
	size_t len = NLMSG_ALIGN(m->len);
	uint32_t seq;
	int ret = 0;

	if (batch.n && (batch.n == batch.max || batch.len + len > batch.cap))
		ret = vs_batch_flush();
	if (m->bad) {
		batch.done(cookie, ENOMEM, batch.arg);
		return -1;
	}
	seq = finish_msg(m, 0);
	if (!batch.n)
		batch.first_seq = seq;
	memcpy(batch.buf + batch.len, m->u.buf, len);
	batch.last = batch.len;
	batch.len += len;
	batch.cookies[batch.n++] = cookie;
	return ret;
}

/* ---- attribute builders -------------------------------------------- */

void vs_nl_put_service(struct vs_msg *m, const struct vs_service *svc,
		       int full)
{
	struct ip_vs_flags fl = { .flags = svc->flags, .mask = ~0U };
	size_t nest = vs_msg_nest(m, IPVS_CMD_ATTR_SERVICE);

	vs_msg_put_u16(m, IPVS_SVC_ATTR_AF, svc->af);
	if (svc->fwmark) {
		vs_msg_put_u32(m, IPVS_SVC_ATTR_FWMARK, svc->fwmark);
	} else {
		vs_msg_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, svc->protocol);
		vs_msg_put(m, IPVS_SVC_ATTR_ADDR, &svc->addr,
			   sizeof(svc->addr));
		vs_msg_put_u16(m, IPVS_SVC_ATTR_PORT, svc->port);
	}
	if (full) {
		vs_msg_put_str(m, IPVS_SVC_ATTR_SCHED_NAME, svc->sched);
		if (svc->pe[0])
			vs_msg_put_str(m, IPVS_SVC_ATTR_PE_NAME, svc->pe);
		vs_msg_put(m, IPVS_SVC_ATTR_FLAGS, &fl, sizeof(fl));
		vs_msg_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, svc->timeout);
		vs_msg_put_u32(m, IPVS_SVC_ATTR_NETMASK, svc->netmask);
	}
	vs_msg_nest_end(m, nest);
}

void vs_nl_put_dest(struct vs_msg *m, const struct vs_dest *d)
{
	size_t nest = vs_msg_nest(m, IPVS_CMD_ATTR_DEST);

	vs_msg_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, d->af);
	vs_msg_put(m, IPVS_DEST_ATTR_ADDR, &d->addr, sizeof(d->addr));
	vs_msg_put_u16(m, IPVS_DEST_ATTR_PORT, d->port);
	vs_msg_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD,
		       d->conn_flags & IP_VS_CONN_F_FWD_MASK);
	vs_msg_put_u32(m, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight);
	vs_msg_put_u8(m, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type);
	vs_msg_put_u16(m, IPVS_DEST_ATTR_TUN_PORT, d->tun_port);
	vs_msg_put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags);
	vs_msg_put_u32(m, IPVS_DEST_ATTR_U_THRESH, d->u_threshold);
	vs_msg_put_u32(m, IPVS_DEST_ATTR_L_THRESH, d->l_threshold);
	vs_msg_nest_end(m, nest);
}

/* ---- reply parsers -------------------------------------------------- */

static struct nla_policy cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32 },
};

static struct nla_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING },
	[IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC,
				  .minlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_STRING },
	[IPVS_SVC_ATTR_STATS64] = { .type = NLA_NESTED },
};

static struct nla_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_STATS64] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_TUN_TYPE] = { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = { .type = NLA_U16 },
};

static struct nla_policy daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_IFN] = { .type = NLA_STRING },
	[IPVS_DAEMON_ATTR_SYNC_ID] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP6] = { .type = NLA_UNSPEC, .minlen = 16 },
	[IPVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_TTL] = { .type = NLA_U8 },
};

static struct nla_policy info_policy[IPVS_INFO_ATTR_MAX + 1] = {
	[IPVS_INFO_ATTR_VERSION] = { .type = NLA_U32 },
	[IPVS_INFO_ATTR_CONN_TAB_SIZE] = { .type = NLA_U32 },
};

/* Counters: 64-bit attributes in STATS64, 32/64 mixed in STATS. */
/* libnl's attribute getters, inline: -Ln reads ~30 values per server. */
static inline int attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static inline const void *attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

#define ATTR_GET(name, type)					\
static inline type name(const struct nlattr *a)			\
{								\
	type v;							\
								\
	memcpy(&v, attr_data(a), sizeof(v));			\
	return v;						\
}
ATTR_GET(attr_u8, uint8_t)
ATTR_GET(attr_u16, uint16_t)
ATTR_GET(attr_u32, uint32_t)
ATTR_GET(attr_u64, uint64_t)

/* nla_memcpy(): at most the attribute's length. */
static inline void attr_copy(void *dst, const struct nlattr *a, size_t n)
{
	size_t len = (size_t)attr_len(a);

	memcpy(dst, attr_data(a), len < n ? len : n);
}

/*
 * nla_parse() the way libnl does it (attributes above max ignored, a later
 * duplicate wins, trailing bytes ignored; with a policy, every attribute
 * at least its type's length, strings NUL-terminated), without libnl's
 * per-attribute calls: -Ln parses about 40 attributes per real server.
 */
static int attrs_parse(struct nlattr **tb, int max, const void *head, int len,
		       const struct nla_policy *policy)
{
	static const uint16_t type_minlen[NLA_TYPE_MAX + 1] = {
		[NLA_U8] = 1, [NLA_U16] = 2, [NLA_U32] = 4, [NLA_U64] = 8,
		[NLA_STRING] = 1,
	};

	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	while (len >= NLA_HDRLEN) {
		struct nlattr *a = (struct nlattr *)head;
		int alen = a->nla_len, type = a->nla_type & NLA_TYPE_MASK;

		if (alen < NLA_HDRLEN || alen > len)
			break;
		if (type <= max) {
			if (policy) {
				const struct nla_policy *pt = &policy[type];
				int plen = alen - NLA_HDRLEN;
				int min = pt->minlen ? pt->minlen :
					  type_minlen[pt->type];

				if (plen < min || (pt->maxlen && plen > pt->maxlen))
					return -1;
				if (pt->type == NLA_STRING &&
				    ((const char *)a)[alen - 1] != '\0')
					return -1;
			}
			tb[type] = a;
		}
		head = (const char *)head + NLA_ALIGN(alen);
		len -= NLA_ALIGN(alen);
	}
	return 0;
}

static int nested_parse(struct nlattr **tb, int max, const struct nlattr *nest,
			const struct nla_policy *policy)
{
	return attrs_parse(tb, max, (const char *)nest + NLA_HDRLEN,
			   nest->nla_len - NLA_HDRLEN, policy);
}

/* genlmsg_parse() with no family header, likewise. */
static int msg_parse(struct nlmsghdr *nlh, struct nlattr **tb, int max,
		     const struct nla_policy *policy)
{
	int off = NLMSG_HDRLEN + GENL_HDRLEN;

	if (nlh->nlmsg_len < (uint32_t)off)
		return -1;
	return attrs_parse(tb, max, (const char *)nlh + off,
			   (int)nlh->nlmsg_len - off, policy);
}

static int parse_stats(struct nlattr *nest, int is64, struct vs_stats *s)
{
	struct nlattr *a[IPVS_STATS_ATTR_MAX + 1];
	uint64_t *dst[] = {
		[IPVS_STATS_ATTR_CONNS] = &s->conns,
		[IPVS_STATS_ATTR_INPKTS] = &s->inpkts,
		[IPVS_STATS_ATTR_OUTPKTS] = &s->outpkts,
		[IPVS_STATS_ATTR_INBYTES] = &s->inbytes,
		[IPVS_STATS_ATTR_OUTBYTES] = &s->outbytes,
		[IPVS_STATS_ATTR_CPS] = &s->cps,
		[IPVS_STATS_ATTR_INPPS] = &s->inpps,
		[IPVS_STATS_ATTR_OUTPPS] = &s->outpps,
		[IPVS_STATS_ATTR_INBPS] = &s->inbps,
		[IPVS_STATS_ATTR_OUTBPS] = &s->outbps,
	};

	if (nested_parse(a, IPVS_STATS_ATTR_MAX, nest, NULL) < 0)
		return -1;
	for (int i = IPVS_STATS_ATTR_CONNS; i <= IPVS_STATS_ATTR_OUTBPS; i++) {
		if (!a[i])
			return -1;
		if (is64 || i == IPVS_STATS_ATTR_INBYTES ||
		    i == IPVS_STATS_ATTR_OUTBYTES) {
			if (attr_len(a[i]) < 8)
				return -1;
			*dst[i] = attr_u64(a[i]);
		} else {
			if (attr_len(a[i]) < 4)
				return -1;
			*dst[i] = attr_u32(a[i]);
		}
	}
	return 0;
}

static int nested_of(struct nlmsghdr *nlh, int which, struct nlattr **out)
{
	struct nlattr *attrs[IPVS_CMD_ATTR_MAX + 1];

	if (msg_parse(nlh, attrs, IPVS_CMD_ATTR_MAX, cmd_policy) < 0)
		return -1;
	if (!attrs[which])
		return -1;
	*out = attrs[which];
	return 0;
}

/* A string attribute, NUL-terminated and cut to size - 1 bytes. */
static void copy_string(char *dst, size_t size, struct nlattr *a)
{
	size_t n = strnlen(attr_data(a), attr_len(a));

	if (n >= size)
		n = size - 1;
	memcpy(dst, attr_data(a), n);
	dst[n] = '\0';
}

/* A service's key from its parsed attributes; zeroes the rest of svc. */
static int service_key(struct nlattr **a, struct vs_service *svc)
{
	if (!a[IPVS_SVC_ATTR_AF] ||
	    !(a[IPVS_SVC_ATTR_FWMARK] ||
	      (a[IPVS_SVC_ATTR_PROTOCOL] && a[IPVS_SVC_ATTR_ADDR] &&
	       a[IPVS_SVC_ATTR_PORT])))
		return -1;
	memset(svc, 0, sizeof(*svc));
	svc->af = attr_u16(a[IPVS_SVC_ATTR_AF]);
	if (a[IPVS_SVC_ATTR_FWMARK]) {
		svc->fwmark = attr_u32(a[IPVS_SVC_ATTR_FWMARK]);
	} else {
		svc->protocol = attr_u16(a[IPVS_SVC_ATTR_PROTOCOL]);
		attr_copy(&svc->addr, a[IPVS_SVC_ATTR_ADDR],
			   sizeof(svc->addr));
		svc->port = attr_u16(a[IPVS_SVC_ATTR_PORT]);
	}
	return 0;
}

/* The attributes of the message's IPVS_CMD_ATTR_SERVICE, into a. */
static int service_attrs(struct nlmsghdr *nlh, struct nlattr **a)
{
	struct nlattr *nest;

	if (nested_of(nlh, IPVS_CMD_ATTR_SERVICE, &nest) < 0)
		return -1;
	return nested_parse(a, IPVS_SVC_ATTR_MAX, nest, svc_policy);
}

int vs_parse_service_key_msg(struct nlmsghdr *nlh, struct vs_service *svc)
{
	struct nlattr *a[IPVS_SVC_ATTR_MAX + 1];

	if (service_attrs(nlh, a) < 0)
		return -1;
	return service_key(a, svc);
}

int vs_parse_service_msg(struct nlmsghdr *nlh, struct vs_service *svc)
{
	struct nlattr *a[IPVS_SVC_ATTR_MAX + 1];
	struct ip_vs_flags fl;

	if (service_attrs(nlh, a) < 0)
		return -1;
	if (!a[IPVS_SVC_ATTR_SCHED_NAME] || !a[IPVS_SVC_ATTR_NETMASK] ||
	    !a[IPVS_SVC_ATTR_TIMEOUT] || !a[IPVS_SVC_ATTR_FLAGS] ||
	    service_key(a, svc) < 0)
		return -1;
	copy_string(svc->sched, sizeof(svc->sched),
		    a[IPVS_SVC_ATTR_SCHED_NAME]);
	if (a[IPVS_SVC_ATTR_PE_NAME])
		copy_string(svc->pe, sizeof(svc->pe), a[IPVS_SVC_ATTR_PE_NAME]);
	svc->netmask = attr_u32(a[IPVS_SVC_ATTR_NETMASK]);
	svc->timeout = attr_u32(a[IPVS_SVC_ATTR_TIMEOUT]);
	attr_copy(&fl, a[IPVS_SVC_ATTR_FLAGS], sizeof(fl));
	svc->flags = fl.flags & fl.mask;
	if (a[IPVS_SVC_ATTR_STATS64])
		return parse_stats(a[IPVS_SVC_ATTR_STATS64], 1, &svc->stats);
	if (a[IPVS_SVC_ATTR_STATS])
		return parse_stats(a[IPVS_SVC_ATTR_STATS], 0, &svc->stats);
	return 0;
}

int vs_parse_dest_msg(struct nlmsghdr *nlh, uint16_t svc_af, struct vs_dest *d)
{
	struct nlattr *a[IPVS_DEST_ATTR_MAX + 1], *nest;
	static const int required[] = {
		IPVS_DEST_ATTR_ADDR, IPVS_DEST_ATTR_PORT,
		IPVS_DEST_ATTR_FWD_METHOD, IPVS_DEST_ATTR_WEIGHT,
		IPVS_DEST_ATTR_U_THRESH, IPVS_DEST_ATTR_L_THRESH,
		IPVS_DEST_ATTR_ACTIVE_CONNS, IPVS_DEST_ATTR_INACT_CONNS,
		IPVS_DEST_ATTR_PERSIST_CONNS,
	};

	if (nested_of(nlh, IPVS_CMD_ATTR_DEST, &nest) < 0 ||
	    nested_parse(a, IPVS_DEST_ATTR_MAX, nest, dest_policy) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!a[required[i]])
			return -1;

	memset(d, 0, sizeof(*d));
	attr_copy(&d->addr, a[IPVS_DEST_ATTR_ADDR], sizeof(d->addr));
	d->port = attr_u16(a[IPVS_DEST_ATTR_PORT]);
	d->conn_flags = attr_u32(a[IPVS_DEST_ATTR_FWD_METHOD]);
	d->weight = (int)attr_u32(a[IPVS_DEST_ATTR_WEIGHT]);
	if (a[IPVS_DEST_ATTR_TUN_TYPE])
		d->tun_type = attr_u8(a[IPVS_DEST_ATTR_TUN_TYPE]);
	if (a[IPVS_DEST_ATTR_TUN_PORT])
		d->tun_port = attr_u16(a[IPVS_DEST_ATTR_TUN_PORT]);
	if (a[IPVS_DEST_ATTR_TUN_FLAGS])
		d->tun_flags = attr_u16(a[IPVS_DEST_ATTR_TUN_FLAGS]);
	d->u_threshold = attr_u32(a[IPVS_DEST_ATTR_U_THRESH]);
	d->l_threshold = attr_u32(a[IPVS_DEST_ATTR_L_THRESH]);
	d->activeconns = attr_u32(a[IPVS_DEST_ATTR_ACTIVE_CONNS]);
	d->inactconns = attr_u32(a[IPVS_DEST_ATTR_INACT_CONNS]);
	d->persistconns = attr_u32(a[IPVS_DEST_ATTR_PERSIST_CONNS]);
	d->af = a[IPVS_DEST_ATTR_ADDR_FAMILY] ?
		attr_u16(a[IPVS_DEST_ATTR_ADDR_FAMILY]) : svc_af;
	if (a[IPVS_DEST_ATTR_STATS64])
		return parse_stats(a[IPVS_DEST_ATTR_STATS64], 1, &d->stats);
	if (a[IPVS_DEST_ATTR_STATS])
		return parse_stats(a[IPVS_DEST_ATTR_STATS], 0, &d->stats);
	return 0;
}

int vs_parse_info_msg(struct nlmsghdr *nlh, struct vs_info *info)
{
	struct nlattr *a[IPVS_INFO_ATTR_MAX + 1];

	if (msg_parse(nlh, a, IPVS_INFO_ATTR_MAX, info_policy) < 0 ||
	    !a[IPVS_INFO_ATTR_VERSION] || !a[IPVS_INFO_ATTR_CONN_TAB_SIZE])
		return -1;
	info->version = attr_u32(a[IPVS_INFO_ATTR_VERSION]);
	info->size = attr_u32(a[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	return 0;
}

int vs_parse_timeout_msg(struct nlmsghdr *nlh, struct vs_timeout *to)
{
	struct nlattr *a[IPVS_CMD_ATTR_MAX + 1];

	if (msg_parse(nlh, a, IPVS_CMD_ATTR_MAX, cmd_policy) < 0)
		return -1;
	if (a[IPVS_CMD_ATTR_TIMEOUT_TCP])
		to->tcp = attr_u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	if (a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN])
		to->tcp_fin = attr_u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	if (a[IPVS_CMD_ATTR_TIMEOUT_UDP])
		to->udp = attr_u32(a[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return 0;
}

int vs_parse_daemon_msg(struct nlmsghdr *nlh, struct vs_daemon *dm)
{
	struct nlattr *a[IPVS_DAEMON_ATTR_MAX + 1], *nest;

	if (nested_of(nlh, IPVS_CMD_ATTR_DAEMON, &nest) < 0 ||
	    nested_parse(a, IPVS_DAEMON_ATTR_MAX, nest, daemon_policy) < 0)
		return -1;
	if (!a[IPVS_DAEMON_ATTR_STATE] || !a[IPVS_DAEMON_ATTR_MCAST_IFN] ||
	    !a[IPVS_DAEMON_ATTR_SYNC_ID])
		return -1;
	memset(dm, 0, sizeof(*dm));
	dm->state = attr_u32(a[IPVS_DAEMON_ATTR_STATE]);
	copy_string(dm->mcast_ifn, sizeof(dm->mcast_ifn),
		    a[IPVS_DAEMON_ATTR_MCAST_IFN]);
	dm->syncid = attr_u32(a[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (a[IPVS_DAEMON_ATTR_SYNC_MAXLEN])
		dm->sync_maxlen = attr_u16(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (a[IPVS_DAEMON_ATTR_MCAST_PORT])
		dm->mcast_port = attr_u16(a[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (a[IPVS_DAEMON_ATTR_MCAST_TTL])
		dm->mcast_ttl = attr_u8(a[IPVS_DAEMON_ATTR_MCAST_TTL]);
	if (a[IPVS_DAEMON_ATTR_MCAST_GROUP]) {
		dm->mcast_af = AF_INET;
		dm->mcast_group.ip = attr_u32(a[IPVS_DAEMON_ATTR_MCAST_GROUP]);
	} else if (a[IPVS_DAEMON_ATTR_MCAST_GROUP6]) {
		dm->mcast_af = AF_INET6;
		attr_copy(&dm->mcast_group.in6,
			   a[IPVS_DAEMON_ATTR_MCAST_GROUP6], 16);
	}
	return 0;
}
