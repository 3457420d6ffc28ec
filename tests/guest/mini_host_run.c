/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mini_host: one host thread per REC calling RMI_REC_ENTER in a loop, and
 * the host's side of every REC exit (rmm-v1.0.md s7, s11.3, s12;
 * failure-conditions s5.3-s5.8).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <realmkit/abi/psci.h>
#include <realmkit/abi/smccc.h>
#include <realmkit/guest.h>
#include <realmkit/platform.h>

#include "mini_host_priv.h"

#define ESR_EC(esr)  (((esr) >> 26) & 0x3f)
#define ESR_ISV	     (1ULL << 24)
#define ESR_SAS(esr) (((esr) >> 22) & 3)
#define ESR_WNR	     (1ULL << 6)
#define EC_WFX	     0x01
#define EC_SYS64     0x18
#define EC_IABT_LOW  0x20
#define EC_DABT_LOW  0x24
#define PL011_DR     0x00
#define MH_TOKEN_MAX 0x10000u
#define MH_SMCCC_1_1 0x10001u /* what KVM answers a realm's SMCCC_VERSION host call with */

static bool rmi_ok(uint64_t x0)
{
	return x0 == rmi_pack(RMI_SUCCESS, 0);
}

void mh_stop_locked(struct mini_host *mh)
{
	mh->stop = true;
	pthread_cond_broadcast(&mh->cond);
	/* A REC spinning (or in an untrapped WFI) leaves REC_ENTER with an IRQ exit. */
	for (unsigned int i = 0; i < mh->nrecs; i++) {
		if (mh->recs[i].cpu)
			platform_cpu_kick(mh->recs[i].cpu);
	}
}

static void stop_all(struct mini_host *mh)
{
	pthread_mutex_lock(&mh->lock);
	mh_stop_locked(mh);
	pthread_mutex_unlock(&mh->lock);
}

/* The host makes a REC enterable again (after a CPU_ON completion). */
static void wake(struct mh_rec *rc)
{
	pthread_mutex_lock(&rc->mh->lock);
	rc->enterable = true;
	rc->gen++;
	pthread_cond_broadcast(&rc->mh->cond);
	pthread_mutex_unlock(&rc->mh->lock);
}

/* The REC is not runnable (E_REC, CPU_OFF) unless woken since the entry that told us. */
static void park(struct mh_rec *rc, uint64_t gen)
{
	pthread_mutex_lock(&rc->mh->lock);
	if (rc->gen == gen)
		rc->enterable = false;
	pthread_mutex_unlock(&rc->mh->lock);
}

/* ---- MMIO (rmm-v1.0.md s12.2 emulatable data abort; failure-conditions s5.7) ---- */

static void console_put(struct mini_host *mh, char c)
{
	struct mh_result *res = mh->res;

	pthread_mutex_lock(&mh->lock);
	if (res->console_len + 1 < sizeof(res->console))
		res->console[res->console_len++] = c;
	pthread_mutex_unlock(&mh->lock);
}

/* Emulates one access of the last exit; the value a read returns. */
static uint64_t mmio_access(struct mh_rec *rc, uint64_t gpa, const struct rmi_rec_exit *x)
{
	struct mini_host *mh = rc->mh;
	unsigned int size = 1u << ESR_SAS(x->esr);
	bool write = x->esr & ESR_WNR;
	/* s12.2: FAR holds the offset within the page; gprs[0] the data written. */
	uint64_t off = x->far & 0xfff;

	if (write)
		rc->mmio_writes++;
	if (gpa == RK_GUEST_UART_GPA) {
		/* PL011: DR writes are console output; FR (and all else) reads 0, so TXFF is clear. */
		if (write && off == PL011_DR)
			console_put(mh, (char)(x->gprs[0] & 0xff));
		return 0;
	}
	if (gpa == MH_TEST_DEV_GPA && mh->cfg.dev)
		return mh->cfg.dev(mh->cfg.ctx, off, size, write, x->gprs[0]);
	return 0; /* the test device without a callback, or no device: RAZ/WI */
}

static bool is_device(uint64_t gpa)
{
	return gpa == RK_GUEST_UART_GPA || gpa == MH_TEST_DEV_GPA;
}

