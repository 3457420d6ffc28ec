/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scenario parser, statements (docs/scenarios.md "Statements"): one
 * handler per keyword, RMI calls by spec name, and `expect` checks.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <realmkit/abi/rmi.h>

#include "scenario_priv.h"

static struct sc_stmt *stmt(struct parser *ps, uint32_t i)
{
	return &ps->sc->stmts[i];
}

/* Appends a statement; returns its index or SC_NONE. */
static uint32_t new_stmt(struct parser *ps, enum sc_kind kind, uint32_t off, uint32_t len,
			 uint32_t coff, uint32_t clen)
{
	struct scenario *sc = ps->sc;

	if (!sp_grow(ps, (void **)&sc->stmts, sc->nstmts, &sc->cap_stmts, sizeof(*sc->stmts),
		     SC_MAX_STMTS, "statements"))
		return SC_NONE;
	sc->stmts[sc->nstmts] = (struct sc_stmt){
		.kind = (uint8_t)kind,
		.line = ps->line,
		.sym = SC_NONE,
		.e = { SC_NONE, SC_NONE, SC_NONE },
		.jump = SC_NONE,
		.src_off = off,
		.src_len = len,
		.cite_off = coff,
		.cite_len = clen,
	};
	return sc->nstmts++;
}

static uint32_t text_off(const struct parser *ps, const char *p)
{
	return (uint32_t)(p - ps->sc->text);
}

/* The start of the next token (for item source text). */
static const char *next_start(struct parser *ps)
{
	struct token t;

	return sp_peek(ps, &t) ? t.s : ps->p;
}

static bool at_end(struct parser *ps)
{
	struct token t;

	return sp_peek(ps, &t) && t.type == T_END;
}

/* A name token (consumed). */
static bool take_name(struct parser *ps, struct token *t, const char *what)
{
	if (!sp_peek(ps, t))
		return false;
	if (t->type != T_IDENT)
		return sp_fail(ps, "expected %s", what);
	sp_take(ps, t);
	return true;
}

/* Expression into e[k] of statement si. */
static bool expr_into(struct parser *ps, uint32_t si, unsigned int k)
{
	uint32_t n = sp_expr(ps);

	stmt(ps, si)->e[k] = n;
	return n != SC_NONE;
}

/* alloc NAME [COUNT] [align ALIGN] */
static bool st_alloc(struct parser *ps, uint32_t si)
{
	struct token name, t;
	int sym;

	if (!take_name(ps, &name, "a name after 'alloc'") || !sp_peek(ps, &t))
		return false;
	if (t.type != T_END && !sp_is(&t, "align") && !expr_into(ps, si, 0))
		return false;
	if (sp_accept(ps, "align") && !expr_into(ps, si, 1))
		return false;
	sym = sp_define(ps, &name, SC_SYM_ALLOC);
	stmt(ps, si)->sym = (uint32_t)sym;
	return sym >= 0;
}

/* let NAME = EXPR (the value is evaluated before NAME is (re)defined) */
static bool st_let(struct parser *ps, uint32_t si)
{
	struct token name;
	int sym;

	if (!take_name(ps, &name, "a name after 'let'") || !sp_expect(ps, "=") ||
	    !expr_into(ps, si, 0))
		return false;
	sym = sp_define(ps, &name, SC_SYM_LET);
	stmt(ps, si)->sym = (uint32_t)sym;
	return sym >= 0;
}

/* A list of expressions, commas optional; at least one. */
static bool value_list(struct parser *ps, uint32_t si)
{
	struct sc_item *it;
	const char *s;
	uint32_t n;

	do {
		s = next_start(ps);
		n = sp_expr(ps);
		if (n == SC_NONE || !(it = sp_item(ps, stmt(ps, si))))
			return false;
		it->a = n;
		it->off = text_off(ps, s);
		it->len = (uint32_t)(ps->p - s);
		sp_accept(ps, ",");
	} while (!at_end(ps) && !ps->failed);
	return !ps->failed;
}

/* write64 ADDR = V, V, ...   /   write8 ADDR = B, B, ... */
static bool st_write(struct parser *ps, uint32_t si)
{
	return expr_into(ps, si, 0) && sp_expect(ps, "=") && value_list(ps, si);
}

