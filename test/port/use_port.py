#!/usr/bin/env python3
"""Run `emcc ... --use-port=PATH.py[:opt=value] ...` on any Emscripten.

With Emscripten >= 3.1.54 this simply runs the command: emcc loads the port
file itself.  With an older emcc (Debian's 3.1.6 has no --use-port), it makes
the calls current emcc makes on an external port file, in the same order, with
the same contract (tools/ports/__init__.py of current Emscripten):

  handle_options(options, error_handler)   options from PATH.py:k=v:k2=v2
  get(ports, settings, shared)             -> libraries; builds them through
      shared.cache.get_lib(name, create, what='port') and
      ports.build_port(src_dir, output, port_name, includes=, flags=, srcs=)
  linker_setup(ports, settings)            may add settings.JS_LIBRARIES and
                                           settings.DEFAULT_LIBRARY_FUNCS_TO_INCLUDE
  process_args(ports)                      -> extra compile flags

and then runs emcc with the libraries, the JS libraries and the flags added.
So the port file is exercised on this machine exactly as far as the API goes.

usage: use_port.py [--cache DIR] emcc ARGS...
"""
import importlib.util
import os
import re
import shlex
import subprocess
import sys


def emcc_version(emcc):
  out = subprocess.run([emcc, '--version'], capture_output=True, text=True).stdout
  m = re.search(r'(\d+)\.(\d+)\.(\d+)', out)
  return tuple(int(x) for x in m.groups()) if m else (0, 0, 0)


class Settings:
  """The settings a port sees, read from the emcc arguments as emcc reads them."""
  def __init__(self, args):
    self.JS_LIBRARIES = []
    self.DEFAULT_LIBRARY_FUNCS_TO_INCLUDE = []
    self.OPT_LEVEL = 0
    self.SHRINK_LEVEL = 0
    flags = {}
    for a in args:
      m = re.fullmatch(r'-s([A-Z_0-9]+)(?:=(.*))?', a)
      if m:
        flags[m.group(1)] = m.group(2) if m.group(2) is not None else '1'
      elif a.startswith('-O'):
        # as emcc: -O is -O2, -Os/-Oz are -O2 with SHRINK_LEVEL 1/2, -Og is -O1
        level = a[2:] or '2'
        self.OPT_LEVEL, self.SHRINK_LEVEL = {'s': (2, 1), 'z': (2, 2), 'g': (1, 0), 'fast': (3, 0)}.get(
          level, (min(int(level), 3) if level.isdigit() else 2, 0))
    on = lambda name: int(flags.get(name, '0') not in ('0', ''))
    self.PTHREADS = int('-pthread' in args or on('USE_PTHREADS') or on('PTHREADS'))
    self.USE_PTHREADS = self.PTHREADS
    self.WASM_WORKERS = on('WASM_WORKERS')
    self.SHARED_MEMORY = int(self.PTHREADS or self.WASM_WORKERS or on('SHARED_MEMORY'))


class Ports:
  def __init__(self, emcc, cache_dir):
    # As current emcc's build_port: the compiler goes by the file's extension
    # (emcc for .c, em++ for .cpp), whichever driver the user called.
    d, name = os.path.split(emcc)
    self.emcc = os.path.join(d, name.replace('em++', 'emcc'))
    self.emxx = os.path.join(d, name.replace('emcc', 'em++')) if 'emcc' in name else emcc
    self.cache_dir = cache_dir

  def get_dir(self):
    return self.cache_dir

  def get_include_dir(self, *parts):
    d = os.path.join(self.cache_dir, 'include', *parts)
    os.makedirs(d, exist_ok=True)
    return d

  def build_port(self, src_dir, output_path, port_name, includes=[], flags=[], cxxflags=[],
                 exclude_files=[], exclude_dirs=[], srcs=[]):
    if not srcs:
      for root, dirs, files in os.walk(src_dir):
        dirs[:] = [d for d in dirs if d not in exclude_dirs]
        srcs += [os.path.relpath(os.path.join(root, f), src_dir) for f in files
                 if f.endswith(('.c', '.cpp')) and f not in exclude_files]
    build = os.path.join(self.cache_dir, 'build', port_name)
    os.makedirs(build, exist_ok=True)
    objs = []
    for src in srcs:
      obj = os.path.join(build, src.replace('/', '_') + '.o')
      cxx = src.endswith(('.cpp', '.cc', '.cxx'))
      # current emcc's order: its own -O2 first, so the port's flags win
      cmd = [self.emxx if cxx else self.emcc, '-c', os.path.join(src_dir, src), '-o', obj, '-O2'] + flags + \
            ['-I' + i for i in includes]
      if cxx:
        cmd += cxxflags
      if os.environ.get('USE_PORT_VERBOSE'):
        sys.stderr.write('use_port: ' + ' '.join(shlex.quote(c) for c in cmd) + '\n')
      subprocess.check_call(cmd)
      objs.append(obj)
    subprocess.check_call(['emar', 'rcs', output_path] + objs)
    return output_path


