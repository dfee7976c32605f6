// SPDX-License-Identifier: GPL-2.0
/*
 * ipvs-ng: module init/exit and per network namespace setup.
 *
 * Module init registers the pernet operations first (so every namespace
 * has its state before any request can arrive) and the generic netlink
 * family last; exit undoes it in reverse. Each namespace gets a
 * struct ipvs_net through net_generic().
 *
 * ipvs_all_nets lists every namespace's state so that unregistering a
 * scheduler can reach all services (sched.c). Lock order:
 * ipvs_all_nets_lock, then ipvs->lock.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/netns/generic.h>
#include <ipvs/ipvs.h>
#include <ipvs/sched.h>
#include <ipvs/conn.h>

/* Size of the connection hash table as upstream reports it (GET_INFO,
 * "size=" in /proc/net/ip_vs); range and default are upstream's. Only
 * reported: the connection table (conn.c) is a resizable rhashtable, so
 * this stays 4096 by default and "ipvsadm -Ln" headers match the stock
 * module's.
 */
static int conn_tab_bits = 12;
module_param(conn_tab_bits, int, 0444);
MODULE_PARM_DESC(conn_tab_bits, "Set connections' hash size");

unsigned int ipvs_conn_tab_size __read_mostly;

static unsigned int ipvs_net_id __read_mostly;

/* Every namespace's struct ipvs_net; the mutex guards the list only. */
DEFINE_MUTEX(ipvs_all_nets_lock);
LIST_HEAD(ipvs_all_nets);

struct ipvs_net *ipvs_net(const struct net *net)
{
	return net_generic(net, ipvs_net_id);
}

static int __net_init ipvs_net_init(struct net *net)
{
	struct ipvs_net *ipvs = ipvs_net(net);
	int ret;

	ipvs->net = net;
	ipvs_proto_init(ipvs);

	ret = ipvs_service_init(ipvs);
	if (ret)
		goto err;
	ret = ipvs_dest_init(ipvs);
	if (ret)
		goto err_service;
	ret = ipvs_stats_init(&ipvs->tot_stats);
	if (ret)
		goto err_dest;
	ret = ipvs_proc_init(ipvs);
	if (ret)
		goto err_stats;

	mutex_lock(&ipvs_all_nets_lock);
	list_add(&ipvs->all_list, &ipvs_all_nets);
	mutex_unlock(&ipvs_all_nets_lock);
	return 0;

err_stats:
	ipvs_stats_destroy(&ipvs->tot_stats);
err_dest:
	ipvs_dest_uninit(ipvs);
err_service:
	ipvs_service_uninit(ipvs);
err:
	return ret;
}

static void __net_exit ipvs_net_exit(struct net *net)
{
	struct ipvs_net *ipvs = ipvs_net(net);

	ipvs_proc_uninit(ipvs);
	/* Services first: their destinations land in the trash... */
	ipvs_service_uninit(ipvs);
	/* ...which is emptied here. */
	ipvs_dest_uninit(ipvs);

	/* Only now, with no service left: until the flush above, a scheduler
	 * module being unloaded must still find (and detach) our services, or
	 * the flush would call into its freed code.
	 */
	mutex_lock(&ipvs_all_nets_lock);
	list_del(&ipvs->all_list);
	mutex_unlock(&ipvs_all_nets_lock);
	/* Readers of the totals were /proc files, gone above; per-CPU data
	 * the packet path may still touch is freed after a grace period.
	 */
	synchronize_rcu();
	ipvs_stats_destroy(&ipvs->tot_stats);
}

static struct pernet_operations ipvs_net_ops = {
	.init	= ipvs_net_init,
	.exit	= ipvs_net_exit,
	.id	= &ipvs_net_id,
	.size	= sizeof(struct ipvs_net),
};

static int __init ipvs_init(void)
{
	int ret;

	if (conn_tab_bits < 8 || conn_tab_bits > 27) {
		pr_info("conn_tab_bits not in [8, 27]. Using default value\n");
		conn_tab_bits = 12;
	}
	ipvs_conn_tab_size = 1U << conn_tab_bits;

	ret = register_pernet_subsys(&ipvs_net_ops);
	if (ret)
		goto err;
	/* After the control plane's: a namespace's data plane exits first. */
	ret = ipvs_dp_module_init();
	if (ret)
		goto err_pernet;
	ret = ipvs_netlink_init();
	if (ret)
		goto err_dp;

	pr_info("ipvs-ng %s loaded (size=%u)\n", IPVS_MODULE_VERSION, ipvs_conn_tab_size);
	return 0;

err_dp:
	ipvs_dp_module_uninit();
err_pernet:
	unregister_pernet_subsys(&ipvs_net_ops);
	ipvs_stats_pool_uninit();
err:
	return ret;
}

static void __exit ipvs_exit(void)
{
	ipvs_netlink_uninit();
	/* Hooks off, connections flushed, RCU callbacks done, cache gone. */
	ipvs_dp_module_uninit();
	unregister_pernet_subsys(&ipvs_net_ops);
	/* Services and destinations are freed by RCU callbacks: wait for them. */
	rcu_barrier();
	ipvs_stats_pool_uninit();
	pr_info("ipvs-ng unloaded\n");
}

module_init(ipvs_init);
module_exit(ipvs_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(IPVS_MODULE_VERSION);
MODULE_DESCRIPTION("ipvs-ng: IP Virtual Server, generic netlink compatible");
