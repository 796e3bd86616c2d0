# Alligator: C library, host and wasm builds, tests.   `make help` lists the targets.
SHELL := /bin/bash
CC    ?= cc
EMCC  ?= emcc
EMXX  ?= em++
NODE  ?= node
# Debian's emcc needs its acorn (NODE_PATH); 3.1.6's loader trips on Node's fetch.
export NODE_PATH ?= /usr/share/nodejs
NODE_RUN := $(NODE) --no-experimental-fetch

B    := build
.DEFAULT_GOAL := all
# The allocator core: every src/*.c but the heap backends src/heap_*.c (the
# same rule as emscripten.py's and the Rust crate's: nothing lists the files).
CORE := $(filter-out src/heap_%.c,$(sort $(wildcard src/*.c)))
HDRS := $(wildcard src/*.h)
# The port's extras (port/*.c, with the Emscripten backend heap_emscripten.c).
PORT_C := $(sort $(wildcard port/*.c))
# Everything a build through the port depends on.  The port caches its
# library by name (as emcc does): the stamp clears that cache when they change.
PORT_DEPS := $(B)/port-cache/stamp
PORT_SRCS := emscripten.py js/library_alligator.js $(CORE) $(PORT_C) $(HDRS)
# A build through the port file, on any Emscripten (test/port/use_port.py runs
# emcc itself on >= 3.1.54):  $(USE_PORT) [emcc args] --use-port=emscripten.py[:opt=v]
PORT_RUN_IN = python3 test/port/use_port.py --cache $(1)
PORT_RUN := $(call PORT_RUN_IN,$(B)/port-cache)
USE_PORT := $(PORT_RUN) $(EMCC) -sMALLOC=none
WARN := -std=c11 -Wall -Wextra -Werror
HOST_CFLAGS  ?= -O2 -g
WASM_CFLAGS  ?= -O2
# gcc-multilib present?  (probed once, here, for every mk/*.mk)
HAVE_M32 := $(shell echo 'int main(void){return 0;}' | $(CC) -m32 -x c - -o /dev/null 2>/dev/null && echo yes)

# The route for Emscripten without --use-port (3.1.6): link one of these
# archives with these flags.  `make wasm-flags` / `make wasm-flags-mt` print
# them with absolute paths.  The lock-free archive carries an object compiled
# without atomics whose name says what to use instead: wasm-ld refuses it in
# a shared-memory link (-pthread) with "--shared-memory is disallowed by
# liballigator.a(NOT-THREAD-SAFE--use-liballigator-mt.a-with--pthread.o)".
ALLIGATOR_WASM_LIB     := $(B)/wasm/liballigator.a
ALLIGATOR_WASM_LIB_MT  := $(B)/wasm/liballigator-mt.a
WASM_FLAGS_OF = -sMALLOC=none $(1) -I$(2)src --js-library $(2)js/library_alligator.js
ALLIGATOR_WASM_LDFLAGS    := $(call WASM_FLAGS_OF,$(ALLIGATOR_WASM_LIB),)
ALLIGATOR_WASM_LDFLAGS_MT := -pthread $(call WASM_FLAGS_OF,$(ALLIGATOR_WASM_LIB_MT),)
ST_MARKER := NOT-THREAD-SAFE--use-liballigator-mt.a-with--pthread

help::
	@echo "make setup       install what is missing (Debian emscripten, npm packages)"
	@echo "make host-lib    $(B)/host/liballigator.a (host shim backend)"
	@echo "make wasm-lib    $(ALLIGATOR_WASM_LIB) and $(ALLIGATOR_WASM_LIB_MT) (thread-safe) for -sMALLOC=none"
	@echo "make wasm-flags     the link flags for the make route (Emscripten < 3.1.54), single-threaded"
	@echo "make wasm-flags-mt  the same for threads: -pthread and the locked archive (also: wasm-flags THREADS=1)"
	@echo "make test        set up what is missing, then the whole suite (same as npm test)"
	@echo "make check       the whole suite without the set-up step"
	@echo "make release     $(B)/release/: the port as a zip, its SHA-512, the contrib descriptor"
	@echo "make demo        build the demo through the port and print its heap statistics"

# Further parts of the build (hello world, fuzzing, benchmark, web page) live in
# mk/*.mk.  Each may add to TEST_TARGETS (run by `make test`, after the core
# suite) and WASM_TESTS (built before Mocha runs), and its own `help::` recipe.
TEST_TARGETS :=
WASM_TESTS :=
-include $(sort $(wildcard mk/*.mk))

.PHONY: all help setup host-lib wasm-lib wasm-flags wasm-flags-mt release test check test-native test-wasm test-js demo clean

all: host-lib wasm-lib

setup:
	@bash scripts/setup.sh

# ---- libraries -------------------------------------------------------------
$(B)/host/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(HOST_CFLAGS) -Isrc -c $< -o $@

$(B)/host/liballigator.a: $(CORE:src/%.c=$(B)/host/%.o) $(B)/host/heap_host.o
	$(AR) rcs $@ $^

host-lib: $(B)/host/liballigator.a

$(B)/wasm/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(WARN) $(WASM_CFLAGS) -Isrc -c $< -o $@

$(B)/wasm/%.o: port/%.c $(HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(WARN) $(WASM_CFLAGS) -DALLIGATOR_JS -Isrc -c $< -o $@

# The thread-safe objects: -pthread (atomics, the lock compiled in).
$(B)/wasm-mt/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(WARN) $(WASM_CFLAGS) -pthread -Isrc -c $< -o $@

$(B)/wasm-mt/%.o: port/%.c $(HDRS)
	@mkdir -p $(@D)
	$(EMCC) $(WARN) $(WASM_CFLAGS) -pthread -DALLIGATOR_JS -Isrc -c $< -o $@

# port/single_threaded.c under the name wasm-ld will print.
$(B)/wasm/$(ST_MARKER).o: $(B)/wasm/single_threaded.o
	cp $< $@

WASM_OBJS := $(CORE:src/%.c=%.o) $(PORT_C:port/%.c=%.o)
$(ALLIGATOR_WASM_LIB): $(addprefix $(B)/wasm/,$(filter-out single_threaded.o,$(WASM_OBJS))) $(B)/wasm/$(ST_MARKER).o
	@rm -f $@
	emar rcs $@ $^

$(ALLIGATOR_WASM_LIB_MT): $(addprefix $(B)/wasm-mt/,$(WASM_OBJS))
	@rm -f $@
	emar rcs $@ $^

wasm-lib: $(ALLIGATOR_WASM_LIB) $(ALLIGATOR_WASM_LIB_MT)

# Printed without quotes, so that `emcc app.c $$(make -s wasm-flags)` works as
# written (the JS library includes itself: no -sDEFAULT_LIBRARY_FUNCS_TO_INCLUDE).
# (each builds the archive it names)
wasm-flags: $(if $(filter 1 yes,$(THREADS)),$(ALLIGATOR_WASM_LIB_MT),$(ALLIGATOR_WASM_LIB))
	@echo "$(if $(filter 1 yes,$(THREADS)),-pthread $(call WASM_FLAGS_OF,$(abspath $(ALLIGATOR_WASM_LIB_MT)),$(CURDIR)/),$(call WASM_FLAGS_OF,$(abspath $(ALLIGATOR_WASM_LIB)),$(CURDIR)/))"

wasm-flags-mt: $(ALLIGATOR_WASM_LIB_MT)
	@echo "-pthread $(call WASM_FLAGS_OF,$(abspath $(ALLIGATOR_WASM_LIB_MT)),$(CURDIR)/)"

$(PORT_DEPS): $(PORT_SRCS)
	rm -rf $(B)/port-cache/lib
	@mkdir -p $(@D) && touch $@

# ---- native tests (host shim) ------------------------------------------------
NATIVE_TESTS := $(B)/test/units $(B)/test/model $(B)/test/model-debug $(B)/test/model-heap-param $(B)/test/model-os \
                $(B)/test/misuse $(B)/test/misuse-os $(B)/test/misuse-checked $(B)/test/threads $(B)/test/foreign-grow
ifeq ($(HAVE_M32),yes)
NATIVE_TESTS += $(B)/test/model32
endif

$(B)/test/units: test/c/test_units.c test/c/repeat.h $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -DALLIGATOR_DEBUG=2 -Isrc test/c/test_units.c $(CORE) src/heap_host.c -o $@

$(B)/test/model: test/c/model.c $(B)/host/liballigator.a
	@mkdir -p $(@D)
	$(CC) $(WARN) $(HOST_CFLAGS) -Isrc $< $(B)/host/liballigator.a -o $@

$(B)/test/model-debug: test/c/model.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -DALLIGATOR_DEBUG=2 -DALLIGATOR_CHECKED -Isrc $< $(CORE) src/heap_host.c -o $@

# The heap passed as a real parameter to every module function (-DAL_ONE_HEAP=0,
# src/internal.h): the form per-thread heaps would use, kept compiling and correct.
$(B)/test/model-heap-param: test/c/model.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -DAL_ONE_HEAP=0 -DALLIGATOR_DEBUG=2 -Isrc $< $(CORE) src/heap_host.c -o $@

# Built for size (-Os: __OPTIMIZE_SIZE__, so AL_FAST_ENTRY is 0 in src/internal.h):
# malloc and free take their full paths at once, as the port's -Oz library does.
$(B)/test/model-os: test/c/model.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -Os -g -Isrc $< $(CORE) src/heap_host.c -o $@
$(B)/test/misuse-os: test/c/misuse.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -Isrc -c $< -o $@.o # (as misuse: its overflows are the point)
	$(CC) $(WARN) -Os -g -Isrc $@.o $(CORE) src/heap_host.c -o $@

$(B)/test/misuse: test/c/misuse.c $(B)/host/liballigator.a
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -Isrc $< $(B)/host/liballigator.a -o $@

$(B)/test/misuse-checked: test/c/misuse.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -DALLIGATOR_DEBUG=3 -DALLIGATOR_CHECKED -Isrc $< $(CORE) src/heap_host.c -o $@

# The backend contract (src/internal.h): foreign growth is never handed out.
$(B)/test/foreign-grow: test/c/foreign_grow.c $(B)/host/liballigator.a
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -Isrc $< $(B)/host/liballigator.a -o $@
$(B)/test/foreign-grow-em.js: test/c/foreign_grow.c $(ALLIGATOR_WASM_LIB)
	@mkdir -p $(@D)
	$(EMCC) $(WARN) -O2 -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node -Isrc $< $(ALLIGATOR_WASM_LDFLAGS) -o $@
WASM_TESTS += $(B)/test/foreign-grow-em.js $(B)/wasi/foreign_grow.wasm

$(B)/test/threads: test/c/threads.c $(B)/host/liballigator.a
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -pthread -Isrc $< $(B)/host/liballigator.a -o $@

$(B)/test/model32: test/c/model.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) -m32 $(WARN) -O2 -g -DALLIGATOR_DEBUG -Isrc $< $(CORE) src/heap_host.c -o $@

test-native: $(NATIVE_TESTS)
	@bash test/c/run.sh $(NATIVE_TESTS)

# ---- wasm test modules ---------------------------------------------------------
EM_TEST_FLAGS := -O2 -sMODULARIZE -sEXPORT_NAME=createModule -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node \
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 \
  -sEXPORTED_RUNTIME_METHODS=ccall,cwrap,UTF8ToString,allocateUTF8 \
  -sEXPORTED_FUNCTIONS=_malloc,_free,_calloc,_realloc,_memalign,_aligned_alloc,_posix_memalign,_malloc_usable_size,_reallocarray,_emscripten_builtin_malloc,_emscripten_builtin_free,_emscripten_builtin_memalign,_main,_sbrk

# Through the port file (test/port/use_port.py makes the calls current emcc makes).
$(B)/test/api-port.js: test/wasm/api.c test/c/repeat.h Makefile $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py \
	  $(EM_TEST_FLAGS) test/wasm/api.c -o $@

# A link at -Oz: the port builds its library at -Oz (liballigator-Oz.a), where
# malloc and free take their full paths at once (AL_FAST_ENTRY, src/internal.h).
$(B)/test/api-port-oz.js: test/wasm/api.c test/c/repeat.h Makefile $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py \
	  $(filter-out -O2,$(EM_TEST_FLAGS)) -Oz test/wasm/api.c -o $@

# The port's js=false option: no Module.alligator, no code behind it.
$(B)/test/api-nojs.js: test/wasm/api.c test/c/repeat.h Makefile $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py:js=false \
	  $(EM_TEST_FLAGS) test/wasm/api.c -o $@

# Through the make route (archive + flags), as with Emscripten 3.1.6.
$(B)/test/api-make.js: test/wasm/api.c test/c/repeat.h Makefile $(ALLIGATOR_WASM_LIB) js/library_alligator.js
	@mkdir -p $(@D)
	$(EMCC) $(EM_TEST_FLAGS) -Isrc test/wasm/api.c $(ALLIGATOR_WASM_LDFLAGS) -o $@

# Out of memory: a 32 MiB ceiling.
$(B)/test/api-oom.js: test/wasm/api.c test/c/repeat.h Makefile $(ALLIGATOR_WASM_LIB) js/library_alligator.js
	@mkdir -p $(@D)
	$(EMCC) $(EM_TEST_FLAGS) -sMAXIMUM_MEMORY=32MB -Isrc test/wasm/api.c $(ALLIGATOR_WASM_LDFLAGS) -o $@

# The model test inside wasm.
$(B)/test/model-wasm.js: test/c/model.c $(ALLIGATOR_WASM_LIB)
	@mkdir -p $(@D)
	$(EMCC) -O2 -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node -Isrc $< $(ALLIGATOR_WASM_LDFLAGS) -o $@

# Misuse, in the normal build (make route) and the checked build (the port's checked=true).
$(B)/test/misuse-wasm.js: test/c/misuse.c $(ALLIGATOR_WASM_LIB)
	@mkdir -p $(@D)
	$(EMCC) -O1 -sENVIRONMENT=node -Isrc $< $(ALLIGATOR_WASM_LDFLAGS) -o $@

$(B)/test/misuse-checked-wasm.js: test/c/misuse.c $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py:checked=true \
	  -O1 -sENVIRONMENT=node -DALLIGATOR_CHECKED $< -o $@

# Emscripten's malloc-wrapping pattern: the program defines malloc and free
# (or only malloc) and calls emscripten_builtin_malloc/free (make route).
$(B)/test/wrap-malloc.js $(B)/test/wrap-malloc-only.js: $(B)/test/wrap-%.js: test/wasm/wrap_malloc.c $(ALLIGATOR_WASM_LIB)
	@mkdir -p $(@D)
	$(EMCC) $(WARN) -O2 -sENVIRONMENT=node $(if $(findstring only,$*),-DWRAP_ONLY_MALLOC) -Isrc $< $(ALLIGATOR_WASM_LDFLAGS) -o $@
WASM_TESTS += $(B)/test/wrap-malloc.js $(B)/test/wrap-malloc-only.js

# Emscripten threads (-pthread: the port builds liballigator-mt.a, with the lock).
$(B)/test/threads-wasm.js: test/c/threads.c $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py \
	  -O2 -pthread -sPTHREAD_POOL_SIZE=4 -sEXIT_RUNTIME=1 -sENVIRONMENT=node,worker -sINITIAL_MEMORY=64MB \
	  $< -o $@

# Emscripten's test_pthread_sbrk pattern through the make route's threaded
# archive (make wasm-flags-mt: -pthread and liballigator-mt.a).
$(B)/test/pthread-sbrk.js: test/wasm/pthread_sbrk.c $(ALLIGATOR_WASM_LIB_MT) js/library_alligator.js
	@mkdir -p $(@D)
	$(EMCC) $(WARN) -O2 -sPTHREAD_POOL_SIZE=8 -sEXIT_RUNTIME=1 -sENVIRONMENT=node,worker -sINITIAL_MEMORY=64MB \
	  -sALLOW_MEMORY_GROWTH=1 -Wno-pthreads-mem-growth -Isrc $< $(ALLIGATOR_WASM_LDFLAGS_MT) -o $@

# C++ (new/delete, std::vector, std::string) on both routes; neither build
# exports malloc or free (Module.alligator.heapMap() must work regardless).
CXX_TEST_FLAGS := -O2 -sMODULARIZE -sEXPORT_NAME=createModule -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1
# (its own port cache: the port's C sources are compiled by this em++ call)
$(B)/test/cxx-port.js: test/wasm/cxx.cpp $(PORT_DEPS)
	@mkdir -p $(@D)
	rm -rf $(B)/port-cache/cxx
	$(call PORT_RUN_IN,$(B)/port-cache/cxx) $(EMXX) -sMALLOC=none --use-port=emscripten.py $(CXX_TEST_FLAGS) $< -o $@

$(B)/test/cxx-make.js: test/wasm/cxx.cpp $(ALLIGATOR_WASM_LIB) js/library_alligator.js
	@mkdir -p $(@D)
	$(EMXX) $(CXX_TEST_FLAGS) $< $(ALLIGATOR_WASM_LDFLAGS) -o $@

# brk() beside Alligator (make route).
$(B)/test/brk.js: test/wasm/brk.c $(ALLIGATOR_WASM_LIB) js/library_alligator.js
	@mkdir -p $(@D)
	$(EMCC) $(WARN) -O2 -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 $< $(ALLIGATOR_WASM_LDFLAGS) -o $@

WASM_TESTS += $(B)/test/threads-wasm.js $(B)/test/pthread-sbrk.js $(B)/test/cxx-port.js $(B)/test/cxx-make.js \
              $(B)/test/brk.js
WASM_TESTS += $(B)/test/api-port.js $(B)/test/api-port-oz.js $(B)/test/api-nojs.js $(B)/test/api-make.js $(B)/test/api-oom.js $(B)/test/model-wasm.js \
              $(B)/test/misuse-wasm.js $(B)/test/misuse-checked-wasm.js

test-wasm: $(WASM_TESTS)

test-js: test-wasm
	npx mocha --reporter test/summary-reporter.js test/*.test.js

test: setup
	@$(MAKE) --no-print-directory check

# The suite alone (no set-up step): what `make test` runs after setup.
check:
	@$(MAKE) --no-print-directory test-native
	@$(MAKE) --no-print-directory test-js
	@$(foreach t,$(TEST_TARGETS),$(MAKE) --no-print-directory $(t) &&) true

# ---- demo ------------------------------------------------------------------------
$(B)/demo/demo.js: demo/demo.c $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py \
	  -O2 -sMODULARIZE -sEXPORT_NAME=createDemo -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node,web \
	  -sEXPORTED_RUNTIME_METHODS=ccall,allocateUTF8,UTF8ToString -sEXPORTED_FUNCTIONS=_main,_malloc,_free \
	  demo/demo.c -o $@

demo: setup $(B)/demo/demo.js
	@$(NODE_RUN) demo/run.js

# ---- distribution ----------------------------------------------------------------
# The port as a zip for Emscripten's tools/ports/contrib/ (scripts/release.py):
# $(B)/release/alligator-VERSION.zip (package.json's "files"), its .sha512, and
# the descriptor alligator.py.  Set RELEASE_URL to the project's home page (the
# zip is expected at RELEASE_URL/releases/download/VERSION/, or RELEASE_ZIP_URL).
RELEASE_URL ?= https://example.invalid/alligator
release:
	@$(if $(filter https://example.invalid/%,$(RELEASE_URL)),echo "release: RELEASE_URL is a placeholder; set it before offering the descriptor upstream" >&2;)
	python3 scripts/release.py $(B)/release $(RELEASE_URL) $(RELEASE_ZIP_URL)

clean:
	rm -rf $(B)
