# A thin wrapper over CMake: the real build is CMakeLists.txt.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps configure build demo test bench asan clean

all: build

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCUSTOS_WERROR=ON $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@$(BUILD)/bin/custos-demo

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The three articles the workload is about, then every encoded gz-2012 article.
bench: build
	@$(BUILD)/bin/custos-bench
	@echo
	@$(BUILD)/bin/custos-bench --articles all

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer, in their own build tree.
asan:
	@$(MAKE) test BUILD=build-asan BUILD_TYPE=Debug CMAKE_FLAGS="-DCUSTOS_SANITIZE=ON"

clean:
	@rm -rf $(BUILD) build-asan
