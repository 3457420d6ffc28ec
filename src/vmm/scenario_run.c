/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scenario runner: executes a parsed script as a minimal host. NS
 * granules come from the host page allocator, structures are written into
 * them through the NS view (only while their PAS is NS, so a script can
 * never take a granule protection fault), and every RMI command goes
 * through smc_call(), exactly as the host's own wrappers do.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "board.h"
#include "host_rmi.h"
#include "scenario.h"

#define SC_MAX_ALLOC	  65536u      /* granules in one alloc */
#define SC_MAX_ITERATIONS (1u << 20)  /* iterations of one loop */
#define SC_MAX_STEPS	  (1u << 26)  /* statements executed by one run */
#define SC_MAX_MEM_SPAN	  (16u << 20) /* bytes touched by one fill/copy */

enum {
	R_OK,
	R_FAILED,
	R_RUNTIME
};

struct loop_ctx {
	uint32_t stmt;
	uint64_t value;
};

struct rt {
	const struct scenario *sc;
	const struct scenario_opts *o;
	struct scenario_stats *st;
	FILE *out;
	uint64_t *vals; /* per symbol */
	uint64_t x[5];	/* X0..X4 of the last call */
	uint64_t steps;
	struct loop_ctx loops[SC_MAX_LOOP_DEPTH];
	unsigned int nloops;
	char err[256];
	uint32_t err_line; /* line of the statement that hit err */
};

static int rt_error(struct rt *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int rt_error(struct rt *rt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rt->err, sizeof(rt->err), fmt, ap);
	va_end(ap);
	return R_RUNTIME;
}

/* Calls and expectations inside loops are shown only at verbosity 2. */
static bool show(const struct rt *rt)
{
	return rt->o->verbosity >= 2 || (rt->o->verbosity == 1 && rt->nloops == 0);
}

/* ------------------------------------------------------------------------ */
/* NS memory                                                                */
/* ------------------------------------------------------------------------ */

/* A host pointer to [pa, pa + len) if all of it is NS DRAM whose PAS is NS. */
static unsigned char *ns_span(struct rt *rt, uint64_t pa, uint64_t len)
{
	unsigned char *p;

	if (!len || len > SC_MAX_MEM_SPAN || pa + len < pa) {
		rt_error(rt, "bad memory range 0x%" PRIx64 " + 0x%" PRIx64, pa, len);
		return NULL;
	}
	p = platform_ns_ptr(pa_of(pa));
	if (!p || !platform_ns_ptr(pa_of(pa + len - 1))) {
		rt_error(rt, "PA 0x%" PRIx64 "..0x%" PRIx64 " is not DRAM", pa, pa + len - 1);
		return NULL;
	}
	for (uint64_t g = pa & ~GRANULE_MASK; g < pa + len; g += GRANULE_SIZE) {
		enum rk_pas pas = platform_pas(pa_of(g));

		if (pas != RK_PAS_NS) {
			rt_error(rt, "the host cannot access PA 0x%" PRIx64 ": its PAS is %s", g,
				 platform_pas_name(pas));
			return NULL;
		}
	}
	return p;
}

static bool ns_read(struct rt *rt, uint64_t pa, unsigned int size, uint64_t *v)
{
	const unsigned char *p = ns_span(rt, pa, size);

	if (!p)
		return false;
	*v = 0;
	for (unsigned int i = 0; i < size; i++)
		*v |= (uint64_t)p[i] << (8 * i);
	return true;
}

