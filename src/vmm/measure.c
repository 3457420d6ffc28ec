/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The measuring back end (measure.h): a model of the host's RMI sequence
 * (assumptions H1-H4 in measure.h) and of the RMM's measurement
 * (rmm-v1.0.md s14) and stage-2 walk (s10, s11.3).
 */
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/kvm.h>

#include "measure.h"

#define RIM_SLOT     64
#define DESC_SIZE    0x100
#define DESC_DATA    0
#define DESC_REC     1
#define DESC_RIPAS   2
#define MAX_LEVEL    3
#define MEASURE_VCPU VMM_MAX_CPUS

struct rtt {
	int level;
	uint64_t base;
};

struct measure {
	const EVP_MD *md;
	size_t hlen;
	uint8_t rim[RIM_SLOT];
	struct vmm_realm_cfg rc;
	int start_level;
	uint64_t flags, sve_vl;
	struct rtt *rtts; /* non-root RTTs the host has created */
	size_t nrtts, caprtts;
	struct vmm_blob *assigned; /* populated ranges (no data kept) */
	size_t nassigned, capassigned;
	uint64_t ram_base, ram_size;
	uint64_t pc[MEASURE_VCPU], gprs[MEASURE_VCPU][8];
	bool keep_log;
	char *log;
	size_t log_len;
	FILE *logf;
	unsigned int ncmds;
};

/* rmm-v1.0.md s10: bytes mapped by one entry at a level. */
static uint64_t entry_size(int level)
{
	return 1ULL << (12 + 9 * (3 - level));
}

/* Little-endian stores into byte images (the descriptors are LE, s14.3). */
static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void hash(const struct measure *m, const void *data, size_t len, uint8_t out[RIM_SLOT])
{
	unsigned int n = 0;

	memset(out, 0, RIM_SLOT);
	EVP_Digest(data, len, out, &n, m->md, NULL);
}

static void log_cmd(struct measure *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_cmd(struct measure *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->logf)
		return;
	fputs(m->ncmds++ ? ",\n    " : "\n    ", m->logf);
	va_start(ap, fmt);
	vfprintf(m->logf, fmt, ap);
	va_end(ap);
}

/* s14.3: RIM := H(descriptor), the descriptor holding the current RIM. */
static void extend(struct measure *m, uint8_t *desc, unsigned int type)
{
	desc[0] = (uint8_t)type;
	put64(desc + 0x08, DESC_SIZE);
	memcpy(desc + 0x10, m->rim, RIM_SLOT);
	hash(m, desc, DESC_SIZE, m->rim);
}

/* ---- The RMM's stage-2 view (s10, s11.3) ---- */

static bool has_rtt(const struct measure *m, int level, uint64_t base)
{
	for (size_t i = 0; i < m->nrtts; i++)
		if (m->rtts[i].level == level && m->rtts[i].base == base)
			return true;
	return false;
}

/* Level of the deepest RTT covering ipa; lo and hi receive the range it covers. */
static int walk(const struct measure *m, uint64_t ipa, uint64_t *lo, uint64_t *hi)
{
	int level = m->start_level;

	/* Concatenated roots are one table (rim.py's model, s10). */
	*lo = 0;
	*hi = 1ULL << m->rc.ipa_bits;
	while (level < MAX_LEVEL) {
		uint64_t child = ipa & ~(entry_size(level) - 1);

		if (!has_rtt(m, level + 1, child))
			break;
		*lo = child;
		*hi = child + entry_size(level);
		level++;
	}
	return level;
}

static bool is_assigned(const struct measure *m, uint64_t ipa)
{
	for (size_t i = 0; i < m->nassigned; i++)
		if (ipa >= m->assigned[i].gpa && ipa - m->assigned[i].gpa < m->assigned[i].size)
			return true;
	return false;
}

