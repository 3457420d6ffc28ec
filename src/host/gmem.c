/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guest_memfd: a VM's private memory, allocated lazily in host pages
 * (hg.page_size) from the host's NS DRAM, with one state per 4 KB granule
 * (NS, delegated, leaked). A page is returned to the host only when every
 * granule of it is NS again; a leaked granule keeps its page forever.
 */
#include <errno.h>
#include <stdlib.h>

#include "host_priv.h"

struct host_gmem *gmem_create(struct host_vm *vm, const struct kvm_create_guest_memfd *a, int *err)
{
	struct host_gmem *g;

	*err = -EINVAL;
	if (a->size == 0 || (a->size & (hg.page_size - 1)) || a->flags)
		return NULL;
	for (unsigned int i = 0; i < 6; i++) {
		if (a->reserved[i])
			return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (g) {
		g->pages = calloc(a->size / hg.page_size, sizeof(pa_t));
		g->gstate = calloc(a->size >> GRANULE_SHIFT, 1);
	}
	if (!g || !g->pages || !g->gstate) {
		if (g) {
			free(g->pages);
			free(g->gstate);
		}
		free(g);
		*err = -ENOMEM;
		return NULL;
	}
	g->vm = vm;
	g->size = a->size;
	g->refs = 1;
	pthread_mutex_init(&g->lock, NULL);
	return g;
}

void gmem_free(struct host_gmem *g)
{
	uint64_t per_page = hg.page_size >> GRANULE_SHIFT;

	for (uint64_t p = 0; p < g->size / hg.page_size; p++) {
		bool all_ns = true;

		if (!g->pages[p].v)
			continue;
		for (uint64_t i = 0; i < per_page; i++)
			all_ns &= g->gstate[p * per_page + i] == GMEM_NS;
		if (all_ns)
			host_pages_free(g->pages[p], per_page);
	}
	pthread_mutex_destroy(&g->lock);
	free(g->pages);
	free(g->gstate);
	free(g);
}

/* The PA of the granule at off, allocating its host page on first use. */
int gmem_get_page(struct host_gmem *g, uint64_t off, pa_t *pa)
{
	uint64_t p = off / hg.page_size;
	int ret = 0;

	if (off >= g->size)
		return -EINVAL;
	pthread_mutex_lock(&g->lock);
	if (!g->pages[p].v) {
		g->pages[p] = host_pages_alloc_contig(hg.page_size >> GRANULE_SHIFT, hg.page_size);
		if (!g->pages[p].v)
			ret = -ENOMEM;
	}
	*pa = pa_add(g->pages[p], (off % hg.page_size) & ~GRANULE_MASK);
	pthread_mutex_unlock(&g->lock);
	return ret;
}

pa_t gmem_lookup(struct host_gmem *g, uint64_t off)
{
	pa_t pa;

	pthread_mutex_lock(&g->lock);
	pa = g->pages[off / hg.page_size];
	pthread_mutex_unlock(&g->lock);
	return pa.v ? pa_add(pa, (off % hg.page_size) & ~GRANULE_MASK) : pa;
}

enum gmem_granule_state gmem_state(struct host_gmem *g, uint64_t off)
{
	enum gmem_granule_state s;

	pthread_mutex_lock(&g->lock);
	s = g->gstate[off >> GRANULE_SHIFT];
	pthread_mutex_unlock(&g->lock);
	return s;
}

void gmem_set_state(struct host_gmem *g, uint64_t off, enum gmem_granule_state s)
{
	pthread_mutex_lock(&g->lock);
	g->gstate[off >> GRANULE_SHIFT] = (uint8_t)s;
	pthread_mutex_unlock(&g->lock);
}

void gmem_set_state_ipa(struct host_vm *vm, uint64_t ipa, enum gmem_granule_state s)
{
	struct host_memslot slot;

	if (memslot_lookup(vm, ipa, &slot) && slot.gmem)
		gmem_set_state(slot.gmem, slot.gmem_off + (ipa - slot.gpa), s);
}