static bool ns_write(struct rt *rt, uint64_t pa, unsigned int size, uint64_t v)
{
	unsigned char *p = ns_span(rt, pa, size);

	if (!p)
		return false;
	if (size < 8 && v >> (8 * size)) {
		rt_error(rt, "value 0x%" PRIx64 " does not fit in %u byte%s", v, size,
			 size == 1 ? "" : "s");
		return false;
	}
	for (unsigned int i = 0; i < size; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return true;
}

/* ------------------------------------------------------------------------ */
/* Expressions                                                              */
/* ------------------------------------------------------------------------ */

static bool const_value(struct rt *rt, uint32_t idx, uint64_t *v)
{
	const struct sc_const *c = scenario_const(idx);
	pa_t base;
	uint64_t size;

	switch (c->src) {
	case SC_CS_FIXED:
		*v = c->value;
		return true;
	case SC_CS_PA_SECURE:
		/* platform.h: the last RK_SECURE_CARVEOUT_SIZE of DRAM is PAS Secure. */
		*v = RK_DRAM_BASE + platform_dram_size() - RK_SECURE_CARVEOUT_SIZE;
		return true;
	case SC_CS_DRAM_SIZE:
		*v = platform_dram_size();
		return true;
	case SC_CS_NS_BASE:
		platform_ns_dram_range(&base, &size);
		*v = base.v;
		return true;
	default:
		rt_error(rt, "constant %s has no value", c->name);
		return false;
	}
}

static bool eval(struct rt *rt, uint32_t n, uint64_t *v);

/* The address of NAME.field[index]. */
static bool field_addr(struct rt *rt, uint32_t sym, const struct sc_field *f, uint32_t idx_node,
		       uint64_t *pa)
{
	uint64_t idx = 0;

	if (idx_node != SC_NONE && !eval(rt, idx_node, &idx))
		return false;
	if (idx >= f->count) {
		rt_error(rt, "%s[%" PRIu64 "] is out of range (0..%u)", f->name, idx,
			 f->count - 1u);
		return false;
	}
	*pa = rt->vals[sym] + f->off + idx * f->size;
	return true;
}

static bool eval_func(struct rt *rt, const struct sc_expr *e, uint64_t a, uint64_t *v)
{
	const unsigned char *p;

	switch (e->aux) {
	case SC_FN_MEM64:
		return ns_read(rt, a, 8, v);
	case SC_FN_MEM8:
		return ns_read(rt, a, 1, v);
	case SC_FN_ZEROED:
		p = ns_span(rt, a & ~GRANULE_MASK, GRANULE_SIZE);
		if (!p)
			return false;
		*v = 1;
		for (unsigned int i = 0; i < GRANULE_SIZE && *v; i++)
			*v = p[i] == 0;
		return true;
	case SC_FN_PAS:
		*v = platform_pas(pa_of(a));
		return true;
	case SC_FN_UNPROTECTED:
		if (a < 1 || a > 64)
			return rt_error(rt, "unprotected(%" PRIu64 "): the width is 1..64", a),
			       false;
		*v = UINT64_C(1) << (a - 1);
		return true;
	default:
		return rt_error(rt, "unknown function"), false;
	}
}

static bool eval_pow(struct rt *rt, uint64_t a, uint64_t b, uint64_t *v)
{
	*v = 1;
	if (a <= 1) {
		*v = b ? a : 1;
		return true;
	}
	for (uint64_t i = 0; i < b; i++) {
		if (*v > UINT64_MAX / a)
			return rt_error(rt, "%" PRIu64 "^%" PRIu64 " does not fit in 64 bits", a,
					b),
			       false;
		*v *= a;
	}
	return true;
}

static bool eval_binary(struct rt *rt, uint8_t op, uint64_t a, uint64_t b, uint64_t *v)
{
	switch (op) {
	case SC_ADD:
		*v = a + b;
		return true;
	case SC_SUB:
		*v = a - b;
		return true;
	case SC_MUL:
		*v = a * b;
		return true;
	case SC_AND:
		*v = a & b;
		return true;
	case SC_OR:
		*v = a | b;
		return true;
	case SC_SHL:
	case SC_SHR:
		if (b > 63)
			return rt_error(rt, "shift by %" PRIu64 " (at most 63)", b), false;
		*v = op == SC_SHL ? a << b : a >> b;
		return true;
	case SC_POW:
		return eval_pow(rt, a, b, v);
	default:
		return rt_error(rt, "bad operator %u", op), false;
	}
}

static bool eval(struct rt *rt, uint32_t n, uint64_t *v)
{
	const struct sc_expr *e;
	const struct sc_field *f;
	uint64_t a, b, pa;

	if (n >= rt->sc->nnodes)
		return rt_error(rt, "bad expression"), false;
	e = &rt->sc->nodes[n];
	switch (e->op) {
	case SC_NUM:
		*v = e->v;
		return true;
	case SC_SYM:
		*v = rt->vals[e->a];
		return true;
	case SC_CONST:
		return const_value(rt, e->a, v);
	case SC_REG:
		*v = rt->x[e->a];
		return true;
	case SC_FIELD:
		f = scenario_field(e->b);
		return field_addr(rt, e->a, f, e->c, &pa) && ns_read(rt, pa, f->size, v);
	case SC_FUNC:
		return eval(rt, e->a, &a) && eval_func(rt, e, a, v);
	case SC_NEG:
	case SC_INV:
		if (!eval(rt, e->a, &a))
			return false;
		*v = e->op == SC_NEG ? 0 - a : ~a;
		return true;
	case SC_BITS:
		if (!eval(rt, e->a, &a))
			return false;
		*v = rmi_field_get(a, (unsigned int)e->v, (unsigned int)(e->aux - e->v + 1));
		return true;
	default:
		return eval(rt, e->a, &a) && eval(rt, e->b, &b) && eval_binary(rt, e->op, a, b, v);
	}
}

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

struct sbuf {
	char s[4096];
	size_t n;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (b->n >= sizeof(b->s) - 1)
		return;
	va_start(ap, fmt);
	k = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		b->n = b->n + (size_t)k < sizeof(b->s) ? b->n + (size_t)k : sizeof(b->s) - 1;
}

static void sb_num(struct sbuf *b, uint64_t v)
{
	if (v < 10)
		sb_add(b, "%" PRIu64, v);
	else
		sb_add(b, "0x%" PRIx64, v);
}

/* "RMI_ERROR_RTT level 2", "RMI_SUCCESS", "SMC_UNKNOWN", or the raw value. */
static void sb_status(struct sbuf *b, uint64_t x0)
{
	unsigned int st = rmi_status_of(x0);

	if (x0 == SMC_UNKNOWN)
		sb_add(b, "SMC_UNKNOWN");
	else if ((x0 >> 16) || st > RMI_ERROR_RTT)
		sb_add(b, "0x%" PRIx64, x0);
	else if (st == RMI_ERROR_RTT)
		sb_add(b, "%s level %d", rmi_status_name(st), rmi_rtt_level_of(x0));
	else if (rmi_index_of(x0))
		sb_add(b, "%s index %u", rmi_status_name(st), rmi_index_of(x0));
	else
		sb_add(b, "%s", rmi_status_name(st));
}

static void sb_text(struct sbuf *b, const struct rt *rt, uint32_t off, uint32_t len)
{
	sb_add(b, "%.*s", (int)len, rt->sc->text + off);
}

/* The loop iteration a failure happened in. */
static void print_loop_ctx(const struct rt *rt)
{
	for (unsigned int i = 0; i < rt->nloops; i++) {
		const struct sc_stmt *s = &rt->sc->stmts[rt->loops[i].stmt];

		fprintf(rt->out, "        in line %u: %s = %" PRIu64 "\n", s->line,
			rt->sc->syms[s->sym].name, rt->loops[i].value);
	}
}

/* ------------------------------------------------------------------------ */
/* Statements                                                               */
/* ------------------------------------------------------------------------ */

static const struct sc_item *item(const struct rt *rt, const struct sc_stmt *s, uint32_t k)
{
	return &rt->sc->items[s->item + k];
}

static int do_alloc(struct rt *rt, const struct sc_stmt *s)
{
	uint64_t n = 1, align = GRANULE_SIZE;
	pa_t pa;

	if ((s->e[0] != SC_NONE && !eval(rt, s->e[0], &n)) ||
	    (s->e[1] != SC_NONE && !eval(rt, s->e[1], &align)))
		return R_RUNTIME;
	if (!n || n > SC_MAX_ALLOC)
		return rt_error(rt, "alloc of %" PRIu64 " granules (1..%u)", n, SC_MAX_ALLOC);
	if (align < GRANULE_SIZE || (align & (align - 1)) || align > (UINT64_C(1) << 30))
		return rt_error(rt, "alignment 0x%" PRIx64 " is not a power of two in 4K..1G",
				align);
	pa = host_pages_alloc_contig(n, align);
	if (!pa.v)
		return rt_error(rt, "out of NS memory for %" PRIu64 " granules", n);
	rt->vals[s->sym] = pa.v;
	if (show(rt))
		fprintf(rt->out, "%4u  alloc %s: PA 0x%" PRIx64 "%s\n", s->line,
			rt->sc->syms[s->sym].name, pa.v, n > 1 ? " (contiguous)" : "");
	return R_OK;
}

static int do_write(struct rt *rt, const struct sc_stmt *s)
{
	unsigned int size = s->kind == SC_WRITE64 ? 8 : 1;
	uint64_t addr, v;

	if (!eval(rt, s->e[0], &addr))
		return R_RUNTIME;
	for (uint32_t k = 0; k < s->nitems; k++) {
		if (!eval(rt, item(rt, s, k)->a, &v) || !ns_write(rt, addr + k * size, size, v))
			return R_RUNTIME;
	}
	return R_OK;
}

static int do_fill_copy(struct rt *rt, const struct sc_stmt *s)
{
	uint64_t a, b, len = GRANULE_SIZE;
	unsigned char *dst;
	const unsigned char *src;

	if (!eval(rt, s->e[0], &a) || !eval(rt, s->e[1], &b) ||
	    (s->e[2] != SC_NONE && !eval(rt, s->e[2], &len)))
		return R_RUNTIME;
	if (s->kind == SC_FILL) {
		/* fill ADDR, LEN, BYTE: b is the length, len the byte. */
		if (len > 0xFF)
			return rt_error(rt, "fill byte 0x%" PRIx64 " is not a byte", len);
		if (!(dst = ns_span(rt, a, b)))
			return R_RUNTIME;
		memset(dst, (int)len, b);
		return R_OK;
	}
	if (!(dst = ns_span(rt, a, len)) || !(src = ns_span(rt, b, len)))
		return R_RUNTIME;
	memmove(dst, src, len);
	return R_OK;
}

static bool assign(struct rt *rt, uint32_t sym, const struct sc_item *it)
{
	const struct sc_field *f = scenario_field(it->field);
	uint64_t pa, v;

	return field_addr(rt, sym, f, it->b, &pa) && eval(rt, it->a, &v) &&
	       ns_write(rt, pa, f->size, v);
}

static_assert(sizeof(struct rmi_realm_params) == GRANULE_SIZE &&
		      sizeof(struct rmi_rec_params) == GRANULE_SIZE &&
		      sizeof(struct rmi_rec_run) == GRANULE_SIZE,
	      "rmm-v1.0.md s8: each structure fills one granule");

static int do_struct(struct rt *rt, const struct sc_stmt *s)
{
	unsigned char *p;

	if (s->kind == SC_STRUCT) {
		if (!(p = ns_span(rt, rt->vals[s->sym], GRANULE_SIZE)))
			return R_RUNTIME;
		memset(p, 0, GRANULE_SIZE);
	}
	for (uint32_t k = 0; k < s->nitems; k++) {
		if (!assign(rt, s->sym, item(rt, s, k)))
			return R_RUNTIME;
	}
	return R_OK;
}

/* Evaluates one check; on failure describes it in why. */
static int run_check(struct rt *rt, const struct sc_item *it, struct sbuf *why)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
	uint64_t a, b;
	bool pass;

	rt->st->checks++;
	if (it->kind == SC_CHK_STATUS) {
		pass = it->op == SC_EQ ? rt->x[0] == it->v : rt->x[0] != it->v;
		if (pass)
			return R_OK;
		sb_add(why, "expected %s", it->op == SC_EQ ? "" : "anything but ");
		sb_status(why, it->v);
		sb_add(why, ", got ");
		sb_status(why, rt->x[0]);
		return R_FAILED;
	}
	if (!eval(rt, it->a, &a) || !eval(rt, it->b, &b))
		return R_RUNTIME;
	switch (it->op) {
	case SC_EQ:
		pass = a == b;
		break;
	case SC_NE:
		pass = a != b;
		break;
	case SC_LT:
		pass = a < b;
		break;
	case SC_LE:
		pass = a <= b;
		break;
	case SC_GT:
		pass = a > b;
		break;
	default:
		pass = a >= b;
		break;
	}
	if (pass)
		return R_OK;
	sb_add(why, "'");
	sb_text(why, rt, it->off, it->len);
	sb_add(why, "' does not hold: 0x%" PRIx64 " %s 0x%" PRIx64 " is false", a, ops[it->op], b);
	return R_FAILED;
}

