/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Physical memory and the Granule Protection Table.
 *
 * DRAM is one memfd mapped twice: the NS view (host and VMM) and the root
 * view (RMM, EL3, CPU engine). The GPT holds one PAS per 4 KB granule and
 * is changed only by the EL3 services below; whenever a granule leaves PAS
 * NS its page in the NS view is made inaccessible, so a Non-secure access
 * faults for real.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <realmkit/platform.h>

#include "engine.h"
#include "platform_root.h"
#include "platform_priv.h"

struct platform plat;

static uint64_t dram_granules(void)
{
	return plat.dram_size >> GRANULE_SHIFT;
}

static bool pa_in_dram(pa_t pa)
{
	return pa.v >= RK_DRAM_BASE && pa.v - RK_DRAM_BASE < plat.dram_size;
}

static uint64_t granule_index(pa_t pa)
{
	return (pa.v - RK_DRAM_BASE) >> GRANULE_SHIFT;
}

static int set_ns_access(uint64_t first, uint64_t count, bool accessible)
{
	void *p = plat.ns_view + (first << GRANULE_SHIFT);
	int prot = accessible ? PROT_READ | PROT_WRITE : PROT_NONE;

	if (mprotect(p, count << GRANULE_SHIFT, prot) != 0)
		return -errno;
	for (uint64_t i = first; i < first + count; i++)
		atomic_store_explicit(&plat.ns_open[i], accessible, memory_order_release);
	return 0;
}

static void gpt_init_range(uint64_t first, uint64_t count, enum rk_pas pas)
{
	for (uint64_t i = first; i < first + count; i++)
		atomic_store_explicit(&plat.gpt[i], (uint8_t)pas, memory_order_relaxed);
}

static int map_views(void)
{
	plat.ns_view = mmap(NULL, plat.dram_size, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_NORESERVE, plat.memfd, 0);
	if (plat.ns_view == MAP_FAILED)
		return -errno;
	plat.root_view = mmap(NULL, plat.dram_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_NORESERVE, plat.memfd, 0);
	if (plat.root_view == MAP_FAILED) {
		int err = -errno;

		munmap(plat.ns_view, plat.dram_size);
		return err;
	}
	return 0;
}

/*
 * Every granule whose PAS differs from its neighbours' splits the NS view's
 * mapping (one mprotect range each), and Linux caps a process's mappings at
 * vm.max_map_count (65530 by default): with alternating Realm and NS
 * granules a 1 GiB platform needs far more. Raise the limit when the
 * process may (root), so a GTSI never fails for that reason; otherwise the
 * failure is reported by gtsi_transition() as an EL3 refusal.
 */
static void raise_map_count_limit(uint64_t granules)
{
	unsigned long long cur = 0, want = granules * 2 + 65536;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");

	if (!f)
		return;
	if (fscanf(f, "%llu", &cur) != 1)
		cur = 0;
	fclose(f);
	if (cur >= want)
		return;
	f = fopen("/proc/sys/vm/max_map_count", "w");
	if (!f)
		return;
	fprintf(f, "%llu\n", want);
	fclose(f);
}

int platform_init(const struct rk_platform_config *cfg)
{
	uint64_t size = cfg && cfg->dram_size ? cfg->dram_size : RK_DRAM_DEFAULT_SIZE;
	uint64_t root_n = RK_ROOT_CARVEOUT_SIZE >> GRANULE_SHIFT;
	uint64_t sec_n = RK_SECURE_CARVEOUT_SIZE >> GRANULE_SHIFT;
	int err;

	if (plat.ready)
		return -EBUSY;
	if ((size & GRANULE_MASK) || size < RK_DRAM_MIN_SIZE || size > RK_DRAM_MAX_SIZE)
		return -EINVAL;
	memset(&plat, 0, sizeof(plat));
	plat.dram_size = size;
	raise_map_count_limit(size >> GRANULE_SHIFT);
	plat.memfd = memfd_create("realmkit-dram", MFD_CLOEXEC);
	if (plat.memfd < 0)
		return -errno;
	if (ftruncate(plat.memfd, (off_t)size) != 0) {
		err = -errno;
		goto err_close;
	}
	plat.gpt = calloc(dram_granules(), sizeof(*plat.gpt));
	plat.ns_open = calloc(dram_granules(), sizeof(*plat.ns_open));
	if (!plat.gpt || !plat.ns_open) {
		err = -ENOMEM;
		goto err_gpt;
	}
	err = map_views();
	if (err)
		goto err_gpt;
	gpt_init_range(0, dram_granules(), RK_PAS_NS);
	memset((void *)plat.ns_open, 1, dram_granules());
	gpt_init_range(0, root_n, RK_PAS_ROOT);
	gpt_init_range(dram_granules() - sec_n, sec_n, RK_PAS_SECURE);
	err = set_ns_access(0, root_n, false);
	if (!err)
		err = set_ns_access(dram_granules() - sec_n, sec_n, false);
	if (err)
		goto err_views;
	/* The CPU engine's one-time ERET entry page (engine.h, ENGINE_ERET_PA). */
	memcpy(plat.root_view + (ENGINE_ERET_PA - RK_DRAM_BASE), &(uint32_t){ ENGINE_ERET_INSN },
	       sizeof(uint32_t));
	plat.ready = true;
	return 0;

err_views:
	munmap(plat.ns_view, size);
	munmap(plat.root_view, size);
err_gpt:
	free(plat.ns_open);
	free(plat.gpt);
err_close:
	close(plat.memfd);
	memset(&plat, 0, sizeof(plat));
	return err;
}

