/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the spec ABI headers in include/realmkit/abi/.
 *
 * Each test names the section of rmm-v1.0.md (DEN0137 1.0-rel0) it checks.
 * The expected values are typed in from the reference, not derived from the
 * headers, so a wrong constant in a header fails here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <realmkit/abi/smccc.h>
#include <realmkit/abi/rmi.h>
#include <realmkit/abi/rsi.h>
#include <realmkit/abi/psci.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* rmm-v1.0.md s1: function-ID fields and the SMCCC values. */
static void test_smccc_fields(void **state)
{
	(void)state;

	assert_int_equal(SMCCC_VERSION_FID, 0x80000000u);
	assert_int_equal(SMCCC_VERSION_1_2, 0x10002u);
	assert_true(SMC_UNKNOWN == 0xFFFFFFFFFFFFFFFFull);
	assert_true(SMCCC_NOT_SUPPORTED == 0xFFFFFFFFFFFFFFFFull);
	assert_int_equal(SMCCC_SVE_HINT, 0x10000u);

	assert_int_equal(smccc_fnum(RMI_VERSION), 0x150);
	assert_true(smccc_is_fast(RMI_VERSION));
	assert_true(smccc_is_smc64(RMI_VERSION));
	assert_int_equal(smccc_oen(RMI_VERSION), SMCCC_OEN_STD);
	assert_int_equal(SMCCC_OEN_STD, 4);

	assert_true(smccc_is_fast(SMCCC_VERSION_FID));
	assert_false(smccc_is_smc64(SMCCC_VERSION_FID));
	assert_int_equal(smccc_oen(SMCCC_VERSION_FID), SMCCC_OEN_ARCH);
	assert_int_equal(SMCCC_OEN_ARCH, 0);

	assert_false(smccc_is_smc64(PSCI_CPU_ON_32));
	assert_true(smccc_is_smc64(PSCI_CPU_ON_64));
	assert_int_equal(smccc_oen(PSCI_CPU_ON_32), SMCCC_OEN_STD);

	/* s1: the SVE hint (bit 16) is ignored: cleared before decoding. */
	assert_int_equal(smccc_clear_sve_hint(RSI_HOST_CALL | SMCCC_SVE_HINT), RSI_HOST_CALL);
	assert_int_equal(smccc_fnum(RMI_FEATURES | SMCCC_SVE_HINT), 0x165);

	assert_int_equal(sizeof(struct smc_result), 40);
}

/* rmm-v1.0.md s3: X0 = status | index << 8; examples 0x204 and 0x102. */
static void test_rmi_pack(void **state)
{
	(void)state;

	assert_int_equal(rmi_pack(RMI_ERROR_RTT, 2), 0x204);
	assert_int_equal(rmi_pack(RMI_ERROR_REALM, 1), 0x102);
	assert_int_equal(rmi_pack(RMI_ERROR_REALM, 0), 0x2);
	assert_int_equal(rmi_pack(RMI_SUCCESS, 0), 0);
	assert_int_equal(rmi_pack(RMI_ERROR_INPUT, 0), 1);
	assert_int_equal(rmi_pack(RMI_ERROR_REC, 0), 3);
	assert_int_equal(rmi_pack(RMI_ERROR_RTT, 3), 0x304);

	assert_int_equal(rmi_status_of(0x204), RMI_ERROR_RTT);
	assert_int_equal(rmi_index_of(0x204), 2);
	assert_int_equal(rmi_status_of(0x102), RMI_ERROR_REALM);
	assert_int_equal(rmi_index_of(0x102), 1);
	assert_int_equal(rmi_index_of(0), 0);

	/* s3: bits [63:16] are zero; the index is 8 bits (level -1 -> 0xFF). */
	assert_int_equal(rmi_pack(RMI_ERROR_RTT, (unsigned int)-1), 0xFF04);
	assert_int_equal(rmi_rtt_level_of(0xFF04), -1);
	assert_int_equal(rmi_rtt_level_of(0x304), 3);
	assert_int_equal(rmi_rtt_level_of(0x004), 0);

	for (unsigned int s = RMI_SUCCESS; s <= RMI_ERROR_RTT; s++) {
		for (unsigned int i = 0; i < 256; i++) {
			uint64_t x0 = rmi_pack((enum rmi_status)s, i);

			assert_true(x0 >> 16 == 0);
			assert_int_equal(rmi_status_of(x0), s);
			assert_int_equal(rmi_index_of(x0), i);
		}
	}
}

