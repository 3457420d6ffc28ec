/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI scenario scripts (`realmkit rmi`): the parser (scenario.c) and the
 * runner (scenario_run.c). The language is documented in docs/scenarios.md.
 *
 * The parser is pure: it reads text and builds a program (no platform, no
 * I/O), so it can be fuzzed on its own. It bounds everything it stores
 * (SC_MAX_*), never reads past `len`, and reports the first error with its
 * line number. The runner executes a parsed program against a powered-on
 * board, as a host does: NS granules from the host page allocator, every
 * RMI command through smc_call().
 */
#ifndef REALMKIT_VMM_SCENARIO_H
#define REALMKIT_VMM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Limits (docs/scenarios.md "Limits"). Exceeding one is a parse error. */
#define SC_MAX_TEXT	  (1u << 20) /* bytes of script */
#define SC_MAX_LINE	  1024u	     /* bytes per line */
#define SC_MAX_NAME	  32u	     /* bytes per name */
#define SC_MAX_SYMS	  1024u	     /* distinct names */
#define SC_MAX_STMTS	  65536u     /* statements */
#define SC_MAX_NODES	  (1u << 18) /* expression nodes */
#define SC_MAX_ITEMS	  (1u << 18) /* arguments, values, fields, checks */
#define SC_MAX_EXPR_DEPTH 32u	     /* nesting of one expression */
#define SC_MAX_LOOP_DEPTH 8u	     /* nested for loops */
#define SC_MAX_PER_LINE	  64u	     /* values, fields or checks on one line */
#define SC_NONE		  UINT32_MAX /* "no node" */

/* Exit statuses of `realmkit rmi` (and the return of scenario_run()). */
#define SC_EXIT_OK	0 /* every expectation held */
#define SC_EXIT_FAILED	1 /* an expectation failed */
#define SC_EXIT_PARSE	2 /* the script (or the command line) is malformed */
#define SC_EXIT_RUNTIME 3 /* the script asked for something impossible (see docs) */

/* Expression node operators. */
enum sc_op {
	SC_NUM,	  /* v */
	SC_SYM,	  /* a = symbol */
	SC_CONST, /* a = predefined constant (scenario_const()) */
	SC_REG,	  /* a = result register 0..4 of the last call */
	SC_FIELD, /* a = symbol, b = field (scenario_field()), c = index node or SC_NONE */
	SC_FUNC,  /* aux = enum sc_func, a = argument */
	SC_ADD,
	SC_SUB,
	SC_MUL,
	SC_AND,
	SC_OR,
	SC_SHL,
	SC_SHR,
	SC_POW, /* a ^ b: power */
	SC_NEG,
	SC_INV,	 /* ~a */
	SC_BITS, /* a[hi:lo]: aux = hi, v = lo */
};

/* Built-in functions of expressions. */
enum sc_func {
	SC_FN_MEM64,	   /* 64-bit little-endian NS memory read */
	SC_FN_MEM8,	   /* byte NS memory read */
	SC_FN_ZEROED,	   /* 1 if the NS granule at the address reads all zero */
	SC_FN_PAS,	   /* the GPT's PAS of the granule (PAS_NS ...) */
	SC_FN_UNPROTECTED, /* unprotected(w) = 2^(w - 1) */
	SC_FN_COUNT,
};

struct sc_expr {
	uint8_t op;  /* enum sc_op */
	uint8_t aux; /* SC_FUNC: function; SC_BITS: hi */
	uint32_t a, b, c;
	uint64_t v;
};

/* Statement kinds. */
enum sc_kind {
	SC_ALLOC,   /* sym, e[0] = count, e[1] = alignment */
	SC_LET,	    /* sym, e[0] = value */
	SC_WRITE64, /* e[0] = address, items = values */
	SC_WRITE8,  /* e[0] = address, items = values */
	SC_FILL,    /* e[0] = address, e[1] = length, e[2] = byte */
	SC_COPY,    /* e[0] = destination, e[1] = source, e[2] = length */
	SC_STRUCT,  /* sym, stype: zero the structure, then items = field assignments */
	SC_SET,	    /* items = one field assignment */
	SC_CALL,    /* cmd, items = arguments (e[0] = FID expression for `smc`) */
	SC_EXPECT,  /* items = checks */
	SC_FOR,	    /* sym, e[0] = first, e[1] = last, jump = index of the matching end */
	SC_END,	    /* jump = index of the matching for */
	SC_ECHO,    /* the text is the comment-free rest of the line */
};

/* Structure layouts that statements and field references name. */
enum sc_stype {
	SC_ST_NONE,
	SC_ST_REALM_PARAMS, /* struct rmi_realm_params */
	SC_ST_REC_PARAMS,   /* struct rmi_rec_params */
	SC_ST_REC_RUN,	    /* struct rmi_rec_run (enter.* and exit.*) */
};

/* Check kinds and comparison operators of `expect`. */
enum sc_check {
	SC_CHK_STATUS,
	SC_CHK_CMP
};
enum sc_cmp {
	SC_EQ,
	SC_NE,
	SC_LT,
	SC_LE,
	SC_GT,
	SC_GE
};