void platform_fini(void)
{
	if (!plat.ready)
		return;
	plat.ready = false;
	conduit_register_rmm(NULL);
	munmap(plat.ns_view, plat.dram_size);
	munmap(plat.root_view, plat.dram_size);
	free(plat.ns_open);
	free(plat.gpt);
	close(plat.memfd);
	memset(&plat, 0, sizeof(plat));
}

bool platform_ready(void)
{
	return plat.ready;
}

uint64_t platform_dram_size(void)
{
	return plat.dram_size;
}

void platform_ns_dram_range(pa_t *base, uint64_t *size)
{
	*base = pa_of(RK_DRAM_BASE + RK_ROOT_CARVEOUT_SIZE);
	*size = plat.dram_size - RK_ROOT_CARVEOUT_SIZE - RK_SECURE_CARVEOUT_SIZE;
}

enum rk_pa_class platform_pa_class(pa_t pa)
{
	if (pa.v >> RK_PA_WIDTH)
		return RK_PA_OUT_OF_RANGE;
	if (pa_in_dram(pa))
		return RK_PA_DRAM;
	if (pa.v >= RK_MMIO_BASE && pa.v - RK_MMIO_BASE < RK_MMIO_SIZE)
		return RK_PA_MMIO;
	return RK_PA_NONE;
}

enum rk_pas platform_pas(pa_t pa)
{
	if (!plat.ready || !pa_in_dram(pa))
		return RK_PAS_ROOT;
	return (enum rk_pas)atomic_load_explicit(&plat.gpt[granule_index(pa)],
						 memory_order_acquire);
}

const char *platform_pas_name(enum rk_pas pas)
{
	static const char *const names[] = { "NS", "REALM", "SECURE", "ROOT" };

	return (unsigned int)pas < 4 ? names[pas] : "?";
}

void *platform_ns_ptr(pa_t pa)
{
	if (!plat.ready || !pa_in_dram(pa))
		return NULL;
	return plat.ns_view + (pa.v - RK_DRAM_BASE);
}

void *platform_root_ptr(pa_t pa)
{
	if (!plat.ready || !pa_in_dram(pa))
		return NULL;
	return plat.root_view + (pa.v - RK_DRAM_BASE);
}

void *platform_root_base(void)
{
	return plat.root_view;
}

void el3_inject_gtsi_failures(unsigned int count)
{
	atomic_store(&plat.gtsi_fail_count, count);
}

static bool gtsi_injected_failure(void)
{
	unsigned int n = atomic_load(&plat.gtsi_fail_count);

	while (n > 0) {
		if (atomic_compare_exchange_weak(&plat.gtsi_fail_count, &n, n - 1))
			return true;
	}
	return false;
}

/*
 * One GPT transition. The compare-and-swap makes the PAS check and the
 * change one step, so two racing requests for one granule cannot both win.
 */
static int gtsi_transition(pa_t pa, enum rk_pas from, enum rk_pas to)
{
	uint8_t expected = (uint8_t)from;
	uint64_t idx;
	int err;

	if (!plat.ready || !pa_in_dram(pa) || !pa_granule_aligned(pa))
		return -EINVAL;
	if (gtsi_injected_failure())
		return -EIO;
	idx = granule_index(pa);
	if (!atomic_compare_exchange_strong(&plat.gpt[idx], &expected, (uint8_t)to))
		return -EPERM;
	err = set_ns_access(idx, 1, to == RK_PAS_NS);
	if (err) {
		/* mprotect failed (e.g. vm.max_map_count): undo, report refusal. */
		atomic_store(&plat.gpt[idx], (uint8_t)from);
		fprintf(stderr, "platform: GPT update of PA 0x%llx failed: %s\n",
			(unsigned long long)pa.v, strerror(-err));
		return err;
	}
	return 0;
}

int el3_gtsi_delegate(pa_t pa)
{
	return gtsi_transition(pa, RK_PAS_NS, RK_PAS_REALM);
}

int el3_gtsi_undelegate(pa_t pa)
{
	return gtsi_transition(pa, RK_PAS_REALM, RK_PAS_NS);
}
