/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The realm-side fuzzer's guest (tests/fuzz/fuzz_realm.c): executes the op
 * list the harness wrote into `fz_ops` (a page of the measured image,
 * found by its magic) and exits. Each op is an RSI, PSCI or SMCCC call with
 * nearby-valid or arbitrary arguments, an HVC, or a load/store to a
 * protected, unprotected, device or out-of-range IPA. Every synchronous
 * exception (SEAs from EMPTY or out-of-range IPAs, undefined HVC) is caught
 * and the faulting instruction skipped. To keep a run bounded the guest
 * never changes the RIPAS of, or stores to, its own image/stack: those ops
 * are confined to `scratch` (or go outside guest RAM).
 */
#include "rt.h"

#define FZ_MAGIC      0x5a465245414c4d31ULL /* "1MLAERFZ" */
#define FZ_NOPS	      255u
#define SCRATCH_PAGES 16u
#define MMIO_TEST     0x0A000000ULL
#define RAM_OUT	      0x90000000ULL /* protected, outside guest RAM */

struct fz_op {
	uint8_t kind, a;
	uint16_t b;
	uint32_t c;
	uint64_t v;
};

struct fz_page {
	uint64_t magic, nops;
	struct fz_op op[FZ_NOPS];
};

/* Initialised so that it lands in .data (in the image the harness patches). */
volatile struct fz_page fz_ops __attribute__((aligned(4096))) = { .magic = FZ_MAGIC };
static uint8_t scratch[SCRATCH_PAGES * 4096] __attribute__((aligned(4096)));
static uint8_t buf[4096] __attribute__((aligned(4096)));
static volatile uint64_t exceptions;
static bool attested;

static bool on_exception(struct rt_frame *f, unsigned int vector)
{
	exceptions++;
	/*
	 * Synchronous: skip the faulting instruction. The UNDEF the RMM
	 * injects for an HVC (EC 0) already returns after it (rec_loop.c).
	 */
	if ((vector == 4 || vector == 0) && ((f->esr >> 26) & 0x3f) != 0)
		f->elr += 4;
	return true;
}

/* An address for a memory op: sel picks the kind, v perturbs it. */
static uint64_t mem_addr(uint8_t sel, uint64_t v)
{
	uint64_t s = (uint64_t)scratch + (v % (SCRATCH_PAGES * 4096)) / 8 * 8;

	switch (sel % 8) {
	case 0:
		return s;
	case 1:
		return rt_shared(s);
	case 2:
		return (1ULL << rt_ipa_width) + (v & 0xfff8);
	case 3:
		return rt_shared(MMIO_TEST) + (v & 0xff8);
	case 4:
		return RAM_OUT + (v & 0xfff8);
	case 5:
		return rt_shared(RAM_OUT) + (v & 0xfff8);
	case 6:
		return rt_shared(RK_GUEST_RAM_BASE + (v & 0x1ffff8));
	default:
		/*
		 * Beyond the IPA space, anywhere up to 2^64 (a realm access at
		 * or above the 48-bit PA width used to stop the engine; fixed,
		 * regression input tests/fuzz/corpus/realm/regress-load-pa48).
		 */
		return (v & ~7ULL) | (1ULL << 41);
	}
}

static bool store_ok(uint64_t addr)
{
	uint64_t lo = (uint64_t)scratch, hi = lo + sizeof(scratch);

	/* Never write the image or the stack (see the file comment). */
	return (addr >= lo && addr < hi) || addr < RK_GUEST_RAM_BASE ||
	       (addr & ~rt_shared(0)) >= RK_GUEST_RAM_BASE + 0x200000;
}

/* c == this: the address is v as it is (the reproducer of the engine finding). */
#define FZ_RAW_ADDR 0x5A5A0048u

static void mem_op(const struct fz_op *o, bool store)
{
	uint64_t addr = o->c == FZ_RAW_ADDR ? o->v : mem_addr(o->a, o->v);

	if (store && !store_ok(addr))
		addr = (uint64_t)scratch;
	if (o->b & 1) {
		__asm__ volatile("ldp x9, x10, [%0]" : : "r"(addr) : "x9", "x10", "memory");
	} else if (store) {
		if (o->b & 2)
			*(volatile uint32_t *)addr = o->c;
		else
			*(volatile uint64_t *)addr = o->v;
	} else {
		(void)*(volatile uint64_t *)addr;
	}
}

/* A range for IPA_STATE_SET/GET: in scratch (nearby valid), unaligned, or outside RAM. */
static void ripas_range(const struct fz_op *o, uint64_t *base, uint64_t *top)
{
	uint64_t s = (uint64_t)scratch;

	*base = s + (o->a % SCRATCH_PAGES) * 4096;
	*top = *base + ((o->b % SCRATCH_PAGES) + 1) * 4096;
	if (*top > s + sizeof(scratch))
		*top = s + sizeof(scratch);
	switch (o->c & 7) {
	case 5:
		*base += o->v & 0xfff; /* unaligned */
		break;
	case 6:
		*base = RAM_OUT;
		*top = RAM_OUT + 0x4000;
		break;
	case 7:
		*top = *base - 4096; /* top <= base */
		break;
	default:
		break;
	}
}

static uint64_t rsi_addr(uint8_t sel, uint64_t v)
{
	switch (sel % 4) {
	case 0:
		return (uint64_t)buf;
	case 1:
		return (uint64_t)buf + (v & 0xff);
	case 2:
		return rt_shared((uint64_t)buf);
	default:
		return (uint64_t)scratch + (v % SCRATCH_PAGES) * 4096;
	}
}

