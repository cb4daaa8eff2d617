# Quick start: `make run` (serve on 127.0.0.1:50051, data in ./data) and
# `make test` (every test through CTest). Both install missing Debian packages
# first, with sudo when not root.

BUILD_DIR ?= build
JOBS ?= 2
CMAKE_BUILD_TYPE ?= RelWithDebInfo

# deps/: one package per line, shared with the Dockerfile.
APT_PACKAGES := $(shell sed 's/\#.*//' deps/debian-build.txt deps/debian-test.txt)

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

FUZZ_SECONDS ?= 60

.PHONY: all deps build run cluster cluster-stop test asan-build asan tsan fuzz format clean

all: build

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@[ -x node_modules/.bin/buf ] || npm ci --no-audit --no-fund --silent

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/bin/content-server

# Replicated mode on loopback: a 3-member etcd and 3 replicas (data, logs
# and pids in ./cluster-data); prints the addresses clients take.
cluster: build
	CONTENT_SERVER=$(BUILD_DIR)/bin/content-server tools/cluster/cluster.sh start

cluster-stop:
	tools/cluster/cluster.sh stop

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 300

# Sanitizers (clang): every test with AddressSanitizer and
# UndefinedBehaviorSanitizer; the concurrent storage tests with
# ThreadSanitizer; each libFuzzer target for FUZZ_SECONDS.
asan-build: deps
	cmake --preset asan
	cmake --build --preset asan

asan: asan-build
	ctest --preset asan

tsan: deps
	cmake --preset tsan
	cmake --build --preset tsan
	ctest --preset tsan

fuzz: asan-build
	tests/fuzz/run.sh $(FUZZ_SECONDS)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan
