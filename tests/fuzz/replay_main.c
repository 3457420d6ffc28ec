/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Corpus replay for builds without libFuzzer: runs LLVMFuzzerTestOneInput on
 * every file of the corpus directory, on every prefix of each (truncated
 * CBOR) and on each with every single byte inverted (wrong tags, types,
 * lengths). Prints the count; a crash or an ASan report fails the test.
 */
#include <stdio.h>

#include "replay_corpus.h"
#include "token_decode.h"

static void run_all(uint8_t *buf, size_t len, void *ctx)
{
	*(unsigned long *)ctx += replay_variants(buf, len, 0);
}

int main(int argc, char **argv)
{
	static uint8_t buf[CCA_MAX_TOKEN_SIZE + 1];
	unsigned long inputs = 0;
	long files = argc == 2 ? replay_corpus(argv[1], buf, sizeof(buf), run_all, &inputs) : -1;

	if (files < 0) {
		fprintf(stderr, "usage: replay_token_decode CORPUS_DIR\n");
		return 2;
	}
	printf("replay: %ld corpus files, %lu decoder inputs, no crash\n", files, inputs);
	return files ? 0 : 1;
}
