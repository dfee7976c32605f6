// SPDX-License-Identifier: GPL-2.0
/*
 * UDP: every datagram may start a connection; one state ("UDP", as
 * upstream names it) whose timeout is the namespace's "ipvsadm --set" UDP
 * value, refreshed by every datagram. UDP connections never become active,
 * so they count as inactive on their destination, as upstream.
 */
#include <linux/udp.h>
#include <net/checksum.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>

#define UDP_S_NORMAL	0

static const char *udp_state_name(unsigned int state)
{
	return state == UDP_S_NORMAL ? "UDP" : "ERR!";
}

static bool udp_conn_schedule(struct ipvs_dp_net *dp, struct sk_buff *skb,
			      const struct ipvs_iphdr *iph)
{
	return true;
}

static bool udp_is_new_conn(struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	return false;
}

static bool udp_conn_reusable(const struct ipvs_conn *cp, int mode)
{
	return false;
}

static void udp_state_transition(struct ipvs_dp_net *dp, struct ipvs_conn *cp, int dir,
				 struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	WRITE_ONCE(cp->timeout, READ_ONCE(dp->ipvs->timeout_udp));
	if (dir == IPVS_DIR_OUTPUT)
		ipvs_conn_assure_ct(cp);
}

static bool udp_nat(struct sk_buff *skb, const struct ipvs_conn *cp,
		    const struct ipvs_iphdr *iph, bool in)
{
	return ipvs_udp_nat(skb, cp, iph, in);
}

const struct ipvs_proto ipvs_proto_udp = {
	.protocol		= IPPROTO_UDP,
	.name			= "UDP",
	.init_state		= UDP_S_NORMAL,
	.conn_schedule		= udp_conn_schedule,
	.is_new_conn		= udp_is_new_conn,
	.conn_reusable		= udp_conn_reusable,
	.state_transition	= udp_state_transition,
	.state_name		= udp_state_name,
	.nat			= udp_nat,
	.hdr_len		= sizeof(struct udphdr),
};
