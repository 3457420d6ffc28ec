/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memslots (KVM_SET_USER_MEMORY_REGION2, with guest_memfd private memory,
 * [PATCH v12 19/46], [PATCH v12 24/46]) and memory attributes
 * (KVM_SET_MEMORY_ATTRIBUTES: the PRIVATE attribute of GPA ranges, kept as
 * sorted disjoint ranges). Changing a range's attribute unmaps the
 * opposite kind of mapping ([PATCH v12 19/46]).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host_priv.h"

static bool page_aligned(uint64_t v)
{
	return (v & (hg.page_size - 1)) == 0;
}

/* The GPA space memslots may cover: a realm's protected half, else the IPA space. */
static uint64_t gpa_limit(const struct host_vm *vm)
{
	return vm->is_realm ? 1ULL << (vm->ia_bits - 1) : 1ULL << vm->ia_bits;
}

bool memslot_lookup(struct host_vm *vm, uint64_t gpa, struct host_memslot *out)
{
	bool found = false;

	pthread_mutex_lock(&vm->lock);
	for (unsigned int i = 0; i < HOST_MAX_SLOTS; i++) {
		const struct host_memslot *s = &vm->slots[i];

		if (s->used && gpa >= s->gpa && gpa - s->gpa < s->size) {
			*out = *s;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&vm->lock);
	return found;
}

static int memslot_validate(struct host_vm *vm, const struct kvm_userspace_memory_region2 *r)
{
	uint32_t allowed =
		vm->is_realm ? KVM_MEM_GUEST_MEMFD
			     : KVM_MEM_GUEST_MEMFD | KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES;
	pa_t pa;

	if (r->slot >= HOST_MAX_SLOTS || (r->flags & ~allowed))
		return -EINVAL;
	if (!page_aligned(r->guest_phys_addr) || !page_aligned(r->memory_size))
		return -EINVAL;
	if (r->memory_size == 0)
		return 0;
	if (r->guest_phys_addr >= gpa_limit(vm) ||
	    r->memory_size > gpa_limit(vm) - r->guest_phys_addr)
		return -EINVAL;
	/* access_ok(): the shared backing must be memory the host can map (NS DRAM). */
	if (!host_uaddr_to_pa(r->userspace_addr, r->memory_size, &pa))
		return -EINVAL;
	/* PAGE_SIZE alignment of the backing, judged on the memory behind it. */
	if (!page_aligned(pa.v))
		return -EINVAL;
	if ((r->flags & KVM_MEM_GUEST_MEMFD) && !page_aligned(r->guest_memfd_offset))
		return -EINVAL;
	return 0;
}

static bool overlaps(const struct host_memslot *s, uint64_t gpa, uint64_t size)
{
	return s->used && gpa < s->gpa + s->size && s->gpa < gpa + size;
}

static int memslot_delete(struct host_vm *vm, uint32_t id)
{
	struct host_memslot *s = &vm->slots[id];
	struct host_gmem *g;

	if (!s->used)
		return 0;
	/* realmkit: slots of a realm whose RD exists stay until destruction. */
	if (vm->is_realm && realm_state(vm) != REALM_STATE_NONE)
		return -EBUSY;
	g = s->gmem;
	memset(s, 0, sizeof(*s));
	if (g)
		host_gmem_put(g);
	return 0;
}

int memslot_set(struct host_vm *vm, const struct kvm_userspace_memory_region2 *r)
{
	struct host_gmem *g = NULL;
	int ret = memslot_validate(vm, r);

	if (ret)
		return ret;
	if (r->flags & KVM_MEM_GUEST_MEMFD) {
		g = host_gmem_get(vm, (int)r->guest_memfd);
		if (!g)
			return -EINVAL;
		if (r->memory_size && (r->guest_memfd_offset >= g->size ||
				       r->memory_size > g->size - r->guest_memfd_offset)) {
			host_gmem_put(g);
			return -EINVAL;
		}
	}
	pthread_rwlock_wrlock(&vm->config_lock);
	pthread_mutex_lock(&vm->lock);
	if (r->memory_size == 0) {
		ret = memslot_delete(vm, r->slot);
		goto out;
	}
	/* Moving or resizing a slot (and any change of a guest_memfd slot): EINVAL. */
	if (vm->slots[r->slot].used) {
		ret = -EINVAL;
		goto out;
	}
	for (unsigned int i = 0; i < HOST_MAX_SLOTS; i++) {
		if (overlaps(&vm->slots[i], r->guest_phys_addr, r->memory_size)) {
			ret = -EEXIST;
			goto out;
		}
	}
	vm->slots[r->slot] = (struct host_memslot){
		.used = true,
		.id = r->slot,
		.flags = r->flags,
		.gpa = r->guest_phys_addr,
		.size = r->memory_size,
		.uaddr = r->userspace_addr,
		.gmem = g,
		.gmem_off = r->guest_memfd_offset,
	};
	g = NULL;
out:
	pthread_mutex_unlock(&vm->lock);
	pthread_rwlock_unlock(&vm->config_lock);
	if (g)
		host_gmem_put(g);
	return ret;
}

void memslots_release(struct host_vm *vm)
{
	for (unsigned int i = 0; i < HOST_MAX_SLOTS; i++) {
		struct host_gmem *g = vm->slots[i].gmem;

		memset(&vm->slots[i], 0, sizeof(vm->slots[i]));
		if (g)
			host_gmem_put(g);
	}
}

/* ---- memory attributes ---- */

static int attr_insert(struct host_vm *vm, unsigned int at, uint64_t start, uint64_t end)
{
	struct host_attr_range *n = realloc(vm->attrs, (vm->nattrs + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	vm->attrs = n;
	memmove(&n[at + 1], &n[at], (vm->nattrs - at) * sizeof(*n));
	n[at] = (struct host_attr_range){ start, end };
	vm->nattrs++;
	return 0;
}

static void attr_remove_at(struct host_vm *vm, unsigned int at)
{
	memmove(&vm->attrs[at], &vm->attrs[at + 1], (vm->nattrs - at - 1) * sizeof(vm->attrs[0]));
	vm->nattrs--;
}

/* Removes [start, end) from the PRIVATE ranges. Called with vm->lock held. */
static int attr_clear(struct host_vm *vm, uint64_t start, uint64_t end)
{
	for (unsigned int i = 0; i < vm->nattrs;) {
		struct host_attr_range *r = &vm->attrs[i];

		if (r->end <= start || r->start >= end) {
			i++;
		} else if (r->start < start && r->end > end) {
			uint64_t old_end = r->end;

			r->end = start;
			return attr_insert(vm, i + 1, end, old_end);
		} else if (r->start < start) {
			r->end = start;
			i++;
		} else if (r->end > end) {
			r->start = end;
			i++;
		} else {
			attr_remove_at(vm, i);
		}
	}
	return 0;
}

/* Adds [start, end) (already cleared) and merges neighbours. */
static int attr_add(struct host_vm *vm, uint64_t start, uint64_t end)
{
	unsigned int at = 0;
	int ret;

	while (at < vm->nattrs && vm->attrs[at].start < start)
		at++;
	ret = attr_insert(vm, at, start, end);
	if (ret)
		return ret;
	if (at + 1 < vm->nattrs && vm->attrs[at + 1].start == end) {
		vm->attrs[at].end = vm->attrs[at + 1].end;
		attr_remove_at(vm, at + 1);
	}
	if (at > 0 && vm->attrs[at - 1].end == start) {
		vm->attrs[at - 1].end = vm->attrs[at].end;
		attr_remove_at(vm, at);
	}
	return 0;
}

int memattr_set(struct host_vm *vm, const struct kvm_memory_attributes *a)
{
	bool private = a->attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE;
	bool held = false;
	int ret;

	/* Only realms have private memory; only PRIVATE is supported; flags are 0. */
	if (!vm->is_realm || a->flags || (a->attributes & ~KVM_MEMORY_ATTRIBUTE_PRIVATE))
		return -EINVAL;
	if (a->size == 0 || !page_aligned(a->address) || !page_aligned(a->size) ||
	    a->address + a->size < a->address)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	ret = attr_clear(vm, a->address, a->address + a->size);
	if (!ret && private)
		ret = attr_add(vm, a->address, a->address + a->size);
	if (!private)
		held = ripas_held(vm, a->address, a->address + a->size);
	pthread_mutex_unlock(&vm->lock);
	if (ret || realm_state(vm) == REALM_STATE_NONE)
		return ret;
	/*
	 * [PATCH v12 19/46]: PRIVATE -> unmap shared; SHARED -> unmap private,
	 * except for the range of a pending RIPAS change to EMPTY, whose
	 * completion unmaps after RTT_SET_RIPAS (s3.10 step 4; run.c).
	 */
	if (private)
		realm_unmap_shared(vm, a->address, a->address + a->size);
	else if (!held)
		realm_unmap_private(vm, a->address, a->address + a->size);
	return 0;
}

bool memattr_is_private(struct host_vm *vm, uint64_t gpa)
{
	return memattr_run_end(vm, gpa, gpa + 1, true) > gpa;
}

/* End of the run from gpa (capped at end) whose PRIVATE attribute equals private. */
uint64_t memattr_run_end(struct host_vm *vm, uint64_t gpa, uint64_t end, bool private)
{
	uint64_t r = end;

	pthread_mutex_lock(&vm->lock);
	for (unsigned int i = 0; i < vm->nattrs; i++) {
		const struct host_attr_range *a = &vm->attrs[i];

		if (private) {
			if (gpa >= a->start && gpa < a->end) {
				r = a->end < end ? a->end : end;
				goto out;
			}
		} else if (a->end > gpa) {
			r = a->start <= gpa ? gpa : (a->start < end ? a->start : end);
			goto out;
		}
	}
	r = private ? gpa : end;
out:
	pthread_mutex_unlock(&vm->lock);
	return r;
}
