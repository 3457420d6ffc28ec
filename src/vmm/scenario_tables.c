/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The names a scenario script can use: RMI commands (from the ABI's command
 * list), predefined constants (spec encodings and the platform's conformance
 * stimuli of failure-conditions s1.3) and structure fields (offsets taken
 * from the ABI structures, never written by hand).
 */
#include <stddef.h>

#include <realmkit/abi/psci.h>
#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "scenario.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* rmm-v1.0.md s4: one row per command; #fid spells the spec name. */
#define SC_X_CMD_(name, fid, n_in, n_out) { #fid, fid, n_in, n_out },
static const struct sc_command commands[] = { RMI_COMMAND_LIST(SC_X_CMD_) };
#undef SC_X_CMD_

static_assert(ARRAY_SIZE(commands) == RMI_COMMAND_COUNT, "one scenario command per RMI command");

const struct sc_command *scenario_command(unsigned int idx)
{
	return idx < ARRAY_SIZE(commands) ? &commands[idx] : NULL;
}

#define FIXED(n, v)                           \
	{                                     \
		n, SC_CS_FIXED, (uint64_t)(v) \
	}

/* Spec encodings (rmm-v1.0.md s2, s8) and platform stimuli (failure-conditions s1.3). */
static const struct sc_const consts[] = {
	FIXED("RMI_SUCCESS", RMI_SUCCESS),
	FIXED("RMI_ERROR_INPUT", RMI_ERROR_INPUT),
	FIXED("RMI_ERROR_REALM", RMI_ERROR_REALM),
	FIXED("RMI_ERROR_REC", RMI_ERROR_REC),
	FIXED("RMI_ERROR_RTT", RMI_ERROR_RTT),
	FIXED("SMC_UNKNOWN", SMC_UNKNOWN),
	FIXED("RMI_ABI_VERSION", RMI_ABI_VERSION),
	FIXED("RMI_UNASSIGNED", RMI_UNASSIGNED),
	FIXED("RMI_ASSIGNED", RMI_ASSIGNED),
	FIXED("RMI_TABLE", RMI_TABLE),
	FIXED("UNASSIGNED", RMI_UNASSIGNED),
	FIXED("ASSIGNED", RMI_ASSIGNED),
	FIXED("TABLE", RMI_TABLE),
	FIXED("RMI_EMPTY", RMI_EMPTY),
	FIXED("RMI_RAM", RMI_RAM),
	FIXED("RMI_DESTROYED", RMI_DESTROYED),
	FIXED("EMPTY", RMI_EMPTY),
	FIXED("RAM", RMI_RAM),
	FIXED("DESTROYED", RMI_DESTROYED),
	FIXED("RMI_HASH_SHA_256", RMI_HASH_SHA_256),
	FIXED("RMI_HASH_SHA_512", RMI_HASH_SHA_512),
	FIXED("SHA_256", RMI_HASH_SHA_256),
	FIXED("SHA_512", RMI_HASH_SHA_512),
	FIXED("RMI_NO_MEASURE_CONTENT", RMI_NO_MEASURE_CONTENT),
	FIXED("RMI_MEASURE_CONTENT", RMI_MEASURE_CONTENT),
	FIXED("RMI_NOT_RUNNABLE", RMI_NOT_RUNNABLE),
	FIXED("RMI_RUNNABLE", RMI_RUNNABLE),
	FIXED("RMI_ACCEPT", RMI_ACCEPT),
	FIXED("RMI_REJECT", RMI_REJECT),
	FIXED("RMI_REALM_FLAGS_LPA2", RMI_REALM_FLAGS_LPA2),
	FIXED("RMI_REALM_FLAGS_SVE", RMI_REALM_FLAGS_SVE),
	FIXED("RMI_REALM_FLAGS_PMU", RMI_REALM_FLAGS_PMU),
	FIXED("REC_ENTER_FLAG_EMUL_MMIO", REC_ENTER_FLAG_EMUL_MMIO),
	FIXED("REC_ENTER_FLAG_INJECT_SEA", REC_ENTER_FLAG_INJECT_SEA),
	FIXED("REC_ENTER_FLAG_TRAP_WFI", REC_ENTER_FLAG_TRAP_WFI),
	FIXED("REC_ENTER_FLAG_TRAP_WFE", REC_ENTER_FLAG_TRAP_WFE),
	FIXED("REC_ENTER_FLAG_RIPAS_RESPONSE", REC_ENTER_FLAG_RIPAS_RESPONSE),
	FIXED("RMI_EXIT_SYNC", RMI_EXIT_SYNC),
	FIXED("RMI_EXIT_IRQ", RMI_EXIT_IRQ),
	FIXED("RMI_EXIT_FIQ", RMI_EXIT_FIQ),
	FIXED("RMI_EXIT_PSCI", RMI_EXIT_PSCI),
	FIXED("RMI_EXIT_RIPAS_CHANGE", RMI_EXIT_RIPAS_CHANGE),
	FIXED("RMI_EXIT_HOST_CALL", RMI_EXIT_HOST_CALL),
	FIXED("RMI_EXIT_SERROR", RMI_EXIT_SERROR),
	FIXED("PSCI_SUCCESS", PSCI_RET_SUCCESS),
	FIXED("PSCI_NOT_SUPPORTED", PSCI_RET_NOT_SUPPORTED),
	FIXED("PSCI_INVALID_PARAMS", PSCI_RET_INVALID_PARAMS),
	FIXED("PSCI_DENIED", PSCI_RET_DENIED),
	FIXED("PSCI_ALREADY_ON", PSCI_RET_ALREADY_ON),
	FIXED("PSCI_INVALID_ADDRESS", PSCI_RET_INVALID_ADDRESS),
	/* rmm-v1.0.md s8.6: host descriptor bits of RTT_MAP_UNPROTECTED. */
	FIXED("DESC_MEMATTR_NORMAL_WB", 0x6u << RMI_NS_DESC_MEMATTR_SHIFT),
	FIXED("DESC_MEMATTR_RESERVED", RMI_NS_DESC_MEMATTR_RESERVED << RMI_NS_DESC_MEMATTR_SHIFT),
	FIXED("DESC_S2AP_RW", RMI_NS_DESC_S2AP_MASK),
	FIXED("DESC_DBM", UINT64_C(1) << 51),
	FIXED("PAS_NS", RK_PAS_NS),
	FIXED("PAS_REALM", RK_PAS_REALM),
	FIXED("PAS_SECURE", RK_PAS_SECURE),
	FIXED("PAS_ROOT", RK_PAS_ROOT),
	FIXED("GRANULE_SIZE", GRANULE_SIZE),
	FIXED("RMI_MAX_REC_AUX_GRANULES", RMI_MAX_REC_AUX_GRANULES),
	/* failure-conditions s1.3: the canonical invalid addresses. */
	FIXED("PA_WIDTH", RK_PA_WIDTH),
	FIXED("PA_MMIO", RK_NS_UART_PA),
	FIXED("PA_OUTSIDE", (UINT64_C(1) << RK_PA_WIDTH) + GRANULE_SIZE),
	FIXED("PA_ROOT", RK_DRAM_BASE),
	FIXED("PA_NONE", UINT64_C(1) << 44),
	FIXED("DRAM_BASE", RK_DRAM_BASE),
	{ "PA_SECURE", SC_CS_PA_SECURE, 0 },
	{ "DRAM_SIZE", SC_CS_DRAM_SIZE, 0 },
	{ "NS_BASE", SC_CS_NS_BASE, 0 },
};

