// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace protocol settings. Today only the three timeouts that
 * IPVS_CMD_SET_CONFIG / GET_CONFIG expose; the per-protocol state tables of
 * the connection milestone will take them over.
 *
 * Timeouts are kept in jiffies and converted at the edges, like upstream, so
 * that the values userspace reads back are rounded exactly the same way.
 * Readers and writers hold ipvs->lock.
 */
#include <linux/kernel.h>
#include <linux/in.h>
#include <ipvs/ipvs.h>

/* Upstream defaults: TCP established 15 min, FIN_WAIT 2 min, UDP 5 min. */
#define IPVS_TCP_TIMEOUT_DEFAULT	(15 * 60 * HZ)
#define IPVS_TCP_FIN_TIMEOUT_DEFAULT	(2 * 60 * HZ)
#define IPVS_UDP_TIMEOUT_DEFAULT	(5 * 60 * HZ)

void ipvs_proto_init(struct ipvs_net *ipvs)
{
	ipvs->timeout_tcp = IPVS_TCP_TIMEOUT_DEFAULT;
	ipvs->timeout_tcp_fin = IPVS_TCP_FIN_TIMEOUT_DEFAULT;
	ipvs->timeout_udp = IPVS_UDP_TIMEOUT_DEFAULT;
}

void ipvs_timeouts_get(struct ipvs_net *ipvs, struct ipvs_timeouts *t)
{
	lockdep_assert_held(&ipvs->lock);

	t->tcp = ipvs->timeout_tcp / HZ;
	t->tcp_fin = ipvs->timeout_tcp_fin / HZ;
	t->udp = ipvs->timeout_udp / HZ;
}

static bool ipvs_timeout_valid(int secs)
{
	return secs >= 0 && secs <= INT_MAX / HZ;
}

/* All or nothing; a zero value leaves that timeout unchanged. */
int ipvs_timeouts_set(struct ipvs_net *ipvs, const struct ipvs_timeouts *t)
{
	lockdep_assert_held(&ipvs->lock);

	if (!ipvs_timeout_valid(t->tcp) || !ipvs_timeout_valid(t->tcp_fin) ||
	    !ipvs_timeout_valid(t->udp))
		return -EINVAL;

	if (t->tcp)
		ipvs->timeout_tcp = t->tcp * HZ;
	if (t->tcp_fin)
		ipvs->timeout_tcp_fin = t->tcp_fin * HZ;
	if (t->udp)
		ipvs->timeout_udp = t->udp * HZ;
	return 0;
}

/* Protocol names as /proc/net/ip_vs prints them. */
const char *ipvs_proto_name(unsigned int proto, char *buf, size_t len)
{
	switch (proto) {
	case IPPROTO_IP:
		return "IP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_SCTP:
		return "SCTP";
	case IPPROTO_ICMP:
		return "ICMP";
	case IPPROTO_ICMPV6:
		return "ICMPv6";
	default:
		snprintf(buf, len, "IP_%u", proto);
		return buf;
	}
}
