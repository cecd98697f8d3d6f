// Minimal dependency-free SVG line plots for bench results.

export interface Series {
  name: string;
  points: [number, number][];
  color?: string;
}

export interface LinePlot {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Axis mapping: 'sqrt' spreads small values (areas), 'log' for ratios. */
  xScale?: 'linear' | 'sqrt' | 'log';
  /** Reverse the x axis (e.g. "area kept" falling left to right). */
  xReverse?: boolean;
  xTicks?: number[];
  yTicks?: number[];
  xFormat?: (x: number) => string;
  yFormat?: (y: number) => string;
  width?: number;
  height?: number;
  /** Optional horizontal reference line, e.g. a target rate. */
  hLine?: { y: number; label: string };
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceTicks(lo: number, hi: number, count = 6): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toFixed(10));
  return ticks;
}

export function linePlotSvg(p: LinePlot): string {
  const W = p.width ?? 720;
  const H = p.height ?? 420;
  const m = { l: 64, r: 170, t: 40, b: 56 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = p.series.flatMap((s) => s.points);
  const xd = p.xDomain ?? [Math.min(...all.map((q) => q[0])), Math.max(...all.map((q) => q[0]))];
  const yd = p.yDomain ?? [Math.min(0, ...all.map((q) => q[1])), Math.max(...all.map((q) => q[1]))];
  const fx = p.xFormat ?? ((x: number) => String(x));
  const fy = p.yFormat ?? ((y: number) => String(y));
  const tx = p.xScale === 'sqrt' ? Math.sqrt : p.xScale === 'log' ? Math.log : (x: number) => x;
  const sx = (x: number) => {
    const f = (tx(x) - tx(xd[0])) / (tx(xd[1]) - tx(xd[0]) || 1);
    return m.l + (p.xReverse ? 1 - f : f) * pw;
  };
  const sy = (y: number) => m.t + (1 - (y - yd[0]) / (yd[1] - yd[0] || 1)) * ph;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l + pw / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(p.title)}</text>`,
  );
  for (const t of p.xTicks ?? niceTicks(xd[0], xd[1])) {
    const x = sx(t);
    out.push(
      `<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + ph}" stroke="#e5e5e5"/>`,
      `<text x="${x}" y="${m.t + ph + 16}" text-anchor="middle">${esc(fx(t))}</text>`,
    );
  }
  for (const t of p.yTicks ?? niceTicks(yd[0], yd[1])) {
    const y = sy(t);
    out.push(
      `<line x1="${m.l}" y1="${y}" x2="${m.l + pw}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${m.l - 6}" y="${y + 4}" text-anchor="end">${esc(fy(t))}</text>`,
    );
  }
  out.push(
    `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<text x="${m.l + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(p.xLabel)}</text>`,
    `<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(p.yLabel)}</text>`,
  );
  if (p.hLine) {
    const y = sy(p.hLine.y);
    out.push(
      `<line x1="${m.l}" y1="${y}" x2="${m.l + pw}" y2="${y}" stroke="#888" stroke-dasharray="6 4"/>`,
      `<text x="${m.l + pw - 4}" y="${y - 5}" text-anchor="end" fill="#666">${esc(p.hLine.label)}</text>`,
    );
  }
  p.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const pts = [...s.points].sort((a, b) => a[0] - b[0]).filter((q) => Number.isFinite(q[1]));
    if (pts.length > 1) {
      const d = pts.map((q, j) => `${j ? 'L' : 'M'}${sx(q[0]).toFixed(1)},${sy(q[1]).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    for (const q of pts) out.push(`<circle cx="${sx(q[0]).toFixed(1)}" cy="${sy(q[1]).toFixed(1)}" r="3.5" fill="${color}"/>`);
    const ly = m.t + 10 + i * 20;
    out.push(
      `<line x1="${m.l + pw + 12}" y1="${ly}" x2="${m.l + pw + 32}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${m.l + pw + 38}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