/* fill ADDR, LEN, BYTE */
static bool st_fill(struct parser *ps, uint32_t si)
{
	return expr_into(ps, si, 0) && sp_expect(ps, ",") && expr_into(ps, si, 1) &&
	       sp_expect(ps, ",") && expr_into(ps, si, 2);
}

/*
 * copy DST, SRC [, LEN]. When both are plain names, DST takes SRC's
 * structure layout (so `copy p2, p` then `set p2.vmid = 2` works).
 */
static bool st_copy(struct parser *ps, uint32_t si)
{
	const struct sc_expr *d, *s;
	struct sc_sym *ds, *ss;

	if (!expr_into(ps, si, 0) || !sp_expect(ps, ",") || !expr_into(ps, si, 1))
		return false;
	if (sp_accept(ps, ",") && !expr_into(ps, si, 2))
		return false;
	d = &ps->sc->nodes[stmt(ps, si)->e[0]];
	s = &ps->sc->nodes[stmt(ps, si)->e[1]];
	if (d->op != SC_SYM || s->op != SC_SYM)
		return true;
	ds = &ps->sc->syms[d->a];
	ss = &ps->sc->syms[s->a];
	if (ds->stype != SC_ST_NONE && ss->stype != SC_ST_NONE && ds->stype != ss->stype)
		return sp_fail(ps, "'%s' holds %s, '%s' holds %s", ds->name,
			       scenario_stype_name(ds->stype), ss->name,
			       scenario_stype_name(ss->stype));
	if (ds->stype == SC_ST_NONE)
		ds->stype = ss->stype;
	return true;
}

/* FIELD[idx] = EXPR within a struct statement of layout stype. */
static bool field_assign(struct parser *ps, uint32_t si, unsigned int stype)
{
	struct sc_item *it;
	struct token t;
	uint32_t idx = SC_NONE, val;
	const char *s = next_start(ps);
	int f;

	if (!take_name(ps, &t, "a field name"))
		return false;
	f = sp_find_field(stype, t.s, t.len);
	if (f < 0)
		return sp_fail(ps, "%s has no field '%.*s'", scenario_stype_name(stype), (int)t.len,
			       t.s);
	if (scenario_field((unsigned int)f)->count > 1) {
		if (!sp_expect(ps, "[") || (idx = sp_expr(ps)) == SC_NONE || !sp_expect(ps, "]"))
			return false;
	}
	if (!sp_expect(ps, "=") || (val = sp_expr(ps)) == SC_NONE)
		return false;
	if (!(it = sp_item(ps, stmt(ps, si))))
		return false;
	it->field = (uint16_t)f;
	it->a = val;
	it->b = idx;
	it->off = text_off(ps, s);
	it->len = (uint32_t)(ps->p - s);
	sp_accept(ps, ",");
	return true;
}

/* realm_params | rec_params | rec_run NAME [FIELD = EXPR ...] */
static bool st_struct(struct parser *ps, uint32_t si, unsigned int stype)
{
	struct token name;
	int sym;

	if (!take_name(ps, &name, "the name of an allocated granule"))
		return false;
	sym = sp_find_sym(ps->sc, name.s, name.len);
	if (sym < 0 || ps->sc->syms[sym].kind == SC_SYM_LOOP)
		return sp_fail(ps, "'%.*s' is not an allocated granule or a let name",
			       (int)name.len, name.s);
	if (ps->sc->syms[sym].stype != SC_ST_NONE && ps->sc->syms[sym].stype != stype)
		return sp_fail(ps, "'%.*s' already holds %s", (int)name.len, name.s,
			       scenario_stype_name(ps->sc->syms[sym].stype));
	ps->sc->syms[sym].stype = (uint8_t)stype;
	stmt(ps, si)->sym = (uint32_t)sym;
	stmt(ps, si)->stype = (uint8_t)stype;
	while (!at_end(ps) && !ps->failed) {
		if (!field_assign(ps, si, stype))
			return false;
	}
	return !ps->failed;
}

