/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `realmkit token decode|verify|make`: CCA attestation tokens
 * (rmm-v1.0.md s15) printed as JSON, verified (both signatures, the
 * platform-realm binding, the realm profile, expected values), and made
 * offline through the RMM's own token state machine (via the board).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_attest.h"
#include "cli.h"
#include "token_decode.h"
#include "token_verify.h"

static void token_usage(FILE *f)
{
	fprintf(f, "usage: realmkit token decode FILE\n"
		   "       realmkit token verify FILE [--platform-key PEM] [--challenge HEX]\n"
		   "                                  [--rim HEX] [--rpv HEX]\n"
		   "       realmkit token make --challenge HEX [--rim HEX] [--rem HEX]... [--rpv "
		   "HEX]\n"
		   "                           [--algo sha256|sha512] [--cpak PEM] [--rak PEM] -o "
		   "FILE\n"
		   "\n"
		   "decode  prints both tokens' claims as JSON (byte strings in hex)\n"
		   "verify  checks the platform signature (CPAK: --platform-key, a PEM public or\n"
		   "        private key, else realmkit's built-in test CPAK), the realm signature\n"
		   "        (RAK from claim 44237), the binding (platform challenge = hash of the\n"
		   "        RAK COSE_Key), the profiles and measurement sizes, and the expected\n"
		   "        values given; prints 'token: OK ...' per check, or names the first\n"
		   "        failed check and exits 1\n"
		   "make    builds a CCA token through the RMM's token code: challenge, RIM,\n"
		   "        REMs (up to 4 --rem, in order) and RPV are zero-padded hex; keys\n"
		   "        default to realmkit's built-in deterministic test keys\n");
}

/* Hex (optional 0x, even length) into out; *len = bytes. False if malformed or > max. */
static bool parse_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n;

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	n = strlen(s);
	if (n % 2 || n / 2 > max)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1 ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
			return false;
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return true;
}

