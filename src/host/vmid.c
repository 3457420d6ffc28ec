/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The realm VMID allocator. "The RMM v1.0 spec requires that the host manage
 * the VMIDs" ([PATCH v12 23/46]): a bitmap of 2^16 VMIDs under a lock; a VMID
 * is reserved before RD creation and released on RD-creation failure or
 * after REALM_DESTROY. VMID 0 stays the host's own. A VMID whose realm could
 * not be destroyed is never released (it is still in use in the RMM).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "host_priv.h"

#define VMID_COUNT (1u << 16)

static struct {
	pthread_mutex_t lock;
	uint64_t map[VMID_COUNT / 64];
	uint32_t hint;
} vm_ids = { .lock = PTHREAD_MUTEX_INITIALIZER };

int host_vmid_alloc(uint16_t *vmid)
{
	int ret = -EBUSY;

	pthread_mutex_lock(&vm_ids.lock);
	for (uint32_t n = 0; n < VMID_COUNT; n++) {
		uint32_t i = (vm_ids.hint + n) % VMID_COUNT;

		if (i == 0 || (vm_ids.map[i / 64] >> (i % 64) & 1))
			continue;
		vm_ids.map[i / 64] |= 1ULL << (i % 64);
		vm_ids.hint = i + 1;
		*vmid = (uint16_t)i;
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&vm_ids.lock);
	return ret;
}

void host_vmid_release(uint16_t vmid)
{
	pthread_mutex_lock(&vm_ids.lock);
	vm_ids.map[vmid / 64] &= ~(1ULL << (vmid % 64));
	pthread_mutex_unlock(&vm_ids.lock);
}

void host_vmid_reset(void)
{
	pthread_mutex_lock(&vm_ids.lock);
	memset(vm_ids.map, 0, sizeof(vm_ids.map));
	vm_ids.hint = 1;
	pthread_mutex_unlock(&vm_ids.lock);
}