/* rmm-v1.0.md s2: RmiCommandReturnCode names. */
static void test_rmi_status_name(void **state)
{
	(void)state;

	assert_string_equal(rmi_status_name(RMI_SUCCESS), "RMI_SUCCESS");
	assert_string_equal(rmi_status_name(RMI_ERROR_INPUT), "RMI_ERROR_INPUT");
	assert_string_equal(rmi_status_name(RMI_ERROR_REALM), "RMI_ERROR_REALM");
	assert_string_equal(rmi_status_name(RMI_ERROR_REC), "RMI_ERROR_REC");
	assert_string_equal(rmi_status_name(RMI_ERROR_RTT), "RMI_ERROR_RTT");
	assert_string_equal(rmi_status_name(5), "RMI_?");
	assert_string_equal(rmi_status_name(0xFF), "RMI_?");
	assert_string_equal(rmi_status_name(rmi_status_of(0x204)), "RMI_ERROR_RTT");

	assert_string_equal(rsi_status_name(RSI_SUCCESS), "RSI_SUCCESS");
	assert_string_equal(rsi_status_name(RSI_INCOMPLETE), "RSI_INCOMPLETE");
	assert_string_equal(rsi_status_name(RSI_ERROR_UNKNOWN), "RSI_ERROR_UNKNOWN");
	assert_string_equal(rsi_status_name(9), "RSI_?");
}

/* rmm-v1.0.md s4: the FID column of the RMI command table. */
static void test_rmi_fids(void **state)
{
	(void)state;

	assert_int_equal(RMI_VERSION, 0xC4000150u);
	assert_int_equal(RMI_GRANULE_DELEGATE, 0xC4000151u);
	assert_int_equal(RMI_GRANULE_UNDELEGATE, 0xC4000152u);
	assert_int_equal(RMI_DATA_CREATE, 0xC4000153u);
	assert_int_equal(RMI_DATA_CREATE_UNKNOWN, 0xC4000154u);
	assert_int_equal(RMI_DATA_DESTROY, 0xC4000155u);
	assert_int_equal(RMI_REALM_ACTIVATE, 0xC4000157u);
	assert_int_equal(RMI_REALM_CREATE, 0xC4000158u);
	assert_int_equal(RMI_REALM_DESTROY, 0xC4000159u);
	assert_int_equal(RMI_REC_CREATE, 0xC400015Au);
	assert_int_equal(RMI_REC_DESTROY, 0xC400015Bu);
	assert_int_equal(RMI_REC_ENTER, 0xC400015Cu);
	assert_int_equal(RMI_RTT_CREATE, 0xC400015Du);
	assert_int_equal(RMI_RTT_DESTROY, 0xC400015Eu);
	assert_int_equal(RMI_RTT_MAP_UNPROTECTED, 0xC400015Fu);
	assert_int_equal(RMI_RTT_READ_ENTRY, 0xC4000161u);
	assert_int_equal(RMI_RTT_UNMAP_UNPROTECTED, 0xC4000162u);
	assert_int_equal(RMI_PSCI_COMPLETE, 0xC4000164u);
	assert_int_equal(RMI_FEATURES, 0xC4000165u);
	assert_int_equal(RMI_RTT_FOLD, 0xC4000166u);
	assert_int_equal(RMI_REC_AUX_COUNT, 0xC4000167u);
	assert_int_equal(RMI_RTT_INIT_RIPAS, 0xC4000168u);
	assert_int_equal(RMI_RTT_SET_RIPAS, 0xC4000169u);

	assert_int_equal(RMI_ABI_VERSION, 0x10000u);
	assert_int_equal(RMI_ABI_VERSION_MAJOR(RMI_ABI_VERSION), 1);
	assert_int_equal(RMI_ABI_VERSION_MINOR(RMI_ABI_VERSION), 0);
	assert_int_equal(RMI_ABI_MAKE_VERSION(2, 0), 0x20000u);

	/* s1: 26 handler slots, 0x150..0x169. */
	assert_int_equal(RMI_FNUM_FIRST, 0x150);
	assert_int_equal(RMI_FNUM_LAST, 0x169);
	assert_int_equal(RMI_TABLE_SLOTS, 26);
	assert_true(rmi_is_rmi_fid(RMI_VERSION));
	assert_true(rmi_is_rmi_fid(0xC4000156u)); /* in range, no command */
	assert_false(rmi_is_rmi_fid(0xC400016Au));
	assert_false(rmi_is_rmi_fid(0x84000150u)); /* SMC32 */
	assert_false(rmi_is_rmi_fid(RSI_VERSION));
	assert_int_equal(rmi_fid_slot(RMI_VERSION), 0);
	assert_int_equal(rmi_fid_slot(RMI_RTT_SET_RIPAS), 25);
}

struct rmi_row {
	const char *name;
	uint32_t fid;
	unsigned int n_in;
	unsigned int n_out;
};

#define RMI_ROW(name, fid, n_in, n_out) { #name, fid, n_in, n_out },
static const struct rmi_row rmi_rows[] = { RMI_COMMAND_LIST(RMI_ROW) };
#undef RMI_ROW

/*
 * rmm-v1.0.md s4 "Argument and result register counts", typed in from the
 * reference table, keyed by FID.
 */
