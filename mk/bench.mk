# Benchmark (issues 4 and 10): Alligator vs Emscripten's dlmalloc and emmalloc
# (and glibc on the host).  See bench/README.md.
#
#   make bench         build everything, run every measurement, print the
#                      tables, write bench/results/latest.{json,svg}
#   make run-wasm      the same
#   make bench-quick   every allocator runs every workload once, small, and
#                      the checksums must agree, and the code-size modules
#                      (and the size per function) are measured (no
#                      timing); `make test` runs
#                      it as the Mocha test test/bench.test.js
#
# Knobs: BENCH_RUNS (timed runs per cell, median; default 5), BENCH_SCALE
# (workload length; default 1), BENCH_ONLY (comma list of node, chromium,
# host, instr, size), BENCH_LOADED=1 (mark the run as on a loaded machine).

BENCH_B    := $(B)/bench
BENCH_ARCH := $(if $(filter yes,$(HAVE_M32)),-m32 -msse2 -mfpmath=sse,)
EM_ROOT    ?= $(shell em-config EMSCRIPTEN_ROOT 2>/dev/null || echo /usr/share/emscripten)
EM_SYSLIB  := $(EM_ROOT)/system/lib
BENCH_OPT  := -O2
BENCH_SRC  := bench/workloads.c bench/bench.h
BENCH_ALLOCS := alligator dlmalloc emmalloc
BENCH_HOST_ALLOCS := alligator dlmalloc emmalloc glibc

# ---- wasm: one module per allocator, same source, same flags ----------------
BENCH_EMFLAGS := $(BENCH_OPT) $(WARN) -sMODULARIZE -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node,web \
  -sEXPORTED_RUNTIME_METHODS=UTF8ToString \
  -sEXPORTED_FUNCTIONS=_bench_wasm_run,_bench_wasm_ops,_bench_wasm_peak_live,_bench_wasm_peak_heap,_bench_wasm_workloads,_bench_wasm_workload_name
BENCH_WASM_SRC := bench/workloads.c bench/wasm_main.c

$(BENCH_B)/wasm/bench-alligator.js: $(BENCH_SRC) bench/wasm_main.c $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py \
	  $(BENCH_EMFLAGS) -sEXPORT_NAME=createBench_alligator $(BENCH_WASM_SRC) -o $@

$(BENCH_B)/wasm/bench-%.js: $(BENCH_SRC) bench/wasm_main.c
	@mkdir -p $(@D)
	$(EMCC) -sMALLOC=$* $(BENCH_EMFLAGS) -sEXPORT_NAME=createBench_$* $(BENCH_WASM_SRC) -o $@

BENCH_WASM := $(BENCH_ALLOCS:%=$(BENCH_B)/wasm/bench-%.js)

# ---- code size: a minimal -Oz module exporting the malloc family -----------
BENCH_SIZEFLAGS := -Oz --no-entry -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node \
  -sEXPORTED_FUNCTIONS=_malloc,_free,_realloc,_calloc,_memalign

$(BENCH_B)/size/baseline.js: bench/size/bump.c
	@mkdir -p $(@D)
	$(EMCC) -sMALLOC=none $(BENCH_SIZEFLAGS) bench/size/bump.c $(EM_SYSLIB)/sbrk.c -o $@

$(BENCH_B)/size/alligator.js: bench/size/empty.c $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py \
	  $(BENCH_SIZEFLAGS) bench/size/empty.c -o $@

# Alligator without its JS layer (the port's js=false: no Module.alligator, no
# statistics exports, heap check or heap map): what the allocator costs alone.
$(BENCH_B)/size/alligator-nojs.js: bench/size/empty.c $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py:js=false \
	  $(BENCH_SIZEFLAGS) bench/size/empty.c -o $@

# The same link keeping function names (--profiling-funcs: a "name" section,
# the same code): the per-function breakdown (bench/wasm_funcs.js).
$(BENCH_B)/size/alligator-nojs-names.js: bench/size/empty.c $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py:js=false \
	  $(BENCH_SIZEFLAGS) --profiling-funcs bench/size/empty.c -o $@

