/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SMC conduit: the only way from Non-secure software into the RMM.
 * DEN0137 1.0 / SMCCC: the SVE hint bit [16] is ignored (cleared before the
 * function ID is decoded); an ID that no service owns returns SMC_UNKNOWN.
 */
#include <stdatomic.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "platform_priv.h"
#include "platform_root.h"

void conduit_register_rmm(rmi_handler_fn fn)
{
	atomic_store(&plat.rmm, fn);
}

/* Test hooks (platform_root.h): one injected failure rule and one post-call hook. */
static struct {
	_Atomic uint64_t fid;
	_Atomic unsigned int count;
	_Atomic uint64_t status;
	_Atomic(conduit_test_hook_fn) hook;
	void *_Atomic hook_ctx;
} inject;

void conduit_inject_rmi_failure(uint64_t fid, unsigned int count, uint64_t status)
{
	atomic_store(&inject.count, 0);
	atomic_store(&inject.fid, fid);
	atomic_store(&inject.status, status);
	atomic_store(&inject.count, count);
}

void conduit_set_test_hook(conduit_test_hook_fn fn, void *ctx)
{
	atomic_store(&inject.hook_ctx, ctx);
	atomic_store(&inject.hook, fn);
}

static bool injected_failure(uint64_t fid, struct smc_result *res)
{
	unsigned int n = atomic_load(&inject.count);

	if (n == 0 || atomic_load(&inject.fid) != fid)
		return false;
	while (n > 0) {
		if (atomic_compare_exchange_weak(&inject.count, &n, n - 1)) {
			res->x[0] = atomic_load(&inject.status);
			return true;
		}
	}
	return false;
}

static bool is_rmi_fid(uint64_t fid)
{
	uint32_t fnum = smccc_fnum(fid);

	/* Fast SMC64 call, standard secure service, bits [23:17] zero. */
	return (fid >> 32) == 0 && smccc_is_fast(fid) && smccc_is_smc64(fid) &&
	       smccc_oen(fid) == SMCCC_OEN_STD && ((fid >> 17) & 0x7f) == 0 &&
	       fnum >= RMI_FNUM_FIRST && fnum <= RMI_FNUM_LAST;
}

struct smc_result smc_call(uint64_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4,
			   uint64_t x5, uint64_t x6)
{
	struct smc_result res = { { SMC_UNKNOWN, 0, 0, 0, 0 } };
	const uint64_t args[6] = { x1, x2, x3, x4, x5, x6 };
	rmi_handler_fn rmm = atomic_load(&plat.rmm);

	fid &= ~(uint64_t)SMCCC_SVE_HINT;
	if (rmm && is_rmi_fid(fid)) {
		conduit_test_hook_fn hook = atomic_load(&inject.hook);

		void *ctx = atomic_load(&inject.hook_ctx);

		res.x[0] = 0;
		if (!injected_failure(fid, &res) && !(hook && hook(ctx, fid, args, &res, false)))
			rmm(fid, args, &res);
		if (hook)
			hook(ctx, fid, args, &res, true);
	}
	return res;
}
