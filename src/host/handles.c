/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The handle table and the five calls of kvm.h a VMM replaces when it moves
 * to /dev/kvm: rk_kvm_open/ioctl/map_run/close (and guest RAM), plus the
 * realmkit additions (destroy with a leak report, kick). Handles are small
 * integers like file descriptors; each references a system, VM, vCPU or
 * guest_memfd object. A VM lives while any handle of it (VM, vCPU,
 * guest_memfd) is open or an ioctl on it is in progress, as a struct kvm
 * lives while its files are open.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/platform.h>

#include "host_priv.h"

#define HOST_MAX_HANDLES 1024

enum handle_type {
	H_FREE,
	H_SYS,
	H_VM,
	H_VCPU,
	H_GMEM
};

struct handle {
	enum handle_type type;
	void *obj;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t released; /* a VM a destroyer waits for lost its last reference */
	struct handle h[HOST_MAX_HANDLES];
	unsigned int open;
	bool inited;
	uint64_t ram_granules; /* rk_kvm_alloc_guest_ram() outstanding */
} host = { .lock = PTHREAD_MUTEX_INITIALIZER, .released = PTHREAD_COND_INITIALIZER };

bool host_handles_open(void)
{
	bool r;

	pthread_mutex_lock(&host.lock);
	r = host.open != 0;
	pthread_mutex_unlock(&host.lock);
	return r;
}

static struct host_vm *obj_vm(const struct handle *h)
{
	switch (h->type) {
	case H_VM:
		return h->obj;
	case H_VCPU:
		return ((struct host_vcpu *)h->obj)->vm;
	case H_GMEM:
		return ((struct host_gmem *)h->obj)->vm;
	default:
		return NULL;
	}
}

/* Called with host.lock held. */
static int handle_alloc(enum handle_type type, void *obj)
{
	for (int i = 0; i < HOST_MAX_HANDLES; i++) {
		if (host.h[i].type == H_FREE) {
			host.h[i].type = type;
			host.h[i].obj = obj;
			host.open++;
			return i;
		}
	}
	return -EMFILE;
}

void host_vm_get(struct host_vm *vm)
{
	pthread_mutex_lock(&host.lock);
	vm->refs++;
	pthread_mutex_unlock(&host.lock);
}

/*
 * Drops a reference with host.lock held; true if it was the last one and
 * the caller must destroy the VM. When rk_kvm_destroy_vm() waits for the
 * VM, the last reference wakes it instead: the destroyer destroys it.
 */
static bool vm_put_locked(struct host_vm *vm)
{
	if (--vm->refs != 0)
		return false;
	if (vm->destroy_waiting) {
		pthread_cond_broadcast(&host.released);
		return false;
	}
	return true;
}

/*
 * kvm_destroy_vm: vCPUs first (their RECs), then the realm (teardown.c),
 * then memslots and the VM. The leak report is copied out when asked for.
 */
static void vm_destroy(struct host_vm *vm, struct rk_kvm_leak_report *rep)
{
	struct host_ctx ctx;

	host_ctx_enter(vm, -1, &ctx);
	realm_destroy(vm);
	host_ctx_leave(&ctx);
	for (unsigned int i = 0; i < HOST_MAX_VCPUS; i++) {
		if (vm->vcpus[i])
			kvm_vcpu_free(vm->vcpus[i]);
	}
	memslots_release(vm);
	if (vm->leaks.count)
		host_log("VM destroyed: %llu granules leaked", (unsigned long long)vm->leaks.count);
	if (rep) {
		memset(rep, 0, sizeof(*rep));
		rep->count = vm->leaks.count;
		for (uint64_t i = 0; i < vm->leaks.count && i < RK_KVM_LEAK_REPORT_MAX; i++)
			rep->pas[i] = vm->leaks.pas[i];
	}
	free(vm->leaks.pas);
	free(vm->attrs);
	pthread_rwlock_destroy(&vm->obs_lock);
	pthread_rwlock_destroy(&vm->config_lock);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}

void host_vm_put(struct host_vm *vm)
{
	bool last;

	pthread_mutex_lock(&host.lock);
	last = vm_put_locked(vm);
	pthread_mutex_unlock(&host.lock);
	if (last)
		vm_destroy(vm, NULL);
}

/* Drops one handle's reference on its object. Called with host.lock held. */
static void handle_drop_locked(int i, struct host_vm **destroy)
{
	struct handle *h = &host.h[i];
	struct host_vm *vm = obj_vm(h);

	if (h->type == H_GMEM) {
		struct host_gmem *g = h->obj;

		if (--g->refs == 0)
			gmem_free(g);
	}
	h->type = H_FREE;
	h->obj = NULL;
	host.open--;
	if (vm && vm_put_locked(vm))
		*destroy = vm;
}

static void host_maybe_fini_locked(void)
{
	if (host.open == 0 && host.ram_granules == 0 && host.inited) {
		host_fini();
		host.inited = false;
	}
}

