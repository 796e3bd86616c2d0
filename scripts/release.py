#!/usr/bin/env python3
"""make release: the port as Emscripten's contributed ports take it.

Writes to OUT (build/release):
  alligator-TAG.zip         the files package.json ships ("files"), under
                            alligator-TAG/ (the port file and its sources);
                            reproducible: sorted, fixed timestamps and modes
  alligator-TAG.zip.sha512  its SHA-512, as `sha512sum` prints it
  alligator.py              the descriptor for tools/ports/contrib/ in
                            Emscripten (TAG, EXTERNAL_PORT, SHA512, PORT_FILE,
                            URL, DESCRIPTION, LICENSE): --use-port=contrib.alligator

usage: release.py OUT URL [ZIP_URL]
  URL      the project's home page (the descriptor's URL)
  ZIP_URL  where the zip will be downloadable (default: URL/releases/download/TAG/alligator-TAG.zip)
"""
import hashlib
import importlib.util
import json
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shipped_files():
  """package.json's "files" (plus package.json), directories expanded."""
  with open(os.path.join(ROOT, 'package.json')) as f:
    entries = json.load(f)['files'] + ['package.json']
  out = []
  for e in entries:
    p = os.path.join(ROOT, e)
    if os.path.isdir(p):
      for d, dirs, files in os.walk(p):
        dirs.sort()
        out += [os.path.relpath(os.path.join(d, f), ROOT) for f in files]
    elif os.path.exists(p):
      out.append(e)
    else:
      sys.exit(f'release: {e} (package.json "files") is missing')
  return sorted(set(out))


def main(out, url, zip_url=None):
  spec = importlib.util.spec_from_file_location('alligator_port', os.path.join(ROOT, 'emscripten.py'))
  port = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(port)
  tag, top = port.TAG, f'alligator-{port.TAG}'
  os.makedirs(out, exist_ok=True)
  zpath = os.path.join(out, f'{top}.zip')
  with zipfile.ZipFile(zpath, 'w', zipfile.ZIP_DEFLATED) as z:
    for f in shipped_files():
      info = zipfile.ZipInfo(f'{top}/{f}', date_time=(2020, 1, 1, 0, 0, 0))
      info.external_attr = 0o644 << 16
      info.compress_type = zipfile.ZIP_DEFLATED
      with open(os.path.join(ROOT, f), 'rb') as src:
        z.writestr(info, src.read())
  with open(zpath, 'rb') as f:
    sha = hashlib.sha512(f.read()).hexdigest()
  with open(zpath + '.sha512', 'w') as f:
    f.write(f'{sha}  {os.path.basename(zpath)}\n')
  zip_url = zip_url or f'{url}/releases/download/{tag}/{top}.zip'
  with open(os.path.join(out, 'alligator.py'), 'w') as f:
    f.write(f'''# Alligator for Emscripten's tools/ports/contrib/ (written by `make release`).
# Use: emcc -sMALLOC=none --use-port=contrib.alligator app.c

TAG = {tag!r}

EXTERNAL_PORT = {zip_url!r}
SHA512 = {sha!r}
PORT_FILE = {top + '/emscripten.py'!r}

# contrib port information (required)
URL = {url!r}
DESCRIPTION = {port.DESCRIPTION!r}
LICENSE = {port.LICENSE!r}
''')
  print(f'release: {zpath} ({os.path.getsize(zpath)} bytes), sha512 {sha[:16]}..., {os.path.join(out, "alligator.py")}')


if __name__ == '__main__':
  if len(sys.argv) not in (3, 4):
    sys.exit(__doc__)
  main(*sys.argv[1:])
