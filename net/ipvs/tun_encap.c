// SPDX-License-Identifier: GPL-2.0
/*
 * The encapsulations a tunnel destination may ask for besides plain IP in
 * IP ("--tun-type gue|gre"), built between the outer IP header and the
 * inner packet:
 *
 *  - GUE: UDP to the destination's tun_port, then a 4-byte GUE header
 *    (version 0, data message) whose protocol field names the inner packet
 *    (IPPROTO_IPIP or IPPROTO_IPV6), what "ip fou add port N gue" decodes.
 *    The UDP source port is a hash of the inner flow, for receivers that
 *    spread UDP flows over queues. The UDP checksum is computed with
 *    --tun-csum or --tun-remcsum and left zero with --tun-nocsum. With
 *    --tun-remcsum, a packet whose inner transport checksum is still to be
 *    computed (CHECKSUM_PARTIAL) carries the GUE private option for remote
 *    checksum offload (where the checksum starts and where it goes) and
 *    leaves that work to the receiver.
 *  - GRE: a plain GRE header (no key, no sequence), protocol ETH_P_IP or
 *    ETH_P_IPV6, with the GRE checksum when --tun-csum is set.
 *
 * The GSO type bits tell segmentation which headers to replicate: the
 * IPXIP4/IPXIP6 bit is named after the outer family, plus the UDP tunnel
 * or GRE bits (with their checksum variants).
 *
 * Pure header building on the packet path; no locks.
 */
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/gre.h>
#include <net/gue.h>
#include <net/ip6_checksum.h>
#include <net/ip_tunnels.h>
#include <net/udp.h>
#include <ipvs/conn.h>
#include <ipvs/xmit.h>

#define IPVS_GUE_REMCSUM_LEN	(GUE_LEN_PRIV + GUE_PLEN_REMCSUM)

/* Remote checksum offload applies to this packet. */
static bool ipvs_gue_remcsum(const struct ipvs_dest *dest, const struct sk_buff *skb)
{
	return (dest->tun_flags & IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM) &&
	       skb->ip_summed == CHECKSUM_PARTIAL;
}

static bool ipvs_gue_csum(const struct ipvs_dest *dest)
{
	return dest->tun_flags & (IP_VS_TUNNEL_ENCAP_FLAG_CSUM | IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);
}

static __be16 ipvs_gre_tflags(const struct ipvs_dest *dest)
{
	return (dest->tun_flags & IP_VS_TUNNEL_ENCAP_FLAG_CSUM) ? TUNNEL_CSUM : 0;
}

/* Bytes between the outer IP header and the inner packet. */
unsigned int ipvs_tun_encap_len(const struct ipvs_dest *dest, const struct sk_buff *skb)
{
	switch (dest->tun_type) {
	case IP_VS_CONN_F_TUNNEL_TYPE_GUE:
		return sizeof(struct udphdr) + sizeof(struct guehdr) +
		       (ipvs_gue_remcsum(dest, skb) ? IPVS_GUE_REMCSUM_LEN : 0);
	case IP_VS_CONN_F_TUNNEL_TYPE_GRE:
		return gre_calc_hlen(ipvs_gre_tflags(dest));
	default:
		return 0;
	}
}

int ipvs_tun_gso_type(const struct ipvs_dest *dest, const struct sk_buff *skb, u16 outer_af)
{
	int type = outer_af == AF_INET6 ? SKB_GSO_IPXIP6 : SKB_GSO_IPXIP4;

	switch (dest->tun_type) {
	case IP_VS_CONN_F_TUNNEL_TYPE_GUE:
		type |= ipvs_gue_csum(dest) ? SKB_GSO_UDP_TUNNEL_CSUM : SKB_GSO_UDP_TUNNEL;
		if (ipvs_gue_remcsum(dest, skb))
			type |= SKB_GSO_TUNNEL_REMCSUM;
		break;
	case IP_VS_CONN_F_TUNNEL_TYPE_GRE:
		type |= ipvs_gre_tflags(dest) ? SKB_GSO_GRE_CSUM : SKB_GSO_GRE;
		break;
	}
	return type;
}

/* Push the GUE header (and its remote checksum option) and the UDP header. */
static int ipvs_gue_push(struct net *net, struct sk_buff *skb, const struct ipvs_dest *dest,
			 u8 inner_proto)
{
	bool remcsum = ipvs_gue_remcsum(dest, skb);
	size_t optlen = remcsum ? IPVS_GUE_REMCSUM_LEN : 0;
	size_t hlen = sizeof(struct guehdr) + optlen;
	struct guehdr *gh;
	struct udphdr *uh;

	gh = skb_push(skb, hlen);
	gh->word = 0;
	gh->hlen = optlen >> 2;
	gh->proto_ctype = inner_proto;

	if (remcsum) {
		__be32 *pflags = (__be32 *)(gh + 1);
		__be16 *where = (__be16 *)(pflags + 1);
		/* Offsets count from the end of the GUE header. */
		int start = skb_checksum_start_offset(skb) - (int)hlen;

		if (start < 0)
			return -EINVAL;
		gh->flags = GUE_FLAG_PRIV;
		*pflags = GUE_PFLAG_REMCSUM;
		where[0] = htons(start);
		where[1] = htons(start + skb->csum_offset);
		/* The receiver completes the checksum; segmentation still
		 * needs the partial state to do it per segment.
		 */
		if (!skb_is_gso(skb)) {
			skb->ip_summed = CHECKSUM_NONE;
			skb->encapsulation = 0;
		}
	}

	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = udp_flow_src_port(net, skb, 0, 0, false);
	uh->dest = dest->tun_port;
	uh->len = htons(skb->len);
	uh->check = 0;
	return 0;
}

/*
 * Push the encapsulation of @dest in front of the inner packet (headroom
 * already reserved). *next_proto: the inner protocol on entry, the outer
 * header's protocol on return. @saddr: the outer source, for the UDP
 * checksum. Non-zero: drop.
 */
int ipvs_tun_encap(struct net *net, struct sk_buff *skb, const struct ipvs_dest *dest,
		   u16 outer_af, const union nf_inet_addr *saddr, u8 *next_proto)
{
	switch (dest->tun_type) {
	case IP_VS_CONN_F_TUNNEL_TYPE_GUE:
		if (ipvs_gue_push(net, skb, dest, *next_proto))
			return -EINVAL;
		if (outer_af == AF_INET6)
			udp6_set_csum(!ipvs_gue_csum(dest), skb, &saddr->in6, &dest->addr.in6,
				      skb->len);
		else
			udp_set_csum(!ipvs_gue_csum(dest), skb, saddr->ip, dest->addr.ip,
				     skb->len);
		*next_proto = IPPROTO_UDP;
		return 0;
	case IP_VS_CONN_F_TUNNEL_TYPE_GRE:
		gre_build_header(skb, gre_calc_hlen(ipvs_gre_tflags(dest)), ipvs_gre_tflags(dest),
				 htons(*next_proto == IPPROTO_IPIP ? ETH_P_IP : ETH_P_IPV6), 0, 0);
		*next_proto = IPPROTO_GRE;
		return 0;
	default:
		return 0;
	}
}
