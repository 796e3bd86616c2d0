# Alligator as an Emscripten external port.
#
#   emcc -sMALLOC=none --use-port=path/to/alligator/emscripten.py app.c
#   emcc -sMALLOC=none --use-port=path/to/alligator/emscripten.py:checked=true app.c
#
# Needs Emscripten >= 3.1.54 (external port files).  For older versions
# (Debian's 3.1.6) see README.md: `make wasm-lib` and the flags it prints.
#
# Keep -sMALLOC=none: without it Emscripten also links dlmalloc, and Alligator
# wins only because the port's archive comes first on the link line.
#
# This file follows the port API of current Emscripten: get(), clear(),
# linker_setup(), process_args(), OPTIONS + handle_options().  It cannot be
# run by 3.1.6; test/port/use_port.py drives it through the same calls.

import os

TAG = '0.1.0'
DESCRIPTION = 'Alligator: a constant-time malloc for WebAssembly (replaces dlmalloc; use with -sMALLOC=none)'
LICENSE = 'MIT'

ROOT = os.path.dirname(os.path.abspath(__file__))

SOURCES = [
  'src/size_class.c',
  'src/span.c',
  'src/large.c',
  'src/minipage.c',
  'src/malloc.c',
  'src/stats.c',
  'port/heap_emscripten.c',
  'port/stats_js.c',
]


OPTIONS = {
  'checked': 'true: the checked build (double free, foreign pointers and overflows abort with a message); default false',
  'js': 'false: leave out Module.alligator (the JS statistics layer) and the code behind it; default true',
}

opts = {
  'checked': False,
  'js': True,
}


def handle_options(options, error_handler):
  for option, value in options.items():
    if value.lower() in ('true', 'false', '1', '0'):
      opts[option] = value.lower() in ('true', '1')
    else:
      error_handler(f'{option} expects true or false, got {value}')


def _threads(settings):
  return bool(getattr(settings, 'PTHREADS', False) or getattr(settings, 'USE_PTHREADS', False))


def get_lib_name(settings):
  return ('liballigator' +
          ('-checked' if opts['checked'] else '') +
          ('' if opts['js'] else '-nojs') +
          ('-mt' if _threads(settings) else '') +
          '.a')


def get(ports, settings, shared):
  def create(final):
    flags = ['-O2', '-std=c11', '-Wall', '-Wextra']
    if opts['checked']:
      flags.append('-DALLIGATOR_CHECKED')
    if opts['js']:
      flags.append('-DALLIGATOR_JS')  # the backend then links port/stats_js.c
    if _threads(settings):
      flags.append('-pthread')
    ports.build_port(ROOT, final, 'alligator',
                     includes=[os.path.join(ROOT, 'src')],
                     flags=flags,
                     srcs=SOURCES)

  return [shared.cache.get_lib(get_lib_name(settings), create, what='port')]


def clear(ports, settings, shared):
  shared.cache.erase_lib(get_lib_name(settings))


def linker_setup(ports, settings):
  # Module.alligator (heap statistics in JS) and the C functions it calls.
  if opts['js']:
    settings.JS_LIBRARIES += [os.path.join(ROOT, 'js', 'library_alligator.js')]
    settings.DEFAULT_LIBRARY_FUNCS_TO_INCLUDE += ['$Alligator']


def process_args(ports):
  # So that `#include <alligator.h>` works for programs built with the port.
  return ['-I' + os.path.join(ROOT, 'src')]