/* set NAME.FIELD[idx] = EXPR */
static bool st_set(struct parser *ps, uint32_t si)
{
	struct sc_item *it;
	struct token t;
	uint32_t field, idx, val;
	const char *s = next_start(ps);
	int sym;

	if (!take_name(ps, &t, "NAME.field after 'set'"))
		return false;
	if (!memchr(t.s, '.', t.len))
		return sp_fail(ps, "'set' needs NAME.field");
	if (sp_field_ref(ps, &t, &field, &idx, &sym) == SC_NONE || !sp_expect(ps, "=") ||
	    (val = sp_expr(ps)) == SC_NONE || !(it = sp_item(ps, stmt(ps, si))))
		return false;
	stmt(ps, si)->sym = (uint32_t)sym;
	it->field = (uint16_t)field;
	it->a = val;
	it->b = idx;
	it->off = text_off(ps, s);
	it->len = (uint32_t)(ps->p - s);
	return true;
}

/* ------------------------------------------------------------------------ */
/* expect                                                                   */
/* ------------------------------------------------------------------------ */

static const struct {
	const char *name;
	uint64_t code;
} statuses[] = {
	{ "RMI_SUCCESS", RMI_SUCCESS },		{ "SUCCESS", RMI_SUCCESS },
	{ "RMI_ERROR_INPUT", RMI_ERROR_INPUT }, { "ERROR_INPUT", RMI_ERROR_INPUT },
	{ "RMI_ERROR_REALM", RMI_ERROR_REALM }, { "ERROR_REALM", RMI_ERROR_REALM },
	{ "RMI_ERROR_REC", RMI_ERROR_REC },	{ "ERROR_REC", RMI_ERROR_REC },
	{ "RMI_ERROR_RTT", RMI_ERROR_RTT },	{ "ERROR_RTT", RMI_ERROR_RTT },
	{ "SMC_UNKNOWN", SMC_UNKNOWN },
};

static int status_of(const struct token *t)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		if (t->type == T_IDENT && sp_is(t, statuses[i].name))
			return (int)i;
	}
	return -1;
}

static bool is_cmp(const struct token *t, uint8_t *op)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };

	for (uint8_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (t->type == T_PUNCT && sp_is(t, ops[i])) {
			*op = i;
			return true;
		}
	}
	return false;
}

/* The optional [level|index] N after a status: -1 (LPA2 level) packs as 0xFF. */
static bool status_index(struct parser *ps, uint64_t code, uint64_t *idx)
{
	struct token t;
	bool kw = sp_accept(ps, "level") || sp_accept(ps, "index"), neg;

	*idx = 0;
	neg = sp_accept(ps, "-");
	if (!sp_peek(ps, &t))
		return false;
	if (t.type != T_NUM) {
		if (kw || neg)
			return sp_fail(ps, "expected the index after the status");
		if (code == RMI_ERROR_RTT)
			return sp_fail(ps, "RMI_ERROR_RTT needs its level, e.g. RMI_ERROR_RTT 2");
		return true;
	}
	if (code == SMC_UNKNOWN || code == RMI_SUCCESS)
		return sp_fail(ps, "%s has no index", code ? "SMC_UNKNOWN" : "RMI_SUCCESS");
	if ((neg && t.num != 1) || t.num > 255)
		return sp_fail(ps, "an index is 0..255 (or -1 for an LPA2 level)");
	sp_take(ps, &t);
	*idx = neg ? 0xFF : t.num;
	return true;
}

