/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ipvs-ng extensions to the IPVS generic netlink family of
 * <linux/ip_vs.h>, shared by the module and tools/ipvsadm.
 *
 * Extension commands are numbered far above upstream's last (16), so
 * that commands upstream adds later cannot collide with them. A kernel
 * without an extension (the stock module) answers its command with
 * EOPNOTSUPP: clients fall back to the upstream commands.
 *
 * IPVS_NG_CMD_GET_DESTS (dump, no attributes, CAP_NET_ADMIN)
 *	Every destination of every service of the namespace, services in
 *	the order of an IPVS_CMD_GET_SERVICE dump. Each message is an
 *	IPVS_CMD_NEW_DEST holding IPVS_CMD_ATTR_SERVICE, with the service's
 *	key only (IPVS_SVC_ATTR_AF, then IPVS_SVC_ATTR_FWMARK or
 *	IPVS_SVC_ATTR_PROTOCOL, _ADDR and _PORT), and IPVS_CMD_ATTR_DEST as
 *	in an IPVS_CMD_GET_DEST dump but without IPVS_DEST_ATTR_STATS, the
 *	32-bit copy of IPVS_DEST_ATTR_STATS64. One dump instead of one per
 *	service: listing 10,000 services no longer costs 10,000 requests.
 *	Like every multi-part dump, one that spans several reads while the
 *	configuration changes may skip or repeat an entry.
 */
#ifndef _IPVS_NG_UAPI_H
#define _IPVS_NG_UAPI_H

#define IPVS_NG_CMD_GET_DESTS	64

#endif /* _IPVS_NG_UAPI_H */