const struct sc_const *scenario_const(unsigned int idx)
{
	return idx < ARRAY_SIZE(consts) ? &consts[idx] : NULL;
}

#define FLD(st, type, n, member, cnt)                                              \
	{                                                                          \
		n, st, (uint8_t)(sizeof(((struct type *)0)->member) / (cnt)), cnt, \
			(uint16_t)offsetof(struct type, member)                    \
	}
#define RP(n, m)      FLD(SC_ST_REALM_PARAMS, rmi_realm_params, n, m, 1)
#define RP_A(n, m, c) FLD(SC_ST_REALM_PARAMS, rmi_realm_params, n, m, c)
#define CP(n, m)      FLD(SC_ST_REC_PARAMS, rmi_rec_params, n, m, 1)
#define CP_A(n, m, c) FLD(SC_ST_REC_PARAMS, rmi_rec_params, n, m, c)
#define RR(n, m)      FLD(SC_ST_REC_RUN, rmi_rec_run, n, m, 1)
#define RR_A(n, m, c) FLD(SC_ST_REC_RUN, rmi_rec_run, n, m, c)

/* rmm-v1.0.md s8.1-s8.3, through the structures of include/realmkit/abi/rmi.h. */
static const struct sc_field fields[] = {
	RP("flags", flags),
	RP("s2sz", s2sz),
	RP("sve_vl", sve_vl),
	RP("num_bps", num_bps),
	RP("num_wps", num_wps),
	RP("pmu_num_ctrs", pmu_num_ctrs),
	RP("algorithm", algorithm),
	RP_A("rpv", rpv, RMI_RPV_SIZE),
	RP("vmid", vmid),
	RP("rtt_base", rtt_base),
	RP("rtt_level_start", rtt_level_start),
	RP("rtt_num_start", rtt_num_start),
	CP("flags", flags),
	CP("mpidr", mpidr),
	CP("pc", pc),
	CP_A("gprs", gprs, RMI_REC_CREATE_NR_GPRS),
	CP("num_aux", num_aux),
	CP_A("aux", aux, RMI_MAX_REC_AUX_GRANULES),
	RR("enter.flags", enter.flags),
	RR_A("enter.gprs", enter.gprs, RMI_REC_EXIT_NR_GPRS),
	RR("enter.gicv3_hcr", enter.gicv3_hcr),
	RR_A("enter.gicv3_lrs", enter.gicv3_lrs, RMI_REC_GIC_NUM_LRS),
	RR("exit.exit_reason", exit.exit_reason),
	RR("exit.esr", exit.esr),
	RR("exit.far", exit.far),
	RR("exit.hpfar", exit.hpfar),
	RR_A("exit.gprs", exit.gprs, RMI_REC_EXIT_NR_GPRS),
	RR("exit.gicv3_hcr", exit.gicv3_hcr),
	RR_A("exit.gicv3_lrs", exit.gicv3_lrs, RMI_REC_GIC_NUM_LRS),
	RR("exit.gicv3_misr", exit.gicv3_misr),
	RR("exit.gicv3_vmcr", exit.gicv3_vmcr),
	RR("exit.cntp_ctl", exit.cntp_ctl),
	RR("exit.cntp_cval", exit.cntp_cval),
	RR("exit.cntv_ctl", exit.cntv_ctl),
	RR("exit.cntv_cval", exit.cntv_cval),
	RR("exit.ripas_base", exit.ripas_base),
	RR("exit.ripas_top", exit.ripas_top),
	RR("exit.ripas_value", exit.ripas_value),
	RR("exit.imm", exit.imm),
	RR("exit.pmu_ovf_status", exit.pmu_ovf_status),
};

const struct sc_field *scenario_field(unsigned int idx)
{
	return idx < ARRAY_SIZE(fields) ? &fields[idx] : NULL;
}

const char *scenario_stype_name(unsigned int stype)
{
	switch (stype) {
	case SC_ST_REALM_PARAMS:
		return "realm_params";
	case SC_ST_REC_PARAMS:
		return "rec_params";
	case SC_ST_REC_RUN:
		return "rec_run";
	default:
		return "none";
	}
}
