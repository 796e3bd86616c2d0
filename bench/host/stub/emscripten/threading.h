/* Host stand-in for <emscripten/threading.h> (benchmark only): nothing needed. */
