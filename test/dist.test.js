// Distribution, as Emscripten's ecosystem does it: the `npm pack` tarball
// installed into another project (offline) works from there through the port
// file and the make route; `make release` gives a zip whose SHA-512 and
// contrib descriptor agree with it, and which, unpacked elsewhere, builds a
// program through its port file.
'use strict';
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { APP_C, APP_SERVED } = require('./helpers');

const ROOT = path.join(__dirname, '..');
const VERSION = require('../package.json').version;
const env = { ...process.env, NODE_PATH: process.env.NODE_PATH || '/usr/share/nodejs' };
const sh = (line, cwd) => {
  const r = spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8', timeout: 240000 });
  assert.strictEqual(r.status, 0, `${line}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

// Runs app.js in dir: Alligator must have served the program's malloc.
function runApp(dir, js = 'app.js') {
  const out = sh(`${process.execPath} --no-experimental-fetch ${js}`, dir);
  assert.match(out, APP_SERVED, out);
}

describe('distribution', function () {
  this.timeout(300000);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'alligator-dist-'));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('npm pack: the tarball installs into another project and builds through the port and the make route', () => {
    const tgz = JSON.parse(sh(`npm pack --json --pack-destination ${scratch}`, ROOT))[0].filename;
    const project = path.join(scratch, 'consumer');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    fs.writeFileSync(path.join(project, 'app.c'), APP_C);
    sh(`npm install --offline --no-audit --no-fund --loglevel=error ${path.join(scratch, path.basename(tgz))}`, project);
    const pkg = 'node_modules/alligator-malloc';
    assert.ok(!fs.existsSync(path.join(project, pkg, 'build')), 'no build output shipped');
    // the port route (through use_port.py where emcc has no --use-port)
    sh(`python3 ${pkg}/test/port/use_port.py emcc -sMALLOC=none --use-port=${pkg}/emscripten.py app.c -o app.js`, project);
    runApp(project);
    // the make route
    sh(`emcc app.c $(make -s -C ${pkg} wasm-flags) -o app-make.js`, project);
    runApp(project, 'app-make.js');
  });

  it('make release: a zip with its SHA-512 and the contrib descriptor; unpacked elsewhere it builds through its port file', () => {
    const out = path.join(scratch, 'release');
    sh(`make -s release B=${path.join(scratch, 'b')} 2>/dev/null && cp -r ${path.join(scratch, 'b', 'release')} ${out}`, ROOT);
    const zip = path.join(out, `alligator-${VERSION}.zip`);
    const sha = crypto.createHash('sha512').update(fs.readFileSync(zip)).digest('hex');
    assert.strictEqual(fs.readFileSync(zip + '.sha512', 'utf8'), `${sha}  alligator-${VERSION}.zip\n`);
    // the descriptor: what Emscripten's tools/ports/contrib/*.py hold
    const d = JSON.parse(sh(`python3 -c "import json, runpy; d = runpy.run_path('${out}/alligator.py'); ` +
      `print(json.dumps({k: d[k] for k in ['TAG', 'EXTERNAL_PORT', 'SHA512', 'PORT_FILE', 'URL', 'DESCRIPTION', 'LICENSE']}))"`, ROOT));
    assert.strictEqual(d.TAG, VERSION);
    assert.strictEqual(d.SHA512, sha);
    assert.match(d.EXTERNAL_PORT, new RegExp(`/alligator-${VERSION.replace(/\./g, '\\.')}\\.zip$`));
    assert.strictEqual(d.LICENSE, 'MIT');
    // reproducible: the same sources give the same archive
    sh(`make -s release B=${path.join(scratch, 'b')} 2>/dev/null`, ROOT);
    assert.strictEqual(crypto.createHash('sha512').update(fs.readFileSync(path.join(scratch, 'b', 'release', path.basename(zip)))).digest('hex'), sha);
    // unpacked elsewhere, a program builds through PORT_FILE
    const elsewhere = path.join(scratch, 'elsewhere');
    fs.mkdirSync(elsewhere);
    sh(`python3 -c "import zipfile; zipfile.ZipFile('${zip}').extractall('${elsewhere}')"`, ROOT);
    fs.writeFileSync(path.join(elsewhere, 'app.c'), APP_C);
    sh(`python3 ${ROOT}/test/port/use_port.py --cache ${elsewhere}/cache emcc -sMALLOC=none --use-port=${d.PORT_FILE} app.c -o app.js`, elsewhere);
    runApp(elsewhere);
  });
});
