/* SPDX-License-Identifier: BSD-3-Clause */
/* VMID allocator: a 2^16-bit bitmap under a mutex (see vmid.h). */
#include <assert.h>
#include <pthread.h>
#include <string.h>

#include "vmid.h"

static pthread_mutex_t vmid_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t vmid_bitmap[RMM_VMID_COUNT / 64];

static bool bit_test(uint16_t vmid)
{
	return (vmid_bitmap[vmid / 64] >> (vmid % 64)) & 1u;
}

bool vmid_reserve(uint16_t vmid)
{
	bool ok;

	pthread_mutex_lock(&vmid_lock);
	ok = !bit_test(vmid);
	if (ok)
		vmid_bitmap[vmid / 64] |= 1ULL << (vmid % 64);
	pthread_mutex_unlock(&vmid_lock);
	return ok;
}

void vmid_free(uint16_t vmid)
{
	pthread_mutex_lock(&vmid_lock);
	/* Internal invariant: only a reserved VMID (a live realm's) is freed. */
	assert(bit_test(vmid));
	vmid_bitmap[vmid / 64] &= ~(1ULL << (vmid % 64));
	pthread_mutex_unlock(&vmid_lock);
}

bool vmid_is_reserved(uint16_t vmid)
{
	bool r;

	pthread_mutex_lock(&vmid_lock);
	r = bit_test(vmid);
	pthread_mutex_unlock(&vmid_lock);
	return r;
}

void vmid_reset(void)
{
	pthread_mutex_lock(&vmid_lock);
	memset(vmid_bitmap, 0, sizeof(vmid_bitmap));
	pthread_mutex_unlock(&vmid_lock);
}
