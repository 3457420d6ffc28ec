# The user's verbs. The real build is CMake + Ninja in build*/.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD ?= build
CMAKE_GEN := -G Ninja

.PHONY: all deps build run check check-unit check-asan check-tsan check-format \
	check-headers check-seams format bench clean fuzz stress

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	@scripts/install-deps.sh --quiet
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

# The default demo realm (guests/tests/demo.c) through the whole stack.
run: build
	$(BUILD)/src/vmm/realmkit run --realm -c 4 -m 64M -k $(BUILD)/guests/demo.elf

build-asan/build.ninja:
	@scripts/install-deps.sh --quiet
	cmake -S . -B build-asan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DRK_SANITIZE=address >/dev/null

build-tsan/build.ninja:
	@scripts/install-deps.sh --quiet
	CC=clang cmake -S . -B build-tsan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DRK_SANITIZE=thread >/dev/null

build-fuzz/build.ninja:
	@scripts/install-deps.sh --quiet
	CC=clang cmake -S . -B build-fuzz $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DRK_SANITIZE=fuzzer >/dev/null

# make fuzz: each libFuzzer target for FUZZ_SECONDS (default 60; e.g.
# FUZZ_SECONDS=600) from its committed corpus; new inputs are kept in
# build-fuzz/corpus-<name>, findings in build-fuzz/artifacts/ (add a
# minimized one to tests/fuzz/corpus/<name>/ with a regression test).
FUZZ_SECONDS ?= 60
FUZZERS := rmi:fuzz_rmi:1024 realm:fuzz_realm:4104 token:fuzz_token_decode:4096
fuzz: build-fuzz/build.ninja
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_rmi fuzz_realm fuzz_token_decode
	@mkdir -p build-fuzz/artifacts
	@for f in $(FUZZERS); do \
		IFS=: read -r name bin len <<<"$$f"; \
		mkdir -p build-fuzz/corpus-$$name; \
		echo "== $$bin: $(FUZZ_SECONDS) s"; \
		build-fuzz/tests/fuzz/$$bin -max_total_time=$(FUZZ_SECONDS) -max_len=$$len \
			-timeout=30 -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/$$name- \
			build-fuzz/corpus-$$name tests/fuzz/corpus/$$name 2>&1 | \
			grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==|SUMMARY|fuzz_rmi:|INFO: seed)' ; \
		[ "$${PIPESTATUS[0]}" -eq 0 ] || exit 1; \
	done

# make stress: the stress tests for STRESS_SECONDS each (default 30) in the
# normal build (RK_STRESS_SECONDS, read by tests/unit/test_rmi_stress.c).
STRESS_SECONDS ?= 30
stress: build
	@cd $(BUILD) && RK_STRESS_SECONDS=$(STRESS_SECONDS) ctest --output-on-failure \
		--timeout $$(( $(STRESS_SECONDS) * 2 + 120 )) -R stress -V | \
		grep -E 'stress|Passed|Failed|tests passed|failed'

# make check: every layer, then one summary line.
check:
	@scripts/check.sh

check-unit: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

check-asan: build-asan/build.ninja
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -j $(JOBS)

check-tsan: build-tsan/build.ninja
	@cmake --build build-tsan -j $(JOBS)
	@cd build-tsan && ctest --output-on-failure -j $(JOBS) -L threads

check-format:
	@scripts/check-format.sh

check-headers:
	@scripts/check-headers.sh

check-seams:
	@scripts/check-seams.sh

format:
	@scripts/check-format.sh --fix

bench: build
	@for b in $(BUILD)/bench/bench_*; do echo "== $$(basename $$b)"; $$b || exit 1; done

clean:
	rm -rf build build-asan build-tsan build-fuzz