class Cache:
  def __init__(self, cache_dir):
    self.dir = os.path.join(cache_dir, 'lib')

  def get_lib(self, name, create, what='port'):
    path = os.path.join(self.dir, name)
    if not os.path.exists(path):
      os.makedirs(self.dir, exist_ok=True)
      sys.stderr.write(f'use_port: building {what} library {name}\n')
      create(path)
    return path

  def erase_lib(self, name):
    path = os.path.join(self.dir, name)
    if os.path.exists(path):
      os.remove(path)


class Shared:
  def __init__(self, cache_dir):
    self.cache = Cache(cache_dir)


def load_port(spec):
  path, _, opts = spec.partition(':')
  name = os.path.splitext(os.path.basename(path))[0]
  mod_spec = importlib.util.spec_from_file_location(name, path)
  mod = importlib.util.module_from_spec(mod_spec)
  mod_spec.loader.exec_module(mod)
  options = {}
  if opts == 'help':  # as current emcc: the port's description and options
    print(f"{name} (--use-port={name}; {getattr(mod, 'LICENSE', '')})\n{getattr(mod, 'DESCRIPTION', '')}")
    for key, text in getattr(mod, 'OPTIONS', {}).items():
      print(f'  {key}: {text}')
    sys.exit(0)
  for item in filter(None, opts.split(':')):
    key, eq, value = item.partition('=')
    if not eq:
      sys.exit(f'use_port: {spec}: option {item} needs a value')
    if key not in getattr(mod, 'OPTIONS', {}):
      sys.exit(f'use_port: {name}: unknown option {key}')
    options[key] = value
  if options:
    mod.handle_options(options, lambda msg: sys.exit(f'use_port: {name}: {msg}'))
  return mod


def main(argv):
  cache = os.path.join('build', 'port-cache')
  if argv[:1] == ['--cache']:
    cache, argv = argv[1], argv[2:]
  emcc, args = argv[0], argv[1:]
  if emcc_version(emcc) >= (3, 1, 54):
    os.execvp(emcc, [emcc] + args)
  cache = os.path.abspath(cache)
  settings = Settings(args)
  ports, shared = Ports(emcc, cache), Shared(cache)
  rest, libs, cflags = [], [], []
  for a in args:
    if a.startswith('--use-port='):
      mod = load_port(a[len('--use-port='):])
      libs += mod.get(ports, settings, shared)
      if hasattr(mod, 'linker_setup'):
        mod.linker_setup(ports, settings)
      if hasattr(mod, 'process_args'):
        cflags += mod.process_args(ports)
    else:
      rest.append(a)
  cmd = [emcc] + cflags + rest + ([] if '-c' in rest else libs)
  for js in settings.JS_LIBRARIES:
    cmd += ['--js-library', js]
  if settings.DEFAULT_LIBRARY_FUNCS_TO_INCLUDE:
    cmd.append('-sDEFAULT_LIBRARY_FUNCS_TO_INCLUDE=' + ','.join(settings.DEFAULT_LIBRARY_FUNCS_TO_INCLUDE))
  sys.stderr.write('use_port: ' + ' '.join(shlex.quote(c) for c in cmd) + '\n')
  sys.exit(subprocess.call(cmd))


if __name__ == '__main__':
  main(sys.argv[1:])