/* [not|!=] STATUS [level N]   or   EXPR OP EXPR */
static bool check(struct parser *ps, uint32_t si)
{
	struct token t, nx;
	const char *s = next_start(ps), *save;
	bool neg = sp_accept(ps, "not") || sp_accept(ps, "!=");
	struct sc_item it = { .a = SC_NONE, .b = SC_NONE }, *p;
	uint64_t idx;
	int st;

	if (!sp_peek(ps, &t))
		return false;
	st = status_of(&t);
	save = ps->p;
	if (st >= 0) {
		sp_take(ps, &t);
		if (!sp_peek(ps, &nx))
			return false;
		if (is_cmp(&nx, &it.op) && !neg) {
			ps->p = save;
			st = -1;
		}
	}
	if (st >= 0) {
		if (!ps->seen_call)
			return sp_fail(ps, "a status is checked before any call");
		if (!status_index(ps, statuses[st].code, &idx))
			return false;
		it.kind = SC_CHK_STATUS;
		it.op = neg ? SC_NE : SC_EQ;
		it.v = statuses[st].code == SMC_UNKNOWN
			       ? SMC_UNKNOWN
			       : rmi_pack((enum rmi_status)statuses[st].code, (unsigned int)idx);
	} else {
		if (neg)
			return sp_fail(ps, "'not' must be followed by a status");
		it.kind = SC_CHK_CMP;
		if ((it.a = sp_expr(ps)) == SC_NONE || !sp_peek(ps, &nx))
			return false;
		if (!is_cmp(&nx, &it.op))
			return sp_fail(ps, "expected a status or a comparison (== != < <= > >=)");
		sp_take(ps, &nx);
		if ((it.b = sp_expr(ps)) == SC_NONE)
			return false;
	}
	it.off = text_off(ps, s);
	it.len = (uint32_t)(ps->p - s);
	if (!(p = sp_item(ps, stmt(ps, si))))
		return false;
	*p = it;
	sp_accept(ps, ",");
	return true;
}

static bool st_expect(struct parser *ps, uint32_t si)
{
	if (at_end(ps))
		return sp_fail(ps, "'expect' needs a status or a check");
	while (!at_end(ps) && !ps->failed) {
		if (!check(ps, si))
			return false;
	}
	return !ps->failed;
}

/* ------------------------------------------------------------------------ */
/* for / end / echo                                                         */
/* ------------------------------------------------------------------------ */

/* for NAME = FIRST to LAST */
static bool st_for(struct parser *ps, uint32_t si)
{
	struct token name;
	int sym;

	if (ps->nloops >= SC_MAX_LOOP_DEPTH)
		return sp_fail(ps, "loops nested more than %u deep", SC_MAX_LOOP_DEPTH);
	if (!take_name(ps, &name, "a loop variable after 'for'") || !sp_expect(ps, "=") ||
	    !expr_into(ps, si, 0) || !sp_expect(ps, "to") || !expr_into(ps, si, 1))
		return false;
	sym = sp_define(ps, &name, SC_SYM_LOOP);
	if (sym < 0)
		return false;
	stmt(ps, si)->sym = (uint32_t)sym;
	ps->loops[ps->nloops++] = si;
	return true;
}

static bool st_end(struct parser *ps, uint32_t si)
{
	uint32_t f;

	if (!ps->nloops)
		return sp_fail(ps, "'end' without 'for'");
	f = ps->loops[--ps->nloops];
	stmt(ps, f)->jump = si;
	stmt(ps, si)->jump = f;
	return true;
}

static bool st_echo(struct parser *ps, uint32_t si)
{
	const char *s = next_start(ps);

	stmt(ps, si)->src_off = text_off(ps, s);
	stmt(ps, si)->src_len = (uint32_t)(ps->end - s);
	ps->p = ps->end;
	return true;
}

/* ------------------------------------------------------------------------ */
/* Calls                                                                    */
/* ------------------------------------------------------------------------ */

/* RMI_REALM_CREATE, REALM_CREATE, realm_create, ...: index, or -1. */
static int find_command(const struct token *t)
{
	const struct sc_command *c;
	const char *s = t->s;
	uint32_t n = t->len;

	if (n > 4 && !strncasecmp(s, "RMI_", 4))
		s += 4, n -= 4;
	for (unsigned int i = 0; (c = scenario_command(i)); i++) {
		if (strlen(c->name + 4) == n && !strncasecmp(c->name + 4, s, n))
			return (int)i;
	}
	return -1;
}

static bool call_args(struct parser *ps, uint32_t si, unsigned int *n)
{
	struct sc_item *it;
	const char *s;
	uint32_t e;

	*n = 0;
	if (!sp_expect(ps, "("))
		return false;
	if (sp_accept(ps, ")"))
		return true;
	do {
		s = next_start(ps);
		if ((e = sp_expr(ps)) == SC_NONE || !(it = sp_item(ps, stmt(ps, si))))
			return false;
		it->a = e;
		it->off = text_off(ps, s);
		it->len = (uint32_t)(ps->p - s);
		(*n)++;
	} while (sp_accept(ps, ","));
	return sp_expect(ps, ")");
}

