/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scenario parser's internals, shared by its two halves: scenario.c
 * (lines, tokens, names, expressions) and scenario_stmt.c (statements).
 * Nothing outside the parser includes this.
 */
#ifndef REALMKIT_VMM_SCENARIO_PRIV_H
#define REALMKIT_VMM_SCENARIO_PRIV_H

#include "scenario.h"

enum tok_type {
	T_END,
	T_IDENT,
	T_NUM,
	T_PUNCT
};

struct token {
	enum tok_type type;
	const char *s;
	uint32_t len;
	uint64_t num; /* T_NUM */
};

struct parser {
	struct scenario *sc;
	const char *p;	 /* cursor within the current line's code */
	const char *end; /* end of the current line's code (comment excluded) */
	uint32_t line;
	char *err;
	size_t errlen;
	bool failed;
	uint32_t depth;			   /* expression nesting */
	uint32_t loops[SC_MAX_LOOP_DEPTH]; /* open `for` statements */
	uint32_t nloops;
	bool seen_call; /* x0..x4 may be used */
};

/* Records the first error as "line N: ..."; always returns false. */
bool sp_fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Makes room for element n of *arr (capacity *cap, element size sz), at most max. */
bool sp_grow(struct parser *ps, void **arr, uint32_t n, uint32_t *cap, size_t sz, uint32_t max,
	     const char *what);

/* A new expression node, or SC_NONE after an error. */
uint32_t sp_node(struct parser *ps, uint8_t op, uint32_t a, uint32_t b, uint64_t v);

/*
 * A new item appended to statement st's list (lists are contiguous: finish
 * one statement's items before starting another's), or NULL after an error.
 * The pointer is valid until the next sp_item().
 */
struct sc_item *sp_item(struct parser *ps, struct sc_stmt *st);

/* The next token without consuming it; false after an error. */
bool sp_peek(struct parser *ps, struct token *t);

/* Consumes a token returned by sp_peek(). */
void sp_take(struct parser *ps, const struct token *t);

/* True if t spells s exactly. */
bool sp_is(const struct token *t, const char *s);

/* Consumes s or fails. */
bool sp_expect(struct parser *ps, const char *s);

/* Consumes s if it comes next. */
bool sp_accept(struct parser *ps, const char *s);

/* Index of a defined name, or -1. */
int sp_find_sym(const struct scenario *sc, const char *s, uint32_t len);

/* Index of field s of layout stype, or -1. */
int sp_find_field(unsigned int stype, const char *s, uint32_t len);

/* 0..4 for x0..x4, else -1. */
int sp_reg_of(const struct token *t);

/* Defines a name (alloc: new only; let/loop: may redefine a let/loop name); -1 on error. */
int sp_define(struct parser *ps, const struct token *t, enum sc_sym_kind kind);

/*
 * Parses NAME.field[index] (token t holds "NAME.field"): sets *field, *index
 * (SC_NONE for a scalar) and *sym. Returns SC_NONE on error, else 0.
 */
uint32_t sp_field_ref(struct parser *ps, const struct token *t, uint32_t *field, uint32_t *index,
		      int *sym);

/* An expression; SC_NONE after an error. */
uint32_t sp_expr(struct parser *ps);

/*
 * One statement: the code [ps->p, ps->end) of the current line; src and
 * cite locate its code and its comment within the script text.
 */
bool sp_statement(struct parser *ps, uint32_t src_off, uint32_t src_len, uint32_t cite_off,
		  uint32_t cite_len);

#endif /* REALMKIT_VMM_SCENARIO_PRIV_H */
