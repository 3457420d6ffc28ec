/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * KVM_ARM_RMI_POPULATE in its v13 in/out form ([PATCH v12 20/46], [PATCH
 * v13 11/48], kvm-cca-host.md s2.5, s2.8): copies from the VMM's source
 * into the guest_memfd pages of a private range with RMI_DATA_CREATE
 * (measured with the MEASURE flag), creating the RD and RTTs on demand.
 * Each call handles at most POPULATE_CHUNK bytes and advances base, size
 * and source_uaddr; the VMM loops until size is 0.
 */
#include <errno.h>
#include <string.h>

#include <realmkit/platform.h>

#include "host_priv.h"

#define POPULATE_CHUNK (2ULL << 20)

/*
 * The source granule as a PA the RMM can read: the VMM's memory itself when
 * it is NS DRAM (pinned, as Linux pins the source page), else a bounce page.
 */
static pa_t source_pa(uint64_t uaddr, bool *bounce)
{
	pa_t pa;

	*bounce = false;
	if ((uaddr & GRANULE_MASK) == 0 && host_uaddr_to_pa(uaddr, GRANULE_SIZE, &pa))
		return pa;
	pa = host_page_alloc();
	if (pa.v) {
		memcpy(platform_ns_ptr(pa), (const void *)(uintptr_t)uaddr, GRANULE_SIZE);
		*bounce = true;
	}
	return pa;
}

static int populate_granule(struct host_vm *vm, const struct host_memslot *s, uint64_t ipa,
			    uint64_t src_uaddr, uint64_t flags)
{
	uint64_t off = s->gmem_off + (ipa - s->gpa), ret;
	bool bounce;
	pa_t data, src;
	int rtt_err = 0, err = gmem_get_page(s->gmem, off, &data);

	if (err)
		return err;
	if (gmem_state(s->gmem, off) != GMEM_NS)
		return -EEXIST; /* already populated (or faulted in) */
	src = source_pa(src_uaddr, &bounce);
	if (!src.v)
		return -ENOMEM;
	err = -ENXIO;
	if (rmi_granule_delegate(data) != RMI_SUCCESS)
		goto out;
	gmem_set_state(s->gmem, off, GMEM_DELEGATED);
	for (;;) {
		ret = rmi_data_create(vm->rd, data, ipa, src, flags);
		if (rmi_status_of(ret) != RMI_ERROR_RTT ||
		    rmi_rtt_level_of(ret) >= HOST_RTT_LEVEL_3)
			break;
		rtt_err = rtt_create_levels(vm, ipa, rmi_rtt_level_of(ret), HOST_RTT_LEVEL_3);
		if (rtt_err)
			break;
	}
	if (ret == RMI_SUCCESS) {
		err = 0;
		goto out;
	}
	/* Roll back: the granule goes back to NS, or is leaked. */
	if (rmi_granule_undelegate(data) == RMI_SUCCESS) {
		gmem_set_state(s->gmem, off, GMEM_NS);
	} else {
		gmem_set_state(s->gmem, off, GMEM_LEAKED);
		host_leak(vm, data);
	}
	/* A failed RTT creation (ENOMEM, ...) is the error, not the RTT walk it interrupted. */
	if (rtt_err)
		err = rtt_err;
	else
		err = rmi_status_of(ret) == RMI_ERROR_RTT ? -EEXIST : -ENXIO;
out:
	if (bounce)
		host_page_free(src);
	return err;
}

/* One host page: it must lie in a guest_memfd slot and have the PRIVATE attribute. */
static int populate_page(struct host_vm *vm, uint64_t ipa, uint64_t src, uint64_t flags)
{
	struct host_memslot s;
	int err;

	if (!memslot_lookup(vm, ipa, &s) || !s.gmem || ipa + hg.page_size > s.gpa + s.size)
		return -EINVAL;
	if (memattr_run_end(vm, ipa, ipa + hg.page_size, true) != ipa + hg.page_size)
		return -EINVAL;
	for (uint64_t o = 0; o < hg.page_size; o += GRANULE_SIZE) {
		err = populate_granule(vm, &s, ipa + o, src + o, flags);
		if (err)
			return err;
	}
	return 0;
}

static int populate_validate(const struct host_vm *vm, const struct kvm_arm_rmi_populate *p)
{
	/* [PATCH v12 20/46]: unknown flags or a non-zero reserved -> EINVAL. */
	if ((p->flags & ~KVM_ARM_RMI_POPULATE_FLAGS_MEASURE) || p->reserved)
		return -EINVAL;
	/* Base and end PAGE_SIZE aligned, inside the protected half. */
	if ((p->base | p->size) & (hg.page_size - 1))
		return -EINVAL;
	if (p->base >= realm_shared_bit(vm) || p->size > realm_shared_bit(vm) - p->base)
		return -EINVAL;
	if (p->size && !p->source_uaddr)
		return -EFAULT;
	return 0;
}

int realm_populate(struct host_vm *vm, struct kvm_arm_rmi_populate *p)
{
	uint64_t flags = (p->flags & KVM_ARM_RMI_POPULATE_FLAGS_MEASURE) ? RMI_MEASURE_CONTENT
									 : RMI_NO_MEASURE_CONTENT;
	uint64_t chunk_left;
	int err = populate_validate(vm, p);

	if (err || p->size == 0)
		return err;
	pthread_rwlock_wrlock(&vm->config_lock);
	err = realm_ensure_created(vm);
	pthread_rwlock_unlock(&vm->config_lock);
	if (err)
		return err;
	pthread_rwlock_rdlock(&vm->config_lock);
	/* Valid only before any vCPU has run: the realm must still be NEW. */
	if (realm_state(vm) != REALM_STATE_NEW || vm->vcpu_ran) {
		err = -EPERM;
		goto out;
	}
	chunk_left = p->size < POPULATE_CHUNK ? p->size : POPULATE_CHUNK;
	while (chunk_left) {
		err = populate_page(vm, p->base, p->source_uaddr, flags);
		if (err)
			break;
		p->base += hg.page_size;
		p->size -= hg.page_size;
		p->source_uaddr += hg.page_size;
		chunk_left -= hg.page_size;
	}
out:
	pthread_rwlock_unlock(&vm->config_lock);
	return err;
}
