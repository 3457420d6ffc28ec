/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mini_host: realm construction, stage-2 management on demand and teardown
 * through the RMI only (see mini_host.h). The run loop is in mini_host_run.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <realmkit/guest.h>
#include <realmkit/platform.h>

#include "host_rmi.h"
#include "mini_host_priv.h"

#define RTT_ENTRY_SIZE(level) (1ULL << (12 + 9 * (3 - (level))))

static atomic_uint next_vmid = 100;

double mh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct smc_result mh_rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			 uint64_t a5)
{
	return smc_call(fid, a1, a2, a3, a4, a5, 0);
}

static bool rmi_ok(uint64_t x0)
{
	return x0 == rmi_pack(RMI_SUCCESS, 0);
}

void mh_fail(struct mini_host *mh, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&mh->lock);
	if (!mh->res->error[0]) {
		va_start(ap, fmt);
		vsnprintf(mh->res->error, sizeof(mh->res->error), fmt, ap);
		va_end(ap);
	}
	mh_stop_locked(mh);
	pthread_mutex_unlock(&mh->lock);
}

static void leak(struct mini_host *mh, const char *what, pa_t pa, uint64_t x0)
{
	size_t n = strlen(mh->res->leak_report);

	snprintf(mh->res->leak_report + n, sizeof(mh->res->leak_report) - n,
		 "%s PA %#llx (X0 %#llx); ", what, (unsigned long long)pa.v,
		 (unsigned long long)x0);
}

pa_t mh_delegate_new(struct mini_host *mh)
{
	pa_t pa = host_page_alloc();
	uint64_t x0;

	if (!pa.v) {
		mh_fail(mh, "host out of NS pages");
		return pa;
	}
	x0 = rmi_granule_delegate(pa);
	if (!rmi_ok(x0)) {
		mh_fail(mh, "GRANULE_DELEGATE(%#llx) = %#llx", (unsigned long long)pa.v,
			(unsigned long long)x0);
		host_page_free(pa);
		return pa_of(0);
	}
	mh->delegated++; /* under map_lock at run time; single-threaded otherwise */
	return pa;
}

void mh_undelegate_free(struct mini_host *mh, pa_t pa, const char *what)
{
	uint64_t x0 = rmi_granule_undelegate(pa);

	if (!rmi_ok(x0)) {
		leak(mh, what, pa, x0); /* stays delegated: counted in mh->delegated */
		return;
	}
	mh->delegated--;
	host_page_free(pa);
}

/* ---- The construction log (tests/rim/rim.py format) ---- */

