# Developer tools (issue 3): hello world (host, 32-bit, wasm, debuggers),
# liballigatorc (shared library, LD_PRELOAD), the C API test, WASI builds,
# and fuzzing (AFL++, libFuzzer, corpus replays under ASan+UBSan and valgrind).
# Documented in docs/devtools.md.

# ---- fuzzing ---------------------------------------------------------------
FUZZ_SRC     := fuzz/alligator_fuzz.c
FUZZ_DEPS    := $(FUZZ_SRC) $(CORE) src/heap_host.c $(HDRS)
FUZZ_SECONDS ?= 300
AFL_CC       ?= afl-clang-fast
AFL_FUZZ     ?= afl-fuzz
FUZZ_OUT     ?= fuzz/afl_out
# The allocator and the harness both instrumented; assertions on.
FUZZ_CFLAGS  := $(WARN) -O2 -g -DALLIGATOR_PREFIX -DALLIGATOR_DEBUG -Isrc

$(B)/fuzz/afl-harness: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) $(FUZZ_SRC) $(CORE) src/heap_host.c -o $@

afl-build: $(B)/fuzz/afl-harness

# AFL_SKIP_CPUFREQ: shared machines have no say over the governor.
liballigatorc-fuzz: afl-build
	@mkdir -p $(FUZZ_OUT)
	AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	  $(AFL_FUZZ) -i fuzz/corpus -o $(FUZZ_OUT) -x fuzz/alligator.dict -t 500 -V $(FUZZ_SECONDS) \
	  -- $(B)/fuzz/afl-harness @@
	@bash fuzz/summary.sh $(FUZZ_OUT)

.PHONY: afl-build liballigatorc-fuzz
