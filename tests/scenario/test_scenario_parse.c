/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scenario parser on its own (src/vmm/scenario.c): limits, error
 * messages with line numbers, and a deterministic mutation fuzz run that
 * must never crash, overflow (run under ASan+UBSan) or accept garbage
 * silently. docs/scenarios.md "Limits" lists what is checked here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four headers above first. */
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static const char seed[] =
	"# a valid script touching every statement\n"
	"alloc rd\n"
	"alloc roots 2 align 8K\n"
	"alloc p\n"
	"let v = 2^39 + 4K\n"
	"write64 p + 8 = 1, 2, ~0\n"
	"write8 p = 0xAA 0xBB\n"
	"fill p + 16, 16, 0x5A\n"
	"copy roots, p, 4K\n"
	"realm_params p s2sz=40 rtt_base=roots rtt_level_start=0 rpv[3]=7\n"
	"set p.vmid = 0xFF00\n"
	"RMI_GRANULE_DELEGATE(rd) expect RMI_SUCCESS # s2.3\n"
	"expect x1[63:42] == 0, p.s2sz >= 32, not RMI_ERROR_RTT level 2\n"
	"for i = 0 to 3\n"
	"\tRMI_RTT_CREATE(rd, roots + i * 4K, v & ~(1G - 1), 2) expect RMI_ERROR_RTT 1\n"
	"end\n"
	"smc(0xC4000156) expect SMC_UNKNOWN\n"
	"let t = mem64(p) | zeroed(p) << 1 | pas(p) >> (unprotected(40) - 2^39)\n"
	"echo done\n";

static int parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct scenario *sc = NULL;
	int rc = scenario_parse(text, len, &sc, err, errlen);

	if (rc == 0)
		assert_non_null(sc);
	else
		assert_null(sc);
	scenario_free(sc);
	return rc;
}

