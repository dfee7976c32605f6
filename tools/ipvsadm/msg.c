// SPDX-License-Identifier: GPL-2.0
/*
 * Request building: a generic netlink request assembled in a fixed buffer
 * the caller owns (usually on its stack), attributes appended in place.
 *
 * libnl's nlmsg_alloc()/nla_put() cost a heap message and a few hundred
 * instructions per attribute; -R builds 50,000 requests of about ten
 * attributes each, and this way it builds them for a tenth of that.  A
 * request that does not fit marks the message bad rather than writing past
 * the buffer; senders refuse a bad message (ENOMEM).
 */
#include <string.h>
#include <linux/genetlink.h>

#include "ipvsadm.h"

void vs_msg_init(struct vs_msg *m, int family, int cmd, int flags)
{
	struct genlmsghdr *g;

	memset(&m->u.nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->bad = 0;
	m->u.nlh.nlmsg_type = (uint16_t)family;
	m->u.nlh.nlmsg_flags = (uint16_t)flags;
	g = (struct genlmsghdr *)(m->u.buf + NLMSG_HDRLEN);
	g->cmd = (uint8_t)cmd;
	g->version = IPVS_GENL_VERSION;
}

static struct nlattr *reserve(struct vs_msg *m, int type, size_t len)
{
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);
	struct nlattr *a;

	if (m->bad || total > sizeof(m->u.buf) - m->len) {
		m->bad = 1;
		return NULL;
	}
	a = (struct nlattr *)(m->u.buf + m->len);
	a->nla_type = (uint16_t)type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	/* the padding is part of the message: keep it zero */
	memset((char *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	m->len += total;
	return a;
}

void vs_msg_put(struct vs_msg *m, int type, const void *data, size_t len)
{
	struct nlattr *a = reserve(m, type, len);

	if (a)
		memcpy((char *)a + NLA_HDRLEN, data, len);
}

void vs_msg_put_u8(struct vs_msg *m, int type, uint8_t v)
{
	vs_msg_put(m, type, &v, sizeof(v));
}

void vs_msg_put_u16(struct vs_msg *m, int type, uint16_t v)
{
	vs_msg_put(m, type, &v, sizeof(v));
}

void vs_msg_put_u32(struct vs_msg *m, int type, uint32_t v)
{
	vs_msg_put(m, type, &v, sizeof(v));
}

void vs_msg_put_str(struct vs_msg *m, int type, const char *s)
{
	vs_msg_put(m, type, s, strlen(s) + 1);
}

size_t vs_msg_nest(struct vs_msg *m, int type)
{
	size_t off = m->len;

	if (reserve(m, type | NLA_F_NESTED, 0))
		return off;
	return 0;
}

void vs_msg_nest_end(struct vs_msg *m, size_t off)
{
	struct nlattr *a = (struct nlattr *)(m->u.buf + off);

	if (!m->bad && off)
		a->nla_len = (uint16_t)(m->len - off);
}
