// A small time-series chart on a canvas: a few series, shared y axis in
// bytes, the newest sample on the right.  No dependencies.
'use strict';
(function (global) {
  const UNITS = ['B', 'KiB', 'MiB', 'GiB'];

  function niceStep(max, ticks) {
    const raw = max / ticks;
    const pow = Math.pow(2, Math.floor(Math.log2(raw)));
    for (const m of [1, 2, 4, 8]) if (pow * m >= raw) return pow * m;
    return pow * 16;
  }

  function shortBytes(v) {
    let u = 0;
    while (v >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
    return (v >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)) + ' ' + UNITS[u];
  }

  class TimeChart {
    // series: [{ key, label, color, fill }]
    constructor(canvas, series, opts = {}) {
      this.canvas = canvas;
      this.series = series;
      this.capacity = opts.capacity || 400;
      this.samples = [];
      this.hidden = new Set();
      this.footerText = opts.footerText;
      if (global.ResizeObserver) new ResizeObserver(() => this.draw()).observe(canvas);
    }

    clear() { this.samples = []; this.draw(); }

    push(sample) {
      this.samples.push(sample);
      if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
      this.draw();
    }

    toggle(key) {
      if (this.hidden.has(key)) this.hidden.delete(key); else this.hidden.add(key);
      this.draw();
    }

    draw() {
      const c = this.canvas, dpr = global.devicePixelRatio || 1;
      const w = c.clientWidth, h = c.clientHeight;
      if (!w || !h) return;
      if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
        c.width = Math.round(w * dpr);
        c.height = Math.round(h * dpr);
      }
      const g = c.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, w, h);
      const L = 64, R = 12, T = 10, B = 22, pw = w - L - R, ph = h - T - B;
      const shown = this.series.filter((s) => !this.hidden.has(s.key));
      let max = 0;
      for (const smp of this.samples) for (const s of shown) max = Math.max(max, smp[s.key] || 0);
      if (max <= 0) max = 1024 * 1024;
      const step = niceStep(max * 1.08, 4);
      const top = Math.ceil((max * 1.08) / step) * step;

      // grid + y labels
      g.font = '11px ui-sans-serif, system-ui, sans-serif';
      g.textBaseline = 'middle';
      g.textAlign = 'right';
      for (let v = 0; v <= top + 1e-9; v += step) {
        const y = T + ph - (v / top) * ph;
        g.strokeStyle = v === 0 ? 'rgba(160,180,200,.45)' : 'rgba(160,180,200,.13)';
        g.lineWidth = 1;
        g.beginPath(); g.moveTo(L, Math.round(y) + 0.5); g.lineTo(L + pw, Math.round(y) + 0.5); g.stroke();
        g.fillStyle = '#8da0b3';
        g.fillText(shortBytes(v), L - 8, y);
      }
      const n = this.samples.length;
      g.textAlign = 'left';
      g.textBaseline = 'alphabetic';
      g.fillStyle = '#6d8094';
      g.fillText(this.footerText ? this.footerText(n) : n ? `last ${n} samples` : 'no samples yet: step or run a workload', L, h - 5);
      if (n && this.samples[n - 1].label != null) {
        g.textAlign = 'right';
        g.fillText(this.samples[n - 1].label, L + pw, h - 5);
      }
      if (!n) return;
      // the window fills the width early on, then scrolls: newest on the right
      const span = Math.max(2, Math.min(this.capacity, Math.max(n, 60)));
      const x = (i) => L + (i + span - n) * pw / (span - 1);
      const y = (v) => T + ph - (v / top) * ph;
      for (const s of shown) {
        g.beginPath();
        for (let i = 0; i < n; i++) {
          const px = x(i), py = y(this.samples[i][s.key] || 0);
          if (i === 0) g.moveTo(px, py); else if (s.stepped) { g.lineTo(px, y(this.samples[i - 1][s.key] || 0)); g.lineTo(px, py); } else g.lineTo(px, py);
        }
        if (s.fill) {
          g.save();
          g.lineTo(x(n - 1), y(0)); g.lineTo(x(0), y(0)); g.closePath();
          const grad = g.createLinearGradient(0, T, 0, T + ph);
          grad.addColorStop(0, s.fill);
          grad.addColorStop(1, 'rgba(0,0,0,0)');
          g.fillStyle = grad;
          g.fill();
          g.restore();
          // the outline again, without the closing edges
          g.beginPath();
          for (let i = 0; i < n; i++) {
            const px = x(i), py = y(this.samples[i][s.key] || 0);
            if (i === 0) g.moveTo(px, py); else if (s.stepped) { g.lineTo(px, y(this.samples[i - 1][s.key] || 0)); g.lineTo(px, py); } else g.lineTo(px, py);
          }
        }
        g.strokeStyle = s.color;
        g.lineWidth = s.width || 2;
        g.setLineDash(s.dash || []);
        g.lineJoin = 'round';
        g.stroke();
        g.setLineDash([]);
        // the newest value as a dot
        const last = this.samples[n - 1][s.key] || 0;
        g.fillStyle = s.color;
        g.beginPath(); g.arc(x(n - 1), y(last), 3, 0, Math.PI * 2); g.fill();
      }
    }
  }

  global.TimeChart = TimeChart;
  global.shortBytes = shortBytes;
})(window);
