/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RECs ([PATCH v12 12/46], kvm-cca-host.md s3.6): per vCPU a delegated REC
 * granule, an NS RmiRecRun page shared with the RMM, and REC_AUX_COUNT
 * auxiliary granules. Auxiliary memory is allocated in host pages, each
 * granule of a page delegated (seeds/003); a page goes back to the host
 * only if every granule of it was undelegated, otherwise the granules the
 * RMM kept are leaked and the page is never reused.
 */
#include <errno.h>
#include <string.h>

#include <realmkit/platform.h>

#include "host_priv.h"

static uint64_t granules_per_page(void)
{
	return hg.page_size >> GRANULE_SHIFT;
}

/* free_rec_aux: undelegates aux granules [0, n) page by page. */
static void rec_aux_free(struct host_vm *vm, const pa_t *aux, unsigned int n)
{
	for (unsigned int i = 0; i < n;) {
		pa_t page = pa_of(aux[i].v & ~(hg.page_size - 1));
		bool should_free = true;

		for (; i < n && (aux[i].v & ~(hg.page_size - 1)) == page.v; i++) {
			if (rmi_granule_undelegate(aux[i]) != RMI_SUCCESS) {
				host_leak(vm, aux[i]);
				should_free = false;
			}
		}
		if (should_free)
			host_pages_free(page, granules_per_page());
	}
}

/* alloc_rec_aux: n granules in host pages, each delegated. */
static int rec_aux_alloc(struct host_vm *vm, pa_t *aux, unsigned int n)
{
	unsigned int i = 0;

	while (i < n) {
		pa_t page = host_pages_alloc_contig(granules_per_page(), hg.page_size);
		unsigned int first = i;

		if (!page.v) {
			rec_aux_free(vm, aux, i);
			return -ENOMEM;
		}
		for (uint64_t j = 0; j < granules_per_page() && i < n; j++, i++) {
			aux[i] = pa_add(page, j << GRANULE_SHIFT);
			if (rmi_granule_delegate(aux[i]) != RMI_SUCCESS) {
				/* Give back this page's delegated part, then the earlier pages. */
				rec_aux_free(vm, aux, i);
				if (i == first)
					host_pages_free(page, granules_per_page());
				return -ENXIO;
			}
		}
	}
	return 0;
}

static void rec_params_fill(const struct host_vcpu *v, struct rmi_rec_params *p, bool runnable)
{
	memset(p, 0, sizeof(*p));
	for (unsigned int i = 0; i < RMI_REC_CREATE_NR_GPRS; i++)
		p->gprs[i] = v->x[i];
	p->pc = v->pc;
	p->flags = runnable ? RMI_REC_PARAMS_FLAG_RUNNABLE : 0;
	p->mpidr = v->mpidr;
	p->num_aux = v->num_aux;
	for (unsigned int i = 0; i < v->num_aux; i++)
		p->aux[i] = v->aux[i].v;
}

/* kvm_create_rec: X0..X7 and PC as the VMM set them; only vCPU 0 runnable. */
int rec_create(struct host_vcpu *v, bool runnable)
{
	struct host_vm *vm = v->vm;
	pa_t params;
	int err;

	/* The RMM provides PSCI to realms: KVM_ARM_VCPU_PSCI_0_2 is required. */
	if (!v->initialized || !(v->features & (1u << KVM_ARM_VCPU_PSCI_0_2)))
		return -EINVAL;
	if (vm->num_aux > RMI_MAX_REC_AUX_GRANULES)
		return -EINVAL;
	err = -ENOMEM;
	params = host_page_alloc();
	v->rec = host_page_alloc();
	v->run_pa = host_page_alloc();
	if (!params.v || !v->rec.v || !v->run_pa.v)
		goto err_pages;
	err = -ENXIO;
	if (rmi_granule_delegate(v->rec) != RMI_SUCCESS)
		goto err_pages;
	v->num_aux = vm->num_aux;
	err = rec_aux_alloc(vm, v->aux, v->num_aux);
	if (err)
		goto err_rec;
	rec_params_fill(v, platform_ns_ptr(params), runnable);
	if (rmi_rec_create(vm->rd, v->rec, params) != RMI_SUCCESS) {
		err = -ENXIO;
		goto err_aux;
	}
	host_page_free(params);
	v->rec_created = true;
	return 0;

err_aux:
	rec_aux_free(vm, v->aux, v->num_aux);
err_rec:
	host_free_delegated(vm, v->rec); /* freed, or leaked: either way not ours */
	v->rec = pa_of(0);
err_pages:
	if (v->rec.v)
		host_page_free(v->rec);
	if (v->run_pa.v)
		host_page_free(v->run_pa);
	if (params.v)
		host_page_free(params);
	v->rec = v->run_pa = pa_of(0);
	return err;
}

/*
 * kvm_destroy_rec: "The REC and any AUX pages cannot be reclaimed until the
 * REC is destroyed": a failed REC_DESTROY leaks the REC and all aux granules.
 */
void rec_destroy(struct host_vcpu *v)
{
	struct host_vm *vm = v->vm;

	if (!v->rec_created)
		return;
	v->rec_created = false;
	host_page_free(v->run_pa);
	v->run_pa = pa_of(0);
	if (rmi_rec_destroy(v->rec) != RMI_SUCCESS) {
		host_log("WARN: REC_DESTROY failed: REC and its aux granules leaked");
		host_leak(vm, v->rec);
		for (unsigned int i = 0; i < v->num_aux; i++)
			host_leak(vm, v->aux[i]);
		return;
	}
	rec_aux_free(vm, v->aux, v->num_aux);
	host_free_delegated(vm, v->rec);
	v->rec = pa_of(0);
}