static const struct rmi_row rmi_expected[] = {
	{ "version", 0xC4000150u, 1, 2 },
	{ "granule_delegate", 0xC4000151u, 1, 0 },
	{ "granule_undelegate", 0xC4000152u, 1, 0 },
	{ "data_create", 0xC4000153u, 5, 0 },
	{ "data_create_unknown", 0xC4000154u, 3, 0 },
	{ "data_destroy", 0xC4000155u, 2, 2 },
	{ "realm_activate", 0xC4000157u, 1, 0 },
	{ "realm_create", 0xC4000158u, 2, 0 },
	{ "realm_destroy", 0xC4000159u, 1, 0 },
	{ "rec_create", 0xC400015Au, 3, 0 },
	{ "rec_destroy", 0xC400015Bu, 1, 0 },
	{ "rec_enter", 0xC400015Cu, 2, 0 },
	{ "rtt_create", 0xC400015Du, 4, 0 },
	{ "rtt_destroy", 0xC400015Eu, 3, 2 },
	{ "rtt_map_unprotected", 0xC400015Fu, 4, 0 },
	{ "rtt_read_entry", 0xC4000161u, 3, 4 },
	{ "rtt_unmap_unprotected", 0xC4000162u, 3, 1 },
	{ "psci_complete", 0xC4000164u, 3, 0 },
	{ "features", 0xC4000165u, 1, 1 },
	{ "rtt_fold", 0xC4000166u, 3, 1 },
	{ "rec_aux_count", 0xC4000167u, 1, 1 },
	{ "rtt_init_ripas", 0xC4000168u, 3, 1 },
	{ "rtt_set_ripas", 0xC4000169u, 4, 1 },
};

/* rmm-v1.0.md s1, s4: 23 rows, FNUMs in 0x150..0x169, 0x156/0x160/0x163 unused. */
static void test_rmi_command_list(void **state)
{
	bool seen[26] = { false };

	(void)state;

	assert_int_equal(ARRAY_SIZE(rmi_rows), 23);
	assert_int_equal(RMI_COMMAND_COUNT, 23);
	assert_int_equal(ARRAY_SIZE(rmi_expected), 23);

	for (size_t i = 0; i < ARRAY_SIZE(rmi_rows); i++) {
		const struct rmi_row *r = &rmi_rows[i];
		uint32_t fnum = smccc_fnum(r->fid);

		assert_true(fnum >= 0x150 && fnum <= 0x169);
		assert_true(fnum != 0x156 && fnum != 0x160 && fnum != 0x163);
		assert_true(r->fid == (0xC4000000u | fnum));
		assert_false(seen[fnum - 0x150]);
		seen[fnum - 0x150] = true;

		/* rows are in FID order and match the reference row for row */
		assert_string_equal(r->name, rmi_expected[i].name);
		assert_int_equal(r->fid, rmi_expected[i].fid);
		assert_int_equal(r->n_in, rmi_expected[i].n_in);
		assert_int_equal(r->n_out, rmi_expected[i].n_out);
	}

	for (unsigned int slot = 0; slot < 26; slot++) {
		unsigned int fnum = 0x150 + slot;
		bool unused = fnum == 0x156 || fnum == 0x160 || fnum == 0x163;

		assert_true(seen[slot] != unused);
	}
}

/* rmm-v1.0.md s6: RSI FIDs and the command list. */
static void test_rsi_fids(void **state)
{
	static const uint32_t expected[] = {
		0xC4000190u, 0xC4000191u, 0xC4000192u, 0xC4000193u, 0xC4000194u,
		0xC4000195u, 0xC4000196u, 0xC4000197u, 0xC4000198u, 0xC4000199u,
	};
#define RSI_ROW(name, fid) fid,
	static const uint32_t rows[] = { RSI_COMMAND_LIST(RSI_ROW) };
#undef RSI_ROW
#define RSI_NAME(name, fid) #name,
	static const char *const names[] = { RSI_COMMAND_LIST(RSI_NAME) };
#undef RSI_NAME

	(void)state;

	assert_int_equal(RSI_VERSION, 0xC4000190u);
	assert_int_equal(RSI_FEATURES, 0xC4000191u);
	assert_int_equal(RSI_MEASUREMENT_READ, 0xC4000192u);
	assert_int_equal(RSI_MEASUREMENT_EXTEND, 0xC4000193u);
	assert_int_equal(RSI_ATTESTATION_TOKEN_INIT, 0xC4000194u);
	assert_int_equal(RSI_ATTESTATION_TOKEN_CONTINUE, 0xC4000195u);
	assert_int_equal(RSI_REALM_CONFIG, 0xC4000196u);
	assert_int_equal(RSI_IPA_STATE_SET, 0xC4000197u);
	assert_int_equal(RSI_IPA_STATE_GET, 0xC4000198u);
	assert_int_equal(RSI_HOST_CALL, 0xC4000199u);
	assert_int_equal(RSI_ABI_VERSION, 0x10000u);

	assert_int_equal(ARRAY_SIZE(rows), RSI_COMMAND_COUNT);
	assert_int_equal(ARRAY_SIZE(rows), ARRAY_SIZE(expected));
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		assert_int_equal(rows[i], expected[i]);
		assert_true(rsi_is_rsi_fid(rows[i]));
		assert_false(rmi_is_rmi_fid(rows[i]));
		assert_false(psci_is_psci_fid(rows[i]));
	}
	assert_string_equal(names[0], "version");
	assert_string_equal(names[4], "attestation_token_init");
	assert_string_equal(names[9], "host_call");
	assert_false(rsi_is_rsi_fid(0xC400019Au));
	assert_false(rsi_is_rsi_fid(RMI_VERSION));
}