/* Parses a NUL-terminated text expecting an error at `line` containing `what`. */
static void expect_error(const char *text, unsigned int line, const char *what)
{
	char err[256], want[32];

	assert_int_equal(parse(text, strlen(text), err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "line %u: ", line);
	if (strncmp(err, want, strlen(want)) || !strstr(err, what))
		fail_msg("got \"%s\", wanted \"%s...%s\"", err, want, what);
}

static void expect_ok(const char *text)
{
	char err[256];

	if (parse(text, strlen(text), err, sizeof(err)))
		fail_msg("unexpected error: %s", err);
}

static void test_seed_parses(void **state)
{
	struct scenario *sc = NULL;
	char err[256];

	(void)state;
	assert_int_equal(scenario_parse(seed, strlen(seed), &sc, err, sizeof(err)), 0);
	assert_non_null(sc);
	/* The call and its inline expect are two statements; the for/end pair brackets one call. */
	assert_true(sc->nstmts >= 18);
	assert_int_equal(sc->syms[0].stype, SC_ST_NONE);
	scenario_free(sc);
	expect_ok("");
	expect_ok("\n\n# only a comment\n   \t\r\n");
	expect_ok("rmi_version(0x10000) expect SUCCESS\n"); /* short, lower-case command names */
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("alloc a\nalloc a\n", 2, "already defined");
	expect_error("RMI_VERSION(1)\nRMI_VERSION(1, 2)\n", 2, "takes 1 argument");
	expect_error("RMI_NOPE(1)\n", 1, "unknown command");
	expect_error("alloc a\nRMI_GRANULE_DELEGATE(b)\n", 2, "unknown name 'b'");
	expect_error("RMI_VERSION(0x10000000000000000)\n", 1, "does not fit");
	expect_error("RMI_VERSION(99999999999999999999)\n", 1, "does not fit");
	expect_error("RMI_VERSION(0xFFFFFFFFFFFFFFFFK)\n", 1, "does not fit");
	expect_error("RMI_VERSION(12Q)\n", 1, "malformed number");
	expect_error("RMI_VERSION(0x)\n", 1, "malformed number");
	expect_error("expect x1 == 0\n", 1, "before any call");
	expect_error("expect RMI_SUCCESS\n", 1, "before any call");
	expect_error("RMI_VERSION(1) expect RMI_ERROR_RTT\n", 1, "needs its level");
	expect_error("RMI_VERSION(1) expect RMI_SUCCESS 3\n", 1, "has no index");
	expect_error("RMI_VERSION(1) expect RMI_ERROR_RTT 256\n", 1, "index is 0..255");
	expect_error("RMI_VERSION(1) expect x1\n", 1, "comparison");
	expect_error("for i = 0 to 1\nRMI_VERSION(i)\n", 1, "without 'end'");
	expect_error("end\n", 1, "without 'for'");
	expect_error("alloc p\nrealm_params p bogus=1\n", 2, "no field 'bogus'");
	expect_error("alloc p\nrealm_params p\nrec_params p\n", 3, "already holds");
	expect_error("alloc p\nset p.s2sz = 1\n", 2, "no structure");
	expect_error("alloc p\nrec_params p\nset p.aux = 1\n", 3, "expected '['");
	expect_error("RMI_VERSION(1) $\n", 1, "unexpected character '$'");
	expect_error("RMI_VERSION(1) expect x1[3:4] == 0\n", 1, "hi >= lo");
	expect_error("RMI_VERSION(1) expect x1[64:0] == 0\n", 1, "0..63");
	expect_error("let RAM = 1\n", 1, "predefined");
	expect_error("let x1 = 1\n", 1, "predefined");
	expect_error("RMI_VERSION(1\n", 1, "expected ')'");
	expect_error("RMI_VERSION(1) extra\n", 1, "unexpected 'extra'");
	expect_error("let a = nofunc(1)\n", 1, "unknown function");
	expect_error("smc()\n", 1, "function ID");
	expect_error("smc(1, 2, 3, 4, 5, 6, 7, 8)\n", 1, "up to 6");
	expect_error("42\n", 1, "keyword or a command");
}

static void test_limits(void **state)
{
	char name[SC_MAX_NAME + 16], *text;
	size_t n;

	(void)state;
	/* A name of exactly SC_MAX_NAME characters is fine, one more is not. */
	memset(name, 'a', SC_MAX_NAME);
	name[SC_MAX_NAME] = '\0';
	text = malloc(4 * SC_MAX_LINE);
	assert_non_null(text);
	snprintf(text, 4 * SC_MAX_LINE, "alloc %s\n", name);
	expect_ok(text);
	snprintf(text, 4 * SC_MAX_LINE, "alloc %sb\n", name);
	expect_error(text, 1, "bad name");
	/* Line length. */
	memset(text, ' ', SC_MAX_LINE + 1);
	memcpy(text, "alloc a", 7);
	text[SC_MAX_LINE + 1] = '\0';
	expect_error(text, 1, "longer than");
	text[SC_MAX_LINE] = '\0';
	expect_ok(text);
	/* Expression nesting. */
	n = (size_t)snprintf(text, 4 * SC_MAX_LINE, "let a = ");
	for (unsigned int i = 0; i < 2 * SC_MAX_EXPR_DEPTH; i++)
		text[n++] = '(';
	strcpy(text + n, "1\n");
	expect_error(text, 1, "nested more than");
	/* Long operator chains (not nested) are fine up to the line length. */
	n = (size_t)snprintf(text, 4 * SC_MAX_LINE, "let a = 1");
	while (n < SC_MAX_LINE - 4)
		n += (size_t)snprintf(text + n, 8, "+1");
	strcpy(text + n, "\n");
	expect_ok(text);
	/* Too many items on one line. */
	n = (size_t)snprintf(text, 4 * SC_MAX_LINE, "alloc p\nwrite8 p =");
	for (unsigned int i = 0; i <= SC_MAX_PER_LINE; i++)
		n += (size_t)snprintf(text + n, 8, " 1");
	strcpy(text + n, "\n");
	expect_error(text, 2, "items on one line");
	/* Loop nesting. */
	n = 0;
	for (unsigned int i = 0; i <= SC_MAX_LOOP_DEPTH; i++)
		n += (size_t)snprintf(text + n, 32, "for i%u = 0 to 1\n", i);
	expect_error(text, SC_MAX_LOOP_DEPTH + 1, "nested more than");
	free(text);
	/* NUL bytes and oversize input. */
	assert_int_equal(parse("alloc a\n\0alloc b\n", 17, name, sizeof(name)), -1);
	assert_string_equal(name, "line 2: NUL byte in the script");
	assert_int_equal(parse(seed, SC_MAX_TEXT + 1, name, sizeof(name)), -1);
	/* A tiny error buffer is truncated, never overrun; errlen 0 is allowed. */
	assert_int_equal(parse("end\n", 4, name, 5), -1);
	assert_int_equal(strlen(name), 4);
	assert_int_equal(parse("end\n", 4, NULL, 0), -1);
}

static uint32_t rnd_state = 0x12345678u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static const char *const dict[] = {
	"(",
	")",
	",",
	"[",
	"]",
	":",
	"^",
	"~",
	"-",
	"<<",
	"==",
	"#",
	"\n",
	"\t",
	"for i = 0 to 2\n",
	"end\n",
	"expect ",
	"x1",
	"RMI_ERROR_RTT",
	"level",
	"0xFFFFFFFFFFFFFFFF",
	"2^64",
	"99999999999999999999",
	"p.",
	"p.gprs[",
	"rec_run p ",
	"set ",
	"alloc ",
	"realm_params ",
	"smc(",
	"\xff",
	"\0",
};

/* One random edit of buf[0, *len) (capacity cap). */
static void mutate(char *buf, size_t *len, size_t cap)
{
	size_t pos = *len ? rnd() % *len : 0, k;
	const char *d = dict[rnd() % (sizeof(dict) / sizeof(dict[0]))];
	size_t dl = d[0] ? strlen(d) : 1;

	switch (rnd() % 4) {
	case 0: /* flip a byte */
		if (*len)
			buf[pos] = (char)rnd();
		break;
	case 1: /* delete a run */
		if (*len) {
			k = rnd() % 16 % (*len - pos);
			memmove(buf + pos, buf + pos + k, *len - pos - k);
			*len -= k;
		}
		break;
	case 2: /* insert a token */
		if (*len + dl < cap) {
			memmove(buf + pos + dl, buf + pos, *len - pos);
			memcpy(buf + pos, d, dl);
			*len += dl;
		}
		break;
	default: /* truncate */
		*len = pos;
		break;
	}
}

/* Mutation fuzzing of the seed: never a crash, always 0 or "line N: ...". */
static void test_fuzz_mutations(void **state)
{
	size_t cap = 2 * sizeof(seed) + 4096;
	char *buf = malloc(cap), err[128];
	unsigned int ok = 0, bad = 0;

	(void)state;
	assert_non_null(buf);
	for (unsigned int iter = 0; iter < 20000; iter++) {
		size_t len = sizeof(seed) - 1;

		memcpy(buf, seed, len);
		for (unsigned int m = 1 + rnd() % 6; m > 0; m--)
			mutate(buf, &len, cap);
		if (parse(buf, len, err, sizeof(err)) == 0) {
			ok++;
		} else {
			bad++;
			assert_memory_equal(err, "line ", 5);
		}
	}
	free(buf);
	/* Both outcomes must occur, or the mutations test nothing. */
	assert_true(ok > 100);
	assert_true(bad > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_parses),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_fuzz_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
