/* SPDX-License-Identifier: BSD-3-Clause */
/* Interfaces shared by the RMM's own files. */
#ifndef REALMKIT_RMM_PRIV_H
#define REALMKIT_RMM_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/abi/smccc.h>
#include <realmkit/addr.h>

/*
 * An RMI handler: args[0..5] are X1..X6, res->x[0] the packed status, res->x[1..4]
 * the outputs. res is zero on entry. Named after the command (smc_<name>).
 */
typedef void (*rmi_fn)(const uint64_t args[6], struct smc_result *res);

#define RMI_DECLARE_HANDLER(name, fid, n_in, n_out) \
	void smc_##name(const uint64_t args[6], struct smc_result *res);
RMI_COMMAND_LIST(RMI_DECLARE_HANDLER)
#undef RMI_DECLARE_HANDLER

/* One row of the RMI dispatch table. */
struct rmi_row {
	const char *name;
	uint64_t fid;
	unsigned int n_in, n_out;
	rmi_fn fn;
};

/* The row for a function ID, or NULL (unused slot or outside the range). */
const struct rmi_row *rmi_row_for(uint64_t fid);

/* Packs an RMI status with its index into X0 (rmm-v1.0.md s3). */
static inline uint64_t rmi_ret(enum rmi_status status, unsigned int index)
{
	return rmi_pack(status, index);
}

/* The feature register 0 value this RMM reports (rmm-v1.0.md s5). */
uint64_t rmm_feature_register0(void);

/*
 * Reads len bytes at pa from a host (NS) granule, the way the RMM accesses
 * Non-secure memory: the granule must be tracked, in state NS and in PAS NS
 * (otherwise the access would take a granule protection fault). The range
 * must not cross the granule. Returns 0, or -EFAULT when the access faults.
 * NS granule locks are leaf locks: taken last and held alone in the copy.
 */
int rmm_ns_read(pa_t pa, void *dst, size_t len);

/* Writes to a host (NS) granule; same rules as rmm_ns_read. */
int rmm_ns_write(pa_t pa, const void *src, size_t len);

#endif /* REALMKIT_RMM_PRIV_H */
