# The heap page (issue 5): demo/web/app.c built three times, with Alligator
# through the port (-sMALLOC=none) and with Emscripten's dlmalloc and emmalloc,
# for the browser page under demo/web/ (npm run demo:web).
WEB_DIR   := $(B)/web
WEB_APPS  := $(WEB_DIR)/alligator.js $(WEB_DIR)/dlmalloc.js $(WEB_DIR)/emmalloc.js
WEB_FLAGS := -O2 -sMODULARIZE -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=web \
  -sEXPORTED_FUNCTIONS=_main,_malloc,_free

.PHONY: web web-serve web-screenshot

$(WEB_DIR)/alligator.js: demo/web/app.c $(PORT_DEPS)
	@mkdir -p $(@D)
	$(USE_PORT) --use-port=emscripten.py \
	  $(WEB_FLAGS) -sEXPORT_NAME=createAlligatorApp demo/web/app.c -o $@

$(WEB_DIR)/dlmalloc.js: demo/web/app.c
	@mkdir -p $(@D)
	$(EMCC) -sMALLOC=dlmalloc $(WEB_FLAGS) -sEXPORT_NAME=createDlmallocApp $< -o $@

$(WEB_DIR)/emmalloc.js: demo/web/app.c
	@mkdir -p $(@D)
	$(EMCC) -sMALLOC=emmalloc $(WEB_FLAGS) -sEXPORT_NAME=createEmmallocApp $< -o $@

web: $(WEB_APPS)

web-serve: setup web
	$(NODE) demo/web/server.js

# docs/heap-page.png: the page mid-run (Chromium, playwright-core).
web-screenshot: web
	$(NODE) demo/web/screenshot.js docs/heap-page.png

WASM_TESTS += $(WEB_APPS)
help::
	@echo "make web         the heap page's wasm apps ($(WEB_DIR))"
	@echo "make web-serve   build them and serve the heap page on 127.0.0.1 (npm run demo:web; PORT=N)"
	@echo "make web-screenshot  docs/heap-page.png: the heap page mid-run (needs Chromium)"
