/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Corpus replay of the RMI sequence fuzzer for builds without libFuzzer
 * (gcc, TSan): runs LLVMFuzzerTestOneInput on every file of the corpus
 * directory, on prefixes of each (every 1/8 of its length) and on each
 * with single bytes inverted (8 positions spread over the file). Every
 * run carries all of fuzz_rmi's checks (status shapes, failure atomicity,
 * invariants after every command, the create/destroy law, the teardown
 * that must give every granule back); a finding aborts the test.
 */
#include <stdio.h>

#include "fuzz_rmi.h"
#include "replay_corpus.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

#define REPLAY_MAX   65536u
#define REPLAY_STEPS 8u

static void run_variants(uint8_t *buf, size_t len, void *ctx)
{
	*(unsigned long *)ctx += replay_variants(buf, len, REPLAY_STEPS);
}

int main(int argc, char **argv)
{
	static uint8_t buf[REPLAY_MAX];
	unsigned long inputs = 0;
	long files;

	if (argc != 2) {
		fprintf(stderr, "usage: replay_rmi CORPUS_DIR\n");
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	files = replay_corpus(argv[1], buf, sizeof(buf), run_variants, &inputs);
	if (files < 0) {
		fprintf(stderr, "replay_rmi: cannot open %s\n", argv[1]);
		return 2;
	}
	printf("replay_rmi: %ld corpus files, %lu inputs, %llu RMI calls, %llu failure-atomicity "
	       "checks, %llu invariant checks, no finding\n",
	       files, inputs, (unsigned long long)fz.calls, (unsigned long long)fz.failures_checked,
	       (unsigned long long)fz.invariant_runs);
	return files ? 0 : 1;
}
