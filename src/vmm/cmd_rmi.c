/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `realmkit rmi SCRIPT...`: runs RMI scenario scripts (docs/scenarios.md),
 * each on a freshly powered-on board, as a minimal host.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "scenario.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: realmkit rmi [-m SIZE] [-k] [-q | -v] [-n] SCRIPT...\n"
		   "  Runs RMI scenario scripts (docs/scenarios.md) against the RMM, each on a\n"
		   "  freshly powered-on board, printing every call with its result.\n"
		   "  -m, --mem SIZE     platform DRAM size (default 1G; suffixes K, M, G)\n"
		   "  -k, --keep-going   report every failed expectation, not only the first\n"
		   "  -q, --quiet        print only failures and the summary\n"
		   "  -v, --verbose      also print calls inside loops and let values\n"
		   "  -n, --parse-only   check the scripts' syntax without running them\n"
		   "  -h, --help         this text\n"
		   "  SCRIPT may be '-' for standard input.\n"
		   "exit status: 0 all expectations held, 1 an expectation failed,\n"
		   "             2 usage or parse error, 3 runtime error (see docs)\n");
}

/* Reads a whole script (at most SC_MAX_TEXT + 1 bytes, so oversize is detected). */
static char *read_script(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = SC_MAX_TEXT + 1, n = 0, k;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf && n < cap && (k = fread(buf + n, 1, cap - n, f)) > 0)
		n += k;
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

static struct scenario *load(const char *path)
{
	struct scenario *sc = NULL;
	char err[256];
	size_t len;
	char *text = read_script(path, &len);

	if (!text) {
		fprintf(stderr, "realmkit rmi: %s: %s\n", path, strerror(errno ? errno : EIO));
		return NULL;
	}
	if (scenario_parse(text, len, &sc, err, sizeof(err)))
		fprintf(stderr, "realmkit rmi: %s: parse error: %s\n", path, err);
	free(text);
	return sc;
}

struct rmi_opts {
	struct scenario_opts run;
	bool parse_only;
};

static int parse_opts(int argc, char **argv, struct rmi_opts *o)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "parse-only", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "m:kqvnh", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!cli_parse_size(optarg, &o->run.dram_size)) {
				fprintf(stderr, "realmkit rmi: bad size '%s'\n", optarg);
				return RK_EXIT_USAGE;
			}
			break;
		case 'k':
			o->run.keep_going = true;
			break;
		case 'q':
			o->run.verbosity = 0;
			break;
		case 'v':
			o->run.verbosity = 2;
			break;
		case 'n':
			o->parse_only = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return RK_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "realmkit rmi: no script given\n");
		usage(stderr);
		return RK_EXIT_USAGE;
	}
	return 0;
}

int cmd_rmi(int argc, char **argv)
{
	struct rmi_opts o = { .run = { .verbosity = 1, .out = stdout } };
	struct scenario **scs;
	int rc, worst = SC_EXIT_OK, n;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	n = argc - optind;
	scs = calloc((size_t)n, sizeof(*scs));
	if (!scs)
		return SC_EXIT_RUNTIME;
	/* Every script is parsed before any runs: a typo fails fast, with status 2. */
	for (int i = 0; i < n; i++) {
		scs[i] = load(argv[optind + i]);
		if (!scs[i])
			worst = SC_EXIT_PARSE;
	}
	for (int i = 0; i < n && worst == SC_EXIT_OK && !o.parse_only; i++) {
		struct scenario_stats st;

		o.run.path = argv[optind + i];
		rc = scenario_run(scs[i], &o.run, &st);
		printf("%s: %s: %lu calls, %lu checks, %lu failed\n", o.run.path,
		       rc == SC_EXIT_OK	      ? "PASS"
		       : rc == SC_EXIT_FAILED ? "FAIL"
					      : "ERROR",
		       st.calls, st.checks, st.failed);
		fflush(stdout);
		if (rc == SC_EXIT_RUNTIME || (rc == SC_EXIT_FAILED && worst == SC_EXIT_OK))
			worst = rc;
	}
	if (o.parse_only && worst == SC_EXIT_OK)
		printf("%d script%s parsed\n", n, n == 1 ? "" : "s");
	for (int i = 0; i < n; i++)
		scenario_free(scs[i]);
	free(scs);
	return worst;
}