static void attest(const struct fz_op *o)
{
	uint64_t a[10] = { 0 };
	struct rt_smc_ret r;

	if (attested)
		return;
	attested = true;
	for (unsigned int i = 0; i < 8; i++)
		a[i] = o->v * (i + 1);
	r = rt_smc(RSI_ATTESTATION_TOKEN_INIT, a);
	for (unsigned int i = 0; i < 64 && (o->c & 1) && r.x[0] == RSI_SUCCESS; i++) {
		r = rt_smc4(RSI_ATTESTATION_TOKEN_CONTINUE, rsi_addr(o->a, o->v), 0, 4096, 0);
		if (r.x[0] != RSI_INCOMPLETE)
			break;
	}
}

static const uint32_t psci_fids[] = {
	PSCI_VERSION,	       PSCI_CPU_ON_64,	      PSCI_CPU_ON_32,
	PSCI_AFFINITY_INFO_64, PSCI_AFFINITY_INFO_32, PSCI_CPU_SUSPEND_64,
	PSCI_FEATURES,	       0x84000005u,	      PSCI_MEM_PROTECT_CHECK_RANGE_64,
	0x8400000Au,	       PSCI_CPU_OFF,	      PSCI_SYSTEM_OFF,
};

static void second_cpu(uint64_t arg)
{
	(void)arg;
	rt_psci_cpu_off();
}

static void psci_op(const struct fz_op *o)
{
	uint32_t fid = psci_fids[o->a % (sizeof(psci_fids) / sizeof(psci_fids[0]))];
	uint64_t target = o->b & 4 ? o->v : rt_mpidr_of(o->b & 3);

	/* CPU_OFF / SYSTEM_OFF end the run: only as the very last ops. */
	if ((fid == PSCI_CPU_OFF || fid == PSCI_SYSTEM_OFF) && !(o->c & 0x100))
		fid = PSCI_VERSION;
	if (fid == PSCI_CPU_ON_64 && !(o->b & 8))
		rt_psci_cpu_on(target, second_cpu, 0);
	else
		rt_smc4(fid, target, o->c & 0x10 ? o->v : (uint64_t)second_cpu, o->c, 0);
}

static void rsi_op(const struct fz_op *o)
{
	uint64_t base, top;

	switch (o->kind) {
	case 0:
		rt_smc4(RSI_VERSION, o->v, 0, 0, 0);
		break;
	case 1:
		rt_smc4(RSI_REALM_CONFIG, o->c & 1 ? o->v : rsi_addr(o->a, o->v), 0, 0, 0);
		break;
	case 2:
		rt_smc4(RSI_MEASUREMENT_READ, o->a % 8, 0, 0, 0);
		break;
	case 3: {
		uint64_t a[10] = { o->a % 8, o->b % 80, o->v, o->v >> 1, o->c, 0, 0, 0, 0, 0 };

		rt_smc(RSI_MEASUREMENT_EXTEND, a);
		break;
	}
	case 4:
		attest(o);
		break;
	case 5:
		ripas_range(o, &base, &top);
		rt_smc4(RSI_IPA_STATE_SET, base, top, (o->c >> 3) & 3, (o->c >> 5) & 3);
		break;
	case 6:
		ripas_range(o, &base, &top);
		rt_smc4(RSI_IPA_STATE_GET, base, top, 0, 0);
		break;
	case 7:
		rt_smc4(RSI_HOST_CALL, rsi_addr(o->a, o->v) & ~0xffULL, 0, 0, 0);
		break;
	default:
		rt_smc4(RSI_FEATURES, o->v, 0, 0, 0);
		break;
	}
}

static void run_op(const struct fz_op *o)
{
	struct fz_op op = *o;

	op.kind %= 16;
	if (op.kind < 9) {
		rsi_op(&op);
		return;
	}
	switch (op.kind) {
	case 9:
		psci_op(&op);
		break;
	case 10: /* SMCCC: arbitrary FIDs, incl. the RSI range with junk arguments */
		rt_smc4(op.c & 1 ? (uint32_t)op.v : 0xC4000190u + op.a % 16, op.v, op.v >> 8, op.b,
			0);
		break;
	case 11:
		__asm__ volatile("mov x0, %0\n\thvc #0"
				 :
				 : "r"(op.v)
				 : "x0", "x1", "x2", "x3", "memory");
		break;
	case 12:
		mem_op(&op, false);
		break;
	case 13:
		mem_op(&op, true);
		break;
	case 14:
		rt_report(op.v, op.c, op.b);
		break;
	default:
		rt_smc4(SMCCC_VERSION_FID, 0, 0, 0, 0);
		break;
	}
}

int main(uint64_t x0)
{
	uint64_t n = fz_ops.nops;

	(void)x0;
	rt_set_exception_handler(on_exception);
	if (n > FZ_NOPS)
		n = FZ_NOPS;
	for (uint64_t i = 0; i < n; i++) {
		struct fz_op o;

		o.kind = fz_ops.op[i].kind;
		o.a = fz_ops.op[i].a;
		o.b = fz_ops.op[i].b;
		o.c = fz_ops.op[i].c;
		o.v = fz_ops.op[i].v;
		run_op(&o);
	}
	rt_report(0xF022, n, exceptions);
	return 0;
}
