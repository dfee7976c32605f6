// SPDX-License-Identifier: GPL-2.0
/*
 * nlbad: send malformed and edge-case IPVS generic-netlink requests and print
 * the errno each one earns, one "case: ERRNO" line per request. The VM test
 * runs it against the stock module and ours and compares the lines.
 *
 * It speaks raw netlink on purpose: libnl would refuse to build most of
 * these messages. Cases assume the state tests/vm/nl-bad-input.sh sets up:
 * TCP service 10.0.0.1:80 (rr) with real server 10.0.0.2:80.
 *
 *   nlbad [CASE...]     run the named cases (default: all)
 *   nlbad -l            list case names
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>

#define BUFSZ 8192

struct msg {
	union {
		struct nlmsghdr nlh;
		char buf[BUFSZ];
	};
	unsigned int len;
};

static int nl_fd;
static uint16_t ipvs_family;
static uint32_t seq;

static void *tail(struct msg *m)
{
	return m->buf + m->len;
}

static void msg_init(struct msg *m, int cmd)
{
	struct genlmsghdr *g;

	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_type = ipvs_family;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m->nlh.nlmsg_seq = ++seq;
	m->len = NLMSG_HDRLEN;
	g = tail(m);
	g->cmd = cmd;
	g->version = IPVS_GENL_VERSION;
	m->len += GENL_HDRLEN;
}

static struct nlattr *put(struct msg *m, int type, const void *data, int len)
{
	struct nlattr *a = tail(m);

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

static void put_in4(struct msg *m, int type, const char *addr)
{
	uint32_t a[4] = { 0 };

	inet_pton(AF_INET, addr, a);
	put(m, type, a, sizeof(a));	/* union nf_inet_addr: 16 bytes */
}

static struct nlattr *nest(struct msg *m, int type)
{
	return put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m, struct nlattr *a)
{
	a->nla_len = (char *)tail(m) - (char *)a;
}

