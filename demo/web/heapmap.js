// The heap map: Module.alligator.heapMap() drawn on a canvas in address
// order, one cell per unit (Module.alligator.geometry().unitBytes).  A
// MiniPage is one cell, its hue the size class, its lightness the fill; a
// large block and a free span are runs of cells drawn as one bar; a segment
// end is a red tick.  The geometry comes from the Alligator module: call
// setHeapGeometry(Module.alligator.geometry()) before drawing.
'use strict';
(function (global) {
  let geometry = null;
  const BG = '#0b1117';
  function geom() {
    if (!geometry) throw new Error('heapmap.js: setHeapGeometry(Module.alligator.geometry()) first');
    return geometry;
  }

  function classColor(cls, fill) {
    const hue = 195 - (cls * 180) / Math.max(1, geom().classes - 1); // cyan (smallest) .. green .. yellow .. red (largest)
    const light = 20 + 46 * Math.max(0, Math.min(1, fill));
    const sat = 55 + 30 * Math.max(0, Math.min(1, fill));
    return `hsl(${hue.toFixed(1)} ${sat.toFixed(0)}% ${light.toFixed(1)}%)`;
  }
  const LARGE = 'hsl(255 42% 63%)';
  const LARGE_EDGE = 'hsl(255 70% 82%)';
  const FREE = '#1a2633';
  const FREE_LINE = '#27394a';

  class HeapMap {
    constructor(canvas, tip) {
      this.canvas = canvas;
      this.tip = tip;
      this.spans = null;
      this.cellOwner = null;
      this.maxHeight = 300;
      canvas.addEventListener('mousemove', (e) => this.hover(e));
      canvas.addEventListener('mouseleave', () => { this.tip.hidden = true; });
      if (global.ResizeObserver) {
        let lastW = 0;
        new ResizeObserver(() => {
          const w = this.canvas.parentElement.clientWidth;
          if (w !== lastW) { lastW = w; if (this.spans) this.draw(); }
        }).observe(canvas.parentElement);
      }
    }

    set(spans) { this.spans = spans; return this.draw(); }

    layout(units) {
      const W = Math.max(200, this.canvas.parentElement.clientWidth - 2);
      for (const cell of [18, 16, 14, 12, 10, 8, 7, 6, 5, 4, 3]) {
        const cols = Math.floor(W / cell);
        if (Math.ceil(units / cols) * cell <= this.maxHeight) return { cell, cols, W };
      }
      return { cell: 2, cols: Math.floor(W / 2), W };
    }

    draw() {
      const spans = this.spans || [];
      const UNIT = spans.length ? geom().unitBytes : 1;
      let units = 0;
      for (const s of spans) if (s.kind !== 'end') units += Math.max(1, Math.round(s.bytes / UNIT));
      const { cell, cols } = this.layout(Math.max(units, 1));
      const rows = Math.max(1, Math.ceil(units / cols));
      const dpr = global.devicePixelRatio || 1;
      const cssW = cols * cell, cssH = rows * cell;
      const c = this.canvas;
      c.style.width = cssW + 'px';
      c.style.height = cssH + 'px';
      c.width = Math.round(cssW * dpr);
      c.height = Math.round(cssH * dpr);
      const g = c.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.fillStyle = BG;
      g.fillRect(0, 0, cssW, cssH);
      const gap = cell >= 6 ? 1 : 0;
      this.geom = { cell, cols };
      this.cellOwner = new Int32Array(units).fill(-1);
      const counts = { minipage: 0, large: 0, free: 0, end: 0 };
      let u = 0;
      // runs of cells [u0, u0 + n) as bars, one per row
      const bar = (u0, n, fill, edge, hatch) => {
        for (let i = u0; i < u0 + n;) {
          const row = Math.floor(i / cols), col = i % cols, len = Math.min(u0 + n - i, cols - col);
          const x = col * cell + gap, y = row * cell + gap, w = len * cell - 2 * gap, h = cell - 2 * gap;
          g.fillStyle = fill;
          g.fillRect(x, y, w, h);
          if (hatch && cell >= 4) {
            g.save();
            g.beginPath(); g.rect(x, y, w, h); g.clip();
            g.strokeStyle = FREE_LINE;
            g.lineWidth = 1;
            g.beginPath();
            for (let d = -h; d < w; d += 5) { g.moveTo(x + d, y + h); g.lineTo(x + d + h, y); }
            g.stroke();
            g.restore();
          }
          if (edge && i === u0) { g.fillStyle = edge; g.fillRect(x, y, Math.max(1, cell / 5), h); }
          i += len;
        }
      };
      const ends = [];
      spans.forEach((s, idx) => {
        if (s.kind === 'end') { counts.end++; ends.push(u); return; }
        const n = Math.max(1, Math.round(s.bytes / UNIT));
        this.cellOwner.fill(idx, u, u + n);
        if (s.kind === 'minipage') {
          counts.minipage++;
          const row = Math.floor(u / cols), col = u % cols;
          g.fillStyle = classColor(s.cls, s.slots ? s.used / s.slots : 0);
          g.fillRect(col * cell + gap, row * cell + gap, cell - 2 * gap, cell - 2 * gap);
          if (s.used === 0 && cell >= 6) { // an empty page: an outline only
            g.fillStyle = BG;
            g.fillRect(col * cell + gap + 2, row * cell + gap + 2, cell - 2 * gap - 4, cell - 2 * gap - 4);
          }
        } else if (s.kind === 'large') {
          counts.large++;
          bar(u, n, LARGE, LARGE_EDGE, false);
        } else {
          counts.free++;
          bar(u, n, FREE, null, true);
        }
        u += n;
      });
      g.fillStyle = '#ff5d6c';
      for (const e of ends) {
        const row = Math.floor(Math.max(0, e - 1) / cols), col = e === 0 ? 0 : ((e - 1) % cols) + 1;
        g.fillRect(col * cell - 1, row * cell, 2, cell);
      }
      c.dataset.cells = String(counts.minipage);
      c.dataset.large = String(counts.large);
      c.dataset.free = String(counts.free);
      c.dataset.units = String(units);
      this.counts = counts;
      this.units = units;
      return counts;
    }

    hover(e) {
      if (!this.spans || !this.geom) return;
      const r = this.canvas.getBoundingClientRect();
      const { cell, cols } = this.geom;
      const col = Math.floor((e.clientX - r.left) / cell), row = Math.floor((e.clientY - r.top) / cell);
      const i = row * cols + col;
      const idx = col < cols && i >= 0 && i < this.cellOwner.length ? this.cellOwner[i] : -1;
      if (idx < 0) { this.tip.hidden = true; return; }
      const s = this.spans[idx];
      const addr = '0x' + s.address.toString(16).padStart(8, '0');
      let text;
      if (s.kind === 'minipage') {
        const size = global.classSize ? global.classSize(s.cls) : '';
        text = `<b>MiniPage</b> ${addr}<br>class ${s.cls}${size ? ` (${size} B segments)` : ''}<br>${s.used} / ${s.slots} used`;
      } else {
        text = `<b>${s.kind === 'large' ? 'Large block' : 'Free span'}</b> ${addr}<br>${Math.round(s.bytes / geom().unitBytes)} units, ${s.bytes.toLocaleString('en-US')} B`;
      }
      this.tip.innerHTML = text;
      this.tip.hidden = false;
      const box = this.canvas.parentElement.getBoundingClientRect();
      let x = e.clientX - box.left + 14, y = e.clientY - box.top + 14;
      if (x + 200 > box.width) x -= 220;
      this.tip.style.left = x + 'px';
      this.tip.style.top = y + 'px';
    }
  }

  global.HeapMap = HeapMap;
  global.classColor = classColor;
  global.setHeapGeometry = (g) => { geometry = g; };
  global.HEAP_COLORS = { LARGE, FREE, BG };
})(window);
