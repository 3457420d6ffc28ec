# The user's verbs. The real build is CMake + Ninja in build*/.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD ?= build
CMAKE_GEN := -G Ninja

.PHONY: all deps build run check check-unit check-asan check-tsan check-format \
	check-headers check-seams format bench clean

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
	rm -rf build build-asan build-tsan
