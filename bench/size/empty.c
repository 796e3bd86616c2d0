/* The minimal module for code size: only the exported allocator
 * (-sEXPORTED_FUNCTIONS=_malloc,_free,_realloc,_calloc,_memalign). */
typedef int bench_size_empty_translation_unit;