/* rmm-v1.0.md s2: RSI encodings; s15.4: token buffer bound. */
static void test_rsi_encodings(void **state)
{
	(void)state;

	assert_int_equal(RSI_SUCCESS, 0);
	assert_int_equal(RSI_ERROR_INPUT, 1);
	assert_int_equal(RSI_ERROR_STATE, 2);
	assert_int_equal(RSI_INCOMPLETE, 3);
	assert_int_equal(RSI_ERROR_UNKNOWN, 4);
	assert_int_equal(RSI_RIPAS_EMPTY, 0);
	assert_int_equal(RSI_RIPAS_RAM, 1);
	assert_int_equal(RSI_RIPAS_DESTROYED, 2);
	assert_int_equal(RSI_ACCEPT, 0);
	assert_int_equal(RSI_REJECT, 1);
	assert_int_equal(RSI_NO_CHANGE_DESTROYED, 0);
	assert_int_equal(RSI_CHANGE_DESTROYED, 1);
	assert_int_equal(RSI_HASH_SHA_256, 0);
	assert_int_equal(RSI_HASH_SHA_512, 1);
	assert_int_equal(RSI_ATTEST_TOKEN_MAX_SIZE, 0x1000);
}

/* rmm-v1.0.md s2, s8, s9, s12.2: RMI enumerations and flag bits. */
static void test_rmi_encodings(void **state)
{
	(void)state;

	assert_int_equal(RMI_HASH_SHA_256, 0);
	assert_int_equal(RMI_HASH_SHA_512, 1);
	assert_int_equal(RMI_UNASSIGNED, 0);
	assert_int_equal(RMI_ASSIGNED, 1);
	assert_int_equal(RMI_TABLE, 2);
	assert_int_equal(RMI_EMPTY, 0);
	assert_int_equal(RMI_RAM, 1);
	assert_int_equal(RMI_DESTROYED, 2);
	assert_int_equal(RMI_NO_MEASURE_CONTENT, 0);
	assert_int_equal(RMI_MEASURE_CONTENT, 1);
	assert_int_equal(RMI_ACCEPT, 0);
	assert_int_equal(RMI_REJECT, 1);
	assert_int_equal(RMI_EXIT_SYNC, 0);
	assert_int_equal(RMI_EXIT_IRQ, 1);
	assert_int_equal(RMI_EXIT_FIQ, 2);
	assert_int_equal(RMI_EXIT_PSCI, 3);
	assert_int_equal(RMI_EXIT_RIPAS_CHANGE, 4);
	assert_int_equal(RMI_EXIT_HOST_CALL, 5);
	assert_int_equal(RMI_EXIT_SERROR, 6);
	assert_int_equal(RMI_REALM_STATE_NEW, 0);
	assert_int_equal(RMI_REALM_STATE_ACTIVE, 1);
	assert_int_equal(RMI_REALM_STATE_SYSTEM_OFF, 2);
	assert_int_equal(RMI_NOT_RUNNABLE, 0);
	assert_int_equal(RMI_RUNNABLE, 1);
	assert_int_equal(RMI_PMU_OVERFLOW_NOT_ACTIVE, 0);
	assert_int_equal(RMI_PMU_OVERFLOW_ACTIVE, 1);
	assert_int_equal(RMI_FEATURE_FALSE, 0);
	assert_int_equal(RMI_FEATURE_TRUE, 1);

	assert_int_equal(REC_ENTER_FLAG_EMUL_MMIO, 0x1);
	assert_int_equal(REC_ENTER_FLAG_INJECT_SEA, 0x2);
	assert_int_equal(REC_ENTER_FLAG_TRAP_WFI, 0x4);
	assert_int_equal(REC_ENTER_FLAG_TRAP_WFE, 0x8);
	assert_int_equal(REC_ENTER_FLAG_RIPAS_RESPONSE, 0x10);
	assert_int_equal(RMI_REALM_FLAGS_LPA2, 0x1);
	assert_int_equal(RMI_REALM_FLAGS_SVE, 0x2);
	assert_int_equal(RMI_REALM_FLAGS_PMU, 0x4);
	assert_int_equal(RMI_REC_PARAMS_FLAG_RUNNABLE, 0x1);
	assert_int_equal(RMI_MAX_REC_AUX_GRANULES, 16);

	/* s12.8: UIE..VGrp1DIE (bits 1-7) and TDIR (14); not En, vSGIEOICount, TALL0. */
	assert_int_equal(RMI_GICV3_HCR_ENTER_MASK, 0x40FE);
	assert_false(RMI_GICV3_HCR_ENTER_MASK & (1u << 0));
	assert_false(RMI_GICV3_HCR_ENTER_MASK & (1u << 8));
	assert_false(RMI_GICV3_HCR_ENTER_MASK & (1u << 11));
}

