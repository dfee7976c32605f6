// SPDX-License-Identifier: GPL-2.0
/*
 * What every transmitter needs: a route to the real server, the path MTU
 * check that answers the client with "fragmentation needed" / "packet too
 * big" and the TTL decrement of a forwarding hop (the slow paths of the
 * inline helpers in xmit.h, which also hands packets to LOCAL_OUT).
 *
 * Routes to a destination come from its route cache (dest_dst.c) when
 * they can; ipvs_route() is the lookup itself, for the cache and for the
 * addresses that are no destination (tun_icmp.c).
 *
 * The packet path only; no locks beyond RCU.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmpv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/addrconf.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <ipvs/conn.h>
#include <ipvs/xmit.h>

/*
 * Route to @daddr of family @af for @skb, into @rt (rt->noref false: the
 * caller owns the reference, ipvs_rt_put()). rt->local tells whether
 * @daddr is this host. IPVS_RT_KNOWN_NH asks for a route whose next hop is
 * @daddr itself even though the packet keeps another destination (DR: the
 * VIP): IPv4 then returns an uncached route with the gateway set to
 * @daddr, IPv6 a cache clone with @daddr as its gateway. IPVS_RT_SADDR
 * fills rt->saddr with the source address the route would use (tunnel
 * outer header). The lookup keys on @daddr, skb->mark and ipvs_route_tos();
 * @cookie (may be NULL) receives what dst_check() needs to validate the
 * route later. False: no route.
 */
bool ipvs_route(struct net *net, struct sk_buff *skb, u16 af, const union nf_inet_addr *daddr,
		unsigned int flags, struct ipvs_rt *rt, u32 *cookie)
{
	u8 fl_flags = (flags & IPVS_RT_KNOWN_NH) ? FLOWI_FLAG_KNOWN_NH : 0;

	rt->noref = false;
	memset(&rt->saddr, 0, sizeof(rt->saddr));
	if (af == AF_INET6) {
		struct flowi6 fl6 = {
			.daddr = daddr->in6,
			.flowi6_mark = skb->mark,
			.flowi6_flags = fl_flags,
		};
		struct dst_entry *dst = ip6_route_output(net, NULL, &fl6);

		if (dst->error)
			goto err6;
		rt->local = dst->dev && (dst->dev->flags & IFF_LOOPBACK);
		if ((flags & IPVS_RT_SADDR) && !rt->local) {
			if (ipv6_addr_any(&fl6.saddr) &&
			    ipv6_dev_get_saddr(net, ip6_dst_idev(dst)->dev, &fl6.daddr, 0,
					       &fl6.saddr) < 0)
				goto err6;
			rt->saddr.in6 = fl6.saddr;
		}
		if (cookie)
			*cookie = rt6_get_cookie((struct rt6_info *)dst);
		rt->dst = dst;
		return true;
err6:
		dst_release(dst);
		return false;
	} else {
		struct flowi4 fl4 = {
			.daddr = daddr->ip,
			.flowi4_tos = ipvs_route_tos(skb, af),
			.flowi4_mark = skb->mark,
			.flowi4_flags = fl_flags,
		};
		struct rtable *rth = ip_route_output_key(net, &fl4);

		if (IS_ERR(rth))
			return false;
		rt->local = rth->rt_flags & RTCF_LOCAL;
		if (flags & IPVS_RT_SADDR)
			rt->saddr.ip = fl4.saddr;
		if (cookie)
			*cookie = 0;
		rt->dst = &rth->dst;
		return true;
	}
}

/* No route to the real server: tell the sender, as a router would. */
void ipvs_unreach(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af)
{
	if (!skb->dev)
		skb->dev = dp->net->loopback_dev;
	if (af == AF_INET6)
		icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
	else
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
}

/*
 * Does the packet (family @af) fit @mtu? If not, tell the sender (unless
 * the packet is itself an ICMP error) and return false. A reassembled
 * packet is judged by its largest fragment, as upstream does; a GSO packet
 * by the segments it will be cut into, as ip_forward() and ip6_forward()
 * judge it. (Upstream lets every GSO packet through: segments exceeding
 * a tunnel's MTU are then fragmented on output despite DF, or dropped,
 * and the client does not learn the path MTU from them.)
 */
bool ipvs_mtu_check(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af, u32 mtu, bool icmp)
{
	if (af == AF_INET6) {
		bool big;

		if (IP6CB(skb)->frag_max_size)
			big = IP6CB(skb)->frag_max_size > mtu;
		else
			big = skb->len > mtu &&
			      !(skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu));
		if (!big)
			return true;
		if (!skb->dev)
			skb->dev = dp->net->loopback_dev;
		if (!icmp)
			icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		return false;
	}

	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || icmp)
		return true;
	if (IPCB(skb)->frag_max_size ? IPCB(skb)->frag_max_size <= mtu :
	    (skb->len <= mtu || (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))))
		return true;
	if (!skb->dev)
		skb->dev = dp->net->loopback_dev;
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
	return false;
}

/*
 * The director is a hop on the way to the real server: decrement the TTL
 * (hop limit) of the packet, or answer "time exceeded" and return false
 * when it runs out, as upstream IPVS does for every non-local transmit.
 */
bool ipvs_ttl_dec(struct ipvs_dp_net *dp, struct sk_buff *skb, u16 af, struct dst_entry *dst)
{
	if (af == AF_INET6) {
		if (ipv6_hdr(skb)->hop_limit <= 1) {
			/* The error's source: the outgoing device's address. */
			skb->dev = dst->dev;
			icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
			return false;
		}
		if (skb_ensure_writable(skb, sizeof(struct ipv6hdr)))
			return false;
		ipv6_hdr(skb)->hop_limit--;
		return true;
	}
	if (ip_hdr(skb)->ttl <= 1) {
		if (!skb->dev)
			skb->dev = dp->net->loopback_dev;
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return false;
	}
	if (skb_ensure_writable(skb, sizeof(struct iphdr)))
		return false;
	ip_decrease_ttl(ip_hdr(skb));
	return true;
}