/*
 * Runs the checks of the expect statements [first, last) (all about the last
 * call), appending the details of each failure to log; *failed counts them.
 */
static int run_expects(struct rt *rt, uint32_t first, uint32_t last, struct sbuf *log,
		       unsigned int *failed)
{
	for (uint32_t i = first; i < last; i++) {
		const struct sc_stmt *s = &rt->sc->stmts[i];

		for (uint32_t k = 0; k < s->nitems; k++) {
			struct sbuf why = { .n = 0 };
			int r = run_check(rt, item(rt, s, k), &why);

			if (r == R_RUNTIME)
				return r;
			if (r == R_OK)
				continue;
			(*failed)++;
			sb_add(log, "        %s:%u: %s\n", rt->o->path, s->line, why.s);
			if (s->cite_len)
				sb_add(log, "        rule: %.*s\n", (int)s->cite_len,
				       rt->sc->text + s->cite_off);
		}
	}
	return R_OK;
}

/* Prints a verdict line and the failure details; counts the failures. */
static int report(struct rt *rt, const struct sbuf *line, bool checked, unsigned int failed,
		  const struct sbuf *log)
{
	if (failed || show(rt))
		fprintf(rt->out, "%-*s  %s\n", 72, line->s, failed ? "FAIL" : checked ? "ok" : "");
	if (!failed)
		return R_OK;
	fputs(log->s, rt->out);
	print_loop_ctx(rt);
	rt->st->failed += failed;
	return R_FAILED;
}