static void unprotected_abort(struct mh_rec *rc, uint64_t ipa, const struct rmi_rec_exit *x)
{
	struct mini_host *mh = rc->mh;
	uint64_t gpa = ipa & ~mh->shared_bit;

	if (gpa >= mh->ram_base && gpa < mh->ram_top) {
		/* A shared buffer in the RAM alias: back it with an NS page (s11.6). */
		if (mh_map_ns(mh, ipa))
			mh_fail(mh, "REC %u: cannot map NS page at %#llx", rc->idx,
				(unsigned long long)ipa);
		return;
	}
	if (!(x->esr & ESR_ISV)) {
		/* s12.3: ISV = 0 at an unprotected IPA: the host cannot emulate; inject an SEA. */
		rc->enter_flags |= REC_ENTER_FLAG_INJECT_SEA;
		rc->sea_injected++;
		return;
	}
	if (!is_device(gpa))
		mh_fail(mh, "REC %u: MMIO at %#llx, no device there", rc->idx,
			(unsigned long long)gpa);
	rc->enter_gprs[0] = mmio_access(rc, gpa, x);
	rc->mmio_read = !(x->esr & ESR_WNR);
	rc->enter_flags |= REC_ENTER_FLAG_EMUL_MMIO;
}

static void protected_abort(struct mh_rec *rc, uint64_t ipa)
{
	struct mini_host *mh = rc->mh;

	if (ipa < mh->ram_base || ipa >= mh->ram_top) {
		mh_fail(mh, "REC %u: stage-2 fault at %#llx outside guest RAM", rc->idx,
			(unsigned long long)ipa);
		return;
	}
	rc->refaults = ipa == rc->last_fault_ipa ? rc->refaults + 1 : 0;
	rc->last_fault_ipa = ipa;
	if (rc->refaults > MH_MAX_REFAULTS) {
		mh_fail(mh, "REC %u: IPA %#llx faults again after being mapped", rc->idx,
			(unsigned long long)ipa);
		return;
	}
	/* s12.3: RIPAS RAM, HIPAS UNASSIGNED -> the host assigns a granule and re-enters. */
	if (mh_map_data(mh, ipa))
		mh_fail(mh, "REC %u: DATA_CREATE_UNKNOWN(%#llx) failed", rc->idx,
			(unsigned long long)ipa);
}

static void handle_sync(struct mh_rec *rc, const struct rmi_rec_exit *x)
{
	struct mini_host *mh = rc->mh;
	/* s8.3: HPFAR_EL2 holds IPA[51:12] in bits [43:4]. */
	uint64_t ipa = (x->hpfar & 0xFFFFFFFFFF0ULL) << 8;

	switch (ESR_EC(x->esr)) {
	case EC_WFX:
	case EC_SYS64:
		return; /* s12.2: trapped WFx / GIC register write: nothing to emulate */
	case EC_DABT_LOW:
	case EC_IABT_LOW:
		if (ipa & mh->shared_bit) {
			if (ESR_EC(x->esr) == EC_IABT_LOW)
				mh_fail(mh, "REC %u: instruction abort exit at unprotected %#llx",
					rc->idx, (unsigned long long)ipa);
			else
				unprotected_abort(rc, ipa, x);
		} else {
			protected_abort(rc, ipa);
		}
		return;
	default:
		mh_fail(mh, "REC %u: unexpected SYNC exit, ESR %#llx", rc->idx,
			(unsigned long long)x->esr);
	}
}

/* ---- PSCI (rmm-v1.0.md s7; failure-conditions s5.4, s5.5) ---- */

