# The Rust crate (issue 9): rust/ (crate `alligator`, rust/README.md) and its
# benchmark bench/rust/ (bench/README.md, "Rust").
#
#   make rust-test    cargo test on the host with rustup's and Debian's
#                     toolchains, cargo test --target wasm32-wasi in Node, and
#                     `cargo package` (the vendored C sources build); part of
#                     `make test` (scripts/rust-test.sh prints "rust: N passed")
#   make bench-rust   the Rust workloads, default wasm32 allocators against
#                     Alligator (BENCH_RUST_RUNS, BENCH_RUST_SCALE)
#   make bench-rust-quick  the same, once and small: both builds of each
#                     target must give the same checksums (no timing); part
#                     of `make test`
#
# The wasm32-unknown-unknown module and the wasm32-wasi example are built
# with the other wasm tests and run by Mocha (test/rust.test.js).  All cargo
# runs are offline, with their target directories under $(B)/.

# Debian's cargo runs the first rustc on PATH (rustup's comes first here and
# has no wasm32 std): give it its own.
DEB_RUST_ENV := PATH=/usr/bin:/bin RUSTC=/usr/bin/rustc
DEB_CARGO    := $(DEB_RUST_ENV) /usr/bin/cargo
RUST_B       := $(abspath $(B))
RUST_INPUTS  := $(wildcard rust/Cargo.toml rust/Cargo.lock rust/build.rs rust/src/*.rs rust/c/*.c rust/c/include/*.h \
                  rust/tests/*.rs rust/tests/common/*.rs rust/examples/*.rs) $(wildcard src/*.c src/*.h)
# Empty when Debian's Rust with the wasm32 std is there; else why not.
RUST_WASM_MISSING := $(if $(and $(wildcard /usr/bin/cargo),$(wildcard /usr/lib/rustlib/wasm32-wasi/lib/self-contained/libc.a),$(wildcard /usr/lib/rustlib/wasm32-unknown-unknown)),,Debian's rustc, cargo and libstd-rust-dev-wasm32 are not installed (make setup))

$(B)/rust/wasm/unknown.wasm: $(RUST_INPUTS)
	@mkdir -p $(@D)
ifeq ($(RUST_WASM_MISSING),)
	@rm -f $(@D)/SKIPPED
	cd rust && $(DEB_CARGO) build -q --offline --release --features debug --target wasm32-unknown-unknown --example unknown \
	  --target-dir $(RUST_B)/rust-debian-release
	cp $(RUST_B)/rust-debian-release/wasm32-unknown-unknown/release/examples/unknown.wasm $@
else
	@echo "rust: skipped ($(RUST_WASM_MISSING))" | tee $(@D)/SKIPPED
endif

$(B)/rust/wasm/wasi.wasm: $(RUST_INPUTS)
	@mkdir -p $(@D)
ifeq ($(RUST_WASM_MISSING),)
	cd rust && $(DEB_CARGO) build -q --offline --release --features debug --target wasm32-wasi --example wasi \
	  --target-dir $(RUST_B)/rust-debian-release
	cp $(RUST_B)/rust-debian-release/wasm32-wasi/release/examples/wasi.wasm $@
endif

# The control for the dlmalloc check: Rust's default allocator on wasm32-wasi.
$(B)/rust/wasm/plain-wasi.wasm: test/rust/plain.rs
	@mkdir -p $(@D)
ifeq ($(RUST_WASM_MISSING),)
	/usr/bin/rustc -O --target wasm32-wasi $< -o $@
endif

WASM_TESTS += $(B)/rust/wasm/unknown.wasm $(B)/rust/wasm/wasi.wasm $(B)/rust/wasm/plain-wasi.wasm

rust-test:
	@RUST_B=$(RUST_B) NODE=$(NODE) bash scripts/rust-test.sh

TEST_TARGETS += rust-test

# ---- benchmark ---------------------------------------------------------------
BENCH_RUST_RUNS  ?= 7
BENCH_RUST_SCALE ?= 100
BENCH_RUST_B     := $(RUST_B)/bench-rust
BENCH_RUST_SRC   := bench/rust/Cargo.toml bench/rust/src/lib.rs $(RUST_INPUTS)

$(BENCH_RUST_B)/stamp: $(BENCH_RUST_SRC)
	@mkdir -p $(@D)
	cd bench/rust && for t in wasm32-wasi wasm32-unknown-unknown; do \
	  $(DEB_CARGO) build -q --offline --release --target $$t --target-dir $(BENCH_RUST_B)/$$t && \
	  $(DEB_CARGO) build -q --offline --release --target $$t --features alligator --target-dir $(BENCH_RUST_B)/$$t-alligator \
	  || exit 1; done
	@touch $@

# The size floor for code sizes, and Alligator with its C side at -Oz
# (wasm32-unknown-unknown, where nothing else
# brings an allocator; on wasm32-wasi, wasi-libc keeps its dlmalloc for itself).
$(BENCH_RUST_B)/bump-stamp: $(BENCH_RUST_SRC)
	cd bench/rust && $(DEB_CARGO) build -q --offline --release --target wasm32-unknown-unknown --features bump \
	  --target-dir $(BENCH_RUST_B)/wasm32-unknown-unknown-bump
	cd bench/rust && CFLAGS=-Oz $(DEB_CARGO) build -q --offline --release --target wasm32-unknown-unknown \
	  --features alligator --target-dir $(BENCH_RUST_B)/wasm32-unknown-unknown-alligator-Oz
	@touch $@

bench-rust: $(BENCH_RUST_B)/stamp $(BENCH_RUST_B)/bump-stamp
	$(NODE) bench/rust/run.js $(BENCH_RUST_B) $(BENCH_RUST_RUNS) $(BENCH_RUST_SCALE)

bench-rust-quick:
ifeq ($(RUST_WASM_MISSING),)
	@$(MAKE) --no-print-directory $(BENCH_RUST_B)/stamp
	@$(NODE) bench/rust/run.js $(BENCH_RUST_B) 1 3 >/dev/null && echo "bench-rust: 1 passed, 0 failed (same checksums, 4 workloads x 2 targets)"
else
	@echo "bench-rust: skipped ($(RUST_WASM_MISSING))"
endif

TEST_TARGETS += bench-rust-quick

help::
	@echo "make rust-test    the Rust crate: cargo test (host: rustup + Debian; wasm32-wasi in Node), cargo package"
	@echo "make bench-rust   Rust workloads: Rust's default wasm32 allocators vs Alligator (bench/README.md)"
	@echo "make bench-rust-quick  the same once, small: identical checksums (in make test)"

.PHONY: rust-test bench-rust bench-rust-quick