int rk_kvm_open(void)
{
	int ret;

	pthread_mutex_lock(&host.lock);
	if (!host.inited) {
		ret = host_init();
		if (ret) {
			pthread_mutex_unlock(&host.lock);
			errno = -ret;
			return -1;
		}
		host.inited = true;
	}
	ret = handle_alloc(H_SYS, NULL);
	host_maybe_fini_locked();
	pthread_mutex_unlock(&host.lock);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

int rk_kvm_close(int handle)
{
	struct host_vm *destroy = NULL;

	pthread_mutex_lock(&host.lock);
	if (handle < 0 || handle >= HOST_MAX_HANDLES || host.h[handle].type == H_FREE) {
		pthread_mutex_unlock(&host.lock);
		errno = EBADF;
		return -1;
	}
	handle_drop_locked(handle, &destroy);
	pthread_mutex_unlock(&host.lock);
	if (destroy)
		vm_destroy(destroy, NULL);
	pthread_mutex_lock(&host.lock);
	host_maybe_fini_locked();
	pthread_mutex_unlock(&host.lock);
	return 0;
}

/* Kicks every vCPU of vm out of KVM_RUN (their handles are gone: no new ioctl starts). */
static void kick_all_vcpus(struct host_vm *vm)
{
	struct host_vcpu *v[HOST_MAX_VCPUS];

	pthread_mutex_lock(&vm->lock);
	memcpy(v, vm->vcpus, sizeof(v));
	pthread_mutex_unlock(&vm->lock);
	for (unsigned int i = 0; i < HOST_MAX_VCPUS; i++) {
		if (v[i])
			vcpu_kick(v[i]);
	}
}

int rk_kvm_destroy_vm(int vm_handle, struct rk_kvm_leak_report *report)
{
	struct host_vm *vm, *destroy = NULL;
	bool busy;

	pthread_mutex_lock(&host.lock);
	if (vm_handle < 0 || vm_handle >= HOST_MAX_HANDLES || host.h[vm_handle].type != H_VM) {
		pthread_mutex_unlock(&host.lock);
		errno = EBADF;
		return -1;
	}
	vm = host.h[vm_handle].obj;
	/* Ioctls in progress keep the VM: wait for them rather than let them destroy it. */
	vm->destroy_waiting = true;
	for (int i = 0; i < HOST_MAX_HANDLES; i++) {
		if (host.h[i].type != H_FREE && host.h[i].type != H_SYS && obj_vm(&host.h[i]) == vm)
			handle_drop_locked(i, &destroy);
	}
	busy = vm->refs != 0;
	pthread_mutex_unlock(&host.lock);
	if (busy) {
		/* vCPU threads blocked or running in KVM_RUN return with EINTR. */
		kick_all_vcpus(vm);
		pthread_mutex_lock(&host.lock);
		while (vm->refs)
			pthread_cond_wait(&host.released, &host.lock);
		pthread_mutex_unlock(&host.lock);
	}
	(void)destroy;
	vm_destroy(vm, report);
	pthread_mutex_lock(&host.lock);
	host_maybe_fini_locked();
	pthread_mutex_unlock(&host.lock);
	return 0;
}

/* Looks a handle up and holds its VM for the duration of an ioctl. */
static enum handle_type handle_get(int handle, void **obj, struct host_vm **vm)
{
	enum handle_type t = H_FREE;

	pthread_mutex_lock(&host.lock);
	if (handle >= 0 && handle < HOST_MAX_HANDLES && host.h[handle].type != H_FREE) {
		t = host.h[handle].type;
		*obj = host.h[handle].obj;
		*vm = obj_vm(&host.h[handle]);
		if (*vm)
			(*vm)->refs++;
	}
	pthread_mutex_unlock(&host.lock);
	return t;
}

/* A VM ioctl that created an object (vCPU, guest_memfd) gets a handle for it. */
static int install_new_object(struct host_vm *vm, int type, void *obj)
{
	int ret;

	pthread_mutex_lock(&host.lock);
	ret = handle_alloc(type == 1 ? H_VCPU : H_GMEM, obj);
	if (ret >= 0)
		vm->refs++;
	pthread_mutex_unlock(&host.lock);
	return ret;
}

static int sys_create_vm(uint64_t type)
{
	struct host_vm *vm;
	int err = 0, ret;

	vm = kvm_vm_create(type, &err);
	if (!vm)
		return err;
	pthread_mutex_lock(&host.lock);
	ret = handle_alloc(H_VM, vm);
	if (ret >= 0)
		vm->refs = 1;
	pthread_mutex_unlock(&host.lock);
	if (ret < 0)
		vm_destroy(vm, NULL);
	return ret;
}

int rk_kvm_ioctl(int handle, unsigned long request, ...)
{
	struct host_vm *vm = NULL;
	void *obj = NULL, *newobj = NULL;
	struct host_ctx ctx;
	enum handle_type t;
	int ret, newtype = 0;
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	t = handle_get(handle, &obj, &vm);
	if (vm)
		host_ctx_enter(vm, t == H_VCPU ? (int32_t)((struct host_vcpu *)obj)->id : -1, &ctx);
	switch (t) {
	case H_SYS:
		ret = request == KVM_CREATE_VM ? sys_create_vm((uint64_t)(uintptr_t)arg)
					       : kvm_sys_ioctl(request, arg, (uintptr_t)arg);
		break;
	case H_VM:
		ret = kvm_vm_ioctl(vm, request, arg, (uintptr_t)arg, &newobj, &newtype);
		if (ret == 0 && newobj) {
			ret = install_new_object(vm, newtype, newobj);
			if (ret < 0 && newtype == 2)
				gmem_free(newobj);
		}
		break;
	case H_VCPU:
		ret = kvm_vcpu_ioctl(obj, request, arg);
		break;
	case H_GMEM:
		ret = -ENOTTY;
		break;
	default:
		ret = -EBADF;
		break;
	}
	if (vm) {
		host_ctx_leave(&ctx);
		host_vm_put(vm);
	}
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

struct kvm_run *rk_kvm_map_run(int vcpu_handle)
{
	struct kvm_run *run = NULL;

	pthread_mutex_lock(&host.lock);
	if (vcpu_handle >= 0 && vcpu_handle < HOST_MAX_HANDLES &&
	    host.h[vcpu_handle].type == H_VCPU)
		run = ((struct host_vcpu *)host.h[vcpu_handle].obj)->run;
	pthread_mutex_unlock(&host.lock);
	if (!run)
		errno = EBADF;
	return run;
}

int rk_kvm_vcpu_kick(int vcpu_handle)
{
	struct host_vm *vm = NULL;
	void *obj = NULL;

	if (handle_get(vcpu_handle, &obj, &vm) != H_VCPU) {
		if (vm)
			host_vm_put(vm);
		errno = EBADF;
		return -1;
	}
	vcpu_kick(obj);
	host_vm_put(vm);
	return 0;
}

int rk_kvm_set_rmi_observer(int vm_handle, rk_kvm_rmi_observer_fn fn, void *opaque)
{
	struct host_vm *vm = NULL;
	void *obj = NULL;

	if (handle_get(vm_handle, &obj, &vm) != H_VM) {
		if (vm)
			host_vm_put(vm);
		errno = EBADF;
		return -1;
	}
	host_observer_set(vm, fn, opaque);
	host_vm_put(vm);
	return 0;
}

static uint8_t *ns_view_base(void)
{
	return platform_ns_ptr(pa_of(RK_DRAM_BASE));
}

bool host_uaddr_to_pa(uint64_t uaddr, uint64_t size, pa_t *pa)
{
	uint64_t base = (uint64_t)(uintptr_t)ns_view_base(), ns_size;
	pa_t ns_base;

	platform_ns_dram_range(&ns_base, &ns_size);
	if (uaddr < base || size > platform_dram_size() ||
	    uaddr - base > platform_dram_size() - size)
		return false;
	*pa = pa_of(RK_DRAM_BASE + (uaddr - base));
	return pa->v >= ns_base.v && pa->v + size <= ns_base.v + ns_size;
}

void *rk_kvm_alloc_guest_ram(size_t size)
{
	uint64_t n;
	pa_t pa;

	pthread_mutex_lock(&host.lock);
	if (!host.inited) {
		pthread_mutex_unlock(&host.lock);
		errno = ENODEV;
		return NULL;
	}
	n = ((size + hg.page_size - 1) & ~(hg.page_size - 1)) >> GRANULE_SHIFT;
	pa = host_pages_alloc_contig(n, hg.page_size);
	if (pa.v)
		host.ram_granules += n;
	pthread_mutex_unlock(&host.lock);
	if (!pa.v) {
		errno = ENOMEM;
		return NULL;
	}
	return platform_ns_ptr(pa);
}

void rk_kvm_free_guest_ram(void *p, size_t size)
{
	uint64_t n = ((size + hg.page_size - 1) & ~(hg.page_size - 1)) >> GRANULE_SHIFT;
	pa_t pa;

	if (!p || !host_uaddr_to_pa((uintptr_t)p, n << GRANULE_SHIFT, &pa))
		return;
	pthread_mutex_lock(&host.lock);
	host_pages_free(pa, n);
	host.ram_granules -= n < host.ram_granules ? n : host.ram_granules;
	host_maybe_fini_locked();
	pthread_mutex_unlock(&host.lock);
}

/* The guest_memfd behind a handle, referenced for a memslot (NULL if none of vm's). */
struct host_gmem *host_gmem_get(struct host_vm *vm, int handle)
{
	struct host_gmem *g = NULL;

	pthread_mutex_lock(&host.lock);
	if (handle >= 0 && handle < HOST_MAX_HANDLES && host.h[handle].type == H_GMEM &&
	    ((struct host_gmem *)host.h[handle].obj)->vm == vm) {
		g = host.h[handle].obj;
		g->refs++;
	}
	pthread_mutex_unlock(&host.lock);
	return g;
}

void host_gmem_put(struct host_gmem *g)
{
	bool last;

	pthread_mutex_lock(&host.lock);
	last = --g->refs == 0;
	pthread_mutex_unlock(&host.lock);
	if (last)
		gmem_free(g);
}
