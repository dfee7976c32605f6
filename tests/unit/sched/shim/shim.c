// SPDX-License-Identifier: GPL-2.0
/*
 * Host implementations behind kshim.h and the shim <ipvs/sched.h>: the bits
 * of the kernel and of the ip_vs core that the scheduler modules call.
 */
#include "ipvs/sched.h"

int shim_warnings;
int shim_quiet = 1;
long shim_allocs;
int shim_fail_allocs;
int shim_fail_after;
struct rcu_head *shim_rcu_pending;
long shim_rcu_deferred;
int shim_bl_locked;
u32 shim_random_queue[64];
int shim_random_queued;
u64 shim_random_state = 0x9e3779b97f4a7c15ULL;
unsigned long jiffies = 100000;
struct user_namespace init_user_ns;
struct net init_net = { .user_ns = &init_user_ns };
struct ctl_table_header *shim_sysctls[SHIM_MAX_SYSCTLS];

/* Scheduler registry of the fake core: the tests use the last one. */
struct ipvs_scheduler *shim_sched;

/* sched.c's: the slot filler of deleted destinations (sched_snap.h). */
struct ipvs_dest ipvs_snap_hole = {
	.flags		= IP_VS_DEST_F_OVERLOAD,
	.sched_weight	= -1,
};
int shim_sched_errors;
const char *shim_sched_last_err;

int ipvs_sched_register(struct ipvs_scheduler *sched)
{
	if (!sched || !sched->name || !sched->init_service || !sched->done_service ||
	    !sched->schedule || strlen(sched->name) >= IP_VS_SCHEDNAME_MAXLEN)
		return -EINVAL;
	shim_sched = sched;
	return 0;
}

void ipvs_sched_unregister(struct ipvs_scheduler *sched)
{
	if (shim_sched == sched)
		shim_sched = NULL;
	synchronize_rcu();
}

void ipvs_sched_publish(struct ipvs_service *svc, struct ipvs_sched_state *st)
{
	rcu_assign_pointer(svc->sched_state, st);
}

void ipvs_sched_err(const struct ipvs_service *svc, const char *msg)
{
	shim_sched_errors++;
	shim_sched_last_err = msg;
}

/* One namespace (init_net); per-net data as net_generic() would hand out. */
static unsigned int shim_next_net_id;

int register_pernet_subsys(struct pernet_operations *ops)
{
	void *data = NULL;
	int ret;

	if (ops->id) {
		if (shim_next_net_id >= SHIM_NET_GEN)
			return -ENOSPC;
		*ops->id = shim_next_net_id++;
		data = kzalloc(ops->size, GFP_KERNEL);
		if (!data)
			return -ENOMEM;
		init_net.gen[*ops->id] = data;
	}
	ret = ops->init ? ops->init(&init_net) : 0;
	if (ret && ops->id) {
		kfree(data);
		init_net.gen[*ops->id] = NULL;
	}
	return ret;
}

void unregister_pernet_subsys(struct pernet_operations *ops)
{
	if (ops->exit)
		ops->exit(&init_net);
	if (ops->id) {
		kfree(init_net.gen[*ops->id]);
		init_net.gen[*ops->id] = NULL;
	}
}

struct ctl_table_header *register_net_sysctl(struct net *net, const char *path,
					     struct ctl_table *table)
{
	struct ctl_table_header *h;
	int i;

	for (i = 0; i < SHIM_MAX_SYSCTLS && shim_sysctls[i]; i++)
		;
	if (i == SHIM_MAX_SYSCTLS)
		return NULL;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return NULL;
	h->net = net;
	snprintf(h->path, sizeof(h->path), "%s", path);
	h->table = table;
	shim_sysctls[i] = h;
	return h;
}

void unregister_net_sysctl_table(struct ctl_table_header *hdr)
{
	int i;

	for (i = 0; i < SHIM_MAX_SYSCTLS; i++) {
		if (shim_sysctls[i] == hdr)
			shim_sysctls[i] = NULL;
	}
	kfree(hdr);
}