static void sb_call(struct sbuf *b, const struct rt *rt, const struct sc_stmt *s,
		    unsigned int n_out)
{
	const struct sc_command *c = scenario_command(s->cmd);

	sb_add(b, "%4u  %s(", s->line, c ? c->name : "smc");
	for (uint32_t k = 0; k < s->nitems; k++) {
		const struct sc_item *it = item(rt, s, k);

		sb_add(b, "%s", k ? ", " : "");
		sb_text(b, rt, it->off, it->len);
	}
	sb_add(b, ") -> ");
	sb_status(b, rt->x[0]);
	for (unsigned int k = 1; k <= n_out; k++) {
		sb_add(b, " x%u=", k);
		sb_num(b, rt->x[k]);
	}
}

static int do_call(struct rt *rt, uint32_t i, uint32_t *next)
{
	const struct sc_stmt *s = &rt->sc->stmts[i];
	const struct sc_command *c = scenario_command(s->cmd);
	struct sbuf line = { .n = 0 }, log = { .n = 0 };
	uint64_t a[7] = { 0 }, fid;
	unsigned int failed = 0;
	struct smc_result res;
	const uint64_t *x;
	uint32_t j;

	for (uint32_t k = 0; k < s->nitems && k < 7; k++) {
		if (!eval(rt, item(rt, s, k)->a, &a[k]))
			return R_RUNTIME;
	}
	fid = c ? c->fid : a[0];
	x = c ? a : a + 1;
	res = smc_call(fid, x[0], x[1], x[2], x[3], x[4], x[5]);
	memcpy(rt->x, res.x, sizeof(rt->x));
	rt->st->calls++;
	for (j = i + 1; j < rt->sc->nstmts && rt->sc->stmts[j].kind == SC_EXPECT; j++)
		;
	*next = j;
	if (run_expects(rt, i + 1, j, &log, &failed) == R_RUNTIME)
		return R_RUNTIME;
	if (failed && c && rt->x[0] == SMC_UNKNOWN)
		sb_add(&log, "        note: SMC_UNKNOWN: this RMM does not implement %s\n",
		       c->name);
	sb_call(&line, rt, s, c ? c->n_out : 4);
	return report(rt, &line, j > i + 1, failed, &log);
}

