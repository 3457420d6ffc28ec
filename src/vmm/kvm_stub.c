/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Placeholders for the KVM-shaped UAPI (include/realmkit/kvm.h) while the
 * host's implementation is not in the build: every call fails with ENODEV
 * ("no platform"). Built as the library rk_kvm_stub, linked after rk_host,
 * so an archive member of rk_host that defines these symbols always wins;
 * the definitions are weak in case only some exist. Remove the library
 * once src/host provides kvm.h.
 */
#include <errno.h>
#include <stddef.h>

#include <realmkit/kvm.h>

__attribute__((weak)) int rk_kvm_open(void)
{
	errno = ENODEV;
	return -1;
}

__attribute__((weak)) int rk_kvm_ioctl(int handle, unsigned long request, ...)
{
	(void)handle;
	(void)request;
	errno = ENODEV;
	return -1;
}

__attribute__((weak)) struct kvm_run *rk_kvm_map_run(int vcpu_handle)
{
	(void)vcpu_handle;
	errno = ENODEV;
	return NULL;
}

__attribute__((weak)) int rk_kvm_close(int handle)
{
	(void)handle;
	errno = ENODEV;
	return -1;
}

__attribute__((weak)) void *rk_kvm_alloc_guest_ram(size_t size)
{
	(void)size;
	errno = ENODEV;
	return NULL;
}

__attribute__((weak)) void rk_kvm_free_guest_ram(void *p, size_t size)
{
	(void)p;
	(void)size;
}
