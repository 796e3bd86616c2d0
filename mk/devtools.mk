# Developer tools (issue 3): hello world (host, 32-bit, wasm, debuggers),
# liballigatorc (shared + static library, LD_PRELOAD), the C API test
# (build/c-test, also as wasm32-wasi), and fuzzing (AFL++, libFuzzer, corpus
# replays under ASan+UBSan and valgrind).  User guide: docs/devtools.md.

HELLO         := examples/hello-world/hello.c
ALLIGATOR_SRC := $(CORE) src/heap_host.c

# ---- hello world -------------------------------------------------------------
$(B)/hello/hello-host: $(HELLO) $(B)/host/liballigator.a
	@mkdir -p $(@D)
	$(CC) $(WARN) $(HOST_CFLAGS) -Isrc $< $(B)/host/liballigator.a -o $@

# 32-bit pointers, like wasm32 (needs gcc-multilib).
$(B)/hello/hello-host32: $(HELLO) $(ALLIGATOR_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) -m32 $(WARN) $(HOST_CFLAGS) -Isrc $< $(ALLIGATOR_SRC) -o $@

# For debuggers: no optimisation, full debug information, allocator included.
$(B)/hello/hello-debug: $(HELLO) $(ALLIGATOR_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O0 -g -Isrc $< $(ALLIGATOR_SRC) -o $@

HELLO_HOST := $(B)/hello/hello-host
ifeq ($(HAVE_M32),yes)
HELLO_HOST += $(B)/hello/hello-host32
endif

hello-world-build-host: $(HELLO_HOST)

hello-world-run-host: hello-world-build-host
	@for p in $(HELLO_HOST); do echo "+ $$p"; $$p || exit 1; done

# DEBUG_BATCH=1: no prompt; stop at the first malloc, print the backtrace, quit.
DEBUGGER ?= $(if $(shell command -v lldb),lldb,gdb)
hello-world-debug-host: $(B)/hello/hello-debug
	@bash scripts/devtools/debug-host.sh $(DEBUGGER) $(if $(DEBUG_BATCH),batch,interactive) $<

# wasm, through the port file, as an application would build it.
$(B)/hello/alligator.js: $(HELLO) $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py \
	  $(WARN) -O2 -sALLOW_MEMORY_GROWTH=1 $< -o $@

hello-world-build-wasm: $(B)/hello/alligator.js

hello-world-run-wasm: hello-world-build-wasm
	$(NODE_RUN) $(B)/hello/alligator.js

# Debug builds for Chromium DevTools.  Emscripten 3.1.6 drops DWARF when it
# writes a source map (wasm-opt --strip-dwarf), so there are two: a source-map
# build (DevTools shows the C sources by itself) and a DWARF build (for the
# "C/C++ DevTools Support (DWARF)" extension: variables, types, stepping).
# The allocator is compiled from source here (not the port's cached -O2
# archive) so that malloc and free can be stepped into.
HELLO_DEBUG_FLAGS := $(WARN) -O0 -sALLOW_MEMORY_GROWTH=1 -sMALLOC=none -Isrc -DALLIGATOR_JS $(HELLO) $(CORE) \
  $(PORT_C) --js-library js/library_alligator.js
# Where the browser fetches the source map from (the server of the printed steps).
DEBUG_URL ?= http://localhost:8000
$(B)/hello/debug/alligator.js: $(HELLO) $(PORT_SRCS)
	@mkdir -p $(@D)
	$(EMCC) -g -gsource-map --source-map-base $(DEBUG_URL)/$(B)/hello/debug/ $(HELLO_DEBUG_FLAGS) -o $(@D)/alligator.html
$(B)/hello/debug-dwarf/alligator.js: $(HELLO) $(PORT_SRCS)
	@mkdir -p $(@D)
	$(EMCC) -g $(HELLO_DEBUG_FLAGS) -o $(@D)/alligator.html

hello-world-debug-wasm: $(B)/hello/debug/alligator.js $(B)/hello/debug-dwarf/alligator.js
	@sed 's|@B@|$(B)|g; s|@URL@|$(DEBUG_URL)|g' scripts/devtools/debug-wasm.txt

WASM_TESTS += $(B)/hello/alligator.js $(B)/hello/debug/alligator.js $(B)/hello/debug-dwarf/alligator.js

# ---- liballigatorc: shared and static library for hosts ---------------------
$(B)/pic/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -fPIC -Isrc -c $< -o $@

PIC_OBJS := $(ALLIGATOR_SRC:src/%.c=$(B)/pic/%.o)

# Under build/ (make clean removes them): $(B)/liballigatorc.so and .a.
LIBC_SO := $(B)/liballigatorc.so
LIBC_A  := $(B)/liballigatorc.a
$(LIBC_SO): $(PIC_OBJS)
	$(CC) -shared -Wl,-soname,liballigatorc.so -o $@ $^

$(LIBC_A): $(PIC_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

liballigatorc-build: $(LIBC_SO) $(LIBC_A)

# clang (14) treats malloc as writing no memory of the program, errno
# included, and folds `errno = 0; malloc(huge) ... errno == ENOMEM` to false;
# the API test is compiled without builtins so it sees what malloc really did.
TESTC_CFLAGS := $(WARN) -O2 -g -fno-builtin -Isrc

# build/c-test: the API test against the shared library (found next to it).
$(B)/c-test: test/c/test-c.c src/alligator.h $(LIBC_SO)
	$(CC) $(TESTC_CFLAGS) $< -L$(B) -lalligatorc '-Wl,-rpath,$$ORIGIN' -o $@

$(B)/c/c-test-static: test/c/test-c.c $(LIBC_A)
	@mkdir -p $(@D)
	$(CC) $(TESTC_CFLAGS) $< $(LIBC_A) -o $@

$(B)/c/c-test32: test/c/test-c.c $(ALLIGATOR_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) -m32 $(TESTC_CFLAGS) -DALLIGATOR_DEBUG $< $(ALLIGATOR_SRC) -o $@

c-test-build: $(B)/c-test

# A multi-threaded stress program, run with LD_PRELOAD=build/liballigatorc.so.
$(B)/c/thread-stress: test/c/thread-stress.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -pthread $< -ldl -o $@

# fork() beside stdio threads, and from a signal handler inside malloc (glibc's
# tst-malloc-fork-deadlock and tst-mallocfork2 patterns), under LD_PRELOAD.
$(B)/c/fork-stdio $(B)/c/fork-signal: $(B)/c/%: test/c/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -pthread $< -o $@

C_TESTS := $(B)/c-test $(B)/c/c-test-static
ifeq ($(HAVE_M32),yes)
C_TESTS += $(B)/c/c-test32
endif

# The C test, then real programs on liballigatorc via LD_PRELOAD.
test-liballigatorc: $(C_TESTS) $(LIBC_SO) $(B)/c/thread-stress $(B)/c/fork-stdio $(B)/c/fork-signal
	@bash scripts/devtools/test-liballigatorc.sh $(C_TESTS)

# ---- WASI: wasm32-wasi with Alligator instead of wasi-libc's dlmalloc ---------
WASI_CC      ?= clang
WASI_SYSROOT ?= $(B)/wasi-sysroot
# -fno-builtin: as TESTC_CFLAGS (on wasi errno is even a plain global).
WASI_FLAGS   := --target=wasm32-wasi --sysroot=$(WASI_SYSROOT) $(WARN) -O2 -fno-builtin -Isrc -Wl,-z,stack-size=1048576
WASI_ALLIGATOR := $(CORE) src/heap_wasi.c

# Debian's wasi-libc: headers and libraries where clang --sysroot expects them.
$(WASI_SYSROOT)/.done:
	@mkdir -p $(WASI_SYSROOT)/lib
	ln -sfn /usr/include/wasm32-wasi $(WASI_SYSROOT)/include
	ln -sfn /usr/lib/wasm32-wasi $(WASI_SYSROOT)/lib/wasm32-wasi
	@touch $@

# Our sources come first on the link line: malloc and __libc_malloc & co. are
# then defined, and libc.a's dlmalloc.o is never pulled in.
$(B)/wasi/%.wasm: test/c/%.c $(WASI_ALLIGATOR) $(HDRS) $(WASI_SYSROOT)/.done
	@mkdir -p $(@D)
	$(WASI_CC) $(WASI_FLAGS) $< $(WASI_ALLIGATOR) -o $@

$(B)/wasi/hello.wasm: $(HELLO) $(WASI_ALLIGATOR) $(HDRS) $(WASI_SYSROOT)/.done
	@mkdir -p $(@D)
	$(WASI_CC) $(WASI_FLAGS) $< $(WASI_ALLIGATOR) -o $@

wasi-build: $(B)/wasi/test-c.wasm $(B)/wasi/model.wasm $(B)/wasi/hello.wasm

# Runs in V8 (Node) with @bjorn3/browser_wasi_shim; also run by Mocha.
wasi-run: wasi-build
	$(NODE) scripts/devtools/run-wasi.js $(B)/wasi/test-c.wasm

WASM_TESTS += $(B)/wasi/test-c.wasm $(B)/wasi/model.wasm $(B)/wasi/hello.wasm

# test-c under Emscripten too (the make route: archive + flags).
$(B)/test/test-c-em.js: test/c/test-c.c $(ALLIGATOR_WASM_LIB) js/library_alligator.js
	@mkdir -p $(@D)
	$(EMCC) $(WARN) -O2 -fno-builtin -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node -Isrc $< $(ALLIGATOR_WASM_LDFLAGS) -o $@

WASM_TESTS += $(B)/test/test-c-em.js

# ---- fuzzing -------------------------------------------------------------------
FUZZ_SRC     := fuzz/alligator_fuzz.c
FUZZ_DEPS    := $(FUZZ_SRC) $(ALLIGATOR_SRC) $(HDRS)
FUZZ_SECONDS ?= 300
AFL_CC       ?= afl-clang-fast
AFL_FUZZ     ?= afl-fuzz
FUZZ_OUT     ?= fuzz/afl_out
FUZZ_INPUTS   = $(wildcard fuzz/corpus/* fuzz/regressions/*)
# Always the prefixed build: the harness's own stdio never touches the heap
# under test, and sanitizers see Alligator as ordinary code.  Assertions on.
FUZZ_CFLAGS  := $(WARN) -g -DALLIGATOR_PREFIX -DALLIGATOR_DEBUG -Isrc

# AFL++: allocator and harness both instrumented by afl-clang-fast.
$(B)/fuzz/afl-harness: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) -O2 $(FUZZ_SRC) $(ALLIGATOR_SRC) -o $@

afl-build: $(B)/fuzz/afl-harness

# AFL_SKIP_CPUFREQ: shared machines have no say over the CPU governor.
liballigatorc-fuzz: afl-build
	@mkdir -p $(FUZZ_OUT)
	AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	  $(AFL_FUZZ) -i fuzz/corpus -o $(FUZZ_OUT) -x fuzz/alligator.dict -t 500 -V $(FUZZ_SECONDS) \
	  -- $(B)/fuzz/afl-harness @@
	@bash fuzz/summary.sh $(FUZZ_OUT)

# libFuzzer on the same model (clang).
$(B)/fuzz/libfuzzer: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -O1 -DFUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  $(FUZZ_SRC) $(ALLIGATOR_SRC) -o $@

libfuzzer-build: $(B)/fuzz/libfuzzer

liballigatorc-libfuzzer: $(B)/fuzz/libfuzzer
	@mkdir -p $(B)/fuzz/libfuzzer-corpus
	$(B)/fuzz/libfuzzer -max_total_time=$(FUZZ_SECONDS) -dict=fuzz/alligator.dict -timeout=5 \
	  $(B)/fuzz/libfuzzer-corpus fuzz/corpus

# Replays (no fuzzing time): the committed corpus and regression inputs.
$(B)/fuzz/replay-asan: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	  $(FUZZ_SRC) $(ALLIGATOR_SRC) -o $@

$(B)/fuzz/replay: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) -O1 $(FUZZ_SRC) $(ALLIGATOR_SRC) -o $@

fuzz-replay-asan: $(B)/fuzz/replay-asan $(B)/fuzz/libfuzzer
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(B)/fuzz/replay-asan $(FUZZ_INPUTS)
	@$(B)/fuzz/libfuzzer -runs=0 $(FUZZ_INPUTS) > $(B)/fuzz/libfuzzer-replay.log 2>&1 || \
	  { tail -40 $(B)/fuzz/libfuzzer-replay.log; exit 1; }
	@echo "libFuzzer build (ASan+UBSan): $$(grep -c '^Executed' $(B)/fuzz/libfuzzer-replay.log) inputs replayed"

fuzz-replay-valgrind: $(B)/fuzz/replay
	valgrind -q --error-exitcode=1 --track-origins=yes $(B)/fuzz/replay $(FUZZ_INPUTS)

fuzz-replay: fuzz-replay-asan fuzz-replay-valgrind

# Line coverage of the allocator by a corpus (gcov), each input in a fresh
# process as under AFL++:  make fuzz-coverage [FUZZ_COV_INPUTS=fuzz/afl_out/default/queue]
FUZZ_COV_INPUTS ?= fuzz/corpus
fuzz-coverage: $(FUZZ_DEPS)
	@rm -rf $(B)/fuzz/cov && mkdir -p $(B)/fuzz/cov
	cd $(B)/fuzz/cov && $(CC) -std=c11 -O0 --coverage -DALLIGATOR_PREFIX -DALLIGATOR_DEBUG -I$(CURDIR)/src \
	  $(addprefix $(CURDIR)/,$(FUZZ_SRC) $(ALLIGATOR_SRC)) -o replay-cov
	@n=0; for f in $(FUZZ_COV_INPUTS)/*; do [ -f "$$f" ] && $(B)/fuzz/cov/replay-cov "$$f" && n=$$((n + 1)); done; \
	  echo "$$n inputs replayed"
	@cd $(B)/fuzz/cov && gcov -n $(patsubst src/%.c,replay-cov-%.gcda,$(ALLIGATOR_SRC)) 2>/dev/null | \
	  grep -A1 "^File '$(CURDIR)/src/.*\.c'" | grep -v '^--' | paste - - | sed "s|$(CURDIR)/||"

# ---- what `make test` runs -----------------------------------------------------
devtools-test: hello-world-run-host $(B)/hello/hello-debug
	@bash scripts/devtools/test-debug-host.sh $(DEBUGGER) $(B)/hello/hello-debug
	@$(MAKE) --no-print-directory test-liballigatorc
	@$(MAKE) --no-print-directory fuzz-replay

TEST_TARGETS += devtools-test

help::
	@echo "make hello-world-build-host   hello world on the host (64-bit; -m32 too)"
	@echo "make hello-world-run-host     run them"
	@echo "make hello-world-build-wasm   hello world as wasm through the port (build/hello/alligator.{js/wasm})"
	@echo "make hello-world-run-wasm     run it in Node"
	@echo "make hello-world-debug-host   lldb (or gdb) on a -O0 -g build; DEBUG_BATCH=1: backtrace at malloc"
	@echo "make hello-world-debug-wasm   DWARF and source-map builds; how to debug them in Chromium"
	@echo "make liballigatorc-build      $(B)/liballigatorc.so and $(B)/liballigatorc.a (host backend; thread-safe)"
	@echo "make c-test-build             $(B)/c-test: the C API test on liballigatorc.so"
	@echo "make test-liballigatorc       c-test; python3 / sort / threads under LD_PRELOAD=$(B)/liballigatorc.so"
	@echo "make wasi-build               test-c / model / hello for wasm32-wasi with Alligator (wasi-run runs test-c)"
	@echo "make liballigatorc-fuzz       AFL++ for FUZZ_SECONDS (300) into fuzz/afl_out/"
	@echo "make liballigatorc-libfuzzer  libFuzzer + ASan + UBSan for FUZZ_SECONDS"
	@echo "make fuzz-coverage            gcov line coverage of src/ by FUZZ_COV_INPUTS (fuzz/corpus)"
	@echo "make fuzz-replay              the fuzz corpus under ASan + UBSan and valgrind (no fuzzing)"

.PHONY: hello-world-build-host hello-world-run-host hello-world-debug-host hello-world-build-wasm \
  hello-world-run-wasm hello-world-debug-wasm liballigatorc-build c-test-build test-liballigatorc wasi-build \
  wasi-run afl-build liballigatorc-fuzz libfuzzer-build liballigatorc-libfuzzer fuzz-replay fuzz-replay-asan \
  fuzz-replay-valgrind fuzz-coverage devtools-test