/* Send one message and return 0 or the negative errno of its ack. */
static int xfer(struct msg *m, unsigned int len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char rbuf[BUFSZ];
	struct nlmsghdr *h;
	ssize_t n;

	m->nlh.nlmsg_len = len;
	if (sendto(nl_fd, m->buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		n = recv(nl_fd, rbuf, sizeof(rbuf), 0);
		if (n < 0)
			return -errno;
		for (h = (void *)rbuf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != m->nlh.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
		}
	}
}

static int send_msg(struct msg *m)
{
	return xfer(m, m->len);
}

static int resolve_family(void)
{
	struct msg m;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char rbuf[BUFSZ];
	struct nlmsghdr *h;
	struct nlattr *a;
	ssize_t n;
	int rem;

	msg_init(&m, CTRL_CMD_GETFAMILY);
	m.nlh.nlmsg_type = GENL_ID_CTRL;
	((struct genlmsghdr *)NLMSG_DATA(&m.nlh))->version = 1;
	put_str(&m, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME);
	m.nlh.nlmsg_len = m.len;
	if (sendto(nl_fd, m.buf, m.len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	n = recv(nl_fd, rbuf, sizeof(rbuf), 0);
	if (n < 0)
		return -errno;
	h = (void *)rbuf;
	if (!NLMSG_OK(h, n))
		return -EPROTO;
	if (h->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	a = (void *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
	     rem -= NLA_ALIGN(a->nla_len), a = (void *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID) {
			ipvs_family = *(uint16_t *)((char *)a + NLA_HDRLEN);
			return 0;
		}
	}
	return -ENOENT;
}

/* ---- building blocks for the cases ------------------------------------ */

struct svc_spec {
	int af, proto, port, fwmark, flags_set, timeout;
	int64_t netmask;
	const char *addr, *sched, *pe;
	uint32_t flags, flags_mask;
};

static const struct svc_spec base_svc = {
	.af = AF_INET, .proto = IPPROTO_TCP, .port = 80, .addr = "10.0.0.1",
	.sched = "rr", .flags_set = 1, .flags_mask = ~0u,
	.timeout = -1, .netmask = -1,
};

/* put_svc: the service nest; a field of -1/NULL is left out. */
static void put_svc(struct msg *m, const struct svc_spec *s)
{
	struct nlattr *n = nest(m, IPVS_CMD_ATTR_SERVICE);

	if (s->af >= 0)
		put_u16(m, IPVS_SVC_ATTR_AF, s->af);
	if (s->fwmark > 0) {
		put_u32(m, IPVS_SVC_ATTR_FWMARK, s->fwmark);
	} else {
		if (s->proto >= 0)
			put_u16(m, IPVS_SVC_ATTR_PROTOCOL, s->proto);
		if (s->addr)
			put_in4(m, IPVS_SVC_ATTR_ADDR, s->addr);
		if (s->port >= 0)
			put_u16(m, IPVS_SVC_ATTR_PORT, htons(s->port));
	}
	if (s->sched)
		put_str(m, IPVS_SVC_ATTR_SCHED_NAME, s->sched);
	if (s->pe)
		put_str(m, IPVS_SVC_ATTR_PE_NAME, s->pe);
	if (s->flags_set) {
		struct ip_vs_flags f = { .flags = s->flags, .mask = s->flags_mask };

		put(m, IPVS_SVC_ATTR_FLAGS, &f, sizeof(f));
	}
	put_u32(m, IPVS_SVC_ATTR_TIMEOUT, s->timeout >= 0 ? s->timeout : 0);
	put_u32(m, IPVS_SVC_ATTR_NETMASK, s->netmask >= 0 ? (uint32_t)s->netmask : 0xffffffffu);
	nest_end(m, n);
}

struct dest_spec {
	const char *addr;
	int port, fwd, af, tun_type, tun_port, tun_flags;
	int64_t weight, uth, lth;
};

static const struct dest_spec base_dest = {
	.addr = "10.0.0.3", .port = 80, .fwd = IP_VS_CONN_F_MASQ, .af = -1,
	.tun_type = -1, .tun_port = -1, .tun_flags = -1,
	.weight = 1, .uth = 0, .lth = 0,
};

static void put_dest(struct msg *m, const struct dest_spec *d)
{
	struct nlattr *n = nest(m, IPVS_CMD_ATTR_DEST);

	if (d->addr)
		put_in4(m, IPVS_DEST_ATTR_ADDR, d->addr);
	if (d->af >= 0)
		put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, d->af);
	if (d->port >= 0)
		put_u16(m, IPVS_DEST_ATTR_PORT, htons(d->port));
	if (d->fwd >= 0)
		put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, d->fwd);
	if (d->weight != -999)
		put_u32(m, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight);
	if (d->tun_type >= 0)
		put(m, IPVS_DEST_ATTR_TUN_TYPE, &(uint8_t){ d->tun_type }, 1);
	if (d->tun_port >= 0)
		put_u16(m, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port));
	if (d->tun_flags >= 0)
		put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags);
	if (d->uth != -999)
		put_u32(m, IPVS_DEST_ATTR_U_THRESH, (uint32_t)d->uth);
	if (d->lth != -999)
		put_u32(m, IPVS_DEST_ATTR_L_THRESH, (uint32_t)d->lth);
	nest_end(m, n);
}

static int svc_cmd(int cmd, const struct svc_spec *s)
{
	struct msg m;

	msg_init(&m, cmd);
	put_svc(&m, s);
	return send_msg(&m);
}

static int dest_cmd(int cmd, const struct svc_spec *s, const struct dest_spec *d)
{
	struct msg m;

	msg_init(&m, cmd);
	if (s)
		put_svc(&m, s);
	put_dest(&m, d);
	return send_msg(&m);
}

/* ---- the cases ----------------------------------------------------------- */

static int c_svc_missing(void)
{
	struct msg m;

	msg_init(&m, IPVS_CMD_NEW_SERVICE);
	return send_msg(&m);
}

