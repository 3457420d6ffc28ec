/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The realm execution lock (realm.h): a FIFO ticket lock whose waiters sleep
 * on a futex on `serving`. Ordering comes from the atomics alone (acquire
 * when the ticket comes up, release when the holder moves `serving` on), so
 * the futex is only a way to sleep and wake up.
 */
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "realm.h"

static void futex_wait(_Atomic uint32_t *addr, uint32_t val)
{
	/* Returns at once if *addr != val; spurious wake-ups are fine (the caller loops). */
	syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake_all(_Atomic uint32_t *addr)
{
	syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

void realm_exec_lock_init(struct realm_exec_lock *l)
{
	atomic_store_explicit(&l->next, 0, memory_order_relaxed);
	atomic_store_explicit(&l->serving, 0, memory_order_relaxed);
}

void realm_exec_lock_fini(struct realm_exec_lock *l)
{
	/* Internal invariant: REALM_DESTROY needs zero RECs, so nobody can hold or wait. */
	assert(atomic_load(&l->next) == atomic_load(&l->serving));
	(void)l;
}

void realm_exec_lock(struct realm_exec_lock *l)
{
	uint32_t ticket = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
	uint32_t now;

	for (unsigned int spins = 0;; spins++) {
		now = atomic_load_explicit(&l->serving, memory_order_acquire);
		if (now == ticket)
			return;
		/* A short spin first: the holder often releases within a few hundred ns. */
		if (spins < 64)
			continue;
		futex_wait(&l->serving, now);
	}
}

void realm_exec_unlock(struct realm_exec_lock *l)
{
	uint32_t next = atomic_fetch_add_explicit(&l->serving, 1, memory_order_release) + 1;

	/* Every waiter wakes and checks its ticket; vCPU counts are small. */
	if (atomic_load_explicit(&l->next, memory_order_relaxed) != next)
		futex_wake_all(&l->serving);
}

bool realm_exec_lock_contended(struct realm_exec_lock *l)
{
	return atomic_load_explicit(&l->next, memory_order_relaxed) !=
	       atomic_load_explicit(&l->serving, memory_order_relaxed) + 1;
}
