/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scenario parser (docs/scenarios.md): text -> program. Pure and
 * bounded: it allocates only through its growth helpers (each capped by an
 * SC_MAX_* limit), reads only the `len` bytes it is given, and turns every
 * malformed input into "line N: message".
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario_priv.h"

bool sp_fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->failed)
		return false;
	ps->failed = true;
	if (!ps->errlen)
		return false;
	n = snprintf(ps->err, ps->errlen, "line %u: ", ps->line);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Grows *arr (element size sz) to hold one more element, up to max. */
bool sp_grow(struct parser *ps, void **arr, uint32_t n, uint32_t *cap, size_t sz, uint32_t max,
	     const char *what)
{
	uint32_t ncap;
	void *p;

	if (n < *cap)
		return true;
	if (n >= max)
		return sp_fail(ps, "script too large: more than %u %s", max, what);
	ncap = *cap ? *cap * 2 : 64;
	if (ncap > max)
		ncap = max;
	p = realloc(*arr, ncap * sz);
	if (!p)
		return sp_fail(ps, "out of memory");
	*arr = p;
	*cap = ncap;
	return true;
}

uint32_t sp_node(struct parser *ps, uint8_t op, uint32_t a, uint32_t b, uint64_t v)
{
	struct scenario *sc = ps->sc;

	if (!sp_grow(ps, (void **)&sc->nodes, sc->nnodes, &sc->cap_nodes, sizeof(*sc->nodes),
		     SC_MAX_NODES, "expression nodes"))
		return SC_NONE;
	sc->nodes[sc->nnodes] = (struct sc_expr){ .op = op, .a = a, .b = b, .c = SC_NONE, .v = v };
	return sc->nnodes++;
}

struct sc_item *sp_item(struct parser *ps, struct sc_stmt *st)
{
	struct scenario *sc = ps->sc;

	if (st->nitems >= SC_MAX_PER_LINE) {
		sp_fail(ps, "more than %u items on one line", SC_MAX_PER_LINE);
		return NULL;
	}
	if (!sp_grow(ps, (void **)&sc->items, sc->nitems, &sc->cap_items, sizeof(*sc->items),
		     SC_MAX_ITEMS, "items"))
		return NULL;
	if (!st->nitems)
		st->item = sc->nitems;
	st->nitems++;
	sc->items[sc->nitems] = (struct sc_item){ .a = SC_NONE, .b = SC_NONE };
	return &sc->items[sc->nitems++];
}

/* ------------------------------------------------------------------------ */
/* Tokens                                                                   */
/* ------------------------------------------------------------------------ */

static bool is_ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r'))
		ps->p++;
}

