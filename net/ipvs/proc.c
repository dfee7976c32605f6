// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/ip_vs, /proc/net/ip_vs_stats and /proc/net/ip_vs_stats_percpu,
 * per namespace, in upstream's exact text format (scripts parse them).
 *
 * The service listing runs under rcu_read_lock() only, like the packet
 * path will; it never takes the config mutex.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <ipvs/ipvs.h>

struct ipvs_proc_iter {
	struct seq_net_private	p;	/* first: seq_file_net() relies on it */
	int			bucket;	/* svc_table buckets, then fwm_table's */
};

static struct hlist_head *ipvs_proc_bucket(struct ipvs_net *ipvs, int i)
{
	return i < IPVS_SVC_TAB_SIZE ? &ipvs->svc_table[i] :
	       &ipvs->fwm_table[i - IPVS_SVC_TAB_SIZE];
}

static struct ipvs_service *ipvs_proc_first_from(struct seq_file *seq, int bucket)
{
	struct ipvs_net *ipvs = ipvs_net(seq_file_net(seq));
	struct ipvs_proc_iter *iter = seq->private;
	struct ipvs_service *svc;

	for (; bucket < 2 * IPVS_SVC_TAB_SIZE; bucket++) {
		hlist_for_each_entry_rcu(svc, ipvs_proc_bucket(ipvs, bucket), s_list) {
			iter->bucket = bucket;
			return svc;
		}
	}
	return NULL;
}

static struct ipvs_service *ipvs_proc_next_svc(struct seq_file *seq,
					       struct ipvs_service *svc)
{
	struct ipvs_proc_iter *iter = seq->private;
	struct hlist_node *e = rcu_dereference(hlist_next_rcu(&svc->s_list));

	if (e)
		return hlist_entry(e, struct ipvs_service, s_list);
	return ipvs_proc_first_from(seq, iter->bucket + 1);
}

static struct ipvs_service *ipvs_proc_idx(struct seq_file *seq, loff_t pos)
{
	struct ipvs_service *svc = ipvs_proc_first_from(seq, 0);

	while (svc && pos--)
		svc = ipvs_proc_next_svc(seq, svc);
	return svc;
}

static void *ipvs_info_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	return *pos ? ipvs_proc_idx(seq, *pos - 1) : SEQ_START_TOKEN;
}

static void *ipvs_info_next(struct seq_file *seq, void *v, loff_t *pos)
{
	++*pos;
	if (v == SEQ_START_TOKEN)
		return ipvs_proc_first_from(seq, 0);
	return ipvs_proc_next_svc(seq, v);
}

static void ipvs_info_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static const char *ipvs_fwd_name(unsigned int flags)
{
	switch (flags & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_LOCALNODE:
		return "Local";
	case IP_VS_CONN_F_TUNNEL:
		return "Tunnel";
	case IP_VS_CONN_F_DROUTE:
		return "Route";
	default:
		return "Masq";
	}
}

static void ipvs_info_show_service(struct seq_file *seq, struct ipvs_service *svc)
{
	const char *sched = ipvs_service_sched_name(svc);
	u32 flags = READ_ONCE(svc->flags);
	const char *ops = flags & IP_VS_SVC_F_ONEPACKET ? "ops " : "";
	struct ipvs_dest *dest;
	char buf[16];

	/* Spacing is upstream's, including its IPv4/IPv6 asymmetry. */
	if (svc->fwmark)
		seq_printf(seq, "FWM  %08X %s %s", svc->fwmark, sched, ops);
	else if (svc->af == AF_INET6)
		seq_printf(seq, "%s  [%pI6]:%04X %s ",
			   ipvs_proto_name(svc->protocol, buf, sizeof(buf)),
			   &svc->addr.in6, ntohs(svc->port), sched);
	else
		seq_printf(seq, "%s  %08X:%04X %s %s ",
			   ipvs_proto_name(svc->protocol, buf, sizeof(buf)),
			   ntohl(svc->addr.ip), ntohs(svc->port), sched, ops);

	/* Upstream prints the persistence timeout in jiffies. */
	if (flags & IP_VS_SVC_F_PERSISTENT)
		seq_printf(seq, "persistent %d %08X\n", READ_ONCE(svc->timeout),
			   ntohl(READ_ONCE(svc->netmask)));
	else
		seq_putc(seq, '\n');

	list_for_each_entry_rcu(dest, &svc->destinations, n_list) {
		if (dest->af == AF_INET6)
			seq_printf(seq, "  -> [%pI6]:%04X      %-7s %-6d %-10d %-10d\n",
				   &dest->addr.in6, ntohs(dest->port),
				   ipvs_fwd_name(atomic_read(&dest->conn_flags)),
				   atomic_read(&dest->weight),
				   atomic_read(&dest->activeconns),
				   atomic_read(&dest->inactconns));
		else
			seq_printf(seq, "  -> %08X:%04X      %-7s %-6d %-10d %-10d\n",
				   ntohl(dest->addr.ip), ntohs(dest->port),
				   ipvs_fwd_name(atomic_read(&dest->conn_flags)),
				   atomic_read(&dest->weight),
				   atomic_read(&dest->activeconns),
				   atomic_read(&dest->inactconns));
	}
}

