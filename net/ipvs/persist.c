// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling a new connection: the service's port rules, one-packet
 * scheduling (-o) and persistence (-p) through connection templates.
 *
 * Persistence, with upstream's semantics:
 *
 *  - A template <af, proto, caddr & netmask, 0, vaddr, vport> pins a client
 *    network (-M netmask, or an IPv6 prefix length) to a real server. Its
 *    key drops the virtual port for FTP (port 21: control and data
 *    connections share one template) and uses <IPPROTO_IP, fwmark, 0> when
 *    the packet reaches a fwmark service on another port than the service
 *    port (always, since fwmark services have port 0): every port and
 *    protocol of the mark shares one template. A port-zero service keys on
 *    <proto, vaddr, 0>. The template's dport is the server's port when the
 *    key has a virtual port, else 0.
 *  - The template lives for the persistence timeout after the last
 *    connection that it scheduled; while it still controls connections it
 *    is re-armed 60 s at a time (conn.c computes those instants lazily).
 *  - A template whose server was removed, or has weight 0 while the
 *    expire_quiescent_template sysctl is on, is invalidated on its next
 *    use: it stops matching (and shows ports 65535), the client is
 *    scheduled afresh, and the old template expires on its own timer.
 *  - A template becomes ASSURED when one of its connections is established
 *    (TCP, SCTP) or sees a reply (UDP).
 *
 * One-packet scheduling: for UDP (and UDP under a fwmark service) every
 * datagram is scheduled; its connection entry is never hashed and is freed
 * once the datagram is sent. Upstream applies the flag to UDP only, so a
 * TCP service with -o (refused by ipvsadm, accepted by the kernel) behaves
 * as a normal one.
 *
 * Locking: the template's n_control, its INVALID flag and the re-arming of
 * its timer change under the template's lock (ct->lock), always taken with
 * BHs disabled; see conn.c for why that keeps templates alive.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <net/ipv6.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>
#include <ipvs/sched.h>

#define IPVS_FTPPORT	cpu_to_be16(21)

/* Write back the re-arming ipvs_conn_expires() computes for instant @now
 * (the current time, or when a controlled connection died); under ct->lock.
 */
void ipvs_tmpl_extend(struct ipvs_conn *ct, unsigned long now)
{
	lockdep_assert_held(&ct->lock);

	if (!ct->n_control || !ipvs_conn_expired(ct, now))
		return;
	WRITE_ONCE(ct->expires, ipvs_conn_expires(ct, now));
	WRITE_ONCE(ct->timeout, IPVS_TMPL_REARM);
}

/* Upstream's check_template: may @ct still pin clients to its server? */
bool ipvs_tmpl_usable(struct ipvs_dp_net *dp, struct ipvs_conn *ct)
{
	struct ipvs_dest *dest = ct->dest;

	if ((READ_ONCE(dest->flags) & IP_VS_DEST_F_AVAILABLE) &&
	    !(READ_ONCE(dp->sysctl.expire_quiescent_template) && !atomic_read(&dest->weight)))
		return true;

	spin_lock_bh(&ct->lock);
	WRITE_ONCE(ct->flags, ct->flags | IPVS_CONN_F_TMPL_INVALID);
	spin_unlock_bh(&ct->lock);
	return false;
}

/*
 * @cp (not hashed yet) is scheduled through @ct: count it, and restart the
 * template's timer as upstream does each time a template is used. False if
 * the template is already on its way out (then @cp stays uncontrolled).
 */
bool ipvs_conn_control_add(struct ipvs_conn *cp, struct ipvs_conn *ct)
{
	unsigned long now = jiffies;

	spin_lock_bh(&ct->lock);
	if (ct->unlinked) {
		spin_unlock_bh(&ct->lock);
		return false;
	}
	ipvs_tmpl_extend(ct, now);
	ct->n_control++;
	WRITE_ONCE(ct->expires, now + ct->timeout);
	spin_unlock_bh(&ct->lock);
	cp->control = ct;
	return true;
}

void ipvs_conn_control_del(struct ipvs_conn *cp)
{
	struct ipvs_conn *ct = cp->control;
	unsigned long gone = jiffies;

	/* The collector reaps a connection up to a second after it expired:
	 * it stopped holding the template at its expiry, not now.
	 */
	if (ipvs_conn_expired(cp, gone))
		gone = READ_ONCE(cp->expires);

	spin_lock_bh(&ct->lock);
	ipvs_tmpl_extend(ct, gone);
	ct->n_control--;
	spin_unlock_bh(&ct->lock);
}