static void psci_complete(struct mh_rec *rc, uint32_t fid, uint64_t target_mpidr)
{
	struct mini_host *mh = rc->mh;
	uint64_t t = rmi_mpidr_el1_to_rec_index(target_mpidr);
	bool cpu_on = fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64;
	int64_t status = PSCI_RET_SUCCESS;
	uint64_t x0;

	if (t >= mh->nrecs) {
		mh_fail(mh, "REC %u: PSCI exit names MPIDR %#llx, no such REC", rc->idx,
			(unsigned long long)target_mpidr);
		return;
	}
	if (cpu_on && mh->cfg.cpu_on)
		status = mh->cfg.cpu_on(mh->cfg.ctx, rc->idx, (unsigned int)t);
	x0 = mh_rmi(RMI_PSCI_COMPLETE, rc->rec.v, mh->recs[t].rec.v, (uint64_t)status, 0, 0).x[0];
	rc->psci_completes++;
	/* s7.4 step 8: DENIED for a runnable target returns E_INPUT but completes the request. */
	if (!rmi_ok(x0) &&
	    !(cpu_on && status == PSCI_RET_DENIED && x0 == rmi_pack(RMI_ERROR_INPUT, 0))) {
		mh_fail(mh, "REC %u: PSCI_COMPLETE(target %llu, %lld) = %#llx", rc->idx,
			(unsigned long long)t, (long long)status, (unsigned long long)x0);
		return;
	}
	if (cpu_on && status == PSCI_RET_SUCCESS)
		wake(&mh->recs[t]);
}

static void handle_psci(struct mh_rec *rc, const struct rmi_rec_exit *x, uint64_t gen)
{
	struct mini_host *mh = rc->mh;
	uint32_t fid = (uint32_t)x->gprs[0];

	switch (fid) {
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		psci_complete(rc, fid, x->gprs[1]);
		return;
	case PSCI_CPU_OFF:
		park(rc, gen); /* s7.1: not runnable until a CPU_ON completion restarts it */
		return;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		return;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		/* s7.1: no REC of the realm can run again. */
		pthread_mutex_lock(&mh->lock);
		if (fid == PSCI_SYSTEM_OFF)
			mh->res->system_off = true;
		else
			mh->res->system_reset = true;
		mh_stop_locked(mh);
		pthread_mutex_unlock(&mh->lock);
		return;
	default:
		mh_fail(mh, "REC %u: PSCI exit with FID %#x", rc->idx, fid);
	}
}

/* ---- RIPAS change (rmm-v1.0.md s11.3, s12.4; failure-conditions s5.6) ---- */

static int set_ripas(struct mh_rec *rc, uint64_t base, uint64_t top)
{
	struct mini_host *mh = rc->mh;
	int ret = 0;

	pthread_mutex_lock(&mh->map_lock);
	while (base < top) {
		struct smc_result r = mh_rmi(RMI_RTT_SET_RIPAS, mh->rd.v, rc->rec.v, base, top, 0);
		int walk = rmi_rtt_level_of(r.x[0]);

		if (rmi_ok(r.x[0]) && r.x[1] > base) {
			base = r.x[1]; /* s11.3 step 6: the new progress address */
		} else if (rmi_status_of(r.x[0]) == RMI_ERROR_RTT && walk < 3 &&
			   rmi_ok(mh_rtt_create(mh, base, walk + 1))) {
			continue; /* step 4: base not aligned at the walk level */
		} else {
			pthread_mutex_unlock(&mh->map_lock);
			mh_fail(mh, "REC %u: RTT_SET_RIPAS(%#llx, %#llx) = %#llx", rc->idx,
				(unsigned long long)base, (unsigned long long)top,
				(unsigned long long)r.x[0]);
			return -1;
		}
	}
	pthread_mutex_unlock(&mh->map_lock);
	return ret;
}

static void handle_ripas(struct mh_rec *rc, const struct rmi_rec_exit *x)
{
	struct mini_host *mh = rc->mh;
	uint64_t base = x->ripas_base, top = x->ripas_top;
	enum mh_ripas_policy policy;

	rc->ripas_changes++;
	pthread_mutex_lock(&mh->lock);
	policy = mh->ripas_policy;
	pthread_mutex_unlock(&mh->lock);
	/* Only requests inside guest RAM are honoured; others are rejected untouched. */
	if (base < mh->ram_base || top > mh->ram_top || top <= base)
		policy = MH_RIPAS_REJECT;
	if (policy == MH_RIPAS_ONE)
		top = base + GRANULE_SIZE;
	if (policy != MH_RIPAS_REJECT)
		set_ripas(rc, base, top);
	else
		rc->enter_flags |= REC_ENTER_FLAG_RIPAS_RESPONSE; /* s12.4 step 3 */
}

/* ---- Host calls (rmm-v1.0.md s12.5; include/realmkit/guest.h) ---- */

