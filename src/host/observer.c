/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RMI observer (kvm.h rk_kvm_set_rmi_observer): every RMI call the host
 * makes goes through host_smc(), which reports it to the observer of the
 * VM the calling thread is working for. That VM (and the vCPU) is a
 * per-thread context set around each ioctl and the VM's destruction, so the
 * RMI wrappers keep their RMI-only signatures (host_rmi.h) and a caller
 * without a context (the mini host of tests/guest) is never observed.
 */
#include <time.h>

#include <realmkit/platform.h>

#include "host_priv.h"

static _Thread_local struct host_ctx cur = { NULL, -1 };

void host_ctx_enter(struct host_vm *vm, int32_t vcpu_id, struct host_ctx *saved)
{
	*saved = cur;
	cur.vm = vm;
	cur.vcpu_id = vcpu_id;
}

void host_ctx_leave(const struct host_ctx *saved)
{
	cur = *saved;
}

void host_observer_set(struct host_vm *vm, rk_kvm_rmi_observer_fn fn, void *opaque)
{
	pthread_rwlock_wrlock(&vm->obs_lock);
	vm->obs_fn = fn;
	vm->obs_opaque = opaque;
	atomic_store(&vm->obs_set, fn != NULL);
	pthread_rwlock_unlock(&vm->obs_lock);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct smc_result host_smc(uint64_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4,
			   uint64_t x5, uint64_t x6)
{
	struct host_vm *vm = cur.vm;
	struct rk_kvm_rmi_event ev = { .fid = fid, .args = { x1, x2, x3, x4, x5, x6 } };
	struct smc_result r;

	if (!vm || !atomic_load(&vm->obs_set))
		return smc_call(fid, x1, x2, x3, x4, x5, x6);
	ev.start_ns = now_ns();
	r = smc_call(fid, x1, x2, x3, x4, x5, x6);
	ev.end_ns = now_ns();
	for (unsigned int i = 0; i < 5; i++)
		ev.ret[i] = r.x[i];
	ev.vcpu_id = cur.vcpu_id;
	/* Readers share the lock: vCPU threads report concurrently. */
	pthread_rwlock_rdlock(&vm->obs_lock);
	if (vm->obs_fn)
		vm->obs_fn(vm->obs_opaque, &ev);
	pthread_rwlock_unlock(&vm->obs_lock);
	return r;
}
