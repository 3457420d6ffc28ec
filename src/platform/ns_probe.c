/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host visibility of DRAM granules, for the RMM's invariant checker: what
 * the platform last applied to a granule's NS-view page (the mprotect
 * bookkeeping kept next to the GPT), and a real probe of that page.
 *
 * The probe reads one byte of the NS view with process_vm_readv() on the
 * calling process itself: the kernel performs the access on our behalf and
 * reports EFAULT for a PROT_NONE page instead of raising SIGSEGV, so no
 * signal handler is involved and the GPF reporter stays untouched. Where
 * process_vm_readv is not permitted (seccomp), write() of the byte into a
 * pipe gives the same answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <sys/uio.h>
#include <unistd.h>

#include <realmkit/platform.h>

#include "platform_priv.h"
#include "platform_root.h"

static bool pa_is_dram_granule(pa_t pa)
{
	return plat.ready && pa.v >= RK_DRAM_BASE && pa.v - RK_DRAM_BASE < plat.dram_size;
}

bool platform_ns_view_accessible(pa_t pa)
{
	if (!pa_is_dram_granule(pa))
		return false;
	return atomic_load_explicit(&plat.ns_open[(pa.v - RK_DRAM_BASE) >> GRANULE_SHIFT],
				    memory_order_acquire) != 0;
}

/* Fallback probe: the kernel copies the byte into a pipe (EFAULT if it cannot). */
static int probe_pipe(const void *p)
{
	int fd[2], ret;
	ssize_t n;

	if (pipe2(fd, O_CLOEXEC) != 0)
		return -errno;
	n = write(fd[1], p, 1);
	ret = n == 1 ? 1 : (errno == EFAULT ? 0 : -errno);
	close(fd[0]);
	close(fd[1]);
	return ret;
}

int platform_ns_view_probe(pa_t pa)
{
	static atomic_bool no_vm_readv;
	unsigned char byte;
	struct iovec local = { &byte, 1 }, remote;
	ssize_t n;

	if (!pa_is_dram_granule(pa))
		return -EINVAL;
	remote.iov_base = plat.ns_view + ((pa.v - RK_DRAM_BASE) & ~GRANULE_MASK);
	remote.iov_len = 1;
	if (atomic_load(&no_vm_readv))
		return probe_pipe(remote.iov_base);
	n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (n == 1)
		return 1;
	if (n < 0 && errno == EFAULT)
		return 0;
	/* EPERM/ENOSYS: not allowed here; use the pipe from now on. */
	atomic_store(&no_vm_readv, true);
	return probe_pipe(remote.iov_base);
}
