/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RMM's accesses to Non-secure memory (rmm-v1.0.md s13): only granules
 * tracked as NS whose PAS is NS; anything else is the granule protection
 * fault the RMM would take, reported to the caller as -EFAULT.
 */
#include <errno.h>
#include <string.h>

#include <realmkit/platform.h>

#include "granule.h"
#include "platform_root.h"
#include "rmm_priv.h"

static struct granule *lock_ns(pa_t pa, size_t len)
{
	struct granule *g;

	if (len > GRANULE_SIZE || (pa.v & GRANULE_MASK) + len > GRANULE_SIZE)
		return NULL;
	g = find_lock_granule(pa_of(pa.v & ~GRANULE_MASK), GRANULE_STATE_NS);
	if (!g)
		return NULL;
	if (platform_pas(pa) != RK_PAS_NS) {
		granule_unlock(g);
		return NULL;
	}
	return g;
}

int rmm_ns_read(pa_t pa, void *dst, size_t len)
{
	struct granule *g = lock_ns(pa, len);

	if (!g)
		return -EFAULT;
	memcpy(dst, platform_root_ptr(pa), len);
	granule_unlock(g);
	return 0;
}

int rmm_ns_write(pa_t pa, const void *src, size_t len)
{
	struct granule *g = lock_ns(pa, len);

	if (!g)
		return -EFAULT;
	memcpy(platform_root_ptr(pa), src, len);
	granule_unlock(g);
	return 0;
}
