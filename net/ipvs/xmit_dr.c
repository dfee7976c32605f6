// SPDX-License-Identifier: GPL-2.0
/*
 * Direct routing (gatewaying, "ipvsadm -g"): the packet is not rewritten at
 * all, it keeps the VIP as its destination and only its next hop changes
 * to the real server, which owns the VIP on a non-ARPing interface (lo,
 * with arp_ignore=1/arp_announce=2) and answers the client directly, so
 * replies never come back through the director.
 *
 * The route is looked up towards the real server with FLOWI_FLAG_KNOWN_NH,
 * which makes the route's gateway the real server address (see
 * ipvs_route(); the destination's route cache keeps it): the neighbour
 * resolved on output is the real server's, not the VIP's. Port
 * translation is impossible by construction; the destination's port is
 * only shown (ipvsadm sets it to the service port).
 *
 * The director is a forwarding hop: the TTL is decremented and a packet
 * that does not fit the path MTU is answered with "fragmentation needed"
 * (IPv4 with DF) or "packet too big" (IPv6). A real server that is this
 * host gets the packet through the local stack unchanged.
 *
 * The packet path only; no locks beyond RCU.
 */
#include <linux/ip.h>
#include <net/ip.h>
#include <ipvs/conn.h>
#include <ipvs/xmit.h>

static unsigned int ipvs_dr_xmit(struct ipvs_dp_net *dp, struct sk_buff *skb,
				 struct ipvs_conn *cp, const struct ipvs_proto *pp,
				 const struct ipvs_iphdr *iph, bool hook_local_out)
{
	bool icmp = iph->flags & IPVS_IPH_F_ICMP_INNER;
	struct ipvs_rt rt;

	if (!ipvs_route_dest(dp->net, skb, cp->dest, IPVS_RT_KNOWN_NH, &rt)) {
		ipvs_unreach(dp, skb, cp->af);
		return NF_DROP;
	}
	if (rt.local)
		return ipvs_xmit_send(dp, skb, cp, &rt);

	if (!ipvs_decrement_ttl(dp, skb, cp->af, rt.dst) ||
	    !ipvs_dst_mtu_ok(dp, skb, cp->af, rt.dst, icmp)) {
		ipvs_rt_put(&rt);
		return NF_DROP;
	}
	/* Fragment on output what is too big and may be (no DF). */
	skb->ignore_df = 1;
	return ipvs_xmit_send(dp, skb, cp, &rt);
}

const struct ipvs_xmit_ops ipvs_xmit_dr = {
	.xmit	= ipvs_dr_xmit,
};