/*
 * One entry of a statement's list: a call argument (a = node), a value
 * (a = node), a field assignment (field, a = value node, b = index node or
 * SC_NONE), or a check (kind, op; status: v = expected X0; comparison:
 * a, b = nodes). off/len locate the item's source text.
 */
struct sc_item {
	uint8_t kind; /* enum sc_check, for checks */
	uint8_t op;   /* enum sc_cmp, for checks */
	uint16_t field;
	uint32_t a, b;
	uint32_t off, len;
	uint64_t v;
};

struct sc_stmt {
	uint8_t kind;  /* enum sc_kind */
	uint8_t stype; /* SC_STRUCT: enum sc_stype */
	uint16_t cmd;  /* SC_CALL: index in scenario_command(), or SC_CMD_SMC */
	uint32_t line;
	uint32_t sym;
	uint32_t e[3];
	uint32_t item, nitems; /* [item, item + nitems) in items[] */
	uint32_t jump;
	uint32_t src_off, src_len;   /* the statement text without its comment */
	uint32_t cite_off, cite_len; /* the comment (citation), or len 0 */
};

/* The symbol kinds: granules from alloc, values from let, loop counters. */
enum sc_sym_kind {
	SC_SYM_ALLOC,
	SC_SYM_LET,
	SC_SYM_LOOP
};

struct sc_sym {
	char name[SC_MAX_NAME + 1];
	uint8_t kind;  /* enum sc_sym_kind */
	uint8_t stype; /* the structure a struct statement laid over it, if any */
};

/* A parsed script. Everything is owned by it; free with scenario_free(). */
struct scenario {
	char *text; /* a NUL-terminated copy of the script */
	size_t text_len;
	struct sc_stmt *stmts;
	uint32_t nstmts, cap_stmts;
	struct sc_expr *nodes;
	uint32_t nnodes, cap_nodes;
	struct sc_item *items;
	uint32_t nitems, cap_items;
	struct sc_sym syms[SC_MAX_SYMS];
	uint32_t nsyms;
};

/* An RMI command the scripts can call (one per RMI_COMMAND_LIST row). */
struct sc_command {
	const char *name; /* spec name, "RMI_REALM_CREATE" */
	uint32_t fid;
	uint8_t n_in, n_out;
};

/* The `smc(fid, ...)` pseudo-command: any FID, 0..6 arguments. */
#define SC_CMD_SMC 0xFFFFu

/* Where a predefined constant's value comes from. */
enum sc_const_src {
	SC_CS_FIXED,	 /* value */
	SC_CS_PA_SECURE, /* the first granule of the Secure carve-out */
	SC_CS_DRAM_SIZE, /* the platform's DRAM size */
	SC_CS_NS_BASE,	 /* the first NS DRAM granule */
	SC_CS_FEATURES0, /* RMI_FEATURES(0), read at power-on */
};

struct sc_const {
	const char *name;
	uint8_t src; /* enum sc_const_src */
	uint64_t value;
};

/* A field of a structure layout: byte offset, element size and count. */
struct sc_field {
	const char *name; /* "s2sz", "gprs", "exit.esr" */
	uint8_t stype;	  /* enum sc_stype */
	uint8_t size;	  /* 1, 2, 4 or 8 bytes */
	uint8_t count;	  /* 1 for a scalar, else the array length */
	uint16_t off;
};

/*
 * Parses `len` bytes of script text (NUL bytes are an error, no terminator
 * needed). On success stores a new program in *out and returns 0. On error
 * returns -1, leaves *out NULL and writes "line N: message" to err (always
 * NUL-terminated when errlen > 0).
 */
int scenario_parse(const char *text, size_t len, struct scenario **out, char *err, size_t errlen);

/* Frees a program from scenario_parse(); NULL is allowed. */
void scenario_free(struct scenario *sc);

/* The command table; NULL past the end. */
const struct sc_command *scenario_command(unsigned int idx);

/* The predefined constants; NULL past the end. */
const struct sc_const *scenario_const(unsigned int idx);

/* The structure fields; NULL past the end. */
const struct sc_field *scenario_field(unsigned int idx);

/* Name of a structure layout ("realm_params", ...). */
const char *scenario_stype_name(unsigned int stype);

/* Options of scenario_run(). */
struct scenario_opts {
	const char *path;   /* shown in messages */
	uint64_t dram_size; /* 0 = platform default */
	bool keep_going;    /* report every failed expectation, not just the first */
	int verbosity;	    /* 0 quiet (failures only), 1 calls, 2 everything */
	FILE *out;	    /* the log (stdout) */
};

/* Counters of one run. */
struct scenario_stats {
	unsigned long calls, checks, failed;
};

/*
 * Powers the board on, runs the program as a host, powers it off. Returns
 * SC_EXIT_OK, SC_EXIT_FAILED (an expectation failed; the first failure and
 * its citation are printed) or SC_EXIT_RUNTIME (e.g. a write to a granule
 * that is not NS, an address outside DRAM, NS memory exhausted).
 */
int scenario_run(const struct scenario *sc, const struct scenario_opts *opts,
		 struct scenario_stats *stats);

#endif /* REALMKIT_VMM_SCENARIO_H */