# The library itself compiled at -Oz, without the JS layer (for comparison).
$(BENCH_B)/size/liballigator-Oz.a: $(PORT_SRCS)
	@rm -rf $(@D)/oz && mkdir -p $(@D)/oz
	for f in $(CORE) $(filter-out port/stats_js.c,$(PORT_C)); do \
	  $(EMCC) $(WARN) -Oz -Isrc -c $$f -o $(@D)/oz/$$(basename $$f .c).o || exit 1; done
	emar rcs $@ $(@D)/oz/*.o

$(BENCH_B)/size/alligator-Oz.js: bench/size/empty.c $(BENCH_B)/size/liballigator-Oz.a
	$(EMCC) -sMALLOC=none $(BENCH_SIZEFLAGS) bench/size/empty.c $(BENCH_B)/size/liballigator-Oz.a -o $@

$(BENCH_B)/size/%.js: bench/size/empty.c
	@mkdir -p $(@D)
	$(EMCC) -sMALLOC=$* $(BENCH_SIZEFLAGS) bench/size/empty.c -o $@

# (complete here: rules below list it as prerequisites, expanded when read)
BENCH_SIZE := $(BENCH_B)/size/baseline.js $(BENCH_ALLOCS:%=$(BENCH_B)/size/%.js) $(BENCH_B)/size/alligator-Oz.js \
              $(BENCH_B)/size/alligator-nojs.js $(BENCH_B)/size/alligator-nojs-names.js

# ---- host: the same workloads natively (i686 where gcc-multilib is there:
# 32-bit pointers as in wasm32), plus glibc --------------------------------------
BENCH_HCFLAGS := $(BENCH_ARCH) $(BENCH_OPT) -g -fno-pie -no-pie -Wl,-z,now
BENCH_PEER_CFLAGS := $(BENCH_ARCH) $(BENCH_OPT) -g -fno-pie -w   # third-party sources as shipped: not our warnings
BENCH_HOST_MAIN := bench/workloads.c bench/host/main.c

# Emscripten's dlmalloc.c natively: the prefixed names (dlmalloc, dlfree...),
# memory from the shim's sbrk, no mmap, no trimming (as in Emscripten).
$(BENCH_B)/host/dlmalloc.o: $(EM_SYSLIB)/dlmalloc.c bench/host/shim.h
	@mkdir -p $(@D)
	$(CC) $(BENCH_PEER_CFLAGS) -DUSE_DL_PREFIX -DHAVE_MMAP=0 -DHAVE_MORECORE=1 -DMORECORE=bench_sbrk \
	  -DMORECORE_CANNOT_TRIM=1 -DNO_MALLOC_STATS=1 -include bench/host/shim.h -c $< -o $@

# Emscripten's emmalloc.c natively: its exported names renamed away from the C
# library's, emscripten headers stubbed (bench/host/stub), and its
# "max_align_t is 8" assertion dropped (it holds in wasm32, not on i686).
$(BENCH_B)/host/emmalloc.c: $(EM_SYSLIB)/emmalloc.c
	@mkdir -p $(@D)
	sed -e '/static_assert(alignof(max_align_t) == 8/d' $< > $@

EMMALLOC_RENAME := -Dmalloc=emh_malloc -Dfree=emh_free -Dcalloc=emh_calloc -Drealloc=emh_realloc \
  -Dmemalign=emh_memalign -Daligned_alloc=emh_aligned_alloc -Dposix_memalign=emh_posix_memalign \
  -Dmalloc_usable_size=emh_malloc_usable_size -Dmallinfo=emh_mallinfo -Dmalloc_trim=emh_malloc_trim \
  -D__libc_malloc=emh_libc_malloc -D__libc_free=emh_libc_free -D__libc_calloc=emh_libc_calloc \
  -D__libc_realloc=emh_libc_realloc -Dsbrk=bench_sbrk -DNDEBUG

$(BENCH_B)/host/emmalloc.o: $(BENCH_B)/host/emmalloc.c bench/host/stub/emscripten.h bench/host/shim.h
	$(CC) $(BENCH_PEER_CFLAGS) $(EMMALLOC_RENAME) -Ibench/host/stub -c $< -o $@

$(BENCH_B)/host/shim.o: bench/host/shim.c bench/host/shim.h
	@mkdir -p $(@D)
	$(CC) $(WARN) $(BENCH_ARCH) $(BENCH_OPT) -g -fno-pie -c $< -o $@

# $(1): suffix ("" timing, "-instr" callgrind), $(2): extra flags, $(3): extra
# sources (the -instr builds also run the fast-path pair, bench/host/pair.c)
define BENCH_HOST_RULES
$(BENCH_B)/host/bench-alligator$(1): $(BENCH_SRC) bench/host/main.c $(3) bench/host/heap_alligator.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $$(@D)
	$(CC) $(WARN) $(BENCH_HCFLAGS) $(2) -DBENCH_ALLIGATOR -DALLIGATOR_PREFIX -DALLIGATOR_SINGLE_THREADED -Isrc $(BENCH_HOST_MAIN) $(3) bench/host/heap_alligator.c $(CORE) src/heap_host.c -o $$@
$(BENCH_B)/host/bench-dlmalloc$(1): $(BENCH_SRC) bench/host/main.c $(3) bench/host/heap_peer.c $(BENCH_B)/host/dlmalloc.o $(BENCH_B)/host/shim.o
	$(CC) $(WARN) $(BENCH_HCFLAGS) $(2) -DBENCH_DLMALLOC $(BENCH_HOST_MAIN) $(3) bench/host/heap_peer.c $(BENCH_B)/host/dlmalloc.o $(BENCH_B)/host/shim.o -o $$@
$(BENCH_B)/host/bench-emmalloc$(1): $(BENCH_SRC) bench/host/main.c $(3) bench/host/heap_peer.c $(BENCH_B)/host/emmalloc.o $(BENCH_B)/host/shim.o
	$(CC) $(WARN) $(BENCH_HCFLAGS) $(2) -DBENCH_EMMALLOC $(BENCH_HOST_MAIN) $(3) bench/host/heap_peer.c $(BENCH_B)/host/emmalloc.o $(BENCH_B)/host/shim.o -o $$@
$(BENCH_B)/host/bench-glibc$(1): $(BENCH_SRC) bench/host/main.c $(3) bench/host/heap_glibc.c
	@mkdir -p $$(@D)
	$(CC) $(WARN) $(BENCH_HCFLAGS) $(2) $(BENCH_HOST_MAIN) $(3) bench/host/heap_glibc.c -o $$@
endef
$(eval $(call BENCH_HOST_RULES,,))
$(eval $(call BENCH_HOST_RULES,-instr,-DBENCH_INSTR,bench/host/pair.c))

BENCH_HOST  := $(BENCH_HOST_ALLOCS:%=$(BENCH_B)/host/bench-%)
BENCH_INSTR := $(BENCH_HOST_ALLOCS:%=$(BENCH_B)/host/bench-%-instr)

# ---- targets -------------------------------------------------------------------
.PHONY: bench run-wasm bench-quick bench-build bench-report

bench-build: $(BENCH_WASM) $(BENCH_SIZE) $(BENCH_HOST) $(BENCH_INSTR)

bench: setup
	@echo "bench: building (wasm modules, code-size modules, host and callgrind binaries)"
	@$(MAKE) --no-print-directory bench-build
	@$(NODE) bench/run.js --build $(BENCH_B) --out bench/results \
	  $(if $(BENCH_RUNS),--runs $(BENCH_RUNS)) $(if $(BENCH_SCALE),--scale $(BENCH_SCALE)) \
	  $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) $(if $(BENCH_LOADED),--loaded)

run-wasm: bench

# Tables and chart again from bench/results/latest.json (no measuring).
bench-report:
	@$(NODE) bench/report.js bench/results/latest.json

bench-quick: $(BENCH_WASM) $(BENCH_HOST) $(BENCH_SIZE)
	@$(NODE) bench/run.js --quick --build $(BENCH_B)

# npm test / make test: the quick mode runs as a Mocha test (test/bench.test.js)
# once test-wasm has built these.
WASM_TESTS += $(BENCH_WASM) $(BENCH_HOST) $(BENCH_SIZE)
# and, where valgrind is there, Alligator's callgrind binary: the fast-path
# pair and its per-instruction profile (bench/README.md's commands)
ifneq ($(wildcard /usr/include/valgrind/callgrind.h),)
WASM_TESTS += $(BENCH_B)/host/bench-alligator-instr
endif
help::
	@echo "make bench       benchmark Alligator vs dlmalloc/emmalloc/glibc: tables + bench/results/latest.{json,svg}"
	@echo "make bench-quick every allocator runs every workload (small); checksums must agree; no timing"


# ---- repeated workloads with blocks live across the runs (a measurement) ----
#   make bench-repeat-live   how many of test/c/repeat.h's random mixes grow the
#                            heap after their second run, Alligator and dlmalloc
REPEAT_LIVE_CASES := "1 100 100 0" "1 100 98304 0" "1 100 0 8"
$(BENCH_B)/host/bench-repeat-live-alligator: bench/host/repeat_live.c test/c/repeat.h $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(BENCH_HCFLAGS) -DALLIGATOR_PREFIX -DALLIGATOR_SINGLE_THREADED -Isrc $< $(CORE) src/heap_host.c -o $@
$(BENCH_B)/host/bench-repeat-live-dlmalloc: bench/host/repeat_live.c test/c/repeat.h $(BENCH_B)/host/dlmalloc.o $(BENCH_B)/host/shim.o
	$(CC) $(WARN) $(BENCH_HCFLAGS) -DBENCH_DLMALLOC -Ibench/host $< $(BENCH_B)/host/dlmalloc.o $(BENCH_B)/host/shim.o -o $@
.PHONY: bench-repeat-live
bench-repeat-live: $(BENCH_B)/host/bench-repeat-live-alligator $(BENCH_B)/host/bench-repeat-live-dlmalloc
	@for a in alligator dlmalloc; do for c in $(REPEAT_LIVE_CASES); do \
	  printf '%-10s ' $$a; $(BENCH_B)/host/bench-repeat-live-$$a $$c || exit 1; done; done
help::
	@echo "make bench-repeat-live  repeated workloads with blocks kept live: mixes whose heap grows (Alligator, dlmalloc)"
