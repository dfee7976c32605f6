/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <linux/sort.h>: the kernel's sort() on top of qsort(). */
#ifndef _SHIM_LINUX_SORT_H
#define _SHIM_LINUX_SORT_H
#include <stdlib.h>

static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *), void *swap)
{
	(void)swap;
	qsort(base, num, size, cmp);
}
#endif
