/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <linux/rculist_bl.h>: everything lives in kshim.h. */
#include "../kshim.h"