static uint64_t host_call_token(struct mh_rec *rc, uint64_t ipa, uint64_t size)
{
	struct mini_host *mh = rc->mh;
	uint8_t *buf;

	/* The host can read only unprotected (NS) memory: see mini_host.h. */
	if (!(ipa & mh->shared_bit) || !size || size > MH_TOKEN_MAX)
		goto fail;
	buf = malloc(size);
	if (!buf || mh_read_ns(mh, ipa, buf, size)) {
		free(buf);
		goto fail;
	}
	pthread_mutex_lock(&mh->lock);
	free(mh->res->token);
	mh->res->token = buf;
	mh->res->token_len = size;
	pthread_mutex_unlock(&mh->lock);
	return 0;
fail:
	mh_fail(mh, "REC %u: RK_HC_TOKEN(%#llx, %llu): not readable unprotected memory", rc->idx,
		(unsigned long long)ipa, (unsigned long long)size);
	return ~0ULL;
}

static void handle_host_call(struct mh_rec *rc, const struct rmi_rec_exit *x)
{
	struct mini_host *mh = rc->mh;
	uint64_t *g = rc->enter_gprs;
	struct mh_result *res = mh->res;

	/* s12.5 step 3: enter.gprs go back into RsiHostCall; answer with the call's own. */
	memcpy(g, x->gprs, sizeof(rc->enter_gprs));
	rc->answer_host_call = true;
	switch ((uint32_t)x->gprs[0]) {
	case RK_HC_EXIT:
		pthread_mutex_lock(&mh->lock);
		res->exited = true;
		res->exit_code = x->gprs[1];
		pthread_mutex_unlock(&mh->lock);
		g[0] = 0;
		break;
	case RK_HC_REPORT:
		pthread_mutex_lock(&mh->lock);
		if (res->nreports < MH_MAX_REPORTS) {
			struct mh_report *r = &res->reports[res->nreports++];

			r->rec = rc->idx;
			memcpy(r->v, &x->gprs[1], sizeof(r->v));
			r->t = mh_now();
		}
		if (x->gprs[1] == MH_REPORT_RIPAS_POLICY)
			mh->ripas_policy = (enum mh_ripas_policy)x->gprs[2];
		pthread_mutex_unlock(&mh->lock);
		g[0] = 0;
		break;
	case RK_HC_TOKEN:
		g[0] = host_call_token(rc, x->gprs[1], x->gprs[2]);
		break;
	case SMCCC_VERSION_FID:
		g[0] = MH_SMCCC_1_1;
		break;
	default:
		g[0] = ~0ULL; /* SMCCC_NOT_SUPPORTED */
	}
}

/* ---- The REC thread ---- */

static void handle_exit(struct mh_rec *rc, const struct rmi_rec_exit *x, uint64_t gen)
{
	uint64_t reason = x->exit_reason;

	rc->enter_flags = 0;
	rc->answer_host_call = false;
	rc->mmio_read = false;
	memset(rc->enter_gprs, 0, sizeof(rc->enter_gprs));
	if (reason < 8)
		rc->exits[reason]++;
	switch (reason) {
	case RMI_EXIT_SYNC:
		handle_sync(rc, x);
		break;
	case RMI_EXIT_IRQ:
	case RMI_EXIT_FIQ:
		break; /* s12.2: the host would take its interrupt; just re-enter */
	case RMI_EXIT_PSCI:
		handle_psci(rc, x, gen);
		break;
	case RMI_EXIT_RIPAS_CHANGE:
		handle_ripas(rc, x);
		break;
	case RMI_EXIT_HOST_CALL:
		handle_host_call(rc, x);
		break;
	default:
		mh_fail(rc->mh, "REC %u: exit reason %llu", rc->idx, (unsigned long long)reason);
	}
}