static int do_expect(struct rt *rt, uint32_t i)
{
	const struct sc_stmt *s = &rt->sc->stmts[i];
	struct sbuf line = { .n = 0 }, log = { .n = 0 };
	unsigned int failed = 0;

	if (run_expects(rt, i, i + 1, &log, &failed) == R_RUNTIME)
		return R_RUNTIME;
	sb_add(&line, "%4u  ", s->line);
	sb_text(&line, rt, s->src_off, s->src_len);
	return report(rt, &line, true, failed, &log);
}

static int exec_range(struct rt *rt, uint32_t first, uint32_t last);

static int do_for(struct rt *rt, uint32_t i)
{
	const struct sc_stmt *s = &rt->sc->stmts[i];
	unsigned long calls = rt->st->calls, checks = rt->st->checks, failed = rt->st->failed;
	uint64_t first, last;
	int r = R_OK, worst = R_OK;

	if (!eval(rt, s->e[0], &first) || !eval(rt, s->e[1], &last))
		return R_RUNTIME;
	if (last >= first && last - first >= SC_MAX_ITERATIONS)
		return rt_error(rt, "a loop of more than %u iterations", SC_MAX_ITERATIONS);
	rt->loops[rt->nloops].stmt = i;
	rt->nloops++;
	for (uint64_t v = first; v <= last && last >= first; v++) {
		rt->vals[s->sym] = v;
		rt->loops[rt->nloops - 1].value = v;
		r = exec_range(rt, i + 1, s->jump);
		if (r == R_RUNTIME || (r == R_FAILED && !rt->o->keep_going))
			break;
		if (r == R_FAILED)
			worst = R_FAILED;
		if (v == last)
			break;
	}
	if (r == R_RUNTIME)
		return r; /* keeps the loop context for the error message */
	rt->nloops--;
	if (r == R_OK && show(rt))
		fprintf(rt->out,
			"%4u  for %s = %" PRIu64 " to %" PRIu64 ": %lu calls, %lu checks, %s\n",
			s->line, rt->sc->syms[s->sym].name, first, last, rt->st->calls - calls,
			rt->st->checks - checks, rt->st->failed == failed ? "ok" : "FAILED");
	return r == R_OK ? worst : r;
}

