/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm-side fuzzer (issue 8): a live realm whose guest
 * (tests/fuzz/guests/realmfuzz.c) executes an op list taken from the input
 * -- RSI calls with nearby-valid or arbitrary arguments, PSCI, SMCCC, HVC,
 * loads/stores to protected, unprotected, device and out-of-range IPAs,
 * IPA_STATE_SET ranges -- while this host answers every exit with choices
 * drawn from the input: MMIO reads with random data or INJECT_SEA, NS pages
 * on unprotected faults, DATA_CREATE_UNKNOWN on protected faults, RIPAS
 * changes accepted whole, in part or rejected (rmm-v1.0.md s11.3, s12.4),
 * PSCI completions SUCCESS or DENIED (s7.4), host calls answered with junk.
 *
 * Input: bytes [0, 8) seed the host's choices; the rest, in 16-byte ops, is
 * written into the guest's op page (a page of the measured image found by
 * its magic) before REALM_ACTIVATE. Construction and teardown are the mini
 * host's (tests/guest/mini_host.h); the run loop is this file's: one REC
 * entered by this thread, so the RMM is quiescent between two entries.
 *
 * Checks (a finding aborts): after every exit and after the run
 * rmm_check_invariants() passes; REC_ENTER answers success while the REC is
 * runnable; PSCI_COMPLETE and RTT_SET_RIPAS succeed where the spec says
 * they must; teardown gives every granule back (mini host leak count 0, no
 * host NS page lost) and the invariants hold afterwards. Bounded: at most
 * FZ_MAX_EXITS exits per input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/abi/psci.h>
#include <realmkit/abi/rmi.h>
#include <realmkit/guest.h>
#include <realmkit/platform.h>

#include "../../src/board/board.h"
#include "host_rmi.h"
#include "invariants.h"
#include "mini_host_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FZ_MAGIC     0x5a465245414c4d31ULL
#define FZ_OP_SIZE   16u
#define FZ_NOPS	     255u
#define FZ_MAX_EXITS 3000u
#define FZ_RAM	     (2ULL << 20)
#define ESR_EC(esr)  (((esr) >> 26) & 0x3f)
#define ESR_ISV	     (1ULL << 24)
#define ESR_WNR	     (1ULL << 6)

static uint8_t *image;
static size_t image_len, ops_off;
static uint64_t rng;
static struct mh_result res;
static unsigned long long execs, exits_total, invariant_runs;

static void finding(const char *what, unsigned long long v)
{
	fprintf(stderr, "fuzz_realm: FINDING: %s (%#llx)\n", what, v);
	abort();
}

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void check_invariants(const char *where)
{
	char why[512];

	invariant_runs++;
	if (rmm_check_invariants(why, sizeof(why))) {
		fprintf(stderr, "fuzz_realm: invariant broken %s: %s\n", where, why);
		abort();
	}
}

static void load_image(void)
{
	FILE *f = fopen(FZ_GUEST_BIN, "rb");
	long n = 0;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		finding("cannot read " FZ_GUEST_BIN, 0);
	image_len = (size_t)n;
	image = malloc(image_len);
	if (!image || fread(image, 1, image_len, f) != image_len)
		finding("cannot read the guest image", 0);
	fclose(f);
	for (ops_off = 0; ops_off + 4096 <= image_len; ops_off += 4096) {
		uint64_t m;

		memcpy(&m, image + ops_off, sizeof(m));
		if (m == FZ_MAGIC)
			return;
	}
	finding("op page magic not found in the guest image", 0);
}

/* s12.3: data aborts. Protected RAM -> DATA_CREATE_UNKNOWN; unprotected -> NS page, MMIO or SEA. */
static void answer_abort(struct mini_host *mh, struct rmi_rec_exit *x, struct rmi_rec_enter *e)
{
	uint64_t ipa = (x->hpfar & 0xFFFFFFFFFF0ULL) << 8;
	uint64_t gpa = ipa & ~mh->shared_bit;

	if (ESR_EC(x->esr) != 0x24)
		finding("instruction abort exit (s12.3: the RMM injects an SEA)", x->esr);
	if (!(ipa & mh->shared_bit)) {
		if (gpa < mh->ram_base || gpa >= mh->ram_top)
			finding("protected data abort exit outside RIPAS RAM", ipa);
		if (mh_map_data(mh, ipa))
			finding("DATA_CREATE_UNKNOWN on a protected fault failed", ipa);
		return;
	}
	if (gpa >= mh->ram_base && gpa < mh->ram_top && (rnd() & 3)) {
		if (mh_map_ns(mh, ipa))
			finding("RTT_MAP_UNPROTECTED on an unprotected fault failed", ipa);
		return;
	}
	if (!(x->esr & ESR_ISV) || !(rnd() & 7)) {
		e->flags |= REC_ENTER_FLAG_INJECT_SEA;
		return;
	}
	e->flags |= REC_ENTER_FLAG_EMUL_MMIO;
	if (!(x->esr & ESR_WNR))
		e->gprs[0] = rnd();
}

