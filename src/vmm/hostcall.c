/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SMCCC host calls that reach the VMM (RSI_HOST_CALL, forwarded by the host
 * as hypercall exits with X0..X6 of the host call, kvm-cca-host.md s2.6):
 * SMCCC_VERSION and realmkit's vendor calls (include/realmkit/guest.h);
 * anything else answers NOT_SUPPORTED (-1), as SMCCC requires.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/abi/smccc.h>
#include <realmkit/guest.h>

#include "runtime.h"

#define HC_SMCCC_VERSION_1_1 0x10001u
#define HC_TOKEN_MAX	     0x10000u

/*
 * RK_HC_TOKEN: the token lies in shared memory, named by its unprotected
 * IPA; the VMM reads it from the memslot's shared backing (the only view
 * it has: private memory is guest_memfd, out of its reach). A protected
 * IPA or a range outside RAM answers NOT_SUPPORTED.
 */
static uint64_t take_token(struct vmm_runtime *rt, unsigned int idx, uint64_t ipa, uint64_t size)
{
	struct vmm_vm *vm = rt->vm;
	uint64_t gpa = vmm_vm_canonical_gpa(vm, ipa);
	uint8_t *copy;

	if (gpa == ipa || size == 0 || size > HC_TOKEN_MAX || gpa < vm->ram_gpa ||
	    gpa - vm->ram_gpa > vm->ram_size || size > vm->ram_size - (gpa - vm->ram_gpa))
		return SMCCC_NOT_SUPPORTED;
	copy = malloc(size);
	if (!copy)
		return SMCCC_NOT_SUPPORTED;
	memcpy(copy, vm->ram_shared + (gpa - vm->ram_gpa), size);
	pthread_mutex_lock(&rt->lock);
	free(rt->token);
	rt->token = copy;
	rt->token_len = size;
	rt->token_vcpu = idx;
	pthread_mutex_unlock(&rt->lock);
	return 0;
}

int hostcall_handle(struct vmm_vcpu *v, uint64_t fid, const uint64_t args[6])
{
	struct vmm_runtime *rt = v->rt;
	uint64_t x0 = 0;

	rt->n_hostcall++;
	switch (fid) {
	case SMCCC_VERSION_FID:
		x0 = HC_SMCCC_VERSION_1_1;
		break;
	case RK_HC_EXIT:
		pthread_mutex_lock(&rt->lock);
		rt->hc_exit_set = true;
		rt->hc_exit_code = args[0];
		pthread_mutex_unlock(&rt->lock);
		break;
	case RK_HC_REPORT:
		if (rt->cfg->debug)
			fprintf(stderr,
				"realmkit: vCPU %u report: 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx "
				"0x%llx\n",
				v->idx, (unsigned long long)args[0], (unsigned long long)args[1],
				(unsigned long long)args[2], (unsigned long long)args[3],
				(unsigned long long)args[4], (unsigned long long)args[5]);
		break;
	case RK_HC_TOKEN:
		x0 = take_token(rt, v->idx, args[0], args[1]);
		break;
	default:
		x0 = SMCCC_NOT_SUPPORTED;
		break;
	}
	return runtime_set_x0(rt, v->idx, x0);
}
