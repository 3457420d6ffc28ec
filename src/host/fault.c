/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runtime faulting and unmapping of realm memory ([PATCH v12 24/46],
 * [PATCH v12 17/46], kvm-cca-host.md s3.9): a private IPA gets its
 * guest_memfd granule delegated and mapped with RMI_DATA_CREATE_UNKNOWN
 * (always writable, one host page at a time); a shared IPA gets its NS
 * backing mapped with RMI_RTT_MAP_UNPROTECTED at level 3. RTTs are created
 * when a call reports RMI_ERROR_RTT.
 */
#include <errno.h>

#include "host_priv.h"

/* MemAttr Normal Write-Back with FWB (MT_S2_FWB_NORMAL) and S2AP read/write. */
#define NS_DESC_ATTRS ((6ULL << RMI_NS_DESC_MEMATTR_SHIFT) | (3ULL << RMI_NS_DESC_S2AP_SHIFT))

/* free_delegated_granule: undelegate and free, or leak when the RMM refuses. */
int host_free_delegated(struct host_vm *vm, pa_t pa)
{
	if (rmi_granule_undelegate(pa) != RMI_SUCCESS) {
		host_leak(vm, pa);
		return -EIO;
	}
	host_page_free(pa);
	return 0;
}

/* Maps one private granule: delegate, then DATA_CREATE_UNKNOWN with RTTs on demand. */
static int map_protected_granule(struct host_vm *vm, uint64_t ipa, struct host_gmem *g,
				 uint64_t off)
{
	pa_t pa;
	uint64_t ret;
	int err = gmem_get_page(g, off, &pa);

	if (err)
		return err;
	/* [PATCH v12 24/46]: a failed delegate means another vCPU won the race. */
	if (rmi_granule_delegate(pa) != RMI_SUCCESS)
		return 0;
	gmem_set_state(g, off, GMEM_DELEGATED);
	for (;;) {
		ret = rmi_data_create_unknown(vm->rd, pa, ipa);
		if (rmi_status_of(ret) != RMI_ERROR_RTT ||
		    rmi_rtt_level_of(ret) >= HOST_RTT_LEVEL_3)
			break;
		err = rtt_create_levels(vm, ipa, rmi_rtt_level_of(ret), HOST_RTT_LEVEL_3);
		if (err)
			break;
	}
	if (ret == RMI_SUCCESS)
		return 0;
	if (rmi_granule_undelegate(pa) == RMI_SUCCESS) {
		gmem_set_state(g, off, GMEM_NS);
	} else {
		gmem_set_state(g, off, GMEM_LEAKED);
		host_leak(vm, pa);
	}
	/* (E_RTT, 3): the entry is already assigned (a racing vCPU mapped it). */
	if (rmi_status_of(ret) == RMI_ERROR_RTT)
		return 0;
	return err ? err : -ENXIO;
}

/* realm_map_protected for the host page containing ipa. -EFAULT: no guest_memfd there. */
int realm_map_protected(struct host_vm *vm, uint64_t ipa)
{
	uint64_t page = ipa & ~(hg.page_size - 1);
	struct host_memslot slot;
	int ret;

	if (!memslot_lookup(vm, page, &slot) || !slot.gmem)
		return -EFAULT;
	for (uint64_t a = page; a < page + hg.page_size; a += GRANULE_SIZE) {
		if (a < slot.gpa || a - slot.gpa >= slot.size)
			continue;
		ret = map_protected_granule(vm, a, slot.gmem, slot.gmem_off + (a - slot.gpa));
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * realm_map_non_secure: ipa is in the unprotected half. -ENOENT: no memslot
 * (the access is MMIO); -EINVAL: a protected address reached the shared
 * path ([PATCH v12 34/46]).
 */
int realm_map_shared(struct host_vm *vm, uint64_t ipa)
{
	uint64_t gpa, ret;
	struct host_memslot slot;
	pa_t pa;

	if (realm_ipa_is_private(vm, ipa))
		return -EINVAL;
	ipa &= ~GRANULE_MASK;
	gpa = ipa & ~realm_shared_bit(vm);
	if (!memslot_lookup(vm, gpa, &slot))
		return -ENOENT;
	if (!host_uaddr_to_pa(slot.uaddr + (gpa - slot.gpa), GRANULE_SIZE, &pa))
		return -EFAULT;
	for (;;) {
		ret = rmi_rtt_map_unprotected(vm->rd, ipa, HOST_RTT_LEVEL_3, pa.v | NS_DESC_ATTRS);
		if (rmi_status_of(ret) != RMI_ERROR_RTT ||
		    rmi_rtt_level_of(ret) >= HOST_RTT_LEVEL_3)
			break;
		if (rtt_create_levels(vm, ipa, rmi_rtt_level_of(ret), HOST_RTT_LEVEL_3))
			return -ENXIO;
	}
	/* (E_RTT, 3) after RTT creation: another thread mapped it already. */
	if (ret == RMI_SUCCESS || rmi_status_of(ret) == RMI_ERROR_RTT)
		return 0;
	return -ENXIO;
}

/*
 * The private part of kvm_realm_unmap_range: DATA_DESTROY each assigned
 * granule in [start, end), undelegate it (leak on failure), skipping
 * unassigned ranges with `top` (rmm-v1.0.md s11.7); then fold.
 */
void realm_unmap_private(struct host_vm *vm, uint64_t start, uint64_t end)
{
	uint64_t ipa = start & ~GRANULE_MASK;

	if (!vm->rd_created)
		return;
	while (ipa < end) {
		uint64_t top = 0, ret;
		pa_t data;

		ret = rmi_data_destroy(vm->rd, ipa, &data, &top);
		if (ret == RMI_SUCCESS) {
			if (host_free_delegated_data(vm, ipa, data) != 0)
				gmem_set_state_ipa(vm, ipa, GMEM_LEAKED);
			ipa += GRANULE_SIZE;
		} else if (rmi_status_of(ret) == RMI_ERROR_RTT && top > ipa) {
			ipa = top;
		} else if (rmi_status_of(ret) == RMI_ERROR_RTT &&
			   rmi_rtt_level_of(ret) < HOST_RTT_LEVEL_3) {
			/* A live block: split it with a level-3 RTT, then retry. */
			if (rtt_create_levels(vm, ipa, rmi_rtt_level_of(ret), HOST_RTT_LEVEL_3))
				ipa += GRANULE_SIZE;
		} else {
			ipa += GRANULE_SIZE;
		}
	}
	rtt_fold_range(vm, start, end);
}

/* The shared part: RTT_UNMAP_UNPROTECTED over the alias of [start, end). */
void realm_unmap_shared(struct host_vm *vm, uint64_t start, uint64_t end)
{
	uint64_t bit = realm_shared_bit(vm);
	uint64_t ipa = (start & ~GRANULE_MASK) | bit;

	if (!vm->rd_created)
		return;
	end |= bit;
	while (ipa < end) {
		uint64_t top = 0,
			 ret = rmi_rtt_unmap_unprotected(vm->rd, ipa, HOST_RTT_LEVEL_3, &top);

		if (rmi_status_of(ret) == RMI_ERROR_RTT && top > ipa)
			ipa = top;
		else
			ipa += GRANULE_SIZE;
	}
	rtt_fold_range(vm, start | bit, end);
}