static int c_svc_empty_nest(void)
{
	struct msg m;

	msg_init(&m, IPVS_CMD_NEW_SERVICE);
	nest_end(&m, nest(&m, IPVS_CMD_ATTR_SERVICE));
	return send_msg(&m);
}

static int c_svc_no_af(void)
{
	struct svc_spec s = base_svc;

	s.af = -1;
	s.port = 81;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_bad_af(void)
{
	struct svc_spec s = base_svc;

	s.af = 99;
	s.port = 81;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_no_sched(void)
{
	struct svc_spec s = base_svc;

	s.sched = NULL;
	s.port = 81;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_no_flags(void)
{
	struct svc_spec s = base_svc;

	s.flags_set = 0;
	s.port = 81;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_unknown_sched(void)
{
	struct svc_spec s = base_svc;

	s.sched = "nosuch";
	s.port = 81;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_long_sched(void)
{
	struct svc_spec s = base_svc;

	s.sched = "abcdefghijklmnopqrstuvwxyz";
	s.port = 81;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_unknown_pe(void)
{
	struct svc_spec s = base_svc;

	s.pe = "nosuchpe";
	s.port = 81;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_zero_port(void)
{
	struct svc_spec s = base_svc;

	s.port = 0;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_bad_proto(void)
{
	struct svc_spec s = base_svc;

	s.proto = 47;
	s.port = 81;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_exists(void)
{
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &base_svc);
}

static int c_svc_bad_netmask(void)
{
	struct svc_spec s = base_svc;

	s.flags = IP_VS_SVC_F_PERSISTENT;
	s.timeout = 300;
	s.netmask = 0x00ff00ff;
	s.port = 81;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_svc_short_addr(void)
{
	struct msg m;
	struct nlattr *n;
	uint32_t a = htonl(0x0a000001);
	struct ip_vs_flags f = { 0, ~0u };

	msg_init(&m, IPVS_CMD_NEW_SERVICE);
	n = nest(&m, IPVS_CMD_ATTR_SERVICE);
	put_u16(&m, IPVS_SVC_ATTR_AF, AF_INET);
	put_u16(&m, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	put(&m, IPVS_SVC_ATTR_ADDR, &a, 3);
	put_u16(&m, IPVS_SVC_ATTR_PORT, htons(82));
	put_str(&m, IPVS_SVC_ATTR_SCHED_NAME, "rr");
	put(&m, IPVS_SVC_ATTR_FLAGS, &f, sizeof(f));
	put_u32(&m, IPVS_SVC_ATTR_TIMEOUT, 0);
	put_u32(&m, IPVS_SVC_ATTR_NETMASK, ~0u);
	nest_end(&m, n);
	return send_msg(&m);
}

static int c_svc_short_flags(void)
{
	struct msg m;
	struct nlattr *n;
	uint32_t f = 0;

	msg_init(&m, IPVS_CMD_NEW_SERVICE);
	n = nest(&m, IPVS_CMD_ATTR_SERVICE);
	put_u16(&m, IPVS_SVC_ATTR_AF, AF_INET);
	put_u16(&m, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	put_in4(&m, IPVS_SVC_ATTR_ADDR, "10.0.0.1");
	put_u16(&m, IPVS_SVC_ATTR_PORT, htons(83));
	put_str(&m, IPVS_SVC_ATTR_SCHED_NAME, "rr");
	put(&m, IPVS_SVC_ATTR_FLAGS, &f, sizeof(f));
	put_u32(&m, IPVS_SVC_ATTR_TIMEOUT, 0);
	put_u32(&m, IPVS_SVC_ATTR_NETMASK, ~0u);
	nest_end(&m, n);
	return send_msg(&m);
}

/* The service attribute given as a flat u32 instead of a nest. */
static int c_svc_not_nested(void)
{
	struct msg m;

	msg_init(&m, IPVS_CMD_NEW_SERVICE);
	put_u32(&m, IPVS_CMD_ATTR_SERVICE, 12345);
	return send_msg(&m);
}

/* A nest whose inner attribute claims more bytes than the nest holds. */
static int c_svc_bogus_inner_len(void)
{
	struct msg m;
	struct nlattr *n, *a;

	msg_init(&m, IPVS_CMD_NEW_SERVICE);
	n = nest(&m, IPVS_CMD_ATTR_SERVICE);
	a = put(&m, IPVS_SVC_ATTR_AF, &(uint32_t){ AF_INET }, 4);
	nest_end(&m, n);
	a->nla_len = 200;
	return send_msg(&m);
}

/* A message truncated in the middle of its service nest. */
static int c_svc_truncated(void)
{
	struct msg m;

	msg_init(&m, IPVS_CMD_NEW_SERVICE);
	put_svc(&m, &base_svc);
	return xfer(&m, m.len - 10);
}

static int c_svc_set_missing(void)
{
	struct svc_spec s = base_svc;

	s.port = 8080;
	return svc_cmd(IPVS_CMD_SET_SERVICE, &s);
}

static int c_svc_set_bad_sched(void)
{
	struct svc_spec s = base_svc;

	s.sched = "nosuch";
	return svc_cmd(IPVS_CMD_SET_SERVICE, &s);
}

static int c_svc_del_missing(void)
{
	struct svc_spec s = base_svc;

	s.port = 8080;
	return svc_cmd(IPVS_CMD_DEL_SERVICE, &s);
}

static int c_svc_get_missing(void)
{
	struct svc_spec s = base_svc;
	struct msg m;

	s.port = 8080;
	msg_init(&m, IPVS_CMD_GET_SERVICE);
	put_svc(&m, &s);
	return send_msg(&m);
}

static int c_svc_fwmark_zero(void)
{
	struct svc_spec s = base_svc;

	s.addr = NULL;
	s.proto = -1;
	s.port = -1;
	s.fwmark = 0;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static int c_zero_missing(void)
{
	struct svc_spec s = base_svc;

	s.port = 8080;
	return svc_cmd(IPVS_CMD_ZERO, &s);
}

static int c_dest_no_service(void)
{
	return dest_cmd(IPVS_CMD_NEW_DEST, NULL, &base_dest);
}

static int c_dest_missing_service(void)
{
	struct svc_spec s = base_svc;

	s.port = 8080;
	return dest_cmd(IPVS_CMD_NEW_DEST, &s, &base_dest);
}

static int c_dest_exists(void)
{
	struct dest_spec d = base_dest;

	d.addr = "10.0.0.2";
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_neg_weight(void)
{
	struct dest_spec d = base_dest;

	d.weight = -1;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_huge_weight(void)
{
	struct dest_spec d = base_dest;

	d.weight = 0x80000000u;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_thresh_order(void)
{
	struct dest_spec d = base_dest;

	d.uth = 10;
	d.lth = 20;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_neg_thresh(void)
{
	struct dest_spec d = base_dest;

	d.uth = -5;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_bad_fwd(void)
{
	struct dest_spec d = base_dest;

	d.fwd = 7;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_no_fwd(void)
{
	struct dest_spec d = base_dest;

	d.fwd = -1;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_no_weight(void)
{
	struct dest_spec d = base_dest;

	d.weight = -999;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_no_addr(void)
{
	struct dest_spec d = base_dest;

	d.addr = NULL;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_mixed_af_masq(void)
{
	struct dest_spec d = base_dest;

	d.af = AF_INET6;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_bad_af(void)
{
	struct dest_spec d = base_dest;

	d.af = 77;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_bad_tun_type(void)
{
	struct dest_spec d = base_dest;

	d.fwd = IP_VS_CONN_F_TUNNEL;
	d.tun_type = 9;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_gue_no_port(void)
{
	struct dest_spec d = base_dest;

	d.fwd = IP_VS_CONN_F_TUNNEL;
	d.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	d.tun_port = 0;
	return dest_cmd(IPVS_CMD_NEW_DEST, &base_svc, &d);
}

static int c_dest_set_missing(void)
{
	return dest_cmd(IPVS_CMD_SET_DEST, &base_svc, &base_dest);
}

static int c_dest_del_missing(void)
{
	return dest_cmd(IPVS_CMD_DEL_DEST, &base_svc, &base_dest);
}

static int c_dest_set_neg_weight(void)
{
	struct dest_spec d = base_dest;

	d.addr = "10.0.0.2";
	d.weight = -3;
	return dest_cmd(IPVS_CMD_SET_DEST, &base_svc, &d);
}

static int c_dest_set_thresh_order(void)
{
	struct dest_spec d = base_dest;

	d.addr = "10.0.0.2";
	d.uth = 1;
	d.lth = 2;
	return dest_cmd(IPVS_CMD_SET_DEST, &base_svc, &d);
}

static int c_unknown_cmd(void)
{
	struct msg m;

	msg_init(&m, 99);
	return send_msg(&m);
}

static int c_set_config_empty(void)
{
	struct msg m;

	msg_init(&m, IPVS_CMD_SET_CONFIG);
	return send_msg(&m);
}

static int c_new_daemon_empty(void)
{
	struct msg m;

	msg_init(&m, IPVS_CMD_NEW_DAEMON);
	return send_msg(&m);
}

static int c_del_daemon_empty(void)
{
	struct msg m;

	msg_init(&m, IPVS_CMD_DEL_DAEMON);
	return send_msg(&m);
}

static int c_get_info(void)
{
	struct msg m;

	msg_init(&m, IPVS_CMD_GET_INFO);
	return send_msg(&m);
}

static int c_new_service_ok(void)
{
	struct svc_spec s = base_svc;

	s.port = 9999;
	return svc_cmd(IPVS_CMD_NEW_SERVICE, &s);
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
#define C(n) { #n, c_##n }
	C(svc_missing), C(svc_empty_nest), C(svc_no_af), C(svc_bad_af),
	C(svc_no_sched), C(svc_no_flags), C(svc_unknown_sched), C(svc_long_sched),
	C(svc_unknown_pe), C(svc_zero_port), C(svc_bad_proto), C(svc_exists),
	C(svc_bad_netmask), C(svc_short_addr), C(svc_short_flags), C(svc_not_nested),
	C(svc_bogus_inner_len), C(svc_truncated), C(svc_set_missing),
	C(svc_set_bad_sched), C(svc_del_missing), C(svc_get_missing),
	C(svc_fwmark_zero), C(zero_missing),
	C(dest_no_service), C(dest_missing_service), C(dest_exists),
	C(dest_neg_weight), C(dest_huge_weight), C(dest_thresh_order),
	C(dest_neg_thresh), C(dest_bad_fwd), C(dest_no_fwd), C(dest_no_weight),
	C(dest_no_addr), C(dest_mixed_af_masq), C(dest_bad_af),
	C(dest_bad_tun_type), C(dest_gue_no_port), C(dest_set_missing),
	C(dest_del_missing), C(dest_set_neg_weight), C(dest_set_thresh_order),
	C(unknown_cmd), C(set_config_empty), C(new_daemon_empty),
	C(del_daemon_empty),
	/* Not "bad": used by the permission test. */
	C(get_info), C(new_service_ok),
#undef C
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static const char *errname(int err)
{
	const char *s;

	if (!err)
		return "0";
	s = strerrorname_np(-err);
	return s ? s : "?";
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	size_t i;
	int j, err;

	if (argc > 1 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < N_CASES; i++)
			puts(cases[i].name);
		return 0;
	}
	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0 || bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("nlbad: socket");
		return 1;
	}
	err = resolve_family();
	if (err) {
		fprintf(stderr, "nlbad: IPVS family: %s\n", strerror(-err));
		return 1;
	}
	for (i = 0; i < N_CASES; i++) {
		int run = argc < 2;

		for (j = 1; j < argc; j++)
			run |= !strcmp(argv[j], cases[i].name);
		if (!run)
			continue;
		err = cases[i].fn();
		printf("%s: %s\n", cases[i].name, errname(err));
	}
	return 0;
}
