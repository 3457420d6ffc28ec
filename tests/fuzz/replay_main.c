/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Corpus replay for builds without libFuzzer: runs LLVMFuzzerTestOneInput on
 * every file of the corpus directory, on every prefix of each (truncated
 * CBOR) and on each with every single byte inverted (wrong tags, types,
 * lengths). Prints the count; a crash or an ASan report fails the test.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "token_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long run_all(uint8_t *buf, size_t len)
{
	unsigned long n = 0;

	LLVMFuzzerTestOneInput(buf, len);
	n++;
	for (size_t cut = 0; cut < len; cut++, n++)
		LLVMFuzzerTestOneInput(buf, cut);
	for (size_t i = 0; i < len; i++, n++) {
		buf[i] ^= 0xff;
		LLVMFuzzerTestOneInput(buf, len);
		buf[i] ^= 0xff;
	}
	return n;
}

int main(int argc, char **argv)
{
	static uint8_t buf[CCA_MAX_TOKEN_SIZE + 1];
	unsigned long inputs = 0, files = 0;
	char path[4096];
	struct dirent *de;
	DIR *d;

	if (argc != 2 || !(d = opendir(argv[1]))) {
		fprintf(stderr, "usage: replay_token_decode CORPUS_DIR\n");
		return 2;
	}
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
		inputs += run_all(buf, len);
		files++;
	}
	closedir(d);
	printf("replay: %lu corpus files, %lu decoder inputs, no crash\n", files, inputs);
	return files ? 0 : 1;
}
