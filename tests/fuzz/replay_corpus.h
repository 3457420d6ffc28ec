/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The corpus walk the replay programs share (builds without libFuzzer):
 * every regular file of a corpus directory, read into one buffer.
 */
#ifndef REALMKIT_REPLAY_CORPUS_H
#define REALMKIT_REPLAY_CORPUS_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Runs the fuzz entry point on buf, on prefixes of it and on it with single
 * bytes inverted: every prefix and every byte when steps is 0, otherwise
 * `steps` prefixes and `steps` bytes spread over it. Returns the number of
 * runs; buf is unchanged afterwards.
 */
static inline unsigned long replay_variants(uint8_t *buf, size_t len, size_t steps)
{
	size_t step = steps && len / steps ? len / steps : 1;
	unsigned long n = 1;

	LLVMFuzzerTestOneInput(buf, len);
	for (size_t cut = steps ? step : 0; cut < len; cut += step, n++)
		LLVMFuzzerTestOneInput(buf, cut);
	for (size_t i = steps ? step / 2 : 0; i < len; i += step, n++) {
		buf[i] ^= 0xff;
		LLVMFuzzerTestOneInput(buf, len);
		buf[i] ^= 0xff;
	}
	return n;
}

/*
 * Calls run(buf, len, ctx) for each file of dir (names starting with '.'
 * skipped), with at most cap bytes of it in buf. Returns the number of files
 * replayed, or -1 if dir cannot be opened.
 */
static inline long replay_corpus(const char *dir, uint8_t *buf, size_t cap,
				 void (*run)(uint8_t *buf, size_t len, void *ctx), void *ctx)
{
	char path[4096];
	struct dirent *de;
	long files = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		FILE *f;
		size_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		len = fread(buf, 1, cap, f);
		fclose(f);
		run(buf, len, ctx);
		files++;
	}
	closedir(d);
	return files;
}

#endif /* REALMKIT_REPLAY_CORPUS_H */
