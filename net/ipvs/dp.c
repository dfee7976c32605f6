// SPDX-License-Identifier: GPL-2.0
/*
 * Data plane lifecycle: module-wide setup (the connection cache) and the
 * per-namespace state, struct ipvs_dp_net, a pernet object of its own.
 *
 * Ordering. The data-plane pernet operations are registered after the
 * control plane's (main.c), so a namespace's data plane exits first: its
 * connections, which hold references on destinations, are gone before the
 * control plane empties the destination trash. Namespace exit (and module
 * unload, which runs the same exit for every namespace):
 *
 *   1. unregister the hooks (waits for packets inside them),
 *   2. stop the estimator, release the reply routes, remove /proc files
 *      and sysctls,
 *   3. stop the collector and free every connection,
 *   4. rcu_barrier() (exit_batch): connections unlinked earlier release
 *      their destination in RCU callbacks, which must have run before the
 *      control plane frees destinations and before the cache is destroyed.
 */
#define pr_fmt(fmt) "IPVS: " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/netns/generic.h>
#include <ipvs/conn.h>

static unsigned int ipvs_dp_net_id __read_mostly;

struct ipvs_dp_net *ipvs_dp(const struct net *net)
{
	return net_generic(net, ipvs_dp_net_id);
}

/* The first service of the namespace: its connection table, then hooks. */
int ipvs_dp_enable(struct ipvs_net *ipvs)
{
	struct ipvs_dp_net *dp = ipvs_dp(ipvs->net);
	int ret;

	ret = ipvs_conn_table_enable(dp);
	if (ret)
		return ret;
	return ipvs_hooks_enable(dp);
}

static int __net_init ipvs_dp_net_init(struct net *net)
{
	struct ipvs_dp_net *dp = ipvs_dp(net);
	int ret;

	dp->net = net;
	dp->ipvs = ipvs_net(net);

	ipvs_conn_init(dp);
	ret = ipvs_sysctl_init(dp);
	if (ret)
		return ret;
	ret = ipvs_proc_conn_init(dp);
	if (ret)
		goto err_sysctl;
	ret = ipvs_snat_route_init(dp);
	if (ret)
		goto err_proc;
	ipvs_est_init(dp);
	return 0;

err_proc:
	ipvs_proc_conn_uninit(dp);
err_sysctl:
	ipvs_sysctl_uninit(dp);
	return ret;
}

static void __net_exit ipvs_dp_net_exit(struct net *net)
{
	struct ipvs_dp_net *dp = ipvs_dp(net);

	ipvs_hooks_disable(dp);
	ipvs_est_uninit(dp);
	ipvs_snat_route_uninit(dp);
	ipvs_proc_conn_uninit(dp);
	ipvs_sysctl_uninit(dp);
	ipvs_conn_uninit(dp);
}

static void __net_exit ipvs_dp_net_exit_batch(struct list_head *net_list)
{
	rcu_barrier();
}

static struct pernet_operations ipvs_dp_net_ops = {
	.init		= ipvs_dp_net_init,
	.exit		= ipvs_dp_net_exit,
	.exit_batch	= ipvs_dp_net_exit_batch,
	.id		= &ipvs_dp_net_id,
	.size		= sizeof(struct ipvs_dp_net),
};

/*
 * A device going down or away: the route caches of its namespace let go
 * of their routes (see dest_dst.c, snat_route.c). Runs under RTNL; the
 * namespace's state lives until after its devices are gone.
 */
static int ipvs_dp_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net *net = dev_net(netdev_notifier_info_to_dev(ptr));
	struct ipvs_net *ipvs = ipvs_net(net);

	if (event != NETDEV_DOWN && event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	ASSERT_RTNL();		/* lock order: RTNL, then ipvs->lock */
	mutex_lock(&ipvs->lock);
	ipvs_dest_dst_flush(ipvs);
	mutex_unlock(&ipvs->lock);
	ipvs_snat_route_flush(ipvs_dp(net));
	return NOTIFY_DONE;
}

static struct notifier_block ipvs_dp_netdev_notifier = {
	.notifier_call	= ipvs_dp_netdev_event,
};

int ipvs_dp_module_init(void)
{
	int ret;

	ret = ipvs_conn_module_init();
	if (ret)
		return ret;
	ret = register_pernet_subsys(&ipvs_dp_net_ops);
	if (ret)
		goto err_conn;
	ret = register_netdevice_notifier(&ipvs_dp_netdev_notifier);
	if (ret)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_subsys(&ipvs_dp_net_ops);
err_conn:
	ipvs_conn_module_uninit();
	return ret;
}

void ipvs_dp_module_uninit(void)
{
	unregister_netdevice_notifier(&ipvs_dp_netdev_notifier);
	unregister_pernet_subsys(&ipvs_dp_net_ops);
	rcu_barrier();
	ipvs_conn_module_uninit();
}