/* rmm-v1.0.md s7.5: RmiRecMpidr validity and the REC index. */
static void test_mpidr(void **state)
{
	(void)state;

	assert_true(rmi_mpidr_is_valid(0));
	assert_true(rmi_mpidr_is_valid(0xF));
	assert_true(rmi_mpidr_is_valid(0xFF00));
	assert_true(rmi_mpidr_is_valid(0xFF0000));
	assert_true(rmi_mpidr_is_valid(0xFF000000));
	assert_true(rmi_mpidr_is_valid(0xFFFFFF0F));
	assert_false(rmi_mpidr_is_valid(0x10));	      /* Aff0[7:4] */
	assert_false(rmi_mpidr_is_valid(0x80));	      /* Aff0[7:4] */
	assert_false(rmi_mpidr_is_valid(1ull << 32)); /* MPIDR_EL1 Aff3 */
	assert_false(rmi_mpidr_is_valid(1ull << 63));

	assert_int_equal(rmi_mpidr_to_rec_index(0), 0);
	assert_int_equal(rmi_mpidr_to_rec_index(1), 1);
	assert_int_equal(rmi_mpidr_to_rec_index(0xF), 15);
	assert_int_equal(rmi_mpidr_to_rec_index(0x100), 16); /* Aff1 = 1 */
	assert_int_equal(rmi_mpidr_to_rec_index(0x103), 19);
	assert_int_equal(rmi_mpidr_to_rec_index(0x10000), 4096);      /* Aff2 = 1 */
	assert_int_equal(rmi_mpidr_to_rec_index(0x1000000), 1 << 20); /* Aff3 = 1 */
	assert_int_equal(rmi_mpidr_to_rec_index(0x01020304), 4 | 3 << 4 | 2 << 12 | 1 << 20);
	assert_int_equal(rmi_mpidr_to_rec_index(0xFFFFFF0F), 0xFFFFFFF);

	/* MPIDR_EL1 layout: Aff3 in [39:32], RES1 bit 31 ignored. */
	assert_int_equal(rmi_mpidr_el1_to_rec_index(0x80000000), 0);
	assert_int_equal(rmi_mpidr_el1_to_rec_index(0x80000001), 1);
	assert_int_equal(rmi_mpidr_el1_to_rec_index(0x80000102), 18);
	assert_int_equal(rmi_mpidr_el1_to_rec_index(0x100000000ull), 1 << 20);
	assert_int_equal(rmi_mpidr_el1_to_rec_index(0x0100020304ull),
			 4 | 3 << 4 | 2 << 12 | 1 << 20);

	/* round trips: index -> RmiRecMpidr -> index, and via VMPIDR_EL2 */
	for (uint64_t idx = 0; idx < 5000; idx += 7) {
		uint64_t mpidr = rmi_rec_index_to_mpidr(idx);
		uint64_t vmpidr = rmi_mpidr_to_vmpidr(mpidr);

		assert_true(rmi_mpidr_is_valid(mpidr));
		assert_int_equal(rmi_mpidr_to_rec_index(mpidr), idx);
		assert_true(vmpidr & (1ull << 31));
		assert_int_equal(rmi_mpidr_el1_to_rec_index(vmpidr), idx);
	}
	assert_int_equal(rmi_mpidr_to_vmpidr(0x01020304), 0x0180020304ull);
}

struct feature_field {
	const char *name;
	unsigned int shift;
	unsigned int width;
};