/* @cp got established (or answered): its template is ASSURED. */
void ipvs_conn_assure_ct(struct ipvs_conn *cp)
{
	struct ipvs_conn *ct = cp->control;

	if (ct && READ_ONCE(ct->state) != IPVS_CTPL_S_ASSURED)
		WRITE_ONCE(ct->state, IPVS_CTPL_S_ASSURED);
}

static u32 ipvs_ops_flag(const struct ipvs_service *svc, const struct ipvs_iphdr *iph)
{
	return (READ_ONCE(svc->flags) & IP_VS_SVC_F_ONEPACKET) && iph->protocol == IPPROTO_UDP ?
	       IP_VS_CONN_F_ONE_PACKET : 0;
}

/* The connection of @iph to @dest, controlled by @ct if not NULL. */
static struct ipvs_conn *ipvs_conn_for(struct ipvs_dp_net *dp, struct ipvs_service *svc,
				       const struct ipvs_iphdr *iph, struct ipvs_dest *dest,
				       __be16 dport, struct ipvs_conn *ct)
{
	struct ipvs_conn_param p = {
		.af = svc->af, .protocol = iph->protocol,
		.caddr = &iph->saddr, .cport = iph->sport,
		.vaddr = &iph->daddr, .vport = iph->dport,
		.dport = dport, .flags = ipvs_ops_flag(svc, iph), .ct = ct,
	};

	/* Only a tunnel crosses families (the control plane enforces it). */
	if (dest->af != svc->af &&
	    (atomic_read(&dest->conn_flags) & IP_VS_CONN_F_FWD_MASK) != IP_VS_CONN_F_TUNNEL)
		return NULL;
	return ipvs_conn_new(dp, &p, dest);
}

static struct ipvs_conn *ipvs_persist_schedule(struct ipvs_dp_net *dp,
					       struct ipvs_service *svc,
					       struct sk_buff *skb,
					       const struct ipvs_iphdr *iph, bool *leave)
{
	union nf_inet_addr snet = {}, fwm = {};
	struct ipvs_conn_param tp = {
		.af = svc->af, .protocol = iph->protocol, .caddr = &snet,
		.vaddr = &iph->daddr, .flags = IP_VS_CONN_F_TEMPLATE,
	};
	bool svc_port = iph->dport == svc->port;
	struct ipvs_dest *dest;
	struct ipvs_conn *ct;
	__be16 dport;

	if (svc->af == AF_INET6)
		ipv6_addr_prefix(&snet.in6, &iph->saddr.in6,
				 (__force u32)READ_ONCE(svc->netmask));
	else
		snet.ip = iph->saddr.ip & READ_ONCE(svc->netmask);

	if (svc_port) {
		if (svc->port != IPVS_FTPPORT)
			tp.vport = iph->dport;
	} else if (svc->fwmark) {
		fwm.ip = htonl(svc->fwmark);
		tp.protocol = IPPROTO_IP;
		tp.vaddr = &fwm;
	}

	ct = ipvs_conn_tmpl_get(dp, tp.af, tp.protocol, &snet, tp.vaddr, tp.vport);
	if (ct && !ipvs_tmpl_usable(dp, ct))
		ct = NULL;
	if (!ct) {
		dest = ipvs_schedule(svc, skb, iph);
		if (!dest) {
			*leave = true;
			return NULL;
		}
		if (tp.vport)
			tp.dport = dest->port;
		tp.timeout = READ_ONCE(svc->timeout);
		ct = ipvs_conn_new(dp, &tp, dest);
		if (!ct)
			return NULL;
	}

	dest = ct->dest;
	dport = svc_port && dest->port ? dest->port : iph->dport;
	return ipvs_conn_for(dp, svc, iph, dest, dport, ct);
}

/*
 * A new connection for @iph, which reached @svc. Under rcu_read_lock(), BHs
 * disabled. NULL: *leave tells whether the client should be told that
 * nobody serves it (no server) or the packet just dropped.
 */
struct ipvs_conn *ipvs_conn_schedule(struct ipvs_dp_net *dp, struct ipvs_service *svc,
				     struct sk_buff *skb, const struct ipvs_iphdr *iph,
				     bool *leave)
{
	struct ipvs_dest *dest;

	*leave = false;
	if (READ_ONCE(svc->flags) & IP_VS_SVC_F_PERSISTENT)
		return ipvs_persist_schedule(dp, svc, skb, iph, leave);

	if (!svc->fwmark && iph->dport != svc->port) {
		if (!svc->port)
			pr_err_ratelimited("Schedule: port zero only supported in persistent services, check your ipvs configuration\n");
		*leave = true;
		return NULL;
	}

	dest = ipvs_schedule(svc, skb, iph);
	if (!dest) {
		*leave = true;
		return NULL;
	}
	return ipvs_conn_for(dp, svc, iph, dest, dest->port ? dest->port : iph->dport, NULL);
}
