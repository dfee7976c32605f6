// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about our own tunnel packets (IPv4 outer and inner, as
 * upstream): a router between the director and a real server cannot
 * forward a director -> real server packet (IP in IP, GUE or GRE) and
 * tells the director, quoting the outer header, the encapsulation and the
 * start of the client's packet. The client is the one who must act, so the
 * error is turned into the same error about the client's own packet, sent
 * from the VIP. For "fragmentation needed", the director's route to the
 * real server learns the smaller path MTU first, and the client is told
 * that MTU less the tunnel overhead, only if its packet had DF set (else
 * the director fragments the outer packets from now on).
 *
 * Recognised tunnels: the quoted outer destination is a tunnel real server
 * of some service with the matching type (for GUE also the matching UDP
 * port, a GUE data header carrying IPv4), and the quoted client packet
 * belongs to a connection. Anything else is left to the generic ICMP path.
 * Finding the destination walks the services: ICMP errors are rare and
 * rate limited by their senders.
 *
 * The packet path only; RCU.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/gre.h>
#include <net/gue.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>
#include <ipvs/conn.h>
#include <ipvs/xmit.h>

/* A tunnel destination <IPv4 @addr, @type, GUE @port>, or NULL. */
static const struct ipvs_dest *ipvs_tun_dest_find(struct ipvs_net *ipvs, __be32 addr, u8 type,
						  __be16 port)
{
	struct ipvs_service *svc;
	struct ipvs_dest *dest;
	int i;

	ipvs_for_each_service(ipvs, svc, i) {
		list_for_each_entry_rcu(dest, &svc->destinations, n_list) {
			if (dest->af == AF_INET && dest->addr.ip == addr &&
			    (atomic_read(&dest->conn_flags) & IP_VS_CONN_F_FWD_MASK) ==
			    IP_VS_CONN_F_TUNNEL && dest->tun_type == type &&
			    (type != IP_VS_CONN_F_TUNNEL_TYPE_GUE || dest->tun_port == port))
				return dest;
		}
	}
	return NULL;
}

/*
 * The encapsulation at @off, after the quoted outer header @oh: its length
 * if it is one of ours carrying IPv4, else -1.
 */
static int ipvs_tun_decap_len(struct ipvs_net *ipvs, struct sk_buff *skb, int off,
			      const struct iphdr *oh)
{
	switch (oh->protocol) {
	case IPPROTO_IPIP:
		return ipvs_tun_dest_find(ipvs, oh->daddr, IP_VS_CONN_F_TUNNEL_TYPE_IPIP, 0) ?
		       0 : -1;
	case IPPROTO_UDP: {
		struct udphdr _uh;
		const struct udphdr *uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
		struct guehdr _gh;
		const struct guehdr *gh;

		if (!uh || !ipvs_tun_dest_find(ipvs, oh->daddr, IP_VS_CONN_F_TUNNEL_TYPE_GUE,
					       uh->dest))
			return -1;
		gh = skb_header_pointer(skb, off + sizeof(*uh), sizeof(_gh), &_gh);
		if (!gh || gh->control || gh->version || gh->proto_ctype != IPPROTO_IPIP)
			return -1;
		return sizeof(*uh) + sizeof(*gh) + (gh->hlen << 2);
	}
	case IPPROTO_GRE: {
		struct gre_base_hdr _gh;
		const struct gre_base_hdr *gh = skb_header_pointer(skb, off, sizeof(_gh), &_gh);

		if (!gh || !ipvs_tun_dest_find(ipvs, oh->daddr, IP_VS_CONN_F_TUNNEL_TYPE_GRE, 0))
			return -1;
		if ((gh->flags & ~GRE_CSUM) || gh->protocol != htons(ETH_P_IP))
			return -1;
		return gre_calc_hlen(gre_flags_to_tnl_flags(gh->flags));
	}
	default:
		return -1;
	}
}

/* The path MTU the route to @daddr has now, 0 if unknown. */
static u32 ipvs_tun_route_mtu(struct ipvs_dp_net *dp, struct sk_buff *skb, __be32 daddr)
{
	union nf_inet_addr a = { .ip = daddr };
	struct ipvs_rt rt;
	u32 mtu;

	if (!ipvs_route(dp->net, skb, AF_INET, &a, 0, &rt, NULL))
		return 0;
	mtu = rt.local ? 0 : dst_mtu(rt.dst);
	ipvs_rt_put(&rt);
	return mtu;
}

/*
 * Send the translated error and consume @skb. @ooff: the quoted outer
 * header, @ioff: the quoted client packet, @ohlen + @elen: tunnel overhead.
 */