/* s11.3, s12.4: accept all, the first page, a random prefix, or reject. */
static void answer_ripas(struct mini_host *mh, struct mh_rec *rc, struct rmi_rec_exit *x,
			 struct rmi_rec_enter *e)
{
	uint64_t base = x->ripas_base, top = x->ripas_top, r = rnd() % 4;

	if (base < mh->ram_base || top > mh->ram_top || top <= base || r == 3) {
		e->flags |= REC_ENTER_FLAG_RIPAS_RESPONSE; /* s12.4 step 3: REJECT */
		return;
	}
	if (r == 1)
		top = base + GRANULE_SIZE;
	else if (r == 2)
		top = base + GRANULE_SIZE * (1 + rnd() % ((top - base) / GRANULE_SIZE));
	while (base < top) {
		struct smc_result s = mh_rmi(RMI_RTT_SET_RIPAS, mh->rd.v, rc->rec.v, base, top, 0);
		int walk = rmi_rtt_level_of(s.x[0]);

		if (s.x[0] == RMI_SUCCESS && s.x[1] > base)
			base = s.x[1];
		else if (rmi_status_of(s.x[0]) == RMI_ERROR_RTT && walk < 3 &&
			 mh_rtt_create(mh, base, walk + 1) == RMI_SUCCESS)
			continue;
		else
			finding("RTT_SET_RIPAS inside a valid request failed", s.x[0]);
	}
}

/* s7.4: CPU_ON / AFFINITY_INFO need a PSCI_COMPLETE. Returns false when the run ends. */
static bool answer_psci(struct mini_host *mh, struct mh_rec *rc, struct rmi_rec_exit *x)
{
	uint32_t fid = (uint32_t)x->gprs[0];
	bool on = fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64;
	uint64_t t = rmi_mpidr_el1_to_rec_index(x->gprs[1]), x0;
	int64_t status = on && (rnd() & 1) ? PSCI_RET_DENIED : PSCI_RET_SUCCESS;

	if (fid == PSCI_CPU_OFF || fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET)
		return false;
	if (!on && fid != PSCI_AFFINITY_INFO_32 && fid != PSCI_AFFINITY_INFO_64)
		return true;
	if (t >= mh->nrecs)
		finding("PSCI exit names a REC the realm does not have", x->gprs[1]);
	if (!(rnd() & 7)) { /* a wrong target first: must fail (failure-conditions s2.x) */
		x0 = mh_rmi(RMI_PSCI_COMPLETE, rc->rec.v, rc->rec.v + GRANULE_SIZE, 0, 0, 0).x[0];
		if (x0 == RMI_SUCCESS)
			finding("PSCI_COMPLETE with a non-REC target succeeded", x0);
	}
	x0 = mh_rmi(RMI_PSCI_COMPLETE, rc->rec.v, mh->recs[t].rec.v, (uint64_t)status, 0, 0).x[0];
	/* s7.4 step 8: DENIED for a runnable target answers E_INPUT but completes. */
	if (x0 != RMI_SUCCESS &&
	    !(on && status == PSCI_RET_DENIED && x0 == rmi_pack(RMI_ERROR_INPUT, 0)))
		finding("PSCI_COMPLETE for the pending request failed", x0);
	return true;
}

/* Answers one exit into e; false when the run is over. */
static bool answer(struct mini_host *mh, struct mh_rec *rc, struct rmi_rec_run *run)
{
	struct rmi_rec_exit *x = &run->exit;
	struct rmi_rec_enter *e = &run->enter;

	memset(e, 0, sizeof(*e));
	switch (x->exit_reason) {
	case RMI_EXIT_SYNC:
		if (ESR_EC(x->esr) == 0x24 || ESR_EC(x->esr) == 0x20)
			answer_abort(mh, x, e);
		return true;
	case RMI_EXIT_IRQ:
	case RMI_EXIT_FIQ:
		return true;
	case RMI_EXIT_PSCI:
		return answer_psci(mh, rc, x);
	case RMI_EXIT_RIPAS_CHANGE:
		answer_ripas(mh, rc, x, e);
		return true;
	case RMI_EXIT_HOST_CALL:
		/* s12.5: gprs come back into RsiHostCall; junk from the host is allowed. */
		for (unsigned int i = 0; i < RMI_REC_EXIT_NR_GPRS; i++)
			e->gprs[i] = rnd() & 1 ? x->gprs[i] : rnd();
		return (uint32_t)x->gprs[0] != RK_HC_EXIT;
	default:
		finding("unknown exit reason", x->exit_reason);
	}
	return false;
}