static void prepare_entry(struct mh_rec *rc, struct rmi_rec_enter *e)
{
	const struct mh_config *cfg = &rc->mh->cfg;

	e->flags = rc->enter_flags | (cfg->trap_wfi ? REC_ENTER_FLAG_TRAP_WFI : 0);
	if (cfg->scribble_gprs && !rc->answer_host_call) {
		/* failure-conditions s5.9: host values must not reach the realm's X0-X30. */
		for (unsigned int i = 0; i < RMI_REC_EXIT_NR_GPRS; i++)
			e->gprs[i] = MH_SCRIBBLE;
		if (rc->mmio_read)
			e->gprs[0] = rc->enter_gprs[0];
	} else {
		memcpy(e->gprs, rc->enter_gprs, sizeof(e->gprs));
	}
	e->gicv3_hcr = 0;
	memset(e->gicv3_lrs, 0, sizeof(e->gicv3_lrs));
}

/* Waits until the REC may be entered; false when the run is over. */
static bool wait_enterable(struct mh_rec *rc, uint64_t *gen)
{
	struct mini_host *mh = rc->mh;
	bool go;

	pthread_mutex_lock(&mh->lock);
	while (!mh->stop && !rc->enterable)
		pthread_cond_wait(&mh->cond, &mh->lock);
	go = !mh->stop;
	*gen = rc->gen;
	pthread_mutex_unlock(&mh->lock);
	return go;
}

static void *rec_thread(void *arg)
{
	struct mh_rec *rc = arg;
	struct mini_host *mh = rc->mh;
	struct rmi_rec_run *run = platform_ns_ptr(rc->run);
	uint64_t gen;

	pthread_mutex_lock(&mh->lock);
	rc->cpu = platform_this_cpu();
	pthread_mutex_unlock(&mh->lock);
	while (wait_enterable(rc, &gen)) {
		uint64_t x0;

		prepare_entry(rc, &run->enter);
		x0 = mh_rmi(RMI_REC_ENTER, rc->rec.v, rc->run.v, 0, 0, 0).x[0];
		if (rmi_ok(x0)) {
			rc->entries++;
			handle_exit(rc, &run->exit, gen);
		} else if (x0 == rmi_pack(RMI_ERROR_REC, 0)) {
			park(rc, gen); /* s12.7: not runnable (yet) */
		} else if (x0 == rmi_pack(RMI_ERROR_REALM, 1)) {
			stop_all(mh); /* s7.1: SYSTEM_OFF by another REC */
		} else {
			mh_fail(mh, "REC %u: REC_ENTER = %#llx", rc->idx, (unsigned long long)x0);
		}
	}
	pthread_mutex_lock(&mh->lock);
	rc->cpu = NULL; /* released when this thread exits */
	pthread_mutex_unlock(&mh->lock);
	return NULL;
}

static void add_counts(struct mh_result *res, const struct mh_rec *rc)
{
	for (unsigned int i = 0; i < 8; i++)
		res->exits[i] += rc->exits[i];
	res->entries += rc->entries;
	res->mmio_writes += rc->mmio_writes;
	res->sea_injected += rc->sea_injected;
	res->ripas_changes += rc->ripas_changes;
	res->psci_completes += rc->psci_completes;
}

int mh_run(struct mini_host *mh)
{
	unsigned int ms = mh->cfg.timeout_ms ? mh->cfg.timeout_ms : 20000;
	struct timespec deadline;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (long)(ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	for (unsigned int i = 0; i < mh->nrecs; i++) {
		struct mh_rec *rc = &mh->recs[i];

		rc->last_fault_ipa = ~0ULL;
		if (pthread_create(&rc->thread, NULL, rec_thread, rc)) {
			mh_fail(mh, "cannot create the thread of REC %u", i);
			break;
		}
		rc->started = true;
	}
	pthread_mutex_lock(&mh->lock);
	while (!mh->stop) {
		if (pthread_cond_timedwait(&mh->cond, &mh->lock, &deadline) == ETIMEDOUT &&
		    !mh->stop) {
			if (!mh->res->error[0])
				snprintf(mh->res->error, sizeof(mh->res->error),
					 "timeout: the realm ran for %u ms without SYSTEM_OFF", ms);
			mh_stop_locked(mh);
		}
	}
	pthread_mutex_unlock(&mh->lock);
	for (unsigned int i = 0; i < mh->nrecs; i++) {
		if (!mh->recs[i].started)
			continue;
		pthread_join(mh->recs[i].thread, NULL);
		mh->recs[i].started = false;
		add_counts(mh->res, &mh->recs[i]);
	}
	return mh->res->error[0] ? -1 : 0;
}