static void log_cmd(struct mini_host *mh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void log_cmd(struct mini_host *mh, const char *fmt, ...)
{
	va_list ap;

	if (!mh->log || mh->active)
		return;
	fputs(mh->log_first ? "\n  " : ",\n  ", mh->log);
	mh->log_first = false;
	va_start(ap, fmt);
	vfprintf(mh->log, fmt, ap);
	va_end(ap);
}

static void log_data(struct mini_host *mh, uint64_t ipa, const uint8_t *content)
{
	if (!mh->log)
		return;
	log_cmd(mh, "{\"cmd\": \"DATA_CREATE\", \"ipa\": \"%#llx\", \"flags\": %u, \"content\": \"",
		(unsigned long long)ipa, RMI_MEASURE_CONTENT);
	for (size_t i = 0; i < GRANULE_SIZE; i++)
		fprintf(mh->log, "%02x", content[i]);
	fputs("\"}", mh->log);
}

/* ---- RTTs on demand ---- */

static int track_rtt(struct mini_host *mh, pa_t pa, uint64_t ipa, int level)
{
	if (mh->nrtts == mh->cap_rtts) {
		size_t cap = mh->cap_rtts ? 2 * mh->cap_rtts : 64;
		struct mh_rtt *n = realloc(mh->rtts, cap * sizeof(*n));

		if (!n)
			return -1;
		mh->rtts = n;
		mh->cap_rtts = cap;
	}
	mh->rtts[mh->nrtts++] = (struct mh_rtt){ pa, ipa, level };
	return 0;
}

uint64_t mh_rtt_create(struct mini_host *mh, uint64_t ipa, int level)
{
	uint64_t base = ipa & ~(RTT_ENTRY_SIZE(level - 1) - 1);
	pa_t rtt = mh_delegate_new(mh);
	uint64_t x0;

	if (!rtt.v)
		return rmi_pack(RMI_ERROR_INPUT, 0);
	x0 = mh_rmi(RMI_RTT_CREATE, mh->rd.v, rtt.v, base, (uint64_t)level, 0).x[0];
	if (!rmi_ok(x0) || track_rtt(mh, rtt, base, level)) {
		if (rmi_ok(x0))
			mh_fail(mh, "out of memory tracking RTTs");
		else
			mh_undelegate_free(mh, rtt, "RTT after a failed RTT_CREATE");
		return x0;
	}
	log_cmd(mh, "{\"cmd\": \"RTT_CREATE\", \"ipa\": \"%#llx\", \"level\": %d}",
		(unsigned long long)base, level);
	return x0;
}

struct smc_result mh_with_rtts(struct mini_host *mh, uint64_t fid, const uint64_t a[5],
			       uint64_t ipa, int level)
{
	for (;;) {
		struct smc_result r = mh_rmi(fid, a[0], a[1], a[2], a[3], a[4]);
		int walk = rmi_rtt_level_of(r.x[0]);

		/* rmm-v1.0.md s10 "Walk": RMI_ERROR_RTT names the level where the walk stopped. */
		if (rmi_status_of(r.x[0]) != RMI_ERROR_RTT || walk >= level)
			return r;
		if (!rmi_ok(mh_rtt_create(mh, ipa, walk + 1)))
			return r;
	}
}

int mh_map_data(struct mini_host *mh, uint64_t ipa)
{
	struct smc_result r;
	pa_t data;
	int ret = 0;

	pthread_mutex_lock(&mh->map_lock);
	data = mh_delegate_new(mh);
	if (!data.v) {
		pthread_mutex_unlock(&mh->map_lock);
		return -1;
	}
	/* rmm-v1.0.md s12.3: RIPAS RAM, HIPAS UNASSIGNED -> the host assigns a granule. */
	r = mh_with_rtts(mh, RMI_DATA_CREATE_UNKNOWN, (uint64_t[5]){ mh->rd.v, data.v, ipa }, ipa,
			 3);
	if (rmi_ok(r.x[0])) {
		mh->data_pages++;
		mh->res->data_faults++;
	} else {
		mh_undelegate_free(mh, data, "DATA after a failed DATA_CREATE_UNKNOWN");
		/* (E_RTT, 3): another REC's fault mapped it first; anything else is an error. */
		if (r.x[0] != rmi_pack(RMI_ERROR_RTT, 3))
			ret = -1;
	}
	pthread_mutex_unlock(&mh->map_lock);
	return ret;
}

static int track_ns(struct mini_host *mh, uint64_t ipa, pa_t pa)
{
	if (mh->nns == mh->cap_ns) {
		size_t cap = mh->cap_ns ? 2 * mh->cap_ns : 16;
		struct mh_nsmap *n = realloc(mh->ns, cap * sizeof(*n));

		if (!n)
			return -1;
		mh->ns = n;
		mh->cap_ns = cap;
	}
	mh->ns[mh->nns++] = (struct mh_nsmap){ ipa, pa };
	return 0;
}

int mh_map_ns(struct mini_host *mh, uint64_t ipa)
{
	/* rmm-v1.0.md s8.6: MemAttr 0b110 (Normal write-back, FWB), S2AP read/write. */
	const uint64_t attrs =
		(6ULL << RMI_NS_DESC_MEMATTR_SHIFT) | (3ULL << RMI_NS_DESC_S2AP_SHIFT);
	struct smc_result r;
	pa_t pa;
	int ret = 0;

	pthread_mutex_lock(&mh->map_lock);
	pa = host_page_alloc();
	if (!pa.v) {
		pthread_mutex_unlock(&mh->map_lock);
		return -1;
	}
	r = mh_with_rtts(mh, RMI_RTT_MAP_UNPROTECTED,
			 (uint64_t[5]){ mh->rd.v, ipa, 3, pa.v | attrs }, ipa, 3);
	if (rmi_ok(r.x[0]) && !track_ns(mh, ipa, pa)) {
		mh->res->ns_maps++;
	} else {
		host_page_free(pa);
		if (r.x[0] != rmi_pack(RMI_ERROR_RTT, 3)) /* mapped by another REC first */
			ret = -1;
	}
	pthread_mutex_unlock(&mh->map_lock);
	return ret;
}

int mh_read_ns(struct mini_host *mh, uint64_t ipa, void *buf, size_t len)
{
	uint8_t *out = buf;
	int ret = 0;

	pthread_mutex_lock(&mh->map_lock);
	while (len && !ret) {
		uint64_t page = ipa & ~(GRANULE_SIZE - 1), off = ipa - page;
		size_t n = GRANULE_SIZE - off < len ? GRANULE_SIZE - off : len;
		size_t i;

		for (i = 0; i < mh->nns && mh->ns[i].ipa != page; i++)
			;
		if (i == mh->nns) {
			ret = -1;
			break;
		}
		memcpy(out, (uint8_t *)platform_ns_ptr(mh->ns[i].pa) + off, n);
		out += n;
		ipa += n;
		len -= n;
	}
	pthread_mutex_unlock(&mh->map_lock);
	return ret;
}

/* ---- Construction ---- */

static int realm_create(struct mini_host *mh)
{
	pa_t params = host_page_alloc();
	struct rmi_realm_params *p;
	uint64_t x0;

	mh->rd = mh_delegate_new(mh);
	mh->root = mh_delegate_new(mh);
	if (!params.v || !mh->rd.v || !mh->root.v)
		goto fail;
	p = platform_ns_ptr(params);
	memset(p, 0, sizeof(*p));
	p->s2sz = MH_S2SZ;
	p->num_bps = 2;
	p->num_wps = 2;
	p->algorithm = (uint8_t)mh->cfg.algorithm;
	memcpy(p->rpv, mh->cfg.rpv, sizeof(p->rpv));
	mh->vmid = (uint16_t)(1 + atomic_fetch_add(&next_vmid, 1) % 250);
	p->vmid = mh->vmid;
	p->rtt_base = mh->root.v;
	/* rmm-v1.0.md s10: s2sz 40 at start level 0 takes one root RTT. */
	p->rtt_level_start = 0;
	p->rtt_num_start = 1;
	x0 = mh_rmi(RMI_REALM_CREATE, mh->rd.v, params.v, 0, 0, 0).x[0];
	host_page_free(params);
	if (!rmi_ok(x0)) {
		mh_fail(mh, "REALM_CREATE = %#llx", (unsigned long long)x0);
		mh_undelegate_free(mh, mh->rd, "RD");
		mh_undelegate_free(mh, mh->root, "root RTT");
		mh->rd = mh->root = pa_of(0);
		return -1;
	}
	if (mh->log)
		fprintf(mh->log,
			"{\"realm\": {\"flags\": 0, \"s2sz\": %u, \"sve_vl\": 0, \"num_bps\": 2, "
			"\"num_wps\": 2, \"pmu_num_ctrs\": 0, \"algorithm\": %u, "
			"\"rtt_level_start\": 0},\n \"commands\": [",
			MH_S2SZ, mh->cfg.algorithm);
	return 0;
fail:
	mh_fail(mh, "no memory for the realm");
	if (params.v)
		host_page_free(params);
	return -1;
}

/* rmm-v1.0.md s11.3 step 5: the host loops, advancing base to X1, until top. */
static int init_ripas(struct mini_host *mh)
{
	uint64_t base = mh->ram_base, top = mh->ram_top;

	while (base < top) {
		struct smc_result r = mh_rmi(RMI_RTT_INIT_RIPAS, mh->rd.v, base, top, 0, 0);
		int walk = rmi_rtt_level_of(r.x[0]);

		if (rmi_ok(r.x[0])) {
			log_cmd(mh,
				"{\"cmd\": \"RTT_INIT_RIPAS\", \"base\": \"%#llx\", \"top\": "
				"\"%#llx\", \"top_out\": \"%#llx\"}",
				(unsigned long long)base, (unsigned long long)top,
				(unsigned long long)r.x[1]);
			base = r.x[1];
		} else if (rmi_status_of(r.x[0]) == RMI_ERROR_RTT && walk < 3) {
			/* Unaligned base or an entry larger than the rest: a finer RTT. */
			if (!rmi_ok(mh_rtt_create(mh, base, walk + 1)))
				goto fail;
		} else {
			goto fail;
		}
		continue;
	fail:
		mh_fail(mh, "RTT_INIT_RIPAS(%#llx, %#llx) = %#llx", (unsigned long long)base,
			(unsigned long long)top, (unsigned long long)r.x[0]);
		return -1;
	}
	return 0;
}

/* One measured DATA_CREATE from the bounce page `src` (rmm-v1.0.md s14.4). */
static int load_page(struct mini_host *mh, uint64_t ipa, pa_t src, const uint8_t *bytes, size_t n)
{
	uint8_t *s = platform_ns_ptr(src);
	struct smc_result r;
	pa_t data = mh_delegate_new(mh);

	if (!data.v)
		return -1;
	memcpy(s, bytes, n);
	memset(s + n, 0, GRANULE_SIZE - n);
	r = mh_with_rtts(mh, RMI_DATA_CREATE,
			 (uint64_t[5]){ mh->rd.v, data.v, ipa, src.v, RMI_MEASURE_CONTENT }, ipa,
			 3);
	if (!rmi_ok(r.x[0])) {
		mh_fail(mh, "DATA_CREATE(%#llx) = %#llx", (unsigned long long)ipa,
			(unsigned long long)r.x[0]);
		mh_undelegate_free(mh, data, "DATA after a failed DATA_CREATE");
		return -1;
	}
	log_data(mh, ipa, s);
	mh->data_pages++;
	return 0;
}

/*
 * The image, page by page, through one NS bounce page (reused, so that the
 * delegated granules stay contiguous and the NS ones do not interleave).
 */
static int load_image(struct mini_host *mh, const uint8_t *img, uint64_t len)
{
	pa_t src;
	int ret = 0;

	if (len > mh->ram_top - mh->ram_base) {
		mh_fail(mh, "image of %llu bytes does not fit in guest RAM",
			(unsigned long long)len);
		return -1;
	}
	src = host_page_alloc();
	if (!src.v) {
		mh_fail(mh, "host out of NS pages");
		return -1;
	}
	for (uint64_t off = 0; off < len && !ret; off += GRANULE_SIZE) {
		size_t n = len - off < GRANULE_SIZE ? (size_t)(len - off) : GRANULE_SIZE;

		ret = load_page(mh, mh->ram_base + off, src, img + off, n);
	}
	host_page_free(src);
	return ret;
}

static int read_file(const char *path, uint8_t **buf, uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto fail;
	*buf = malloc((size_t)n + 1);
	if (!*buf || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		free(*buf);
		goto fail;
	}
	*len = (uint64_t)n;
	fclose(f);
	return 0;
fail:
	fclose(f);
	return -EIO;
}

static int rec_create(struct mini_host *mh, struct mh_rec *rc, uint64_t naux)
{
	pa_t params = host_page_alloc();
	struct rmi_rec_params *p;
	uint64_t x0;

	rc->rec = mh_delegate_new(mh);
	rc->run = host_page_alloc();
	if (!params.v || !rc->rec.v || !rc->run.v)
		goto fail;
	p = platform_ns_ptr(params);
	memset(p, 0, sizeof(*p));
	/* rmm-v1.0.md s7.5: RECs in index order; REC 0 runnable at the image entry. */
	p->mpidr = rmi_rec_index_to_mpidr(rc->idx);
	if (rc->idx == 0) {
		p->flags = RMI_REC_PARAMS_FLAG_RUNNABLE;
		p->pc = RK_GUEST_RAM_BASE;
		p->gprs[0] = mh->cfg.x0_set ? mh->cfg.x0 : mh->dtb;
	}
	p->num_aux = naux;
	for (rc->naux = 0; rc->naux < naux; rc->naux++) {
		rc->aux[rc->naux] = mh_delegate_new(mh);
		if (!rc->aux[rc->naux].v)
			goto fail;
		p->aux[rc->naux] = rc->aux[rc->naux].v;
	}
	x0 = mh_rmi(RMI_REC_CREATE, mh->rd.v, rc->rec.v, params.v, 0, 0).x[0];
	if (!rmi_ok(x0)) {
		mh_fail(mh, "REC_CREATE(%u) = %#llx", rc->idx, (unsigned long long)x0);
		goto fail;
	}
	log_cmd(mh,
		"{\"cmd\": \"REC_CREATE\", \"flags\": %llu, \"pc\": \"%#llx\", \"gprs\": "
		"[\"%#llx\", "
		"0, 0, 0, 0, 0, 0, 0]}",
		(unsigned long long)p->flags, (unsigned long long)p->pc,
		(unsigned long long)p->gprs[0]);
	host_page_free(params);
	rc->enterable = rc->idx == 0;
	return 0;
fail:
	mh_fail(mh, "REC %u could not be created", rc->idx);
	if (params.v)
		host_page_free(params);
	while (rc->naux)
		mh_undelegate_free(mh, rc->aux[--rc->naux], "REC aux");
	if (rc->rec.v)
		mh_undelegate_free(mh, rc->rec, "REC");
	if (rc->run.v)
		host_page_free(rc->run);
	rc->rec = rc->run = pa_of(0);
	return -1;
}

static int create_recs(struct mini_host *mh)
{
	struct smc_result r = mh_rmi(RMI_REC_AUX_COUNT, mh->rd.v, 0, 0, 0, 0);

	if (!rmi_ok(r.x[0]) || r.x[1] > RMI_MAX_REC_AUX_GRANULES) {
		mh_fail(mh, "REC_AUX_COUNT = %#llx, %llu", (unsigned long long)r.x[0],
			(unsigned long long)r.x[1]);
		return -1;
	}
	for (unsigned int i = 0; i < mh->nrecs; i++) {
		mh->recs[i].mh = mh;
		mh->recs[i].idx = i;
		if (rec_create(mh, &mh->recs[i], r.x[1]))
			return -1;
	}
	return 0;
}

static int configure(struct mini_host *mh, const struct mh_config *cfg, struct mh_result *res)
{
	pthread_condattr_t ca;

	mh->cfg = *cfg;
	mh->res = res;
	mh->nrecs = cfg->nrecs ? cfg->nrecs : 1;
	mh->ram_base = RK_GUEST_RAM_BASE;
	mh->ram_top = RK_GUEST_RAM_BASE + (cfg->ram_size ? cfg->ram_size : MH_DEFAULT_RAM_SIZE);
	/* include/realmkit/guest.h: the DTB 2 MB below the end of RAM when RAM < 256 MB. */
	mh->dtb = mh->ram_top - mh->ram_base < (256ULL << 20) ? mh->ram_top - (2ULL << 20)
							      : RK_GUEST_DTB_GPA;
	mh->shared_bit = 1ULL << (MH_S2SZ - 1);
	pthread_mutex_init(&mh->lock, NULL);
	pthread_mutex_init(&mh->map_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&mh->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (mh->nrecs > MH_MAX_RECS || (mh->ram_top - mh->ram_base) % GRANULE_SIZE ||
	    cfg->algorithm > RMI_HASH_SHA_512) {
		mh_fail(mh, "bad configuration");
		return -1;
	}
	if (cfg->rim_log) {
		mh->log = fopen(cfg->rim_log, "w");
		mh->log_first = true;
		if (!mh->log) {
			mh_fail(mh, "cannot write %s", cfg->rim_log);
			return -1;
		}
	}
	return 0;
}

static int build(struct mini_host *mh)
{
	const struct mh_config *cfg = &mh->cfg;
	uint8_t *img = NULL;
	uint64_t len = cfg->image_len;
	uint64_t x0;
	int ret;

	if (cfg->image_path && read_file(cfg->image_path, &img, &len)) {
		mh_fail(mh, "cannot read %s", cfg->image_path);
		return -1;
	}
	/* failure-conditions s5.1: create, RIPAS, populate, RECs, activate. */
	ret = realm_create(mh);
	if (!ret)
		ret = init_ripas(mh);
	if (!ret)
		ret = load_image(mh, cfg->image_path ? img : cfg->image, len);
	free(img);
	if (!ret)
		ret = create_recs(mh);
	if (ret)
		return ret;
	x0 = mh_rmi(RMI_REALM_ACTIVATE, mh->rd.v, 0, 0, 0, 0).x[0];
	if (!rmi_ok(x0)) {
		mh_fail(mh, "REALM_ACTIVATE = %#llx", (unsigned long long)x0);
		return -1;
	}
	mh->active = true;
	return 0;
}

struct mini_host *mh_create(const struct mh_config *cfg, struct mh_result *res)
{
	struct mini_host *mh = calloc(1, sizeof(*mh));

	memset(res, 0, sizeof(*res));
	if (!mh) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return NULL;
	}
	if (!configure(mh, cfg, res))
		build(mh);
	if (mh->log) {
		fputs("\n]}\n", mh->log);
		fclose(mh->log);
		mh->log = NULL;
	}
	if (res->error[0]) {
		mh_destroy(mh);
		return NULL;
	}
	return mh;
}

/* ---- Teardown (failure-conditions s5.1) ---- */

/* rmm-v1.0.md s11.7: DATA_DESTROY returns `top`, the next live entry, to skip holes. */
static void destroy_data(struct mini_host *mh)
{
	uint64_t ipa = mh->ram_base;

	while (ipa < mh->ram_top) {
		struct smc_result r = mh_rmi(RMI_DATA_DESTROY, mh->rd.v, ipa, 0, 0, 0);
		uint64_t next = r.x[2];

		if (rmi_ok(r.x[0])) {
			mh_undelegate_free(mh, pa_of(r.x[1]), "DATA");
			mh->data_pages--;
		} else if (rmi_status_of(r.x[0]) != RMI_ERROR_RTT) {
			mh_fail(mh, "DATA_DESTROY(%#llx) = %#llx", (unsigned long long)ipa,
				(unsigned long long)r.x[0]);
			next = ipa + GRANULE_SIZE;
		}
		ipa = next > ipa ? next : ipa + GRANULE_SIZE;
	}
	if (mh->data_pages)
		mh_fail(mh, "%llu DATA granules not found by the DATA_DESTROY walk",
			(unsigned long long)mh->data_pages);
}

static void unmap_ns(struct mini_host *mh)
{
	for (size_t i = 0; i < mh->nns; i++) {
		uint64_t x0 =
			mh_rmi(RMI_RTT_UNMAP_UNPROTECTED, mh->rd.v, mh->ns[i].ipa, 3, 0, 0).x[0];

		if (rmi_ok(x0))
			host_page_free(mh->ns[i].pa);
		else
			mh_fail(mh, "RTT_UNMAP_UNPROTECTED(%#llx) = %#llx",
				(unsigned long long)mh->ns[i].ipa, (unsigned long long)x0);
	}
	mh->nns = 0;
}

/* RTT_DESTROY bottom-up: level 3 first (rmm-v1.0.md s11.8: a live child blocks its parent). */
static void destroy_rtts(struct mini_host *mh)
{
	for (int level = 3; level >= 1; level--) {
		for (size_t i = 0; i < mh->nrtts; i++) {
			struct mh_rtt *t = &mh->rtts[i];
			struct smc_result r;

			if (t->level != level)
				continue;
			r = mh_rmi(RMI_RTT_DESTROY, mh->rd.v, t->ipa, (uint64_t)level, 0, 0);
			if (!rmi_ok(r.x[0]) || r.x[1] != t->pa.v) {
				mh_fail(mh, "RTT_DESTROY(%#llx, %d) = %#llx, %#llx",
					(unsigned long long)t->ipa, level,
					(unsigned long long)r.x[0], (unsigned long long)r.x[1]);
				leak(mh, "RTT", t->pa, r.x[0]);
				continue;
			}
			mh_undelegate_free(mh, t->pa, "RTT");
		}
	}
	mh->nrtts = 0;
}

static void destroy_recs(struct mini_host *mh)
{
	for (unsigned int i = 0; i < mh->nrecs; i++) {
		struct mh_rec *rc = &mh->recs[i];
		uint64_t x0;

		if (!rc->rec.v)
			continue;
		x0 = mh_rmi(RMI_REC_DESTROY, rc->rec.v, 0, 0, 0, 0).x[0];
		if (!rmi_ok(x0)) {
			mh_fail(mh, "REC_DESTROY(%u) = %#llx", i, (unsigned long long)x0);
			leak(mh, "REC", rc->rec, x0);
			continue;
		}
		mh_undelegate_free(mh, rc->rec, "REC");
		while (rc->naux)
			mh_undelegate_free(mh, rc->aux[--rc->naux], "REC aux");
		host_page_free(rc->run);
	}
}

uint64_t mh_destroy(struct mini_host *mh)
{
	struct mh_result *res = mh->res;
	uint64_t x0, left;

	if (mh->rd.v) {
		destroy_data(mh);
		unmap_ns(mh);
		destroy_rtts(mh);
		destroy_recs(mh);
		x0 = mh_rmi(RMI_REALM_DESTROY, mh->rd.v, 0, 0, 0, 0).x[0];
		if (rmi_ok(x0)) {
			mh_undelegate_free(mh, mh->rd, "RD");
			mh_undelegate_free(mh, mh->root, "root RTT");
		} else {
			mh_fail(mh, "REALM_DESTROY = %#llx", (unsigned long long)x0);
			leak(mh, "RD", mh->rd, x0);
		}
	}
	left = mh->delegated;
	res->leaked = left;
	if (left && !res->leak_report[0])
		snprintf(res->leak_report, sizeof(res->leak_report),
			 "%llu granules still delegated", (unsigned long long)left);
	pthread_mutex_destroy(&mh->lock);
	pthread_mutex_destroy(&mh->map_lock);
	pthread_cond_destroy(&mh->cond);
	free(mh->rtts);
	free(mh->ns);
	free(mh);
	return left;
}

int mh_run_guest(const struct mh_config *cfg, struct mh_result *res)
{
	struct mini_host *mh = mh_create(cfg, res);
	int ret;

	if (!mh)
		return -1;
	ret = mh_run(mh);
	if (mh_destroy(mh) || res->error[0])
		ret = -1;
	return ret;
}

void mh_result_free(struct mh_result *res)
{
	free(res->token);
	res->token = NULL;
	res->token_len = 0;
}

uint64_t mh_rd(const struct mini_host *mh)
{
	return mh->rd.v;
}

uint64_t mh_delegated(const struct mini_host *mh)
{
	return mh->delegated;
}
