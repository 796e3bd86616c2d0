/* Host stand-in for <emscripten/trace.h> (benchmark only): tracing off. */
#define emscripten_trace_record_allocation(...) ((void)0)
#define emscripten_trace_record_free(...) ((void)0)
#define emscripten_trace_record_reallocation(...) ((void)0)