/* rmm-v1.0.md s5: RmiFeatureRegister0 bit positions, typed in from the table. */
static void test_feature_register_0(void **state)
{
	static const struct feature_field expected[] = {
		{ "S2SZ", 0, 8 },	   { "LPA2", 8, 1 },	       { "SVE_EN", 9, 1 },
		{ "SVE_VL", 10, 4 },	   { "NUM_BPS", 14, 6 },       { "NUM_WPS", 20, 6 },
		{ "PMU_EN", 26, 1 },	   { "PMU_NUM_CTRS", 27, 5 },  { "HASH_SHA_256", 32, 1 },
		{ "HASH_SHA_512", 33, 1 }, { "GICV3_NUM_LRS", 34, 4 }, { "MAX_RECS_ORDER", 38, 4 },
	};
#define FIELD(f)                                                                           \
	{                                                                                  \
#f, RMI_FEATURE_REGISTER_0_##f##_SHIFT, RMI_FEATURE_REGISTER_0_##f##_WIDTH \
	}
	static const struct feature_field header[] = {
		FIELD(S2SZ),	     FIELD(LPA2),	   FIELD(SVE_EN),
		FIELD(SVE_VL),	     FIELD(NUM_BPS),	   FIELD(NUM_WPS),
		FIELD(PMU_EN),	     FIELD(PMU_NUM_CTRS),  FIELD(HASH_SHA_256),
		FIELD(HASH_SHA_512), FIELD(GICV3_NUM_LRS), FIELD(MAX_RECS_ORDER),
	};
#undef FIELD
	uint64_t all = 0;
	uint64_t v;

	(void)state;

	assert_int_equal(ARRAY_SIZE(header), ARRAY_SIZE(expected));
	for (size_t i = 0; i < ARRAY_SIZE(header); i++) {
		const struct feature_field *f = &header[i];
		uint64_t ones = (1ull << f->width) - 1;

		assert_string_equal(f->name, expected[i].name);
		assert_int_equal(f->shift, expected[i].shift);
		assert_int_equal(f->width, expected[i].width);

		/* setting a field to all ones sets exactly its bits */
		v = rmi_field_set(0, f->shift, f->width, ~0ull);
		assert_true(v == ones << f->shift);
		assert_true((all & v) == 0); /* fields do not overlap */
		all |= v;
		assert_true(rmi_field_get(v, f->shift, f->width) == ones);

		/* clearing a field in an all-ones value leaves its neighbours */
		v = rmi_field_set(~0ull, f->shift, f->width, 0);
		assert_true(v == ~(ones << f->shift));
	}
	/* the fields cover [41:0]; [63:42] are reserved */
	assert_true(all == (1ull << 42) - 1);
	assert_true(RMI_FEATURE_REGISTER_0_RES0_MASK == ~all);

	/* a typical value: S2SZ 48, SHA-256 and SHA-512, 16 LRs, order 10 */
	v = 0;
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_S2SZ_SHIFT, RMI_FEATURE_REGISTER_0_S2SZ_WIDTH,
			  48);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_HASH_SHA_256_SHIFT,
			  RMI_FEATURE_REGISTER_0_HASH_SHA_256_WIDTH, RMI_FEATURE_TRUE);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_HASH_SHA_512_SHIFT,
			  RMI_FEATURE_REGISTER_0_HASH_SHA_512_WIDTH, RMI_FEATURE_TRUE);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_GICV3_NUM_LRS_SHIFT,
			  RMI_FEATURE_REGISTER_0_GICV3_NUM_LRS_WIDTH, 15);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_SHIFT,
			  RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_WIDTH, 10);
	assert_true(v == (48ull | 1ull << 32 | 1ull << 33 | 15ull << 34 | 10ull << 38));
	/* an oversized value is truncated to the field */
	v = rmi_field_set(0, RMI_FEATURE_REGISTER_0_SVE_VL_SHIFT,
			  RMI_FEATURE_REGISTER_0_SVE_VL_WIDTH, 0x1F);
	assert_true(v == 0xFull << 10);
	assert_true(rmi_field_get(~0ull, 0, 64) == ~0ull);
}

/* rmm-v1.0.md s8.6: RMI_RTT_MAP_UNPROTECTED descriptor fields. */
static void test_ns_desc(void **state)
{
	(void)state;

	assert_true(RMI_NS_DESC_TYPE_MASK == 0x3);
	assert_true(RMI_NS_DESC_MEMATTR_MASK == 0x1C);
	assert_true(RMI_NS_DESC_MEMATTR3_MASK == 0x20);
	assert_true(RMI_NS_DESC_S2AP_MASK == 0xC0);
	assert_true(RMI_NS_DESC_OA_MASK == (((1ull << 48) - 1) & ~0xFFFull));
	assert_true(RMI_NS_DESC_OA_LPA2_MASK == (((1ull << 50) - 1) & ~0xFFFull));
	assert_true((RMI_NS_DESC_MEMATTR_RESERVED << RMI_NS_DESC_MEMATTR_SHIFT) == 0x10);
	assert_true(RMI_NS_DESC_HOST_MASK == (RMI_NS_DESC_OA_MASK | 0xDC));
	/* the masks are disjoint */
	assert_true((RMI_NS_DESC_TYPE_MASK & RMI_NS_DESC_MEMATTR_MASK) == 0);
	assert_true((RMI_NS_DESC_MEMATTR_MASK & RMI_NS_DESC_MEMATTR3_MASK) == 0);
	assert_true((RMI_NS_DESC_MEMATTR3_MASK & RMI_NS_DESC_S2AP_MASK) == 0);
	assert_true((RMI_NS_DESC_S2AP_MASK & RMI_NS_DESC_OA_MASK) == 0);
}

