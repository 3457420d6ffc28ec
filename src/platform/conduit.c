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
		res.x[0] = 0;
		rmm(fid, args, &res);
	}
	return res;
}
