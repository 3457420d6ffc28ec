/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RMI dispatch table: one row per v1.0 command, generated from the ABI's
 * command list, so every function ID has a row and a handler named after the
 * command (a missing handler does not link; a duplicate slot does not
 * compile, -Woverride-init). Unused slots 0x156, 0x160, 0x163 and IDs
 * outside 0x150..0x169 return SMC_UNKNOWN (rmm-v1.0.md s1).
 */
#include <assert.h>
#include <stddef.h>

#include <realmkit/abi/rmi.h>

#include "rmm_priv.h"

#define RMI_ROW(name, fid, n_in, n_out) \
	[((fid)&0xffff) - RMI_FNUM_FIRST] = { #name, fid, n_in, n_out, smc_##name },

static const struct rmi_row rmi_table[RMI_TABLE_SLOTS] = { RMI_COMMAND_LIST(RMI_ROW) };

#define RMI_COUNT_ROW(name, fid, n_in, n_out) +1
static_assert(0 RMI_COMMAND_LIST(RMI_COUNT_ROW) == RMI_COMMAND_COUNT,
	      "every v1.0 RMI command has a dispatch row");
static_assert(sizeof(rmi_table) / sizeof(rmi_table[0]) == RMI_TABLE_SLOTS,
	      "RMI handler table has 26 slots (0x150..0x169)");

const struct rmi_row *rmi_row_for(uint64_t fid)
{
	uint32_t fnum = smccc_fnum(fid);
	const struct rmi_row *row;

	if (fnum < RMI_FNUM_FIRST || fnum > RMI_FNUM_LAST)
		return NULL;
	row = &rmi_table[fnum - RMI_FNUM_FIRST];
	return row->fn && row->fid == fid ? row : NULL;
}
