// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors that relate to a connection, IPv4 and IPv6.
 *
 *  - Output (a real server reports a problem with a packet the client sent
 *    it, e.g. port unreachable): the quoted packet is client -> real server.
 *    The outer source and the quoted destination become the VIP again, the
 *    quoted destination port the virtual port, and the error goes on to the
 *    client (FORWARD). An error quoting client -> VIP of a DR, TUN or
 *    local connection (this host's own "fragmentation needed" before
 *    tunnelling) is counted as outgoing and left alone, as upstream does.
 *  - Input (the client reports a problem with a reply, e.g. fragmentation
 *    needed): the quoted packet is VIP -> client. The outer destination and
 *    the quoted source become the real server, and the error is sent to it.
 *
 * Only error types are considered (v4: destination unreachable, source
 * quench, time exceeded; v6: every error type), quoting TCP or UDP with
 * ports. The quoted transport checksum is left alone (the receiver does not
 * check it, and upstream does the same); the quoted IPv4 header checksum and
 * the ICMP checksum are recomputed.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>
#include <ipvs/xmit.h>

#define IPVS_ICMP_HDR_LEN	8	/* icmphdr and icmp6hdr alike */

/* Is this an error quoting a TCP/UDP packet? Fills the quoted headers. */
static bool ipvs_icmp_quote(struct sk_buff *skb, const struct ipvs_iphdr *iph,
			    struct ipvs_iphdr *ciph)
{
	u8 _type;
	const u8 *type = skb_header_pointer(skb, iph->len, 1, &_type);

	if (!type || (iph->flags & IPVS_IPH_F_FRAG))
		return false;
	if (iph->af == AF_INET6) {
		if (*type & ICMPV6_INFOMSG_MASK)
			return false;
	} else if (*type != ICMP_DEST_UNREACH && *type != ICMP_SOURCE_QUENCH &&
		   *type != ICMP_TIME_EXCEEDED) {
		return false;
	}
	if (!ipvs_iph_parse(iph->af, skb, iph->len + IPVS_ICMP_HDR_LEN, ciph))
		return false;
	if (ciph->flags & IPVS_IPH_F_FRAG)
		return false;
	return ciph->protocol == IPPROTO_TCP || ciph->protocol == IPPROTO_UDP ||
	       ciph->protocol == IPPROTO_SCTP;
}

/* Recompute the ICMP checksum over the whole message. */
static void ipvs_icmp_csum(struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	int off = iph->len, len = skb->len - off;

	if (iph->af == AF_INET6) {
		struct icmp6hdr *ic = (struct icmp6hdr *)(skb->data + off);
		struct ipv6hdr *h = ipv6_hdr(skb);

		ic->icmp6_cksum = 0;
		ic->icmp6_cksum = csum_ipv6_magic(&h->saddr, &h->daddr, len, IPPROTO_ICMPV6,
						  skb_checksum(skb, off, len, 0));
	} else {
		struct icmphdr *ic = (struct icmphdr *)(skb->data + off);

		ic->checksum = 0;
		ic->checksum = csum_fold(skb_checksum(skb, off, len, 0));
	}
	skb->ip_summed = CHECKSUM_UNNECESSARY;
}

/*
 * Rewrite an error. @out: real server -> client (outer saddr and quoted
 * daddr:dport become the VIP); else client -> real server (outer daddr and
 * quoted saddr:sport become the real server).
 */
static bool ipvs_icmp_nat(struct sk_buff *skb, const struct ipvs_conn *cp,
			  const struct ipvs_iphdr *iph, const struct ipvs_iphdr *ciph, bool out)
{
	const union nf_inet_addr *a = out ? &cp->vaddr : &cp->daddr;
	__be16 *ports;

	if (skb_ensure_writable(skb, ciph->len + 4))
		return false;
	ports = (__be16 *)(skb->data + ciph->len);

	if (cp->af == AF_INET6) {
		struct ipv6hdr *h = ipv6_hdr(skb);
		struct ipv6hdr *ch = (struct ipv6hdr *)(skb->data + iph->len + IPVS_ICMP_HDR_LEN);

		if (out) {
			h->saddr = a->in6;
			ch->daddr = a->in6;
		} else {
			h->daddr = a->in6;
			ch->saddr = a->in6;
		}
	} else {
		struct iphdr *h = ip_hdr(skb);
		struct iphdr *ch = (struct iphdr *)(skb->data + iph->len + IPVS_ICMP_HDR_LEN);

		if (out) {
			h->saddr = a->ip;
			ch->daddr = a->ip;
		} else {
			h->daddr = a->ip;
			ch->saddr = a->ip;
		}
		ip_send_check(h);
		ip_send_check(ch);
	}
	if (out)
		ports[1] = cp->vport;
	else
		ports[0] = cp->dport;

	ipvs_icmp_csum(skb, iph);
	return true;
}