static void run_realm(struct mini_host *mh)
{
	struct mh_rec *rc = &mh->recs[0];
	struct rmi_rec_run *run = platform_ns_ptr(rc->run);
	bool go = true;

	memset(&run->enter, 0, sizeof(run->enter));
	for (unsigned int n = 0; go && n < FZ_MAX_EXITS; n++) {
		uint64_t x0 = mh_rmi(RMI_REC_ENTER, rc->rec.v, rc->run.v, 0, 0, 0).x[0];

		if (x0 != RMI_SUCCESS)
			finding("REC_ENTER of the runnable REC 0 failed", x0);
		exits_total++;
		go = answer(mh, rc, run);
		if (res.error[0])
			finding(res.error, 0);
		check_invariants("after an exit");
	}
}

int LLVMFuzzerInitialize(int *argc, char **argv[])
{
	struct rk_platform_config cfg = { .dram_size = 64ULL << 20 };

	(void)argc;
	(void)argv;
	load_image();
	if (board_power_on(&cfg, false) || host_pages_init())
		finding("cannot power the machine on", 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *img = malloc(image_len);
	struct mh_config cfg = { .image = img,
				 .image_len = image_len,
				 .ram_size = FZ_RAM,
				 .nrecs = 2,
				 .algorithm = RMI_HASH_SHA_256 };
	uint64_t pages = host_pages_in_use(), nops;
	struct mini_host *mh;

	if (!image)
		LLVMFuzzerInitialize(NULL, NULL);
	if (!img)
		finding("out of memory", 0);
	memcpy(img, image, image_len);
	rng = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < size && i < 8; i++)
		rng = (rng ^ data[i]) * 0x100000001b3ULL;
	rng |= 1;
	nops = size > 8 ? (size - 8) / FZ_OP_SIZE : 0;
	nops = nops > FZ_NOPS ? FZ_NOPS : nops;
	memcpy(img + ops_off + 8, &nops, sizeof(nops));
	if (nops)
		memcpy(img + ops_off + 16, data + 8, nops * FZ_OP_SIZE);
	memset(&res, 0, sizeof(res));
	rmm_invariants_forget_rims(); /* the next realm may reuse an RD address */
	mh = mh_create(&cfg, &res);
	if (!mh)
		finding(res.error, 0);
	check_invariants("after construction");
	run_realm(mh);
	if (mh_destroy(mh))
		finding(res.leak_report, res.leaked);
	check_invariants("after teardown");
	if (host_pages_in_use() != pages)
		finding("host NS pages lost", host_pages_in_use() - pages);
	mh_result_free(&res);
	free(img);
	execs++;
	if (getenv("FUZZ_REALM_VERBOSE"))
		fprintf(stderr, "fuzz_realm: %llu execs, %llu exits, %llu invariant checks\n",
			execs, exits_total, invariant_runs);
	return 0;
}

#ifndef RK_SANITIZE_FUZZER
#include "replay_corpus.h"

#define REPLAY_MAX   8192u
#define REPLAY_STEPS 4u

static void run_variants(uint8_t *buf, size_t len, void *ctx)
{
	(void)ctx;
	replay_variants(buf, len, REPLAY_STEPS);
}

/*
 * Corpus replay (gcc, TSan builds): every corpus file, REPLAY_STEPS of its
 * prefixes and REPLAY_STEPS single-byte inversions, all with the checks
 * above; or one input file as it is (a reproducer).
 */
int main(int argc, char **argv)
{
	static uint8_t buf[REPLAY_MAX];
	long files;

	if (argc != 2) {
		fprintf(stderr, "usage: replay_realm CORPUS_DIR | INPUT_FILE\n");
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	files = replay_corpus(argv[1], buf, sizeof(buf), run_variants, NULL);
	if (files < 0) { /* one input file, as it is (a reproducer) */
		FILE *f = fopen(argv[1], "rb");
		size_t len = f ? fread(buf, 1, sizeof(buf), f) : 0;

		if (!f)
			return 2;
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		printf("replay_realm: %s: no finding\n", argv[1]);
		return 0;
	}
	printf("replay_realm: %ld corpus files, %llu inputs, %llu exits, %llu invariant checks, "
	       "no finding\n",
	       files, execs, exits_total, invariant_runs);
	host_pages_fini();
	board_power_off();
	return files ? 0 : 1;
}
#endif
