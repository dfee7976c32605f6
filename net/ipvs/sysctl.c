// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace sysctls under /proc/sys/net/ipv4/vs/, read locklessly
 * (READ_ONCE) by the packet path. Names, defaults and meaning follow
 * upstream for the subset that exists here:
 *
 *   expire_nodest_conn        1: a connection whose real server was removed
 *                             is expired on its next packet (and by the
 *                             collector) instead of having its packets
 *                             dropped. Default 0.
 *   expire_quiescent_template 1: a persistence template whose real server
 *                             has weight 0 stops pinning clients to it on
 *                             their next connection. Default 0.
 *   conn_reuse_mode           1 (default): a SYN reusing the ports of a
 *                             TIME_WAIT/CLOSE connection starts a new,
 *                             rescheduled one; bit 2 also for FIN_WAIT
 *                             connections that never saw output.
 *   conntrack                 0 (default): IPVS traffic is detached from
 *                             conntrack. 1: connections created from then
 *                             on keep their conntrack entries, NAT ones
 *                             with the reply tuple of the real server, so
 *                             iptables/nftables rules see IPVS flows (what
 *                             kube-proxy needs). See nfct.c.
 *   snat_reroute              1 (default): route replies again after SNAT.
 *   sloppy_tcp                1: schedule TCP on any segment, not only SYN.
 *   sloppy_sctp               1: schedule SCTP on any chunk but ABORT, not
 *                             only INIT.
 *   nat_icmp_send             1: a packet from a NAT real server with no
 *                             connection gets an ICMP port unreachable.
 *
 * ipvs-ng additions (no upstream counterpart):
 *
 *   conn_max                  connection ceiling of the namespace; new
 *                             connections beyond it are refused (packet
 *                             dropped). Default: RAM / 8 / 256 bytes.
 *   conn_count                connections in the table (read-only).
 *   conn_refused              connections refused by conn_max, for want
 *                             of memory or by a failed insertion
 *                             (read-only).
 *
 * Not provided: drop_entry, drop_packet, secure_tcp, amemthresh (upstream's
 * memory-pressure defences; conn_max bounds memory instead), the sync
 * daemon's, cache_bypass, backup_only, pmtu_disc, schedule_icmp,
 * ignore_tunneled, run_estimation/est_*, debug_level.
 */
#include <linux/sysctl.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <ipvs/conn.h>

enum { IPVS_RO_COUNT, IPVS_RO_REFUSED };

static int ipvs_sysctl_ro(struct ctl_table *table, int write, void *buffer,
			  size_t *lenp, loff_t *ppos)
{
	struct ipvs_dp_net *dp = table->extra1;
	unsigned long val;
	struct ctl_table tmp = {
		.data	= &val,
		.maxlen	= sizeof(val),
		.mode	= table->mode,
	};

	if (write)
		return -EPERM;
	if ((uintptr_t)table->extra2 == IPVS_RO_COUNT)
		val = ipvs_conn_count(dp);
	else
		val = atomic_long_read(&dp->conn_refused);
	return proc_doulongvec_minmax(&tmp, write, buffer, lenp, ppos);
}

#define IPVS_SYSCTL_INT(n, handler, min, max)				\
	{								\
		.procname	= #n,					\
		.data		= &((struct ipvs_dp_sysctl *)0)->n,	\
		.maxlen		= sizeof(int),				\
		.mode		= 0644,					\
		.proc_handler	= handler,				\
		.extra1		= min,					\
		.extra2		= max,					\
	}

static const struct ctl_table ipvs_sysctl_template[] = {
	IPVS_SYSCTL_INT(expire_nodest_conn, proc_dointvec, NULL, NULL),
	IPVS_SYSCTL_INT(expire_quiescent_template, proc_dointvec, NULL, NULL),
	IPVS_SYSCTL_INT(conn_reuse_mode, proc_dointvec, NULL, NULL),
	IPVS_SYSCTL_INT(conntrack, proc_dointvec_minmax, SYSCTL_ZERO, SYSCTL_ONE),
	IPVS_SYSCTL_INT(snat_reroute, proc_dointvec, NULL, NULL),
	IPVS_SYSCTL_INT(sloppy_tcp, proc_dointvec, NULL, NULL),
	IPVS_SYSCTL_INT(sloppy_sctp, proc_dointvec, NULL, NULL),
	IPVS_SYSCTL_INT(nat_icmp_send, proc_dointvec, NULL, NULL),
	IPVS_SYSCTL_INT(conn_max, proc_dointvec_minmax, SYSCTL_ONE, SYSCTL_INT_MAX),
	{
		.procname	= "conn_count",
		.mode		= 0444,
		.proc_handler	= ipvs_sysctl_ro,
		.extra2		= (void *)IPVS_RO_COUNT,
	},
	{
		.procname	= "conn_refused",
		.mode		= 0444,
		.proc_handler	= ipvs_sysctl_ro,
		.extra2		= (void *)IPVS_RO_REFUSED,
	},
	{ }
};

int ipvs_sysctl_init(struct ipvs_dp_net *dp)
{
	struct ctl_table *t;
	int i;

	/* Upstream defaults (conn_max was set by the connection table). */
	dp->sysctl.expire_nodest_conn = 0;
	dp->sysctl.expire_quiescent_template = 0;
	dp->sysctl.conn_reuse_mode = 1;
	dp->sysctl.conntrack = 0;
	dp->sysctl.snat_reroute = 1;
	dp->sysctl.sloppy_tcp = 0;
	dp->sysctl.sloppy_sctp = 0;
	dp->sysctl.nat_icmp_send = 0;

	t = kmemdup(ipvs_sysctl_template, sizeof(ipvs_sysctl_template), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	for (i = 0; t[i].procname; i++) {
		if (t[i].proc_handler == ipvs_sysctl_ro)
			t[i].extra1 = dp;
		else
			t[i].data = (char *)&dp->sysctl + (uintptr_t)t[i].data;
	}
	dp->sysctl_hdr = register_net_sysctl(dp->net, "net/ipv4/vs", t);
	if (!dp->sysctl_hdr) {
		kfree(t);
		return -ENOMEM;
	}
	dp->sysctl_tbl = t;
	return 0;
}

void ipvs_sysctl_uninit(struct ipvs_dp_net *dp)
{
	if (!dp->sysctl_hdr)
		return;
	unregister_net_sysctl_table(dp->sysctl_hdr);
	kfree(dp->sysctl_tbl);
	dp->sysctl_hdr = NULL;
}
