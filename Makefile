# Alligator: C library, host and wasm builds, tests.   `make help` lists the targets.
SHELL := /bin/bash
CC    ?= cc
EMCC  ?= emcc
NODE  ?= node
# Debian's emcc needs its acorn (NODE_PATH); 3.1.6's loader trips on Node's fetch.
export NODE_PATH ?= /usr/share/nodejs
NODE_RUN := $(NODE) --no-experimental-fetch

B    := build
.DEFAULT_GOAL := all
CORE := src/size_class.c src/span.c src/large.c src/minipage.c src/malloc.c src/stats.c
HDRS := $(wildcard src/*.h)
# Everything a build through the port depends on.  The port caches its
# library by name (as emcc does): the stamp clears that cache when they change.
PORT_DEPS := $(B)/port-cache/stamp
PORT_SRCS := emscripten.py js/library_alligator.js $(CORE) $(wildcard port/*.c) $(HDRS)
WARN := -std=c11 -Wall -Wextra -Werror
HOST_CFLAGS  ?= -O2 -g
WASM_CFLAGS  ?= -O2

# The route for Emscripten without --use-port (3.1.6): link this archive with
# these flags.  `make wasm-flags` prints them with absolute paths.
ALLIGATOR_WASM_LIB     := $(B)/wasm/liballigator.a
ALLIGATOR_WASM_LDFLAGS := -sMALLOC=none $(ALLIGATOR_WASM_LIB) --js-library js/library_alligator.js \
                          '-sDEFAULT_LIBRARY_FUNCS_TO_INCLUDE=$$Alligator'

help::
	@echo "make setup       install what is missing (Debian emscripten, npm packages)"
	@echo "make host-lib    $(B)/host/liballigator.a (host shim backend)"
	@echo "make wasm-lib    $(ALLIGATOR_WASM_LIB) (Emscripten backend) for -sMALLOC=none"
	@echo "make wasm-flags  the link flags for the make route (Emscripten < 3.1.54)"
	@echo "make test        the whole suite: native C tests, wasm builds, Mocha (same as npm test)"
	@echo "make demo        build the demo through the port and print its heap statistics"

# Further parts of the build (hello world, fuzzing, benchmark, web page) live in
# mk/*.mk.  Each may add to TEST_TARGETS (run by `make test`, after the core
# suite) and WASM_TESTS (built before Mocha runs), and its own `help::` recipe.
TEST_TARGETS :=
WASM_TESTS :=
-include $(sort $(wildcard mk/*.mk))

.PHONY: all help setup host-lib wasm-lib wasm-flags test test-native test-wasm test-js demo clean

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

$(ALLIGATOR_WASM_LIB): $(CORE:src/%.c=$(B)/wasm/%.o) $(B)/wasm/heap_emscripten.o $(B)/wasm/stats_js.o
	emar rcs $@ $^

wasm-lib: $(ALLIGATOR_WASM_LIB)

wasm-flags: wasm-lib
	@echo "-sMALLOC=none $(abspath $(ALLIGATOR_WASM_LIB)) -I$(abspath src) --js-library $(abspath js/library_alligator.js) '-sDEFAULT_LIBRARY_FUNCS_TO_INCLUDE=\$$Alligator'"

$(PORT_DEPS): $(PORT_SRCS)
	rm -rf $(B)/port-cache/lib
	@mkdir -p $(@D) && touch $@

# ---- native tests (host shim) ------------------------------------------------
NATIVE_TESTS := $(B)/test/units $(B)/test/model $(B)/test/model-debug $(B)/test/misuse $(B)/test/misuse-checked \
                $(B)/test/threads
HAVE_M32 := $(shell echo 'int main(void){return 0;}' | $(CC) -m32 -x c - -o /dev/null 2>/dev/null && echo yes)
ifeq ($(HAVE_M32),yes)
NATIVE_TESTS += $(B)/test/model32
endif

$(B)/test/units: test/c/test_units.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -DALLIGATOR_DEBUG -Isrc test/c/test_units.c $(CORE) src/heap_host.c -o $@

$(B)/test/model: test/c/model.c $(B)/host/liballigator.a
	@mkdir -p $(@D)
	$(CC) $(WARN) $(HOST_CFLAGS) -Isrc $< $(B)/host/liballigator.a -o $@

$(B)/test/model-debug: test/c/model.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -DALLIGATOR_DEBUG -DALLIGATOR_CHECKED -Isrc $< $(CORE) src/heap_host.c -o $@

$(B)/test/misuse: test/c/misuse.c $(B)/host/liballigator.a
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -Isrc $< $(B)/host/liballigator.a -o $@

$(B)/test/misuse-checked: test/c/misuse.c $(CORE) src/heap_host.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -DALLIGATOR_CHECKED -Isrc $< $(CORE) src/heap_host.c -o $@

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
$(B)/test/api-port.js: test/wasm/api.c Makefile $(PORT_DEPS)
	@mkdir -p $(@D)
	python3 test/port/use_port.py --cache $(B)/port-cache $(EMCC) -sMALLOC=none --use-port=emscripten.py \
	  $(EM_TEST_FLAGS) test/wasm/api.c -o $@

# The port's js=false option: no Module.alligator, no code behind it.
$(B)/test/api-nojs.js: test/wasm/api.c Makefile $(PORT_DEPS)
	@mkdir -p $(@D)
	python3 test/port/use_port.py --cache $(B)/port-cache $(EMCC) -sMALLOC=none --use-port=emscripten.py:js=false \
	  $(EM_TEST_FLAGS) test/wasm/api.c -o $@

# Through the make route (archive + flags), as with Emscripten 3.1.6.
$(B)/test/api-make.js: test/wasm/api.c Makefile $(ALLIGATOR_WASM_LIB) js/library_alligator.js
	@mkdir -p $(@D)
	$(EMCC) $(EM_TEST_FLAGS) -Isrc test/wasm/api.c $(ALLIGATOR_WASM_LDFLAGS) -o $@

# Out of memory: a 32 MiB ceiling.
$(B)/test/api-oom.js: test/wasm/api.c Makefile $(ALLIGATOR_WASM_LIB) js/library_alligator.js
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
	python3 test/port/use_port.py --cache $(B)/port-cache $(EMCC) -sMALLOC=none --use-port=emscripten.py:checked=true \
	  -O1 -sENVIRONMENT=node -DALLIGATOR_CHECKED $< -o $@

# Emscripten threads (-pthread: the port builds liballigator-mt.a, with the lock).
$(B)/test/threads-wasm.js: test/c/threads.c $(PORT_DEPS)
	@mkdir -p $(@D)
	python3 test/port/use_port.py --cache $(B)/port-cache $(EMCC) -sMALLOC=none --use-port=emscripten.py \
	  -O2 -pthread -sPTHREAD_POOL_SIZE=4 -sEXIT_RUNTIME=1 -sENVIRONMENT=node,worker -sINITIAL_MEMORY=64MB \
	  $< -o $@

WASM_TESTS += $(B)/test/threads-wasm.js
WASM_TESTS += $(B)/test/api-port.js $(B)/test/api-nojs.js $(B)/test/api-make.js $(B)/test/api-oom.js $(B)/test/model-wasm.js \
              $(B)/test/misuse-wasm.js $(B)/test/misuse-checked-wasm.js

test-wasm: $(WASM_TESTS)

test-js: test-wasm
	npx mocha --reporter test/summary-reporter.js test/*.test.js

test: setup
	@$(MAKE) --no-print-directory test-native
	@$(MAKE) --no-print-directory test-js
	@$(foreach t,$(TEST_TARGETS),$(MAKE) --no-print-directory $(t) &&) true

# ---- demo ------------------------------------------------------------------------
$(B)/demo/demo.js: demo/demo.c $(PORT_DEPS)
	@mkdir -p $(@D)
	python3 test/port/use_port.py --cache $(B)/port-cache $(EMCC) -sMALLOC=none --use-port=emscripten.py \
	  -O2 -sMODULARIZE -sEXPORT_NAME=createDemo -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node,web \
	  -sEXPORTED_RUNTIME_METHODS=ccall,allocateUTF8,UTF8ToString -sEXPORTED_FUNCTIONS=_main,_malloc,_free \
	  demo/demo.c -o $@

demo: setup $(B)/demo/demo.js
	@$(NODE_RUN) demo/run.js

clean:
	rm -rf $(B)
