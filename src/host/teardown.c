/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm destruction and the leak policy (kvm_destroy_realm, [PATCH v12
 * 07/46], [PATCH v12 10/46], [PATCH v12 23/46]; kvm-cca-host.md s3.11):
 * RECs per vCPU, unmap everything, destroy the RTTs below the root,
 * REALM_DESTROY, undelegate the RD, release the VMID, undelegate the root
 * RTTs. A granule the RMM refuses to give back is leaked: recorded in the
 * VM's leak report (rk_kvm_destroy_vm) and never handed out again.
 */
#include <stdlib.h>

#include "host_priv.h"

void host_leak(struct host_vm *vm, pa_t pa)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->leaks.count == vm->leaks.cap) {
		uint64_t cap = vm->leaks.cap ? vm->leaks.cap * 2 : 16;
		uint64_t *n = realloc(vm->leaks.pas, cap * sizeof(*n));

		if (n) {
			vm->leaks.pas = n;
			vm->leaks.cap = cap;
		}
	}
	if (vm->leaks.count < vm->leaks.cap)
		vm->leaks.pas[vm->leaks.count] = pa.v;
	vm->leaks.count++;
	pthread_mutex_unlock(&vm->lock);
	host_log("WARN: granule 0x%llx could not be reclaimed from the RMM: leaked",
		 (unsigned long long)pa.v);
}

/* A data granule after DATA_DESTROY: back to NS in its guest_memfd, or leaked. */
int host_free_delegated_data(struct host_vm *vm, uint64_t ipa, pa_t data)
{
	if (rmi_granule_undelegate(data) != RMI_SUCCESS) {
		host_leak(vm, data);
		return -1;
	}
	gmem_set_state_ipa(vm, ipa, GMEM_NS);
	return 0;
}

/* Undelegates every root RTT granule; true if all came back. */
static bool roots_reclaim(struct host_vm *vm)
{
	bool all = true;

	for (unsigned int i = 0; i < vm->rtt_num_start; i++)
		all &= host_free_delegated(vm,
					   pa_add(vm->rtt_base, (uint64_t)i << GRANULE_SHIFT)) == 0;
	return all;
}

void realm_destroy(struct host_vm *vm)
{
	uint64_t half;

	if (!vm->is_realm)
		return;
	for (unsigned int i = 0; i < HOST_MAX_VCPUS; i++) {
		if (vm->vcpus[i])
			rec_destroy(vm->vcpus[i]);
	}
	/* Step 4: without an RD there is nothing the RMM holds. */
	if (!vm->rd_created)
		return;
	realm_state_set(vm, REALM_STATE_DYING);
	half = realm_shared_bit(vm);
	realm_unmap_private(vm, 0, half);
	realm_unmap_shared(vm, 0, half);
	rtt_destroy_all(vm);
	if (rmi_realm_destroy(vm->rd) != RMI_SUCCESS) {
		/* Step 6: the RD, the roots and the VMID stay with the RMM. */
		host_log("WARN: REALM_DESTROY failed: RD and root RTTs leaked");
		host_leak(vm, vm->rd);
		for (unsigned int i = 0; i < vm->rtt_num_start; i++)
			host_leak(vm, pa_add(vm->rtt_base, (uint64_t)i << GRANULE_SHIFT));
		return;
	}
	host_free_delegated(vm, vm->rd);
	host_vmid_release(vm->vmid);
	vm->rd_created = false;
	if (!roots_reclaim(vm))
		return; /* step 9: stays DYING */
	realm_state_set(vm, REALM_STATE_DEAD);
}