/* Parses a number literal [s, s + n): 0x.., 0b.., decimal, '_' separators, K/M/G/T suffix. */
static bool parse_number(struct parser *ps, const char *s, uint32_t n, uint64_t *out)
{
	unsigned int base = 10, shift = 0, digits = 0;
	uint64_t v = 0;
	uint32_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, i = 2;
	else if (n > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, i = 2;
	switch (s[n - 1]) {
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	case 'T':
	case 't':
		shift = 40;
		break;
	}
	if (shift)
		n--;
	for (; i < n; i++) {
		unsigned int d;
		char c = s[i];

		if (c == '_')
			continue;
		if (isdigit((unsigned char)c))
			d = (unsigned int)(c - '0');
		else if (isxdigit((unsigned char)c))
			d = (unsigned int)(tolower((unsigned char)c) - 'a' + 10);
		else
			d = 99;
		if (d >= base)
			return sp_fail(ps, "malformed number '%.*s'", (int)(n + (shift != 0)), s);
		if (v > (UINT64_MAX - d) / base)
			return sp_fail(ps, "number '%.*s' does not fit in 64 bits",
				       (int)(n + (shift != 0)), s);
		v = v * base + d;
		digits++;
	}
	if (!digits)
		return sp_fail(ps, "malformed number '%.*s'", (int)(n + (shift != 0)), s);
	if (shift && v > (UINT64_MAX >> shift))
		return sp_fail(ps, "number '%.*s' does not fit in 64 bits", (int)(n + 1), s);
	*out = v << shift;
	return true;
}

/* The token at the cursor, without consuming it. */
bool sp_peek(struct parser *ps, struct token *t)
{
	static const char *const two[] = { "<<", ">>", "==", "!=", "<=", ">=" };
	const char *s;

	skip_space(ps);
	s = ps->p;
	*t = (struct token){ .type = T_END, .s = s, .len = 0 };
	if (s >= ps->end)
		return true;
	if (is_ident_start(*s)) {
		while (s < ps->end && is_ident_char(*s))
			s++;
		t->type = T_IDENT;
		t->len = (uint32_t)(s - ps->p);
		if (t->len > 2 * SC_MAX_NAME)
			return sp_fail(ps, "name too long: '%.*s...'", (int)SC_MAX_NAME, ps->p);
		return true;
	}
	if (isdigit((unsigned char)*s)) {
		while (s < ps->end && (isalnum((unsigned char)*s) || *s == '_'))
			s++;
		t->type = T_NUM;
		t->len = (uint32_t)(s - ps->p);
		return parse_number(ps, ps->p, t->len, &t->num);
	}
	t->type = T_PUNCT;
	for (size_t i = 0; i < sizeof(two) / sizeof(two[0]); i++) {
		if (ps->end - s >= 2 && s[0] == two[i][0] && s[1] == two[i][1]) {
			t->len = 2;
			return true;
		}
	}
	if (strchr("(),[]:+-*&|~^=<>", *s) && *s) {
		t->len = 1;
		return true;
	}
	if (isprint((unsigned char)*s))
		return sp_fail(ps, "unexpected character '%c'", *s);
	return sp_fail(ps, "unexpected byte 0x%02x", (unsigned char)*s);
}

void sp_take(struct parser *ps, const struct token *t)
{
	ps->p = t->s + t->len;
}

bool sp_is(const struct token *t, const char *s)
{
	return t->type != T_END && strlen(s) == t->len && !memcmp(t->s, s, t->len);
}

/* Consumes the punctuation or keyword s, or fails naming what was found. */
bool sp_expect(struct parser *ps, const char *s)
{
	struct token t;

	if (!sp_peek(ps, &t))
		return false;
	if (!sp_is(&t, s)) {
		if (t.type == T_END)
			return sp_fail(ps, "expected '%s' at the end of the line", s);
		return sp_fail(ps, "expected '%s', found '%.*s'", s, (int)t.len, t.s);
	}
	sp_take(ps, &t);
	return true;
}

/* Consumes s if it is the next token. */
bool sp_accept(struct parser *ps, const char *s)
{
	struct token t;

	if (!sp_peek(ps, &t) || !sp_is(&t, s))
		return false;
	sp_take(ps, &t);
	return true;
}

/* ------------------------------------------------------------------------ */
/* Names                                                                    */
/* ------------------------------------------------------------------------ */

int sp_find_sym(const struct scenario *sc, const char *s, uint32_t len)
{
	for (uint32_t i = 0; i < sc->nsyms; i++) {
		if (strlen(sc->syms[i].name) == len && !memcmp(sc->syms[i].name, s, len))
			return (int)i;
	}
	return -1;
}

static int find_const(const char *s, uint32_t len)
{
	const struct sc_const *c;

	for (unsigned int i = 0; (c = scenario_const(i)); i++) {
		if (strlen(c->name) == len && !memcmp(c->name, s, len))
			return (int)i;
	}
	return -1;
}

int sp_find_field(unsigned int stype, const char *s, uint32_t len)
{
	const struct sc_field *f;

	for (unsigned int i = 0; (f = scenario_field(i)); i++) {
		if (f->stype == stype && strlen(f->name) == len && !memcmp(f->name, s, len))
			return (int)i;
	}
	return -1;
}

/* x0..x4: the result registers of the last call. */
int sp_reg_of(const struct token *t)
{
	if (t->len == 2 && t->s[0] == 'x' && t->s[1] >= '0' && t->s[1] <= '4')
		return t->s[1] - '0';
	return -1;
}

/* Defines (or, for let and loop names, redefines) a name. Returns the symbol or -1. */
int sp_define(struct parser *ps, const struct token *t, enum sc_sym_kind kind)
{
	struct scenario *sc = ps->sc;
	int i;

	if (t->type != T_IDENT) {
		sp_fail(ps, "expected a name");
		return -1;
	}
	if (t->len > SC_MAX_NAME || memchr(t->s, '.', t->len)) {
		sp_fail(ps, "bad name '%.*s': at most %u characters, no '.'", (int)t->len, t->s,
			SC_MAX_NAME);
		return -1;
	}
	if (find_const(t->s, t->len) >= 0 || sp_reg_of(t) >= 0) {
		sp_fail(ps, "'%.*s' is predefined", (int)t->len, t->s);
		return -1;
	}
	i = sp_find_sym(sc, t->s, t->len);
	if (i >= 0) {
		if (kind == SC_SYM_ALLOC || sc->syms[i].kind == SC_SYM_ALLOC) {
			sp_fail(ps, "'%.*s' is already defined", (int)t->len, t->s);
			return -1;
		}
		sc->syms[i].kind = (uint8_t)kind;
		return i;
	}
	if (sc->nsyms >= SC_MAX_SYMS) {
		sp_fail(ps, "more than %u names", SC_MAX_SYMS);
		return -1;
	}
	memcpy(sc->syms[sc->nsyms].name, t->s, t->len);
	sc->syms[sc->nsyms].name[t->len] = '\0';
	sc->syms[sc->nsyms].kind = (uint8_t)kind;
	sc->syms[sc->nsyms].stype = SC_ST_NONE;
	return (int)sc->nsyms++;
}

/* ------------------------------------------------------------------------ */
/* Expressions (precedence, low to high: | & << >> + - * unary ^ [hi:lo])   */
/* ------------------------------------------------------------------------ */

static const char *const func_names[SC_FN_COUNT] = {
	[SC_FN_MEM64] = "mem64",
	[SC_FN_MEM8] = "mem8",
	[SC_FN_ZEROED] = "zeroed",
	[SC_FN_PAS] = "pas",
	[SC_FN_UNPROTECTED] = "unprotected",
};

static uint32_t parse_call_fn(struct parser *ps, const struct token *name)
{
	uint32_t arg, n;

	for (unsigned int f = 0; f < SC_FN_COUNT; f++) {
		if (!sp_is(name, func_names[f]))
			continue;
		if (!sp_expect(ps, "("))
			return SC_NONE;
		arg = sp_expr(ps);
		if (arg == SC_NONE || !sp_expect(ps, ")"))
			return SC_NONE;
		n = sp_node(ps, SC_FUNC, arg, SC_NONE, 0);
		if (n != SC_NONE)
			ps->sc->nodes[n].aux = (uint8_t)f;
		return n;
	}
	sp_fail(ps, "unknown function '%.*s'", (int)name->len, name->s);
	return SC_NONE;
}

/* NAME.field or NAME.field[index] over a structure laid out by a struct statement. */
uint32_t sp_field_ref(struct parser *ps, const struct token *t, uint32_t *field, uint32_t *index,
		      int *symp)
{
	const char *dot = memchr(t->s, '.', t->len);
	uint32_t nlen = (uint32_t)(dot - t->s);
	int sym = sp_find_sym(ps->sc, t->s, nlen), f;

	*index = SC_NONE;
	if (sym < 0) {
		sp_fail(ps, "unknown name '%.*s'", (int)nlen, t->s);
		return SC_NONE;
	}
	if (ps->sc->syms[sym].stype == SC_ST_NONE) {
		sp_fail(ps,
			"'%.*s' has no structure: lay one over it first (realm_params, "
			"rec_params, rec_run)",
			(int)nlen, t->s);
		return SC_NONE;
	}
	f = sp_find_field(ps->sc->syms[sym].stype, dot + 1, t->len - nlen - 1);
	if (f < 0) {
		sp_fail(ps, "%s has no field '%.*s'", scenario_stype_name(ps->sc->syms[sym].stype),
			(int)(t->len - nlen - 1), dot + 1);
		return SC_NONE;
	}
	if (scenario_field((unsigned int)f)->count > 1) {
		if (!sp_expect(ps, "["))
			return SC_NONE;
		*index = sp_expr(ps);
		if (*index == SC_NONE || !sp_expect(ps, "]"))
			return SC_NONE;
	}
	*field = (uint32_t)f;
	*symp = sym;
	return 0;
}

static uint32_t parse_ident_primary(struct parser *ps, const struct token *t)
{
	struct token nx;
	uint32_t field, index, n;
	int i, sym;

	if (!sp_peek(ps, &nx))
		return SC_NONE;
	if (sp_is(&nx, "("))
		return parse_call_fn(ps, t);
	if ((i = sp_reg_of(t)) >= 0) {
		if (!ps->seen_call) {
			sp_fail(ps, "x%d is used before any call", i);
			return SC_NONE;
		}
		return sp_node(ps, SC_REG, (uint32_t)i, SC_NONE, 0);
	}
	if (memchr(t->s, '.', t->len)) {
		if (sp_field_ref(ps, t, &field, &index, &sym) == SC_NONE)
			return SC_NONE;
		n = sp_node(ps, SC_FIELD, (uint32_t)sym, field, 0);
		if (n != SC_NONE)
			ps->sc->nodes[n].c = index;
		return n;
	}
	if ((i = sp_find_sym(ps->sc, t->s, t->len)) >= 0)
		return sp_node(ps, SC_SYM, (uint32_t)i, SC_NONE, 0);
	if ((i = find_const(t->s, t->len)) >= 0)
		return sp_node(ps, SC_CONST, (uint32_t)i, SC_NONE, 0);
	sp_fail(ps, "unknown name '%.*s'", (int)t->len, t->s);
	return SC_NONE;
}

static uint32_t parse_primary(struct parser *ps)
{
	struct token t;
	uint32_t n;

	if (!sp_peek(ps, &t))
		return SC_NONE;
	sp_take(ps, &t);
	switch (t.type) {
	case T_NUM:
		return sp_node(ps, SC_NUM, SC_NONE, SC_NONE, t.num);
	case T_IDENT:
		return parse_ident_primary(ps, &t);
	case T_PUNCT:
		if (sp_is(&t, "(")) {
			n = sp_expr(ps);
			if (n == SC_NONE || !sp_expect(ps, ")"))
				return SC_NONE;
			return n;
		}
		sp_fail(ps, "expected a value, found '%.*s'", (int)t.len, t.s);
		return SC_NONE;
	default:
		sp_fail(ps, "expected a value at the end of the line");
		return SC_NONE;
	}
}

/* A small literal (0..63) inside [hi:lo]. */
static bool parse_bit(struct parser *ps, uint64_t *out)
{
	struct token t;

	if (!sp_peek(ps, &t))
		return false;
	if (t.type != T_NUM || t.num > 63)
		return sp_fail(ps, "a bit number 0..63 is expected in [hi:lo]");
	sp_take(ps, &t);
	*out = t.num;
	return true;
}

static uint32_t parse_postfix(struct parser *ps)
{
	uint32_t n = parse_primary(ps);
	uint64_t hi, lo;

	while (n != SC_NONE && sp_accept(ps, "[")) {
		if (!parse_bit(ps, &hi) || !sp_expect(ps, ":") || !parse_bit(ps, &lo) ||
		    !sp_expect(ps, "]"))
			return SC_NONE;
		if (hi < lo) {
			sp_fail(ps, "[hi:lo] needs hi >= lo");
			return SC_NONE;
		}
		n = sp_node(ps, SC_BITS, n, SC_NONE, lo);
		if (n != SC_NONE)
			ps->sc->nodes[n].aux = (uint8_t)hi;
	}
	return n;
}

static uint32_t parse_unary(struct parser *ps);

static uint32_t parse_pow(struct parser *ps)
{
	uint32_t n = parse_postfix(ps), r;

	if (n == SC_NONE || !sp_accept(ps, "^"))
		return n;
	r = parse_unary(ps);
	return r == SC_NONE ? SC_NONE : sp_node(ps, SC_POW, n, r, 0);
}

static uint32_t parse_unary(struct parser *ps)
{
	uint32_t n;
	uint8_t op;

	if (++ps->depth > SC_MAX_EXPR_DEPTH) {
		sp_fail(ps, "expression nested more than %u deep", SC_MAX_EXPR_DEPTH);
		return SC_NONE;
	}
	if (sp_accept(ps, "-"))
		op = SC_NEG;
	else if (sp_accept(ps, "~"))
		op = SC_INV;
	else {
		n = parse_pow(ps);
		ps->depth--;
		return n;
	}
	n = parse_unary(ps);
	ps->depth--;
	return n == SC_NONE ? SC_NONE : sp_node(ps, op, n, SC_NONE, 0);
}

/* One binary precedence level: ops[i] maps to codes[i]. */
static uint32_t parse_binary(struct parser *ps, unsigned int level)
{
	static const char *const ops[][2] = {
		{ "|", NULL }, { "&", NULL }, { "<<", ">>" }, { "+", "-" }, { "*", NULL }
	};
	static const uint8_t codes[][2] = {
		{ SC_OR, 0 }, { SC_AND, 0 }, { SC_SHL, SC_SHR }, { SC_ADD, SC_SUB }, { SC_MUL, 0 }
	};
	uint32_t n, r;
	struct token t;
	int k;

	if (level >= sizeof(ops) / sizeof(ops[0]))
		return parse_unary(ps);
	n = parse_binary(ps, level + 1);
	while (n != SC_NONE) {
		if (!sp_peek(ps, &t))
			return SC_NONE;
		k = sp_is(&t, ops[level][0])			? 0
		    : ops[level][1] && sp_is(&t, ops[level][1]) ? 1
								: -1;
		if (k < 0)
			break;
		sp_take(ps, &t);
		r = parse_binary(ps, level + 1);
		if (r == SC_NONE)
			return SC_NONE;
		n = sp_node(ps, codes[level][k], n, r, 0);
	}
	return n;
}

uint32_t sp_expr(struct parser *ps)
{
	uint32_t n;

	if (++ps->depth > SC_MAX_EXPR_DEPTH) {
		sp_fail(ps, "expression nested more than %u deep", SC_MAX_EXPR_DEPTH);
		return SC_NONE;
	}
	n = parse_binary(ps, 0);
	ps->depth--;
	return n;
}

/* ------------------------------------------------------------------------ */
/* Lines                                                                    */
/* ------------------------------------------------------------------------ */

static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* Parses the line [s, e). */
static bool parse_line(struct parser *ps, const char *s, const char *e)
{
	const char *hash = memchr(s, '#', (size_t)(e - s));
	const char *code_end = hash ? hash : e, *cite = hash ? hash + 1 : e, *cite_end = e;

	if ((size_t)(e - s) > SC_MAX_LINE)
		return sp_fail(ps, "line longer than %u bytes", SC_MAX_LINE);
	if (memchr(s, '\0', (size_t)(e - s)))
		return sp_fail(ps, "NUL byte in the script");
	trim(&s, &code_end);
	trim(&cite, &cite_end);
	if (s == code_end)
		return true;
	ps->p = s;
	ps->end = code_end;
	ps->depth = 0;
	return sp_statement(ps, (uint32_t)(s - ps->sc->text), (uint32_t)(code_end - s),
			    (uint32_t)(cite - ps->sc->text), (uint32_t)(cite_end - cite));
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	free(sc->text);
	free(sc->stmts);
	free(sc->nodes);
	free(sc->items);
	free(sc);
}

int scenario_parse(const char *text, size_t len, struct scenario **out, char *err, size_t errlen)
{
	struct parser ps = { .err = err, .errlen = errlen, .line = 0 };
	const char *s, *e, *end;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (len > SC_MAX_TEXT) {
		snprintf(err, errlen, "line 0: script larger than %u bytes", SC_MAX_TEXT);
		return -1;
	}
	ps.sc = calloc(1, sizeof(*ps.sc));
	if (!ps.sc || !(ps.sc->text = malloc(len + 1))) {
		snprintf(err, errlen, "line 0: out of memory");
		scenario_free(ps.sc);
		return -1;
	}
	if (len)
		memcpy(ps.sc->text, text, len);
	ps.sc->text[len] = '\0';
	ps.sc->text_len = len;
	end = ps.sc->text + len;
	for (s = ps.sc->text; s < end && !ps.failed; s = e + 1) {
		e = memchr(s, '\n', (size_t)(end - s));
		if (!e)
			e = end;
		ps.line++;
		parse_line(&ps, s, e);
	}
	if (!ps.failed && ps.nloops) {
		ps.line = ps.sc->stmts[ps.loops[ps.nloops - 1]].line;
		sp_fail(&ps, "'for' without 'end'");
	}
	if (ps.failed) {
		scenario_free(ps.sc);
		return -1;
	}
	*out = ps.sc;
	return 0;
}