static int add_rtt(struct measure *m, int level, uint64_t ipa, struct vmm_err *err)
{
	uint64_t base = ipa & ~(entry_size(level - 1) - 1);

	if (has_rtt(m, level, base))
		return 0;
	if (m->nrtts == m->caprtts) {
		size_t cap = m->caprtts ? m->caprtts * 2 : 64;
		struct rtt *v = realloc(m->rtts, cap * sizeof(*v));

		if (!v)
			return vmm_errf(err, VMM_EXIT_ERROR, "measure: out of memory");
		m->rtts = v;
		m->caprtts = cap;
	}
	m->rtts[m->nrtts++] = (struct rtt){ .level = level, .base = base };
	log_cmd(m, "{\"cmd\": \"RTT_CREATE\", \"ipa\": \"0x%llx\", \"level\": %d}",
		(unsigned long long)base, level);
	return 0;
}

/* The host's realm_create_rtt_levels(): RTTs from walk level + 1 down to max_level. */
static int create_levels(struct measure *m, uint64_t ipa, int walk_level, int max_level,
			 struct vmm_err *err)
{
	for (int level = walk_level + 1; level <= max_level; level++)
		if (add_rtt(m, level, ipa, err))
			return -1;
	return 0;
}

/*
 * RMI_RTT_INIT_RIPAS(base, top) as the RMM does it (s11.3): returns the
 * end of the last processed entry, or base with *walk_level set when no
 * progress was made (E_RTT). Extends the RIM once per processed entry.
 */
static uint64_t rmm_init_ripas(struct measure *m, uint64_t base, uint64_t top, int *walk_level)
{
	uint64_t lo, hi, size, addr = base;
	int level = walk(m, base, &lo, &hi);

	*walk_level = level;
	size = entry_size(level);
	if (base % size)
		return base;
	while (addr < hi && addr + size <= top) {
		uint8_t desc[DESC_SIZE] = { 0 };

		/* ASSIGNED (level 3) and TABLE entries stop the loop. */
		if (level == MAX_LEVEL ? is_assigned(m, addr) : has_rtt(m, level + 1, addr))
			break;
		/* s14.3 RIPAS descriptor: base at 0x50, top at 0x58. */
		put64(desc + 0x50, addr);
		put64(desc + 0x58, addr + size);
		extend(m, desc, DESC_RIPAS);
		addr += size;
	}
	if (addr > base)
		log_cmd(m,
			"{\"cmd\": \"RTT_INIT_RIPAS\", \"base\": \"0x%llx\", \"top\": \"0x%llx\", "
			"\"top_out\": \"0x%llx\"}",
			(unsigned long long)base, (unsigned long long)top,
			(unsigned long long)addr);
	return addr;
}

/* The host's find_map_level() (H4). */
static int find_map_level(const struct measure *m, uint64_t start, uint64_t end)
{
	int level = MAX_LEVEL;

	while (level > m->start_level + 1) {
		uint64_t size = entry_size(level - 1);

		if (start % size || start + size > end)
			break;
		level--;
	}
	return level;
}

/* H4: the host's INIT_RIPAS loop over one memslot. */
static int host_init_ripas(struct measure *m, uint64_t base, uint64_t end, struct vmm_err *err)
{
	uint64_t ipa = base;

	while (ipa < end) {
		int walk_level, level;
		uint64_t next = rmm_init_ripas(m, ipa, end, &walk_level);

		if (next > ipa) {
			ipa = next;
			continue;
		}
		level = find_map_level(m, ipa, end);
		if (walk_level >= level)
			ipa += VMM_PAGE_SIZE; /* as the host does (v12 workaround): step over an ASSIGNED page */
		else if (create_levels(m, ipa, walk_level, level, err))
			return -1;
	}
	return 0;
}

/* ---- Back-end steps ---- */