/* rmm-v1.0.md s8.1-8.3: a few spec offsets, by writing through the structs. */
static void test_rmi_struct_offsets(void **state)
{
	static struct rmi_rec_run run;
	static struct rmi_realm_params params;
	const uint8_t *raw = (const uint8_t *)&run;
	const uint8_t *praw = (const uint8_t *)&params;
	uint64_t u64;

	(void)state;

	assert_int_equal(sizeof(struct rmi_realm_params), 4096);
	assert_int_equal(sizeof(struct rmi_rec_params), 4096);
	assert_int_equal(sizeof(struct rmi_rec_run), 4096);
	assert_int_equal(sizeof(struct rmi_rec_enter), 0x800);
	assert_int_equal(sizeof(struct rmi_rec_exit), 0x800);
	assert_int_equal(offsetof(struct rmi_realm_params, rtt_level_start), 0x810);
	assert_int_equal(offsetof(struct rmi_rec_params, aux), 0x808);
	assert_int_equal(offsetof(struct rmi_rec_run, exit) + offsetof(struct rmi_rec_exit, imm),
			 0xE00);

	/* s8.1: u32 fields sit at the start of an 8-byte slot (little-endian) */
	params.s2sz = 40;
	params.pmu_num_ctrs = 0x11223344;
	params.algorithm = RMI_HASH_SHA_512;
	params.vmid = 0xABCD;
	params.rtt_level_start = -1;
	assert_int_equal(praw[0x008], 40);
	assert_int_equal(praw[0x028], 0x44);
	assert_int_equal(praw[0x02B], 0x11);
	assert_int_equal(praw[0x030], 1);
	assert_int_equal(praw[0x800], 0xCD);
	assert_int_equal(praw[0x801], 0xAB);
	memcpy(&u64, praw + 0x810, sizeof(u64));
	assert_true(u64 == ~0ull);

	/* s8.3: offsets given within RmiRecRun */
	run.exit.exit_reason = RMI_EXIT_HOST_CALL;
	run.exit.hpfar = 0x1122334455667788ull;
	run.exit.gprs[30] = 0x42;
	run.exit.ripas_value = RMI_RAM;
	run.exit.imm = 0x1234;
	run.exit.pmu_ovf_status = RMI_PMU_OVERFLOW_ACTIVE;
	run.enter.gicv3_lrs[15] = 0x99;
	assert_int_equal(raw[0x800], RMI_EXIT_HOST_CALL); /* a u8 reader sees it */
	assert_int_equal(raw[0x910], 0x88);
	assert_int_equal(raw[0xA00 + 30 * 8], 0x42);
	assert_int_equal(raw[0xD10], RMI_RAM);
	assert_int_equal(raw[0xE00], 0x34);
	assert_int_equal(raw[0xE01], 0x12); /* a u16 reader sees 0x1234 */
	assert_int_equal(raw[0xF00], 1);
	assert_int_equal(raw[0x308 + 15 * 8], 0x99);
}

/* rmm-v1.0.md s8.4, s8.5: RsiRealmConfig and RsiHostCall. */
static void test_rsi_struct_offsets(void **state)
{
	(void)state;

	assert_int_equal(sizeof(struct rsi_realm_config), 4096);
	assert_int_equal(offsetof(struct rsi_realm_config, ipa_width), 0);
	assert_int_equal(offsetof(struct rsi_realm_config, algorithm), 8);
	assert_int_equal(offsetof(struct rsi_realm_config, rpv), 0x200);
	assert_int_equal(sizeof(struct rsi_host_call), 0x100);
	assert_int_equal(offsetof(struct rsi_host_call, imm), 0);
	assert_int_equal(offsetof(struct rsi_host_call, gprs), 8);
	assert_int_equal(offsetof(struct rsi_host_call, gprs[30]) + 8, 0x100);
}

/* rmm-v1.0.md s14.1, s14.3: measurement slots and descriptors. */
static void test_measure_desc(void **state)
{
	(void)state;

	assert_int_equal(RMM_MAX_MEASUREMENT_SIZE, 64);
	assert_int_equal(RMM_MEASUREMENT_SLOTS, 5);
	assert_int_equal(RMM_MEASURE_DESC_TYPE_DATA, 0);
	assert_int_equal(RMM_MEASURE_DESC_TYPE_REC, 1);
	assert_int_equal(RMM_MEASURE_DESC_TYPE_RIPAS, 2);

	assert_int_equal(sizeof(struct rmm_measure_desc_data), 0x100);
	assert_int_equal(sizeof(struct rmm_measure_desc_rec), 0x100);
	assert_int_equal(sizeof(struct rmm_measure_desc_ripas), 0x100);
	assert_int_equal(offsetof(struct rmm_measure_desc_data, len), 0x08);
	assert_int_equal(offsetof(struct rmm_measure_desc_data, rim), 0x10);
	assert_int_equal(offsetof(struct rmm_measure_desc_data, ipa), 0x50);
	assert_int_equal(offsetof(struct rmm_measure_desc_data, flags), 0x58);
	assert_int_equal(offsetof(struct rmm_measure_desc_data, content), 0x60);
	assert_int_equal(offsetof(struct rmm_measure_desc_rec, content), 0x50);
	assert_int_equal(offsetof(struct rmm_measure_desc_ripas, base), 0x50);
	assert_int_equal(offsetof(struct rmm_measure_desc_ripas, top), 0x58);
}