static int ipvs_info_show(struct seq_file *seq, void *v)
{
	if (v == SEQ_START_TOKEN) {
		seq_printf(seq, "IP Virtual Server version %d.%d.%d (size=%d)\n",
			   NVERSION(IP_VS_VERSION_CODE), ipvs_conn_tab_size);
		seq_puts(seq, "Prot LocalAddress:Port Scheduler Flags\n");
		seq_puts(seq, "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n");
		return 0;
	}
	ipvs_info_show_service(seq, v);
	return 0;
}

static const struct seq_operations ipvs_info_seq_ops = {
	.start	= ipvs_info_start,
	.next	= ipvs_info_next,
	.stop	= ipvs_info_stop,
	.show	= ipvs_info_show,
};

static int ipvs_stats_show(struct seq_file *seq, void *v)
{
	struct ipvs_net *ipvs = ipvs_net(seq_file_single_net(seq));
	struct ipvs_kstats k;

	ipvs_stats_read(&ipvs->tot_stats, &k);
	seq_puts(seq, "   Total Incoming Outgoing         Incoming         Outgoing\n");
	seq_puts(seq, "   Conns  Packets  Packets            Bytes            Bytes\n");
	seq_printf(seq, "%8llX %8llX %8llX %16llX %16llX\n\n",
		   k.conns, k.inpkts, k.outpkts, k.inbytes, k.outbytes);
	seq_puts(seq, " Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n");
	seq_printf(seq, "%8llX %8llX %8llX %16llX %16llX\n",
		   k.cps, k.inpps, k.outpps, k.inbps, k.outbps);
	return 0;
}

static int ipvs_stats_percpu_show(struct seq_file *seq, void *v)
{
	struct ipvs_net *ipvs = ipvs_net(seq_file_single_net(seq));
	struct ipvs_kstats k;
	int cpu;

	seq_puts(seq, "       Total Incoming Outgoing         Incoming         Outgoing\n");
	seq_puts(seq, "CPU    Conns  Packets  Packets            Bytes            Bytes\n");
	for_each_possible_cpu(cpu) {
		ipvs_stats_read_cpu(&ipvs->tot_stats, cpu, &k);
		seq_printf(seq, "%3X %8llX %8llX %8llX %16llX %16llX\n",
			   cpu, k.conns, k.inpkts, k.outpkts, k.inbytes, k.outbytes);
	}

	ipvs_stats_read(&ipvs->tot_stats, &k);
	seq_printf(seq, "  ~ %8llX %8llX %8llX %16llX %16llX\n\n",
		   k.conns, k.inpkts, k.outpkts, k.inbytes, k.outbytes);
	seq_puts(seq, "     Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n");
	seq_printf(seq, "    %8llX %8llX %8llX %16llX %16llX\n",
		   k.cps, k.inpps, k.outpps, k.inbps, k.outbps);
	return 0;
}

int ipvs_proc_init(struct ipvs_net *ipvs)
{
	struct net *net = ipvs->net;

	if (!proc_create_net("ip_vs", 0, net->proc_net, &ipvs_info_seq_ops,
			     sizeof(struct ipvs_proc_iter)))
		goto err;
	if (!proc_create_net_single("ip_vs_stats", 0, net->proc_net, ipvs_stats_show, NULL))
		goto err_info;
	if (!proc_create_net_single("ip_vs_stats_percpu", 0, net->proc_net,
				    ipvs_stats_percpu_show, NULL))
		goto err_stats;
	return 0;

err_stats:
	remove_proc_entry("ip_vs_stats", net->proc_net);
err_info:
	remove_proc_entry("ip_vs", net->proc_net);
err:
	return -ENOMEM;
}

void ipvs_proc_uninit(struct ipvs_net *ipvs)
{
	struct net *net = ipvs->net;

	remove_proc_entry("ip_vs_stats_percpu", net->proc_net);
	remove_proc_entry("ip_vs_stats", net->proc_net);
	remove_proc_entry("ip_vs", net->proc_net);
}
