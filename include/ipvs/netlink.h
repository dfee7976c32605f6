/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interface between the generic netlink handlers (netlink.c) and
 * the message builders and dumps (netlink_dump.c).
 */
#ifndef _IPVS_NETLINK_H
#define _IPVS_NETLINK_H

#include <net/genetlink.h>
#include <ipvs/ipvs.h>

extern struct genl_family ipvs_genl_family;
extern const struct nla_policy ipvs_nl_cmd_policy[IPVS_CMD_ATTR_MAX + 1];

int ipvs_nl_parse_service(struct ipvs_net *ipvs, struct ipvs_service_conf *c,
			  struct nlattr *nla, bool full, struct ipvs_service **svcp);

int ipvs_nl_fill_service(struct sk_buff *skb, struct ipvs_service *svc);
int ipvs_nl_dump_services(struct sk_buff *skb, struct netlink_callback *cb);
int ipvs_nl_dump_dests(struct sk_buff *skb, struct netlink_callback *cb);
int ipvs_nl_dump_all_dests(struct sk_buff *skb, struct netlink_callback *cb);
int ipvs_nl_dump_daemons(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _IPVS_NETLINK_H */
