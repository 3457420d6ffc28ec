/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RTT management ([PATCH v12 10/46], [PATCH v12 17/46], kvm-cca-host.md
 * s3.5): creation on demand when an RMI call fails with RMI_ERROR_RTT (the
 * index is the level the walk reached), with "already exists" races between
 * vCPU threads settled by the RMM; folding after unmaps; the teardown walk.
 */
#include <errno.h>

#include "host_priv.h"

/* Bytes mapped by one entry at level (rmm-v1.0.md s10). */
uint64_t rtt_level_size(int level)
{
	return 1ULL << (12 + 9 * (3 - level));
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/*
 * Delegates a fresh granule and asks the RMM for an RTT at `level` covering
 * ipa. Returns 0 on success, 1 if another thread created it first (the spare
 * is given back), or a negative errno; *walk receives the level reached
 * when the parent itself is missing (-EAGAIN).
 */
static int rtt_create_one(struct host_vm *vm, uint64_t ipa, int level, int *walk)
{
	pa_t rtt = host_page_alloc();
	uint64_t ret;

	if (!rtt.v)
		return -ENOMEM;
	if (rmi_granule_delegate(rtt)) {
		host_page_free(rtt);
		return -ENXIO;
	}
	ret = rmi_rtt_create(vm->rd, rtt, align_down(ipa, rtt_level_size(level - 1)), level);
	if (ret == RMI_SUCCESS) {
		atomic_fetch_add(&vm->stat_rtts, 1);
		return 0;
	}
	host_free_delegated(vm, rtt);
	if (rmi_status_of(ret) != RMI_ERROR_RTT)
		return -ENXIO;
	/* rmm-v1.0.md s11.5: the parent entry is already TABLE -> (E_RTT, level - 1). */
	if (rmi_rtt_level_of(ret) == level - 1)
		return 1;
	*walk = rmi_rtt_level_of(ret);
	return -EAGAIN;
}

/*
 * realm_create_rtt_levels: creates the RTTs from level + 1 down to
 * max_level for ipa, where `level` is the level an RMI_ERROR_RTT reported.
 */
int rtt_create_levels(struct host_vm *vm, uint64_t ipa, int level, int max_level)
{
	unsigned int retries = 0;

	if (level < vm->rtt_level_start)
		level = vm->rtt_level_start;
	while (level < max_level) {
		int walk = level, ret = rtt_create_one(vm, ipa, level + 1, &walk);

		if (ret == -EAGAIN && walk < level && ++retries < 8) {
			/* A parent vanished under us (a concurrent fold): start from it. */
			level = walk;
			continue;
		}
		if (ret < 0)
			return ret;
		level++;
	}
	return 0;
}

/*
 * Folds the RTTs at `level` covering [start, end) whose entries are
 * homogeneous (rmm-v1.0.md s11.5), freeing each folded RTT.
 */
static void fold_level(struct host_vm *vm, uint64_t start, uint64_t end, int level)
{
	uint64_t step = rtt_level_size(level - 1);

	for (uint64_t ipa = align_down(start, step); ipa < end; ipa += step) {
		pa_t rtt;

		if (rmi_rtt_fold(vm->rd, ipa, level, &rtt) == RMI_SUCCESS) {
			atomic_fetch_sub(&vm->stat_rtts, 1);
			host_free_delegated(vm, rtt);
		}
	}
}

/* realm_fold_rtt_level after an unmap: level 3 tables first, then level 2. */
int rtt_fold_range(struct host_vm *vm, uint64_t start, uint64_t end)
{
	/* Teardown destroys every RTT next: folding the whole IPA space first is waste. */
	if (realm_state(vm) == REALM_STATE_DYING)
		return 0;
	for (int level = HOST_RTT_LEVEL_3; level > vm->rtt_level_start + 1; level--)
		fold_level(vm, start, end, level);
	return 0;
}

/* An RTT the RMM will not destroy: find its PA (the parent's TABLE entry) and leak it. */
static void rtt_leak(struct host_vm *vm, uint64_t ipa, int level)
{
	uint64_t out[4];

	if (rmi_rtt_read_entry(vm->rd, ipa, level - 1, out) == RMI_SUCCESS && out[1] == RMI_TABLE) {
		host_leak(vm, pa_of(out[2] & RMI_NS_DESC_OA_MASK));
		atomic_fetch_sub(&vm->stat_rtts, 1);
	}
}

/*
 * realm_tear_down_rtt_level (kvm-cca-host.md s3.5): destroys every RTT at
 * `level` in [start, end), recursing into live ones; `top` skips ranges
 * that have no RTT (rmm-v1.0.md s11.7).
 */
static void tear_down_level(struct host_vm *vm, int level, uint64_t start, uint64_t end)
{
	uint64_t map = rtt_level_size(level - 1);
	uint64_t addr = start;

	while (addr < end) {
		uint64_t next = align_down(addr, map) + map, top = 0, ret;
		pa_t rtt;

		if (next > end || align_down(addr, map) != addr) {
			/* Only part of this RTT is in range: go one level deeper. */
			if (level < HOST_RTT_LEVEL_3)
				tear_down_level(vm, level + 1, addr, next < end ? next : end);
			addr = next;
			continue;
		}
		ret = rmi_rtt_destroy(vm->rd, addr, level, &rtt, &top);
		if (ret == RMI_SUCCESS) {
			atomic_fetch_sub(&vm->stat_rtts, 1);
			host_free_delegated(vm, rtt);
		} else if (rmi_status_of(ret) == RMI_ERROR_RTT && top > addr) {
			/* No RTT here: skip to the next live entry (s11.7: top >= next). */
			if (top > next)
				next = top < end ? top : end;
		} else if (rmi_status_of(ret) == RMI_ERROR_RTT && level < HOST_RTT_LEVEL_3) {
			/* The RTT is live: empty it, then try again. */
			tear_down_level(vm, level + 1, addr, next);
			ret = rmi_rtt_destroy(vm->rd, addr, level, &rtt, &top);
			if (ret == RMI_SUCCESS) {
				atomic_fetch_sub(&vm->stat_rtts, 1);
				host_free_delegated(vm, rtt);
			} else {
				rtt_leak(vm, addr, level);
			}
		} else {
			rtt_leak(vm, addr, level);
		}
		addr = next;
	}
}

/* Destroys every RTT below the root (kvm_realm_destroy_rtts). */
void rtt_destroy_all(struct host_vm *vm)
{
	tear_down_level(vm, vm->rtt_level_start + 1, 0, 1ULL << vm->ia_bits);
}
