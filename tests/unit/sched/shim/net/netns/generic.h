/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <net/netns/generic.h>: everything lives in kshim.h. */
#include "../../kshim.h"
