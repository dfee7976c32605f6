/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <net/net_namespace.h>: everything lives in kshim.h. */
#include "../kshim.h"
