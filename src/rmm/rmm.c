/* SPDX-License-Identifier: BSD-3-Clause */
/* RMM boot and the RMI entry point behind the SMC conduit. */
#include <errno.h>
#include <string.h>

#include <realmkit/platform.h>

#include "attest_token.h"
#include "granule.h"
#include "realm.h"
#include "platform_root.h"
#include "rmm.h"
#include "rmm_priv.h"

static void rmm_handle_rmi(uint64_t fid, const uint64_t args[6], struct smc_result *res)
{
	const struct rmi_row *row = rmi_row_for(fid);
	uint64_t in[6] = { 0 };

	if (!row) {
		res->x[0] = SMC_UNKNOWN;
		return;
	}
	/* Only the command's argument registers are passed on. */
	memcpy(in, args, row->n_in * sizeof(in[0]));
	memset(res, 0, sizeof(*res));
	row->fn(in, res);
	/* Result registers the command does not define read as zero. */
	for (unsigned int i = row->n_out + 1; i < 5; i++)
		res->x[i] = 0;
}

int rmm_boot(void)
{
	int err;

	if (!platform_ready())
		return -ENODEV;
	err = granules_init();
	if (err)
		return err;
	/* A fresh boot: no realm exists, every VMID is free. */
	realm_registry_reset();
	/* Fetch the RAK and the platform token from EL3 now, not at the first token. */
	err = attest_rmm_init();
	if (err) {
		granules_fini();
		return err;
	}
	conduit_register_rmm(rmm_handle_rmi);
	return 0;
}

void rmm_shutdown(void)
{
	conduit_register_rmm(NULL);
	attest_rmm_fini();
	granules_fini();
}
