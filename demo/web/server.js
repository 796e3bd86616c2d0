#!/usr/bin/env node
// The heap page's static server: 127.0.0.1 only, no dependencies.
//   node demo/web/server.js [--port N]      (or PORT=N; default 8085; 0 = any free port)
// Serves demo/web/ at / and the wasm apps (make web) from build/web/ at /build/.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const MOUNTS = [
  ['/build/', path.join(ROOT, 'build', 'web')],
  ['/', __dirname],
];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.ico': 'image/x-icon',
};
const APPS = ['alligator', 'dlmalloc', 'emmalloc'];

function resolve(urlPath) {
  let p;
  try { p = decodeURIComponent(urlPath.split('?')[0]); } catch (e) { return null; }
  if (p === '/') p = '/index.html';
  for (const [prefix, dir] of MOUNTS) {
    if (!p.startsWith(prefix)) continue;
    const file = path.resolve(dir, '.' + p.slice(prefix.length - 1));
    if (file !== dir && !file.startsWith(dir + path.sep)) return null; // no ../ escapes
    return file;
  }
  return null;
}

function handler(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405); res.end(); return; }
  const file = resolve(req.url);
  fs.stat(file || '', (err, st) => {
    if (!file || err || !st.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(req.url.startsWith('/build/') ? 'not built: run `make web` first\n' : 'not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'content-length': st.size,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') { res.end(); return; }
    fs.createReadStream(file).pipe(res);
  });
}

// Start on 127.0.0.1:port (0 = a free port); resolves to { server, url }.
function start(port = 0) {
  return new Promise((resolvePromise, reject) => {
    const server = http.createServer(handler);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolvePromise({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

function missingApps() {
  return APPS.filter((a) => !fs.existsSync(path.join(ROOT, 'build', 'web', a + '.wasm')));
}

module.exports = { start, missingApps, ROOT };

if (require.main === module) {
  const i = process.argv.indexOf('--port');
  const port = Number(i > 0 ? process.argv[i + 1] : process.env.PORT || 8085);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`bad port: ${i > 0 ? process.argv[i + 1] : process.env.PORT}`);
    process.exit(2);
  }
  const missing = missingApps();
  if (missing.length) console.error(`warning: build/web/{${missing.join(',')}}.wasm missing: run \`make web\` first`);
  start(port).then(({ url }) => {
    console.log(`Alligator heap page: ${url}`);
    console.log('(Ctrl-C to stop)');
  }, (err) => {
    console.error(`cannot listen on 127.0.0.1:${port}: ${err.message}`);
    process.exit(1);
  });
}