static int do_let(struct rt *rt, const struct sc_stmt *s)
{
	uint64_t v;

	if (!eval(rt, s->e[0], &v))
		return R_RUNTIME;
	rt->vals[s->sym] = v;
	if (rt->o->verbosity >= 2)
		fprintf(rt->out, "%4u  let %s = 0x%" PRIx64 "\n", s->line,
			rt->sc->syms[s->sym].name, v);
	return R_OK;
}

/* Executes statement i; *next is the statement to run after it. */
static int exec_one(struct rt *rt, uint32_t i, uint32_t *next)
{
	const struct sc_stmt *s = &rt->sc->stmts[i];

	*next = i + 1;
	switch (s->kind) {
	case SC_ALLOC:
		return do_alloc(rt, s);
	case SC_LET:
		return do_let(rt, s);
	case SC_WRITE64:
	case SC_WRITE8:
		return do_write(rt, s);
	case SC_FILL:
	case SC_COPY:
		return do_fill_copy(rt, s);
	case SC_STRUCT:
	case SC_SET:
		return do_struct(rt, s);
	case SC_CALL:
		return do_call(rt, i, next);
	case SC_EXPECT:
		return do_expect(rt, i);
	case SC_FOR:
		*next = s->jump + 1;
		return do_for(rt, i);
	case SC_ECHO:
		if (show(rt))
			fprintf(rt->out, "%4u  -- %.*s\n", s->line, (int)s->src_len,
				rt->sc->text + s->src_off);
		return R_OK;
	default: /* SC_END: the loop body ends here */
		return R_OK;
	}
}

/* Executes statements [first, last). */
static int exec_range(struct rt *rt, uint32_t first, uint32_t last)
{
	int r, worst = R_OK;
	uint32_t i = first, next;

	while (i < last) {
		if (++rt->steps > SC_MAX_STEPS)
			return rt_error(rt, "more than %u statements executed", SC_MAX_STEPS);
		r = exec_one(rt, i, &next);
		if (r == R_RUNTIME && !rt->err_line)
			rt->err_line = rt->sc->stmts[i].line;
		if (r == R_RUNTIME || (r == R_FAILED && !rt->o->keep_going))
			return r;
		if (r == R_FAILED)
			worst = R_FAILED;
		i = next;
	}
	return worst;
}

int scenario_run(const struct scenario *sc, const struct scenario_opts *opts,
		 struct scenario_stats *stats)
{
	struct rk_platform_config cfg = { .dram_size = opts->dram_size };
	struct rt rt = { .sc = sc, .o = opts, .st = stats, .out = opts->out };
	int err, r;

	*stats = (struct scenario_stats){ 0 };
	rt.vals = calloc(sc->nsyms ? sc->nsyms : 1, sizeof(*rt.vals));
	if (!rt.vals) {
		fprintf(rt.out, "%s: out of memory\n", opts->path);
		return SC_EXIT_RUNTIME;
	}
	err = board_power_on(&cfg, true);
	if (err) {
		fprintf(rt.out, "%s: power-on failed: %s\n", opts->path, strerror(-err));
		free(rt.vals);
		return SC_EXIT_RUNTIME;
	}
	if (host_pages_init()) {
		board_power_off();
		free(rt.vals);
		fprintf(rt.out, "%s: out of memory\n", opts->path);
		return SC_EXIT_RUNTIME;
	}
	r = exec_range(&rt, 0, sc->nstmts);
	host_pages_fini();
	board_power_off();
	free(rt.vals);
	if (r == R_RUNTIME) {
		fprintf(rt.out, "%s:%u: error: %s\n", opts->path, rt.err_line, rt.err);
		print_loop_ctx(&rt);
		return SC_EXIT_RUNTIME;
	}
	return r == R_OK ? SC_EXIT_OK : SC_EXIT_FAILED;
}