/* COMMAND(args) [expect CHECKS] */
static bool st_call(struct parser *ps, uint32_t si, const struct token *name, uint32_t coff,
		    uint32_t clen)
{
	int cmd = sp_is(name, "smc") ? (int)SC_CMD_SMC : find_command(name);
	const struct sc_command *c = scenario_command((unsigned int)cmd);
	unsigned int n;
	uint32_t ei;
	const char *s;

	if (cmd < 0)
		return sp_fail(ps, "unknown command or statement '%.*s'", (int)name->len, name->s);
	stmt(ps, si)->kind = SC_CALL;
	stmt(ps, si)->cmd = (uint16_t)cmd;
	if (!call_args(ps, si, &n))
		return false;
	if (cmd == SC_CMD_SMC && (n < 1 || n > 7))
		return sp_fail(ps, "smc takes a function ID and up to 6 arguments");
	if (c && n != c->n_in)
		return sp_fail(ps, "%s takes %u argument%s, found %u", c->name, c->n_in,
			       c->n_in == 1 ? "" : "s", n);
	ps->seen_call = true;
	s = next_start(ps);
	if (!sp_accept(ps, "expect"))
		return true;
	ei = new_stmt(ps, SC_EXPECT, text_off(ps, s), (uint32_t)(ps->end - s), coff, clen);
	return ei != SC_NONE && st_expect(ps, ei);
}

static bool st_realm_params(struct parser *ps, uint32_t si)
{
	return st_struct(ps, si, SC_ST_REALM_PARAMS);
}

static bool st_rec_params(struct parser *ps, uint32_t si)
{
	return st_struct(ps, si, SC_ST_REC_PARAMS);
}

static bool st_rec_run(struct parser *ps, uint32_t si)
{
	return st_struct(ps, si, SC_ST_REC_RUN);
}

static const struct {
	const char *kw;
	enum sc_kind kind;
	bool (*parse)(struct parser *ps, uint32_t si);
} keywords[] = {
	{ "alloc", SC_ALLOC, st_alloc },
	{ "let", SC_LET, st_let },
	{ "write64", SC_WRITE64, st_write },
	{ "write8", SC_WRITE8, st_write },
	{ "fill", SC_FILL, st_fill },
	{ "copy", SC_COPY, st_copy },
	{ "realm_params", SC_STRUCT, st_realm_params },
	{ "rec_params", SC_STRUCT, st_rec_params },
	{ "rec_run", SC_STRUCT, st_rec_run },
	{ "set", SC_SET, st_set },
	{ "expect", SC_EXPECT, st_expect },
	{ "for", SC_FOR, st_for },
	{ "end", SC_END, st_end },
	{ "echo", SC_ECHO, st_echo },
};

bool sp_statement(struct parser *ps, uint32_t off, uint32_t len, uint32_t coff, uint32_t clen)
{
	const size_t nkw = sizeof(keywords) / sizeof(keywords[0]);
	struct token t;
	uint32_t si;
	bool ok;
	size_t k;

	if (!sp_peek(ps, &t))
		return false;
	if (t.type != T_IDENT)
		return sp_fail(ps, "a statement starts with a keyword or a command name");
	sp_take(ps, &t);
	for (k = 0; k < nkw && !sp_is(&t, keywords[k].kw); k++)
		;
	si = new_stmt(ps, k < nkw ? keywords[k].kind : SC_CALL, off, len, coff, clen);
	if (si == SC_NONE)
		return false;
	ok = k < nkw ? keywords[k].parse(ps, si) : st_call(ps, si, &t, coff, clen);
	if (ok && !at_end(ps) && !ps->failed) {
		sp_peek(ps, &t);
		return sp_fail(ps, "unexpected '%.*s'", (int)t.len, t.s);
	}
	return ok && !ps->failed;
}
