/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsed packet headers, filled once per packet by the packet path and
 * handed to schedulers and protocol handlers, so nobody parses twice.
 */
#ifndef _IPVS_PACKET_H
#define _IPVS_PACKET_H

#include <linux/types.h>
#include <linux/netfilter.h>

struct ipvs_iphdr {
	u16			af;		/* AF_INET or AF_INET6 */
	u8			protocol;	/* transport protocol */
	u8			flags;		/* IPVS_IPH_F_* */
	int			len;		/* offset of the transport header */
	u16			fragoffs;	/* IPv6 fragment offset, else 0 */
	u8			tcpflags;	/* with IPVS_IPH_F_TCPFL: byte 13 */
	union nf_inet_addr	saddr;
	union nf_inet_addr	daddr;
	__be16			sport;		/* 0 when the protocol has none */
	__be16			dport;
};

#define IPVS_IPH_F_ICMP_INNER	0x01	/* headers of the packet inside an ICMP error */
#define IPVS_IPH_F_FRAG		0x02	/* not the first fragment: no ports */
/* tcpflags holds the flags of a whole TCP header that the parse saw in the
 * linear area (IPv4 fast path only; otherwise read them from the packet).
 */
#define IPVS_IPH_F_TCPFL	0x04

#endif /* _IPVS_PACKET_H */