/* rmm-v1.0.md s7.1, s2: PSCI function IDs, ranges and return codes. */
static void test_psci(void **state)
{
	(void)state;

	assert_int_equal(PSCI_VERSION, 0x84000000u);
	assert_int_equal(PSCI_CPU_SUSPEND_32, 0x84000001u);
	assert_int_equal(PSCI_CPU_SUSPEND_64, 0xC4000001u);
	assert_int_equal(PSCI_CPU_OFF, 0x84000002u);
	assert_int_equal(PSCI_CPU_ON_32, 0x84000003u);
	assert_int_equal(PSCI_CPU_ON_64, 0xC4000003u);
	assert_int_equal(PSCI_AFFINITY_INFO_32, 0x84000004u);
	assert_int_equal(PSCI_AFFINITY_INFO_64, 0xC4000004u);
	assert_int_equal(PSCI_SYSTEM_OFF, 0x84000008u);
	assert_int_equal(PSCI_SYSTEM_RESET, 0x84000009u);
	assert_int_equal(PSCI_FEATURES, 0x8400000Au);
	assert_int_equal(PSCI_VERSION_1_1, 0x10001u);
	assert_int_equal(PSCI_FNUM_MAX, 0x14);

	/* s1: n = 0x00..0x14, SMC32 or SMC64 */
	assert_true(psci_is_psci_fid(0x84000000u));
	assert_true(psci_is_psci_fid(0x84000014u));
	assert_true(psci_is_psci_fid(0xC4000000u));
	assert_true(psci_is_psci_fid(0xC4000014u));
	assert_true(psci_is_psci_fid(PSCI_MIGRATE_64));
	assert_true(psci_is_psci_fid(PSCI_SYSTEM_RESET2_64));
	assert_false(psci_is_psci_fid(0x84000015u));
	assert_false(psci_is_psci_fid(0xC4000015u));
	assert_false(psci_is_psci_fid(SMCCC_VERSION_FID));
	assert_false(psci_is_psci_fid(RMI_VERSION));
	assert_false(psci_is_psci_fid(0x04000000u)); /* not a fast call */
	assert_false(psci_is_psci_fid(0x84010000u)); /* MBZ bit set */
	assert_true(psci_is_psci_fid(smccc_clear_sve_hint(PSCI_CPU_ON_64 | SMCCC_SVE_HINT)));

	assert_true(PSCI_RET_SUCCESS == 0);
	assert_true(PSCI_RET_NOT_SUPPORTED == -1);
	assert_true(PSCI_RET_INVALID_PARAMS == -2);
	assert_true(PSCI_RET_DENIED == -3);
	assert_true(PSCI_RET_ALREADY_ON == -4);
	assert_true(PSCI_RET_ON_PENDING == -5);
	assert_true(PSCI_RET_INTERNAL_FAILURE == -6);
	assert_true(PSCI_RET_NOT_PRESENT == -7);
	assert_true(PSCI_RET_DISABLED == -8);
	assert_true(PSCI_RET_INVALID_ADDRESS == -9);
	assert_true(psci_ret_to_x0(PSCI_RET_NOT_SUPPORTED) == 0xFFFFFFFFFFFFFFFFull);
	assert_true(psci_ret_to_x0(PSCI_RET_INVALID_ADDRESS) == 0xFFFFFFFFFFFFFFF7ull);

	assert_int_equal(PSCI_AFFINITY_ON, 0);
	assert_int_equal(PSCI_AFFINITY_OFF, 1);
	assert_int_equal(PSCI_AFFINITY_ON_PENDING, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smccc_fields),
		cmocka_unit_test(test_rmi_pack),
		cmocka_unit_test(test_rmi_status_name),
		cmocka_unit_test(test_rmi_fids),
		cmocka_unit_test(test_rmi_command_list),
		cmocka_unit_test(test_rsi_fids),
		cmocka_unit_test(test_rsi_encodings),
		cmocka_unit_test(test_rmi_encodings),
		cmocka_unit_test(test_mpidr),
		cmocka_unit_test(test_feature_register_0),
		cmocka_unit_test(test_ns_desc),
		cmocka_unit_test(test_rmi_struct_offsets),
		cmocka_unit_test(test_rsi_struct_offsets),
		cmocka_unit_test(test_measure_desc),
		cmocka_unit_test(test_psci),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
