/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm descriptor creation on the first POPULATE or the first run
 * (realm_ensure_created, [PATCH v12 22/46], kvm-cca-host.md s3.3): a VMID,
 * the delegated RD, the root RTTs (the delegated stage-2 PGD, concatenated),
 * RmiRealmParams from the VM's configuration, RMI_REALM_CREATE and
 * RMI_REC_AUX_COUNT. Called with vm->config_lock held for writing.
 */
#include <errno.h>
#include <string.h>

#include <realmkit/platform.h>

#include "host_priv.h"

uint64_t realm_shared_bit(const struct host_vm *vm)
{
	return 1ULL << (vm->ia_bits - 1);
}

/* kvm-cca-host.md s2.3: an address is private iff the top IPA bit is clear. */
bool realm_ipa_is_private(const struct host_vm *vm, uint64_t ipa)
{
	return (ipa & realm_shared_bit(vm)) == 0;
}

/*
 * [PATCH v12 22/46]: start level 4 - ((ia_bits - 8) / 9) for the 4 KB
 * granule (KVM's stage2_pgtable_levels), and as many concatenated root
 * tables as the IPA size needs beyond one table at that level (rmm-v1.0.md
 * s10: one table at level sl resolves 12 + 9 * (4 - sl) bits).
 */
void realm_rd_start_geometry(unsigned int ia_bits, int *level, unsigned int *num)
{
	int sl = 4 - (int)((ia_bits - 8) / 9);
	unsigned int sl_ipa_bits = 12 + 9 * (unsigned int)(4 - sl);

	*level = sl;
	*num = ia_bits > sl_ipa_bits ? 1u << (ia_bits - sl_ipa_bits) : 1u;
}

static void fill_params(const struct host_vm *vm, struct rmi_realm_params *p)
{
	memset(p, 0, sizeof(*p));
	p->s2sz = vm->ia_bits;
	p->num_bps = vm->num_bps;
	p->num_wps = vm->num_wps;
	p->algorithm = vm->hash_algo;
	memcpy(p->rpv, vm->rpv, sizeof(p->rpv));
	if (vm->sve_vq) {
		/* [PATCH v12 42/46]: sve_vl = vq - 1 and the SVE flag. */
		p->flags |= RMI_REALM_FLAGS_SVE;
		p->sve_vl = vm->sve_vq - 1;
	}
	p->vmid = vm->vmid;
	p->rtt_base = vm->rtt_base.v;
	p->rtt_level_start = vm->rtt_level_start;
	p->rtt_num_start = vm->rtt_num_start;
}

/* Undelegates the first n root granules (leaking any the RMM keeps) and frees the rest. */
static void roots_release(struct host_vm *vm, unsigned int delegated)
{
	for (unsigned int i = 0; i < vm->rtt_num_start; i++) {
		pa_t pa = pa_add(vm->rtt_base, (uint64_t)i << GRANULE_SHIFT);

		if (i < delegated)
			host_free_delegated(vm, pa);
		else
			host_page_free(pa);
	}
}

static int roots_delegate(struct host_vm *vm)
{
	unsigned int n = vm->rtt_num_start;

	/* Concatenated root tables are contiguous and aligned to their total size. */
	vm->rtt_base = host_pages_alloc_contig(n, (uint64_t)n << GRANULE_SHIFT);
	if (!vm->rtt_base.v)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		if (rmi_granule_delegate(pa_add(vm->rtt_base, (uint64_t)i << GRANULE_SHIFT))) {
			roots_release(vm, i);
			return -ENXIO;
		}
	}
	return 0;
}

static int realm_create_rd(struct host_vm *vm)
{
	pa_t params;
	uint64_t ret;
	int err;

	realm_rd_start_geometry(vm->ia_bits, &vm->rtt_level_start, &vm->rtt_num_start);
	if (host_vmid_alloc(&vm->vmid))
		return -EBUSY;
	err = -ENOMEM;
	params = host_page_alloc();
	vm->rd = host_page_alloc();
	if (!params.v || !vm->rd.v)
		goto err_pages;
	err = -ENXIO;
	if (rmi_granule_delegate(vm->rd))
		goto err_pages;
	err = roots_delegate(vm);
	if (err)
		goto err_rd;
	fill_params(vm, platform_ns_ptr(params));
	ret = rmi_realm_create(vm->rd, params);
	if (ret != RMI_SUCCESS) {
		host_log("REALM_CREATE failed: %s", rmi_status_name(rmi_status_of(ret)));
		err = -ENXIO;
		goto err_roots;
	}
	if (rmi_rec_aux_count(vm->rd, &ret) == RMI_SUCCESS)
		vm->num_aux = (unsigned int)ret;
	host_page_free(params);
	vm->rd_created = true;
	realm_state_set(vm, REALM_STATE_NEW);
	return 0;

err_roots:
	roots_release(vm, vm->rtt_num_start);
err_rd:
	host_free_delegated(vm, vm->rd);
	vm->rd = pa_of(0);
err_pages:
	if (vm->rd.v)
		host_page_free(vm->rd);
	if (params.v)
		host_page_free(params);
	vm->rd = pa_of(0);
	host_vmid_release(vm->vmid);
	return err;
}

/*
 * kvm-cca-host.md s3.7 step 2: NONE -> create; NEW (and ACTIVE, whose RD
 * exists) -> nothing to do; DEAD -> ENXIO; DYING -> EBUSY.
 */
int realm_ensure_created(struct host_vm *vm)
{
	switch (realm_state(vm)) {
	case REALM_STATE_NONE:
		return realm_create_rd(vm);
	case REALM_STATE_NEW:
	case REALM_STATE_ACTIVE:
		return 0;
	case REALM_STATE_DEAD:
		return -ENXIO;
	default:
		return -EBUSY;
	}
}
