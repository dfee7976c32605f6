// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/ip_vs_conn and /proc/net/ip_vs_conn_sync, per namespace, in
 * upstream's exact text format ("ipvsadm -Lnc" parses the first one).
 *
 * The listing walks the rhashtable's current bucket array under
 * rcu_read_lock() with a cursor (bucket, position in bucket) kept between
 * reads, so a sequential read costs O(entries), not O(entries^2). During a
 * table resize an entry may show twice or not at all, as with any lockless
 * listing. Expired entries that the collector has not reaped yet are not
 * shown.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>

struct ipvs_conn_iter {
	struct seq_net_private	p;	/* first: seq_file_net() relies on it */
	unsigned int		bucket;
	unsigned int		skip;	/* entries of @bucket already returned */
};

const char *ipvs_conn_state_name(const struct ipvs_conn *cp)
{
	const struct ipvs_proto *pp = ipvs_proto_get(cp->protocol);
	u8 state = READ_ONCE(cp->state);

	if (ipvs_conn_is_tmpl(cp))
		return state == IPVS_CTPL_S_ASSURED ? "ASSURED" : "NONE";
	return pp ? pp->state_name(state) : "ERR!";
}

/* The live entry at the cursor, moving the cursor past dead ones. */
static struct ipvs_conn *ipvs_conn_seq_cur(struct seq_file *seq)
{
	struct ipvs_dp_net *dp = ipvs_dp(seq_file_net(seq));
	struct ipvs_conn_iter *it = seq->private;
	const struct bucket_table *tbl;
	unsigned long now = jiffies;
	struct rhash_head *pos;
	struct ipvs_conn *cp;
	unsigned int n;

	if (!ipvs_conn_tab_ready(dp))
		return NULL;
	tbl = rht_dereference_rcu(dp->conn_tab.tbl, &dp->conn_tab);
	for (; it->bucket < tbl->size; it->bucket++, it->skip = 0) {
		n = 0;
		rht_for_each_entry_rcu(cp, pos, tbl, it->bucket, node) {
			if (n++ < it->skip)
				continue;
			if (ipvs_conn_dead(cp, now)) {
				it->skip++;
				continue;
			}
			return cp;
		}
	}
	return NULL;
}

static void *ipvs_conn_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	struct ipvs_conn_iter *it = seq->private;

	rcu_read_lock();
	if (*pos == 0) {
		it->bucket = 0;
		it->skip = 0;
		return SEQ_START_TOKEN;
	}
	return ipvs_conn_seq_cur(seq);
}

static void *ipvs_conn_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct ipvs_conn_iter *it = seq->private;

	++*pos;
	if (v != SEQ_START_TOKEN)
		it->skip++;
	return ipvs_conn_seq_cur(seq);
}

static void ipvs_conn_seq_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static unsigned int ipvs_conn_expires_in(const struct ipvs_conn *cp)
{
	unsigned long now = jiffies;

	return (unsigned int)((ipvs_conn_expires(cp, now) - now) / HZ);
}

/* An invalidated template shows ports 65535, as upstream rehashes it. */
static __be16 ipvs_conn_show_port(const struct ipvs_conn *cp, __be16 port)
{
	return READ_ONCE(cp->flags) & IPVS_CONN_F_TMPL_INVALID ? htons(0xffff) : port;
}

/* The columns both files share, up to and including the state. */
/* The real server in its own family: a tunnel may cross families. */
static const char *ipvs_conn_daddr(const struct ipvs_conn *cp, char *buf, size_t len)
{
	if (cp->dest->af == AF_INET6)
		snprintf(buf, len, "%pI6", &cp->daddr.in6);
	else
		snprintf(buf, len, "%08X", ntohl(cp->daddr.ip));
	return buf;
}

static void ipvs_conn_show_common(struct seq_file *seq, const struct ipvs_conn *cp)
{
	__be16 vport = ipvs_conn_show_port(cp, cp->vport);
	__be16 dport = ipvs_conn_show_port(cp, cp->dport);
	char buf[16], dbuf[40];

	if (cp->af == AF_INET6)
		seq_printf(seq, "%-3s %pI6 %04X %pI6 %04X %s %04X %-11s ",
			   ipvs_proto_name(cp->protocol, buf, sizeof(buf)),
			   &cp->caddr.in6, ntohs(cp->cport), &cp->vaddr.in6, ntohs(vport),
			   ipvs_conn_daddr(cp, dbuf, sizeof(dbuf)), ntohs(dport),
			   ipvs_conn_state_name(cp));
	else
		seq_printf(seq, "%-3s %08X %04X %08X %04X %s %04X %-11s ",
			   ipvs_proto_name(cp->protocol, buf, sizeof(buf)),
			   ntohl(cp->caddr.ip), ntohs(cp->cport), ntohl(cp->vaddr.ip),
			   ntohs(vport), ipvs_conn_daddr(cp, dbuf, sizeof(dbuf)), ntohs(dport),
			   ipvs_conn_state_name(cp));
}

static int ipvs_conn_seq_show(struct seq_file *seq, void *v)
{
	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       "
			 "Expires PEName PEData\n");
		return 0;
	}
	ipvs_conn_show_common(seq, v);
	seq_printf(seq, "%7u\n", ipvs_conn_expires_in(v));
	return 0;
}

static int ipvs_conn_sync_seq_show(struct seq_file *seq, void *v)
{
	const struct ipvs_conn *cp = v;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       "
			 "Origin Expires\n");
		return 0;
	}
	ipvs_conn_show_common(seq, cp);
	seq_printf(seq, "%-6s %7u\n", cp->flags & IP_VS_CONN_F_SYNC ? "SYNC" : "LOCAL",
		   ipvs_conn_expires_in(cp));
	return 0;
}

static const struct seq_operations ipvs_conn_seq_ops = {
	.start	= ipvs_conn_seq_start,
	.next	= ipvs_conn_seq_next,
	.stop	= ipvs_conn_seq_stop,
	.show	= ipvs_conn_seq_show,
};

static const struct seq_operations ipvs_conn_sync_seq_ops = {
	.start	= ipvs_conn_seq_start,
	.next	= ipvs_conn_seq_next,
	.stop	= ipvs_conn_seq_stop,
	.show	= ipvs_conn_sync_seq_show,
};

int ipvs_proc_conn_init(struct ipvs_dp_net *dp)
{
	struct net *net = dp->net;

	if (!proc_create_net("ip_vs_conn", 0, net->proc_net, &ipvs_conn_seq_ops,
			     sizeof(struct ipvs_conn_iter)))
		return -ENOMEM;
	if (!proc_create_net("ip_vs_conn_sync", 0, net->proc_net, &ipvs_conn_sync_seq_ops,
			     sizeof(struct ipvs_conn_iter))) {
		remove_proc_entry("ip_vs_conn", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void ipvs_proc_conn_uninit(struct ipvs_dp_net *dp)
{
	remove_proc_entry("ip_vs_conn_sync", dp->net->proc_net);
	remove_proc_entry("ip_vs_conn", dp->net->proc_net);
}
