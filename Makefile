# A thin wrapper over CMake: the real build is CMakeLists.txt.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps configure build demo test install-test deb bench asan tsan fuzz oom format clean

all: build

# DEPS_ENV: what install-deps.sh should add (asan: the Lua with API checks).
DEPS_ENV ?=

deps:
	@$(DEPS_ENV) ./scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCUSTOS_WERROR=ON $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@$(BUILD)/bin/custos-demo

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The Debian package, built as Debian would lay it out: its own build tree configured for /usr
# (GNUInstallDirs then puts the library in lib/<multiarch>), stripped, by CPack.
DEB_BUILD ?= build-deb
deb: deps
	@cmake -S . -B $(DEB_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
		-DCUSTOS_TESTS=OFF -DCUSTOS_LUA_APICHECK=OFF -DCUSTOS_WERROR=ON >/dev/null
	@cmake --build $(DEB_BUILD) -j $(JOBS)
	@cd $(DEB_BUILD) && rm -f custos_*.deb && cpack -G DEB >/dev/null
	@ls $(DEB_BUILD)/custos_*.deb

# The install as a user gets it (tests/install/test_install.sh): a prefix install, a host built
# through pkg-config and through find_package(custos), the installed program's check and test,
# the same after moving the prefix, then the .deb installed with dpkg -i (as root) and removed.
install-test: build deb
	@sh tests/install/test_install.sh $(BUILD) $$(ls $(DEB_BUILD)/custos_*.deb)

# The three articles the workload is about, then every encoded gz-2012 article.
bench: build
	@$(BUILD)/bin/custos-bench
	@echo
	@$(BUILD)/bin/custos-bench --articles all
	@echo
	@sh bench/instructions.sh $(BUILD)

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer, in their own build tree,
# linked with a Lua that checks every C API call (LUA_USE_APICHECK; see install-deps.sh).
asan:
	@$(MAKE) test BUILD=build-asan BUILD_TYPE=Debug CMAKE_FLAGS="-DCUSTOS_SANITIZE=ON" \
		DEPS_ENV=CUSTOS_WITH_LUA_APICHECK=1

# The threaded tests (decisions racing reloads, hostile reloads, threads deciding the same bytes)
# and engines closed while their threads exit, under ThreadSanitizer.
tsan: deps
	@cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=-fsanitize=thread \
		-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread >/dev/null
	@cmake --build build-tsan -j $(JOBS) --target test_threads test_engine test_load_hostile test_entropy \
		test_close_race test_watch test_decision_log test_data_view
	@cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure \
		-R 'unit.test_(threads|engine|load_hostile|entropy|close_race|watch|decision_log|data_view)$$'

# libFuzzer on every loader (clang; see tests/fuzz/README.md), with the Lua that checks every C
# API call, as in asan: each target runs FUZZ_SECONDS on a copy of its seed corpus; a finding is
# written to build-fuzz/findings/<target>/ and fails the run (keep it as a regression input:
# tests/fuzz/regressions/<target>/).  The REPL's engine keeps Lua garbage between inputs, which
# would make libFuzzer's per-input leak check run on every input (60 times slower): it is off
# there, and the REPL's leaks are caught when its inputs are replayed under `make asan`.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= fuzz_request fuzz_data fuzz_policy fuzz_suite fuzz_repl fuzz_bytecode
fuzz:
	@CUSTOS_WITH_FUZZ=1 CUSTOS_WITH_LUA_APICHECK=1 ./scripts/install-deps.sh
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DCUSTOS_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target $(FUZZ_TARGETS)
	@rm -rf build-fuzz/tmp && mkdir -p build-fuzz/tmp
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus/$$t build-fuzz/findings/$$t && \
		cp tests/fuzz/corpus/$$t/* build-fuzz/corpus/$$t/ || exit 1; \
		case $$t in fuzz_repl) flags="-detect_leaks=0 -close_fd_mask=2 -len_control=0 -dict=tests/fuzz/fuzz_repl.dict";; \
			*) flags="";; esac; \
		if CUSTOS_SOURCE_DIR=$(CURDIR) TMPDIR=$(CURDIR)/build-fuzz/tmp build-fuzz/tests/$$t -max_total_time=$(FUZZ_SECONDS) \
			-max_len=4096 -timeout=10 -rss_limit_mb=2048 $$flags \
			-artifact_prefix=build-fuzz/findings/$$t/ build-fuzz/corpus/$$t \
			>build-fuzz/$$t.log 2>&1; then \
			echo "$$t: $$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' build-fuzz/$$t.log), no finding"; \
		else \
			tail -n 40 build-fuzz/$$t.log; echo "$$t: FINDING (build-fuzz/$$t.log, build-fuzz/findings/$$t/)"; \
			exit 1; \
		fi; \
	done

# Allocation failures at every call site of open, request building, decide (a thread's evaluator
# built, warm, on a fresh thread, after a reload), reload, eval, the policies' snapshot, JSON
# output and free: per (phase, call site) its first allocation alone, three in a row, all from
# there on, and its last allocation alone; each case in its own process (tests/oom/README.md).
# OOM_FLAGS="--phase decide" narrows it.
OOM_FLAGS ?=
oom: build
	@CUSTOS_SOURCE_DIR=$(CURDIR) $(BUILD)/tests/oom_sweep --jobs $(JOBS) $(OOM_FLAGS)

# Rewrites the C and C++ sources as .clang-format says (make test checks it: lint.format).
format:
	@clang-format -i $$(git ls-files '*.c' '*.h' '*.hpp' '*.cpp' | grep -v '^tests/fixtures/')

clean:
	@rm -rf $(BUILD) $(DEB_BUILD) build-asan build-tsan build-fuzz
