/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage-2 TLB maintenance broadcast (see platform_root.h): a registry of the
 * CPU engines' invalidation callbacks. The RMM calls platform_tlbi_vmid()
 * where hardware would execute TLBI VMALLS12E1IS; each engine keeps its own
 * TLB (unicorn-2.0.1.md: "A TLBI on engine A left engine B on its stale
 * entry"), so the broadcast reaches every registered engine.
 *
 * The callbacks run under the registry mutex: unregistering therefore waits
 * for a running invalidation, so an engine that has unregistered can be
 * destroyed safely.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/types.h>

#include "engine.h"
#include "platform_root.h"

struct tlbi_cb {
	void (*fn)(void *ctx, uint16_t vmid);
	void *ctx;
};

static struct {
	pthread_mutex_t lock;
	struct tlbi_cb *cbs;
	size_t n, cap;
} tlbi = { .lock = PTHREAD_MUTEX_INITIALIZER };

static ssize_t tlbi_find(void (*fn)(void *ctx, uint16_t vmid), void *ctx)
{
	for (size_t i = 0; i < tlbi.n; i++) {
		if (tlbi.cbs[i].fn == fn && tlbi.cbs[i].ctx == ctx)
			return (ssize_t)i;
	}
	return -1;
}

int platform_register_tlbi(void (*fn)(void *ctx, uint16_t vmid), void *ctx)
{
	int ret = 0;

	if (!fn)
		return -EINVAL;
	pthread_mutex_lock(&tlbi.lock);
	if (tlbi_find(fn, ctx) >= 0) {
		ret = -EEXIST;
		goto out_unlock;
	}
	if (tlbi.n == tlbi.cap) {
		size_t cap = tlbi.cap ? tlbi.cap * 2 : 8;
		struct tlbi_cb *cbs = realloc(tlbi.cbs, cap * sizeof(*cbs));

		if (!cbs) {
			ret = -ENOMEM;
			goto out_unlock;
		}
		tlbi.cbs = cbs;
		tlbi.cap = cap;
	}
	tlbi.cbs[tlbi.n++] = (struct tlbi_cb){ fn, ctx };
out_unlock:
	pthread_mutex_unlock(&tlbi.lock);
	return ret;
}

int platform_unregister_tlbi(void (*fn)(void *ctx, uint16_t vmid), void *ctx)
{
	ssize_t i;

	pthread_mutex_lock(&tlbi.lock);
	i = tlbi_find(fn, ctx);
	if (i >= 0)
		tlbi.cbs[i] = tlbi.cbs[--tlbi.n];
	if (tlbi.n == 0) {
		free(tlbi.cbs);
		tlbi.cbs = NULL;
		tlbi.cap = 0;
	}
	pthread_mutex_unlock(&tlbi.lock);
	return i >= 0 ? 0 : -ENOENT;
}

void platform_tlbi_vmid(uint16_t vmid)
{
	pthread_mutex_lock(&tlbi.lock);
	for (size_t i = 0; i < tlbi.n; i++)
		tlbi.cbs[i].fn(tlbi.cbs[i].ctx, vmid);
	pthread_mutex_unlock(&tlbi.lock);
	/* Every CPU engine currently loaded with this VMID (engine.h). */
	engines_invalidate_vmid(vmid);
}
