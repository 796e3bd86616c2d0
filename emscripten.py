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

import glob
import json
import os

ROOT = os.path.dirname(os.path.abspath(__file__))

# The version is package.json's (shipped beside this file in the npm package
# and the release zip).
with open(os.path.join(ROOT, 'package.json')) as f:
  TAG = json.load(f)['version']
DESCRIPTION = 'Alligator: a constant-time malloc for WebAssembly (replaces dlmalloc; use with -sMALLOC=none)'
LICENSE = 'MIT'


def _sources():
  # The core is every src/*.c but the heap backends src/heap_*.c; port/*.c are
  # the Emscripten backend and the port's extras.  Relative to ROOT, as
  # ports.build_port wants them.
  def rel(pattern):
    return sorted(os.path.relpath(f, ROOT) for f in glob.glob(os.path.join(ROOT, pattern)))
  return [f for f in rel('src/*.c') if not os.path.basename(f).startswith('heap_')] + rel('port/*.c')


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


def _setting(settings, name):
  return getattr(settings, name, 0) or 0


def _pthreads(settings):
  return bool(_setting(settings, 'PTHREADS') or _setting(settings, 'USE_PTHREADS'))


def _shared_memory(settings):
  # Threads of any kind: pthreads, Wasm Workers, or shared memory by itself.
  return bool(_pthreads(settings) or _setting(settings, 'WASM_WORKERS') or _setting(settings, 'SHARED_MEMORY'))


def _size(settings):
  # -Os and -Oz (SHRINK_LEVEL 1, 2) get an -Oz library; -O0..-O3 an -O2 one.
  return _setting(settings, 'SHRINK_LEVEL') >= 1


def get_lib_name(settings):
  return ('liballigator' +
          ('-checked' if opts['checked'] else '') +
          ('' if opts['js'] else '-nojs') +
          ('-mt' if _shared_memory(settings) else '') +
          ('-Oz' if _size(settings) else '') +
          '.a')


def get(ports, settings, shared):
  def create(final):
    flags = ['-Oz' if _size(settings) else '-O2', '-std=c11', '-Wall', '-Wextra']
    if opts['checked']:
      flags.append('-DALLIGATOR_CHECKED')
    if opts['js']:
      flags.append('-DALLIGATOR_JS')  # the backend then links port/stats_js.c
    if _pthreads(settings):
      flags.append('-pthread')
    elif _shared_memory(settings):
      flags += ['-matomics', '-mbulk-memory']  # Wasm Workers: the lock, no pthreads
    ports.build_port(ROOT, final, 'alligator',
                     includes=[os.path.join(ROOT, 'src')],
                     flags=flags,
                     srcs=_sources())

  return [shared.cache.get_lib(get_lib_name(settings), create, what='port')]


def clear(ports, settings, shared):
  shared.cache.erase_lib(get_lib_name(settings))


def linker_setup(ports, settings):
  # Module.alligator (heap statistics in JS).  The C side imports a function
  # of this library, which pulls in the rest: nothing else to include.
  if opts['js']:
    settings.JS_LIBRARIES += [os.path.join(ROOT, 'js', 'library_alligator.js')]


def process_args(ports):
  # So that `#include <alligator.h>` works for programs built with the port.
  return ['-I' + os.path.join(ROOT, 'src')]
