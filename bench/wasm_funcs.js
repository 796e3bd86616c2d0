// Code size per function of a .wasm module (no dependencies): the body size
// of each function in the code section, named from the "name" custom section
// (link with --profiling-funcs to keep it).  Used by bench/run.js (the size
// part); also a command:
//   node bench/wasm_funcs.js module.wasm     prints bytes and name, largest first
'use strict';
const fs = require('fs');

function reader(buf) {
  let pos = 0;
  const r = {
    get pos() { return pos; },
    set pos(p) { pos = p; },
    byte() {
      if (pos >= buf.length) throw new Error('wasm: unexpected end');
      return buf[pos++];
    },
    u32() { // unsigned LEB128
      let v = 0, shift = 0, b;
      do {
        b = r.byte();
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return v;
    },
    bytes(n) {
      if (pos + n > buf.length) throw new Error('wasm: unexpected end');
      pos += n;
      return buf.subarray(pos - n, pos);
    },
    name() { return Buffer.from(r.bytes(r.u32())).toString('utf8'); },
  };
  return r;
}

// Imported functions come first in the function index space.
function countImportedFunctions(r, end) {
  let funcs = 0;
  const limits = () => {
    const flags = r.byte();
    r.u32();
    if (flags & 1) r.u32();
  };
  for (let n = r.u32(); n > 0; n--) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind === 0) { r.u32(); funcs++; }           // function: type index
    else if (kind === 1) { r.byte(); limits(); }   // table: reftype, limits
    else if (kind === 2) limits();                 // memory
    else if (kind === 3) { r.byte(); r.byte(); }   // global: valtype, mutability
    else if (kind === 4) { r.byte(); r.u32(); }    // tag: attribute, type index
    else throw new Error('wasm: unknown import kind ' + kind);
  }
  if (r.pos !== end) throw new Error('wasm: import section size mismatch');
  return funcs;
}

// {sections: {id or custom name: bytes}, code_section_bytes, functions:
// [{index, name, bytes}]} where bytes is the body with its size prefix (what
// the function occupies in the code section).
function parse(buf) {
  if (buf.readUInt32LE(0) !== 0x6d736100 || buf.readUInt32LE(4) !== 1) throw new Error('not a wasm module (version 1)');
  const r = reader(buf);
  r.pos = 8;
  let imported = 0, code = null;
  const names = new Map(), sections = {};
  while (r.pos < buf.length) {
    const id = r.byte(), size = r.u32(), start = r.pos, end = start + size;
    if (id === 0) {
      const name = r.name();
      sections[name] = (sections[name] || 0) + size;
      if (name === 'name')
        while (r.pos < end) {
          const sub = r.byte(), subEnd = r.u32() + r.pos;
          if (sub === 1) for (let n = r.u32(); n > 0; n--) { const i = r.u32(); names.set(i, r.name()); }
          r.pos = subEnd;
        }
    } else {
      sections[id] = size;
      if (id === 2) imported = countImportedFunctions(r, end);
      if (id === 10) {
        code = { bytes: size, bodies: [] };
        for (let n = r.u32(); n > 0; n--) {
          const at = r.pos, len = r.u32();
          r.pos += len;
          code.bodies.push(r.pos - at);
        }
        if (r.pos !== end) throw new Error('wasm: code section size mismatch');
      }
    }
    r.pos = end;
  }
  const functions = (code ? code.bodies : []).map((bytes, i) => ({ index: imported + i, name: names.get(imported + i) || null, bytes }));
  return { sections, imported_functions: imported, code_section_bytes: code ? code.bytes : 0, functions };
}

function functionSizes(file) {
  return parse(fs.readFileSync(file));
}

module.exports = { parse, functionSizes };

if (require.main === module) {
  const m = functionSizes(process.argv[2]);
  const fns = m.functions.slice().sort((a, b) => b.bytes - a.bytes);
  for (const f of fns) console.log(`${String(f.bytes).padStart(6)}  ${f.name || '#' + f.index}`);
  console.log(`${String(fns.reduce((s, f) => s + f.bytes, 0)).padStart(6)}  (${fns.length} functions; code section ${m.code_section_bytes} B)`);
}
