/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <linux/module.h>: everything lives in kshim.h. */
#include "../kshim.h"
