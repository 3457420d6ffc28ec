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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_rmi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define REPLAY_MAX   65536u
#define REPLAY_STEPS 8u

static unsigned long run_variants(uint8_t *buf, size_t len)
{
	size_t step = len / REPLAY_STEPS ? len / REPLAY_STEPS : 1;
	unsigned long n = 0;

	LLVMFuzzerTestOneInput(buf, len);
	n++;
	for (size_t cut = step; cut < len; cut += step, n++)
		LLVMFuzzerTestOneInput(buf, cut);
	for (size_t i = step / 2; i < len; i += step, n++) {
		buf[i] ^= 0xff;
		LLVMFuzzerTestOneInput(buf, len);
		buf[i] ^= 0xff;
	}
	return n;
}

int main(int argc, char **argv)
{
	static uint8_t buf[REPLAY_MAX];
	unsigned long inputs = 0, files = 0;
	char path[4096];
	struct dirent *de;
	DIR *d;

	if (argc != 2 || !(d = opendir(argv[1]))) {
		fprintf(stderr, "usage: replay_rmi CORPUS_DIR\n");
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	while ((de = readdir(d))) {
		FILE *f;
		size_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		inputs += run_variants(buf, len);
		files++;
	}
	closedir(d);
	printf("replay_rmi: %lu corpus files, %lu inputs, %llu RMI calls, %llu failure-atomicity "
	       "checks, %llu invariant checks, no finding\n",
	       files, inputs, (unsigned long long)fz.calls, (unsigned long long)fz.failures_checked,
	       (unsigned long long)fz.invariant_runs);
	return files ? 0 : 1;
}