static void ipvs_tun_icmp_relay(struct ipvs_dp_net *dp, struct sk_buff *skb,
				struct ipvs_conn *cp, const struct icmphdr *ic, __be32 daddr,
				int ooff, int ioff, unsigned int ohlen, unsigned int elen)
{
	__be32 info = ic->un.gateway;
	u8 type = ic->type, code = ic->code;
	struct iphdr _ih;
	const struct iphdr *ih = skb_header_pointer(skb, ioff, sizeof(_ih), &_ih);

	if (!ih)
		goto out;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		u32 mtu = ntohs(ic->un.frag.mtu), rmtu;
		bool df = ih->frag_off & htons(IP_DF);

		/* ipv4_update_pmtu() reads the quoted header at skb->data. */
		if (!pskb_pull(skb, ooff) || !pskb_may_pull(skb, ohlen))
			goto out;
		ioff -= ooff;
		ipv4_update_pmtu(skb, dp->net, mtu, 0, 0);
		if (!df)
			goto out;
		rmtu = ipvs_tun_route_mtu(dp, skb, daddr);
		if (rmtu)
			mtu = rmtu;
		if (mtu > 68 + ohlen + elen)
			mtu -= ohlen + elen;
		info = htonl(mtu);
	}
	/* Make the client's packet the one the error is about. */
	if (!pskb_pull(skb, ioff))
		goto out;
	skb_reset_network_header(skb);
	memset(&IPCB(skb)->opt, 0, sizeof(IPCB(skb)->opt));
	if (!pskb_may_pull(skb, sizeof(struct iphdr)) || !pskb_may_pull(skb, ip_hdr(skb)->ihl * 4))
		goto out;
	icmp_send(skb, type, code, info);
	/* As upstream: counted as outgoing, with the client packet's length. */
	ipvs_icmp_count(dp, cp, true, skb->len);
out:
	consume_skb(skb);
}

bool ipvs_tun_icmp(struct ipvs_dp_net *dp, struct sk_buff *skb, const struct ipvs_iphdr *iph,
		   unsigned int hooknum, unsigned int *verdict)
{
	struct icmphdr _ic, ic;
	const struct icmphdr *icp;
	struct iphdr _oh;
	const struct iphdr *oh;
	struct ipvs_iphdr ciph;
	struct ipvs_conn *cp;
	int ooff, eoff, elen;
	__be32 daddr;

	/* Errors about our tunnel packets are addressed to this host. */
	if (iph->af != AF_INET || hooknum != NF_INET_LOCAL_IN || (iph->flags & IPVS_IPH_F_FRAG))
		return false;
	icp = skb_header_pointer(skb, iph->len, sizeof(_ic), &_ic);
	if (!icp || (icp->type != ICMP_DEST_UNREACH && icp->type != ICMP_SOURCE_QUENCH &&
		     icp->type != ICMP_TIME_EXCEEDED))
		return false;
	ooff = iph->len + sizeof(_ic);
	oh = skb_header_pointer(skb, ooff, sizeof(_oh), &_oh);
	if (!oh || oh->version != 4 || oh->ihl < 5 || (oh->frag_off & htons(IP_OFFSET)))
		return false;
	eoff = ooff + oh->ihl * 4;
	elen = ipvs_tun_decap_len(dp->ipvs, skb, eoff, oh);
	if (elen < 0)
		return false;
	if (!ipvs_iph_parse(AF_INET, skb, eoff + elen, &ciph) || (ciph.flags & IPVS_IPH_F_FRAG) ||
	    !ipvs_proto_get(ciph.protocol))
		return false;
	/* Not a reply: the quoted packet went client -> VIP. */
	cp = ipvs_conn_in_get(dp, AF_INET, ciph.protocol, &ciph.saddr, ciph.sport, &ciph.daddr,
			      ciph.dport);
	/* Only about a packet we tunnelled to that very server. */
	if (!cp || ipvs_conn_fwd(cp) != IP_VS_CONN_F_TUNNEL || cp->dest->af != AF_INET ||
	    cp->daddr.ip != oh->daddr)
		return false;

	*verdict = NF_DROP;
	if (!skb_csum_unnecessary(skb) &&
	    csum_fold(skb_checksum(skb, iph->len, skb->len - iph->len, 0)))
		return true;

	ic = *icp;
	daddr = oh->daddr;
	ipvs_tun_icmp_relay(dp, skb, cp, &ic, daddr, ooff, eoff + elen, oh->ihl * 4, elen);
	*verdict = NF_STOLEN;
	return true;
}