void ipvs_icmp_count(struct ipvs_dp_net *dp, struct ipvs_conn *cp, bool out, unsigned int len)
{
	struct ipvs_dest *dest = cp->dest;
	struct ipvs_service *svc;

	if (!(READ_ONCE(dest->flags) & IP_VS_DEST_F_AVAILABLE))
		return;
	ipvs_stats_pkt(&dest->stats, out, len);
	svc = rcu_dereference(dest->svc);
	if (svc)
		ipvs_stats_pkt(&svc->stats, out, len);
	ipvs_stats_pkt(&dp->ipvs->tot_stats, out, len);
}

/*
 * An error quoting client -> VIP of a DR, TUN or local connection, e.g. the
 * "fragmentation needed" this host sends when a packet will not fit the
 * tunnel: for those methods upstream's reply lookup matches the virtual
 * side, so such an error counts as outgoing and leaves as it is.
 */
static unsigned int ipvs_out_icmp_direct(struct ipvs_dp_net *dp, struct sk_buff *skb,
					 const struct ipvs_iphdr *iph,
					 const struct ipvs_iphdr *ciph, bool *related)
{
	struct ipvs_conn *cp;

	cp = ipvs_conn_in_get(dp, iph->af, ciph->protocol, &ciph->saddr, ciph->sport,
			      &ciph->daddr, ciph->dport);
	if (!cp || ipvs_conn_fwd(cp) == IP_VS_CONN_F_MASQ)
		return NF_ACCEPT;
	*related = true;
	ipvs_icmp_count(dp, cp, true, skb->len);
	ipvs_nfct_after_xmit(skb, cp, false);
	return NF_ACCEPT;
}

unsigned int ipvs_out_icmp(struct ipvs_dp_net *dp, struct sk_buff *skb,
			   const struct ipvs_iphdr *iph, unsigned int hooknum, bool *related)
{
	const struct ipvs_xmit_ops *xo;
	struct ipvs_iphdr ciph;
	struct ipvs_conn *cp;

	*related = false;
	if (!ipvs_icmp_quote(skb, iph, &ciph))
		return NF_ACCEPT;
	cp = ipvs_conn_out_get(dp, iph->af, ciph.protocol, &ciph.saddr, ciph.sport,
			       &ciph.daddr, ciph.dport);
	if (!cp)
		return ipvs_out_icmp_direct(dp, skb, iph, &ciph, related);
	*related = true;
	xo = ipvs_xmit_ops_get(ipvs_conn_fwd(cp));
	if (!xo || !xo->handles_replies)
		return NF_ACCEPT;

	if (!ipvs_icmp_nat(skb, cp, iph, &ciph, true))
		return NF_DROP;
	if (ipvs_snat_reroute(dp, skb, iph->af, hooknum))
		return NF_DROP;
	ipvs_icmp_count(dp, cp, true, skb->len);
	ipvs_nfct_after_xmit(skb, cp, false);
	return NF_ACCEPT;
}

unsigned int ipvs_in_icmp(struct ipvs_dp_net *dp, struct sk_buff *skb,
			  const struct ipvs_iphdr *iph, unsigned int hooknum, bool *related)
{
	const struct ipvs_xmit_ops *xo;
	struct ipvs_iphdr ciph;
	struct ipvs_conn *cp;
	unsigned int verdict;

	*related = false;
	if (ipvs_tun_icmp(dp, skb, iph, hooknum, &verdict)) {
		*related = true;
		return verdict;
	}
	if (!ipvs_icmp_quote(skb, iph, &ciph))
		return NF_ACCEPT;
	/* The quoted packet went VIP -> client. */
	cp = ipvs_conn_in_get(dp, iph->af, ciph.protocol, &ciph.daddr, ciph.dport,
			      &ciph.saddr, ciph.sport);
	if (!cp)
		return NF_ACCEPT;
	*related = true;
	if (ipvs_conn_fwd(cp) != IP_VS_CONN_F_MASQ) {
		/* DR, TUN, local: the error goes to the real server as it is,
		 * by the connection's own transmitter. (Upstream leaves IPv6
		 * ones of local clients to the local stack.)
		 */
		xo = ipvs_xmit_ops_get(ipvs_conn_fwd(cp));
		if (!xo || (iph->af == AF_INET6 && hooknum == NF_INET_LOCAL_OUT))
			return NF_ACCEPT;
		ipvs_icmp_count(dp, cp, false, skb->len);
		return xo->xmit(dp, skb, cp, ipvs_proto_get(ciph.protocol), &ciph,
				hooknum == NF_INET_LOCAL_OUT);
	}

	if (!ipvs_icmp_nat(skb, cp, iph, &ciph, false))
		return NF_DROP;
	ipvs_icmp_count(dp, cp, false, skb->len);
	return ipvs_nat_xmit_icmp(dp, skb, cp, hooknum == NF_INET_LOCAL_OUT);
}