static int m_create_vm(void *be, const struct vmm_realm_cfg *rc, struct vmm_err *err)
{
	struct measure *m = be;
	uint8_t params[4096] = { 0 };

	m->rc = *rc;
	m->md = rc->hash_algo == KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA512 ? EVP_sha512() : EVP_sha256();
	m->hlen = (size_t)EVP_MD_get_size(m->md);
	/* H1; s10: start level for s2sz with concatenated roots. */
	m->start_level = 4 - (int)(rc->ipa_bits - 8) / 9;
	if (rc->ipa_bits < 32 || rc->ipa_bits > 48)
		return vmm_errf(err, VMM_EXIT_ERROR, "measure: IPA size %u unsupported",
				rc->ipa_bits);
	m->flags = rc->sve_vq ? RMI_REALM_FLAGS_SVE : 0;
	m->sve_vl = rc->sve_vq ? rc->sve_vq - 1 : 0;
	/* s14.2: RIM := H(params image with only the measured fields). */
	put64(params + 0x000, m->flags);
	put32(params + 0x008, rc->ipa_bits);
	put32(params + 0x010, (uint32_t)m->sve_vl);
	put32(params + 0x018, MEASURE_HOST_NUM_BPS);
	put32(params + 0x020, MEASURE_HOST_NUM_WPS);
	params[0x030] = (uint8_t)rc->hash_algo;
	hash(m, params, sizeof(params), m->rim);
	return 0;
}

static int m_add_ram(void *be, uint64_t gpa, uint64_t size, struct vmm_err *err)
{
	struct measure *m = be;

	(void)err;
	m->ram_base = gpa;
	m->ram_size = size;
	return 0;
}

static void log_data(struct measure *m, uint64_t ipa, uint32_t flags, const uint8_t *page)
{
	static const char hex[] = "0123456789abcdef";

	if (!m->logf)
		return;
	log_cmd(m, "{\"cmd\": \"DATA_CREATE\", \"ipa\": \"0x%llx\", \"flags\": %u, \"content\": \"",
		(unsigned long long)ipa, flags);
	for (size_t i = 0; i < VMM_PAGE_SIZE; i++) {
		fputc(hex[page[i] >> 4], m->logf);
		fputc(hex[page[i] & 15], m->logf);
	}
	fputs("\"}", m->logf);
}

/* H2: DATA_CREATE per granule, RTTs on demand; s14.3 DATA descriptor. */
static int m_populate(void *be, const struct vmm_blob *blob, uint32_t flags, struct vmm_err *err)
{
	struct measure *m = be;

	for (uint64_t off = 0; off < blob->size; off += VMM_PAGE_SIZE) {
		uint8_t desc[DESC_SIZE] = { 0 };
		uint64_t ipa = blob->gpa + off, lo, hi;
		int level = walk(m, ipa, &lo, &hi);

		if (level < MAX_LEVEL && create_levels(m, ipa, level, MAX_LEVEL, err))
			return -1;
		log_data(m, ipa, flags, blob->data + off);
		put64(desc + 0x50, ipa);
		put64(desc + 0x58, flags);
		if (flags & RMI_MEASURE_CONTENT)
			hash(m, blob->data + off, VMM_PAGE_SIZE, desc + 0x60);
		extend(m, desc, DESC_DATA);
	}
	if (m->nassigned == m->capassigned) {
		size_t cap = m->capassigned ? m->capassigned * 2 : 8;
		struct vmm_blob *v = realloc(m->assigned, cap * sizeof(*v));

		if (!v)
			return vmm_errf(err, VMM_EXIT_ERROR, "measure: out of memory");
		m->assigned = v;
		m->capassigned = cap;
	}
	m->assigned[m->nassigned++] =
		(struct vmm_blob){ .name = blob->name, .gpa = blob->gpa, .size = blob->size };
	return 0;
}

static int m_create_vcpu(void *be, unsigned int idx, struct vmm_err *err)
{
	(void)be;
	if (idx >= MEASURE_VCPU)
		return vmm_errf(err, VMM_EXIT_ERROR, "measure: too many vCPUs");
	return 0;
}

static int m_set_reg(void *be, unsigned int idx, uint64_t reg_id, uint64_t val, struct vmm_err *err)
{
	struct measure *m = be;

	if (idx >= MEASURE_VCPU)
		return vmm_errf(err, VMM_EXIT_ERROR, "measure: bad vCPU");
	if (reg_id == KVM_REG_ARM64_PC)
		m->pc[idx] = val;
	else if (reg_id >= KVM_REG_ARM64_X(0) && reg_id <= KVM_REG_ARM64_X(7) && !(reg_id & 1))
		m->gprs[idx][(reg_id - KVM_REG_ARM64_X(0)) / 2] = val;
	return 0;
}

