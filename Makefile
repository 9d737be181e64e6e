# The two commands of the README. Everything else is CMake and ctest.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build test certify clean

all: build

deps:
	scripts/install-deps

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19

build: configure
	cmake --build $(BUILD_DIR) --parallel $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure --parallel $(JOBS)

# The CI gate on the bundled configuration: the verifier's proofs, then bounds, measurements,
# cross-check and budgets of every allocator image; reports in $(BUILD_DIR)/reports. Exit 1: a budget exceeded; 2: unsound.
certify: build
	mkdir -p $(BUILD_DIR)/reports
	$(BUILD_DIR)/cli/clockwork verify --target rv32imc --target cortex-m4 --target avr --target x86-64 --json $(BUILD_DIR)/reports/verify.json
	$(BUILD_DIR)/cli/clockwork certify --config clockwork.json --out $(BUILD_DIR)/reports

clean:
	rm -rf $(BUILD_DIR)