/* Reads a whole file of at most max bytes. Returns 0 or -errno with a message on stderr. */
static int read_file(const char *path, uint8_t *buf, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "token: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	n = fread(buf, 1, max, f);
	if (ferror(f) || (n == max && fgetc(f) != EOF)) {
		fprintf(stderr, "token: %s: %s\n", path,
			ferror(f) ? "read error" : "larger than any CCA token");
		fclose(f);
		return -EFBIG;
	}
	fclose(f);
	*len = n;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* decode                                                                   */
/* ------------------------------------------------------------------------ */

/* "name": "hex" (or just "hex" in an array when name is NULL). */
static void json_hex(const char *indent, const char *name, struct cca_span s, bool comma)
{
	if (name)
		printf("%s\"%s\": \"", indent, name);
	else
		printf("%s\"", indent);
	for (size_t i = 0; i < s.len; i++)
		printf("%02x", s.p[i]);
	printf("\"%s\n", comma ? "," : "");
}

static void json_str(const char *indent, const char *name, struct cca_span s, bool comma)
{
	printf("%s\"%s\": \"", indent, name);
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = s.p[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	printf("\"%s\n", comma ? "," : "");
}

static void json_sign1(const char *indent, const struct cca_sign1 *s)
{
	struct cca_span sig = { s->signature, sizeof(s->signature) };

	printf("%s\"cose-alg\": %lld,\n", indent, (long long)s->alg);
	json_hex(indent, "cose-signature", sig, true);
}

static void json_platform(const struct cca_token *t)
{
	const struct cca_platform_claims *c = &t->pclaims;
	const char *in = "    ";

	printf("  \"cca-platform-token\": {\n");
	json_sign1(in, &t->platform);
	json_str(in, "cca-platform-profile", c->profile, true);
	json_hex(in, "cca-platform-challenge", c->challenge, true);
	json_hex(in, "cca-platform-implementation-id", c->implementation_id, true);
	json_hex(in, "cca-platform-instance-id", c->instance_id, true);
	json_hex(in, "cca-platform-config", c->config, true);
	printf("%s\"cca-platform-lifecycle\": %llu,\n", in, (unsigned long long)c->lifecycle);
	json_str(in, "cca-platform-hash-algo-id", c->hash_algo, true);
	if (c->verification_service.p)
		json_str(in, "cca-platform-service-indicator", c->verification_service, true);
	printf("%s\"cca-platform-sw-components\": [", in);
	for (unsigned int i = 0; i < c->n_sw; i++) {
		const struct cca_sw_component *sw = &c->sw[i];
		const char *in2 = "        ";

		printf("%s\n      {\n", i ? "," : "");
		if (sw->type.p)
			json_str(in2, "measurement-type", sw->type, true);
		if (sw->version.p)
			json_str(in2, "version", sw->version, true);
		if (sw->hash_algo.p)
			json_str(in2, "hash-algo-id", sw->hash_algo, true);
		json_hex(in2, "signer-id", sw->signer_id, true);
		json_hex(in2, "measurement-value", sw->value, false);
		printf("      }");
	}
	printf("\n    ]\n  },\n");
}

static void json_realm(const struct cca_token *t)
{
	const struct cca_realm_claims *c = &t->rclaims;
	const char *in = "    ";
	struct cca_span x = { c->rak_x, 48 }, y = { c->rak_y, 48 };

	printf("  \"cca-realm-delegated-token\": {\n");
	json_sign1(in, &t->realm);
	json_hex(in, "cca-realm-challenge", c->challenge, true);
	json_hex(in, "cca-realm-personalization-value", c->rpv, true);
	json_hex(in, "cca-realm-public-key", c->pub_key, true);
	json_hex(in, "cca-realm-public-key-x", x, true);
	json_hex(in, "cca-realm-public-key-y", y, true);
	json_str(in, "cca-realm-hash-algo-id", c->hash_algo, true);
	json_str(in, "cca-realm-public-key-hash-algo-id", c->pub_key_hash_algo, true);
	json_str(in, "cca-realm-profile", c->profile, true);
	json_hex(in, "cca-realm-initial-measurement", c->rim, true);
	printf("%s\"cca-realm-extensible-measurements\": [\n", in);
	for (int i = 0; i < 4; i++)
		json_hex("      ", NULL, c->rems[i], i < 3);
	printf("    ],\n%s\"claim-order\": [", in);
	for (unsigned int i = 0; i < c->n_claims; i++)
		printf("%s%lld", i ? ", " : "", (long long)c->order[i]);
	printf("]\n  }\n");
}

/* Loads and decodes FILE; prints the reason and returns false on failure. */
static bool load_token(const char *path, uint8_t *buf, size_t size, size_t *len,
		       struct cca_token *t)
{
	char err[256];

	if (read_file(path, buf, size, len))
		return false;
	if (cca_token_decode(buf, *len, t, err, sizeof(err))) {
		fprintf(stderr, "token: FAILED decode: %s\n", err);
		return false;
	}
	return true;
}

static int token_decode(int argc, char **argv)
{
	static uint8_t buf[CCA_MAX_TOKEN_SIZE];
	static struct cca_token t;
	size_t len;

	if (argc != 2 || argv[1][0] == '-') {
		token_usage(stderr);
		return RK_EXIT_USAGE;
	}
	if (!load_token(argv[1], buf, sizeof(buf), &len, &t))
		return 1;
	printf("{\n");
	json_platform(&t);
	json_realm(&t);
	printf("}\n");
	return 0;
}

/* ------------------------------------------------------------------------ */
/* verify                                                                   */
/* ------------------------------------------------------------------------ */

/* `token verify` prints each check as "token: OK ..." or "token: FAILED <check>: ...". */
static void print_check(void *opaque, bool ok, const char *check, const char *text)
{
	(void)opaque;
	if (ok)
		printf("token: OK %s\n", text);
	else
		fprintf(stderr, "token: FAILED %s: %s\n", check, text);
}

enum {
	OPT_PLATFORM_KEY = 256,
	OPT_CHALLENGE,
	OPT_RIM,
	OPT_RPV,
	OPT_REM,
	OPT_ALGO,
	OPT_CPAK,
	OPT_RAK
};

static const struct option token_opts[] = {
	{ "platform-key", required_argument, NULL, OPT_PLATFORM_KEY },
	{ "challenge", required_argument, NULL, OPT_CHALLENGE },
	{ "rim", required_argument, NULL, OPT_RIM },
	{ "rpv", required_argument, NULL, OPT_RPV },
	{ "rem", required_argument, NULL, OPT_REM },
	{ "algo", required_argument, NULL, OPT_ALGO },
	{ "cpak", required_argument, NULL, OPT_CPAK },
	{ "rak", required_argument, NULL, OPT_RAK },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A 64-byte field from zero-padded hex; false (with a message) if malformed. */
static bool hex64(const char *opt, const char *arg, uint8_t out[64], size_t max, size_t *len)
{
	size_t n = 0;

	memset(out, 0, 64);
	if (!parse_hex(arg, out, max, &n)) {
		fprintf(stderr, "token: --%s: expected up to %zu bytes of hex\n", opt, max);
		return false;
	}
	if (len)
		*len = n;
	return true;
}

static int token_verify(int argc, char **argv)
{
	static uint8_t buf[CCA_MAX_TOKEN_SIZE];
	static struct cca_token t;
	struct cca_expect e = { 0 };
	size_t len;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", token_opts, NULL)) != -1) {
		bool ok = true;

		switch (c) {
		case OPT_PLATFORM_KEY:
			e.platform_key = optarg;
			break;
		case OPT_CHALLENGE:
			ok = e.has_challenge = hex64("challenge", optarg, e.challenge, 64, NULL);
			break;
		case OPT_RPV:
			ok = e.has_rpv = hex64("rpv", optarg, e.rpv, 64, NULL);
			break;
		case OPT_RIM:
			ok = e.has_rim = hex64("rim", optarg, e.rim, 64, &e.rim_len);
			break;
		case 'h':
			token_usage(stdout);
			return 0;
		default:
			ok = false;
		}
		if (!ok) {
			token_usage(stderr);
			return RK_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		token_usage(stderr);
		return RK_EXIT_USAGE;
	}
	if (!load_token(argv[optind], buf, sizeof(buf), &len, &t))
		return 1;
	printf("token: OK decode (%zu bytes: platform token %zu, realm token %zu)\n", len,
	       t.platform.raw.len, t.realm.raw.len);
	ret = cca_token_verify(&t, &e, print_check, NULL);
	if (!ret)
		printf("token: OK all checks passed\n");
	return ret;
}

/* ------------------------------------------------------------------------ */
/* make                                                                     */
/* ------------------------------------------------------------------------ */

/* Parses make's options into req; returns 0, or RK_EXIT_USAGE (after a message). */
static int make_options(int argc, char **argv, struct board_token_request *req, const char **out,
			bool *has_challenge)
{
	unsigned int n_rem = 0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", token_opts, NULL)) != -1) {
		bool ok = true;

		switch (c) {
		case OPT_CHALLENGE:
			ok = *has_challenge = hex64("challenge", optarg, req->challenge, 64, NULL);
			break;
		case OPT_RPV:
			ok = hex64("rpv", optarg, req->rpv, 64, NULL);
			break;
		case OPT_RIM:
			ok = hex64("rim", optarg, req->rim, 64, NULL);
			break;
		case OPT_REM:
			if (n_rem == 4)
				fprintf(stderr, "token make: at most 4 --rem\n");
			ok = n_rem < 4 && hex64("rem", optarg, req->rems[n_rem++], 64, NULL);
			break;
		case OPT_ALGO:
			ok = !strcmp(optarg, "sha256") || !strcmp(optarg, "sha512");
			if (!ok)
				fprintf(stderr, "token make: --algo: sha256 or sha512\n");
			req->algorithm = !strcmp(optarg, "sha512") ? 1 : 0;
			break;
		case OPT_CPAK:
			req->cpak_pem = optarg;
			break;
		case OPT_RAK:
			req->rak_pem = optarg;
			break;
		case 'o':
			*out = optarg;
			break;
		case 'h':
			token_usage(stdout);
			return -1;
		default:
			ok = false;
		}
		if (!ok)
			return RK_EXIT_USAGE;
	}
	if (optind != argc || !*out || !*has_challenge) {
		fprintf(stderr, "token make: --challenge and -o are required, and no operands\n");
		return RK_EXIT_USAGE;
	}
	return 0;
}

static int token_make(int argc, char **argv)
{
	static struct board_token_request req;
	static uint8_t token[CCA_MAX_TOKEN_SIZE];
	const char *out = NULL;
	bool has_challenge = false;
	unsigned int steps = 0;
	char err[256];
	size_t len = 0;
	FILE *f;
	int ret;

	memset(&req, 0, sizeof(req));
	ret = make_options(argc, argv, &req, &out, &has_challenge);
	if (ret < 0)
		return 0; /* --help */
	if (ret) {
		token_usage(stderr);
		return RK_EXIT_USAGE;
	}
	if (board_make_token(&req, token, sizeof(token), &len, &steps, err, sizeof(err))) {
		fprintf(stderr, "token make: %s\n", err);
		return 1;
	}
	f = fopen(out, "wb");
	if (!f || fwrite(token, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "token make: %s: %s\n", out, strerror(errno));
		return 1;
	}
	printf("token: wrote %s (%zu bytes, %s, %u RMM steps, %s keys)\n", out, len,
	       req.algorithm ? "sha-512" : "sha-256", steps,
	       req.cpak_pem || req.rak_pem ? "PEM" : "built-in test");
	return 0;
}

int cmd_token(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		token_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? RK_EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "decode"))
		return token_decode(argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify"))
		return token_verify(argc - 1, argv + 1);
	if (!strcmp(argv[1], "make"))
		return token_make(argc - 1, argv + 1);
	fprintf(stderr, "token: unknown subcommand '%s'\n", argv[1]);
	token_usage(stderr);
	return RK_EXIT_USAGE;
}