/* H3: RECs (s14.3 REC descriptor for the RUNNABLE one), then INIT_RIPAS. */
static int m_finish(void *be, struct vmm_err *err)
{
	struct measure *m = be;

	for (unsigned int i = 0; i < m->rc.nr_cpus; i++) {
		uint64_t flags = i == 0 ? RMI_REC_PARAMS_FLAG_RUNNABLE : 0;

		log_cmd(m,
			"{\"cmd\": \"REC_CREATE\", \"flags\": %llu, \"pc\": \"0x%llx\", \"gprs\": "
			"[\"0x%llx\", \"0x%llx\", \"0x%llx\", \"0x%llx\", \"0x%llx\", \"0x%llx\", "
			"\"0x%llx\", \"0x%llx\"]}",
			(unsigned long long)flags, (unsigned long long)m->pc[i],
			(unsigned long long)m->gprs[i][0], (unsigned long long)m->gprs[i][1],
			(unsigned long long)m->gprs[i][2], (unsigned long long)m->gprs[i][3],
			(unsigned long long)m->gprs[i][4], (unsigned long long)m->gprs[i][5],
			(unsigned long long)m->gprs[i][6], (unsigned long long)m->gprs[i][7]);
		/* s14.4: only a RUNNABLE REC is measured. */
		if (flags) {
			uint8_t params[4096] = { 0 }, desc[DESC_SIZE] = { 0 };

			put64(params + 0x000, flags);
			put64(params + 0x200, m->pc[i]);
			memcpy(params + 0x300, m->gprs[i], sizeof(m->gprs[i]));
			hash(m, params, sizeof(params), desc + 0x50);
			extend(m, desc, DESC_REC);
		}
	}
	return host_init_ripas(m, m->ram_base, m->ram_base + m->ram_size, err);
}

const struct vmm_backend measure_backend = {
	.name = "measure",
	.create_vm = m_create_vm,
	.add_ram = m_add_ram,
	.populate = m_populate,
	.create_vcpu = m_create_vcpu,
	.set_reg = m_set_reg,
	.finish = m_finish,
};

struct measure *measure_new(bool keep_log)
{
	struct measure *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->keep_log = keep_log;
	if (keep_log && !(m->logf = open_memstream(&m->log, &m->log_len))) {
		free(m);
		return NULL;
	}
	return m;
}

void measure_free(struct measure *m)
{
	if (!m)
		return;
	if (m->logf)
		fclose(m->logf);
	free(m->log);
	free(m->rtts);
	free(m->assigned);
	free(m);
}

const uint8_t *measure_rim(const struct measure *m, size_t *len)
{
	*len = m->hlen;
	return m->rim;
}

static void put_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

void measure_write_json(const struct measure *m, FILE *f)
{
	fputs("{\n  \"rim\": \"", f);
	put_hex(f, m->rim, m->hlen);
	fprintf(f, "\",\n  \"algorithm\": \"%s\",\n  \"rpv\": \"",
		m->rc.hash_algo == KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA512 ? "sha512" : "sha256");
	put_hex(f, m->rc.rpv, sizeof(m->rc.rpv));
	fprintf(f,
		"\",\n  \"realm\": {\"flags\": %llu, \"s2sz\": %u, \"sve_vl\": %llu, "
		"\"num_bps\": %u, \"num_wps\": %u, \"pmu_num_ctrs\": 0, \"algorithm\": %u, "
		"\"rtt_level_start\": %d},\n  \"commands\": [",
		(unsigned long long)m->flags, m->rc.ipa_bits, (unsigned long long)m->sve_vl,
		MEASURE_HOST_NUM_BPS, MEASURE_HOST_NUM_WPS, m->rc.hash_algo, m->start_level);
	if (m->logf) {
		fflush(m->logf);
		fwrite(m->log, 1, m->log_len, f);
	}
	fputs("\n  ]\n}\n", f);
}
