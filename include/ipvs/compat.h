/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version differences, force-included into every ipvs-ng object so
 * the rest of the tree can be written against one API (today: 6.1).
 *
 * Add a shim here, never a LINUX_VERSION_CODE test in the main code.
 */
#ifndef _IPVS_COMPAT_H
#define _IPVS_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "ipvs-ng needs Linux 6.1 or later"
#endif

/*
 * genl_family.resv_start_op (6.1): commands below it keep the legacy, liberal
 * attribute validation, which is what upstream ipvsadm and the stock module
 * rely on. Later kernels keep the field, so nothing to shim yet.
 */

/* Linux 6.2 renamed del_timer_sync(); we use delayed work instead. */

#endif /* _IPVS_COMPAT_H */
