// Kernels of the explicit image label detector (src/explicit/detect-image.ts): the luma plane it
// searches, the glyph rasterizer and the label templates. Each is the TypeScript reference done
// step for step in the same order and precision (f32 where it stores f32, f64 elsewhere), so the
// two give the same bits; test/explicit/explicit-kernels.test.ts holds them to it.

/**
 * Rows cellFrom..cellTo-1 of the luma shrunk by k: each cell the mean of k×k pixels, summed in f32
 * pixel by pixel along each row, into `raw` (w = width / k cells a row). The caller goes over the
 * plane in bands, so a long image does not run the whole way in the core's first-tier code.
 */
export function explicitLumaRows(pix: usize, width: i32, k: i32, raw: usize, cellFrom: i32, cellTo: i32): void {
  assert(k >= 1 && width >= k && cellFrom >= 0 && cellTo >= cellFrom, 'explicitLumaRows: bad band');
  const w = width / k;
  memory.fill(raw + (<usize>(cellFrom * w) << 2), 0, <usize>((cellTo - cellFrom) * w) << 2);
  for (let y = cellFrom * k; y < cellTo * k; y++) {
    const row = (y / k) * w;
    let o = pix + ((<usize>y * <usize>width) << 2);
    for (let cell = row; cell < row + w; cell++) {
      const at = raw + (<usize>cell << 2);
      let sum = load<f32>(at);
      for (let j = 0; j < k; j++, o += 4) {
        sum = <f32>(<f64>sum + (0.299 * <f64>load<u8>(o) + 0.587 * <f64>load<u8>(o + 1) + 0.114 * <f64>load<u8>(o + 2)));
      }
      store<f32>(at, sum);
    }
  }
  const area = <f64>(k * k);
  for (let i = cellFrom * w; i < cellTo * w; i++) {
    const at = raw + (<usize>i << 2);
    store<f32>(at, <f32>(<f64>load<f32>(at) / area));
  }
}

/** The 3×3 mean of a w×h f32 plane (fewer terms at the edges), as the detector blurs its luma. */
export function explicitBlur(src: usize, out: usize, w: i32, h: i32): void {
  boxBlur3(src, out, w, h);
}

/** 3×3 mean (fewer terms at the edges), summed in f64 in row order; inside, the nine terms without tests. */
function boxBlur3(src: usize, out: usize, w: i32, h: i32): void {
  for (let y = 0; y < h; y++) {
    const edgeRow = y == 0 || y == h - 1;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (edgeRow || x == 0 || x == w - 1) {
        store<f32>(out + (<usize>i << 2), <f32>edgeMean3(src, w, h, x, y));
        continue;
      }
      const a = src + (<usize>(i - w - 1) << 2), b = src + (<usize>(i - 1) << 2), c = src + (<usize>(i + w - 1) << 2);
      const sum = <f64>load<f32>(a) + <f64>load<f32>(a + 4) + <f64>load<f32>(a + 8)
        + <f64>load<f32>(b) + <f64>load<f32>(b + 4) + <f64>load<f32>(b + 8)
        + <f64>load<f32>(c) + <f64>load<f32>(c + 4) + <f64>load<f32>(c + 8);
      store<f32>(out + (<usize>i << 2), <f32>(sum / 9));
    }
  }
}

function edgeMean3(src: usize, w: i32, h: i32, x: i32, y: i32): f64 {
  let sum: f64 = 0;
  let n = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx, yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
        sum += <f64>load<f32>(src + (<usize>(yy * w + xx) << 2));
        n++;
      }
    }
  }
  return sum / <f64>n;
}

/**
 * Anti-aliased coverage (0..1, f32) of closed polygons on a width×height grid by signed-area
 * accumulation: `points` holds x, y pairs (f64), `ends` the end of each contour in points (in
 * pairs). `acc` is scratch of (width + 2) × height + 2 f64.
 */
export function explicitRasterize(points: usize, ends: usize, contours: i32, width: i32, height: i32, acc: usize, coverage: usize): void {
  const stride = width + 2;
  memory.fill(acc, 0, <usize>(stride * height + 2) << 3);
  let start = 0;
  for (let c = 0; c < contours; c++) {
    const end = load<i32>(ends + (<usize>c << 2));
    const n = end - start;
    for (let i = 0; i < n; i++) {
      const a = points + (<usize>(start + i) << 4);
      const b = points + (<usize>(start + ((i + 1) % n)) << 4);
      addLine(acc, stride, width, height, load<f64>(a), load<f64>(a + 8), load<f64>(b), load<f64>(b + 8));
    }
    start = end;
  }
  for (let y = 0; y < height; y++) {
    let sum: f64 = 0;
    for (let x = 0; x < width; x++) {
      sum += load<f64>(acc + (<usize>(y * stride + x) << 3));
      store<f32>(coverage + (<usize>(y * width + x) << 2), <f32>min<f64>(1, abs<f64>(sum)));
    }
  }
}

// @ts-ignore: decorator
@inline
function addAt(acc: usize, index: f64, value: f64): void {
  const at = acc + (<usize>(<i32>index) << 3);
  store<f64>(at, load<f64>(at) + value);
}

function addLine(acc: usize, stride: i32, width: i32, height: i32, xa: f64, ya: f64, xb: f64, yb: f64): void {
  if (ya == yb) return;
  const fw = <f64>width;
  let dir: f64, x0: f64, y0: f64, x1: f64, y1: f64;
  if (ya < yb) {
    dir = 1;
    x0 = max<f64>(0, min<f64>(fw, xa)); y0 = ya; x1 = max<f64>(0, min<f64>(fw, xb)); y1 = yb;
  } else {
    dir = -1;
    x0 = max<f64>(0, min<f64>(fw, xb)); y0 = yb; x1 = max<f64>(0, min<f64>(fw, xa)); y1 = ya;
  }
  const dxdy = (x1 - x0) / (y1 - y0);
  let x = x0;
  if (y0 < 0) x -= y0 * dxdy;
  const yStart = <i32>max<f64>(0, Math.floor(y0));
  const yEnd = <i32>min<f64>(<f64>height, Math.ceil(y1));
  for (let y = yStart; y < yEnd; y++) {
    const row = <f64>(y * stride);
    const fy = <f64>y;
    const dy = min<f64>(fy + 1, y1) - max<f64>(fy, y0);
    const xNext = x + dxdy * dy;
    const d = dy * dir;
    const lo = x < xNext ? x : xNext;
    const hi = x < xNext ? xNext : x;
    const loI = Math.floor(lo);
    const hiI = Math.ceil(hi);
    if (hiI <= loI + 1) {
      const mid = 0.5 * (x + xNext) - loI;
      addAt(acc, row + loI, d - d * mid);
      addAt(acc, row + loI + 1, d * mid);
    } else {
      const s = 1 / (hi - lo);
      const loFrac = lo - loI;
      const a0 = 0.5 * s * (1 - loFrac) * (1 - loFrac);
      const hiFrac = hi - hiI + 1;
      const am = 0.5 * s * hiFrac * hiFrac;
      addAt(acc, row + loI, d * a0);
      if (hiI == loI + 2) {
        addAt(acc, row + loI + 1, d * (1 - a0 - am));
      } else {
        const a1 = s * (1.5 - loFrac);
        addAt(acc, row + loI + 1, d * (a1 - a0));
        for (let xi = loI + 2; xi < hiI - 1; xi++) addAt(acc, row + xi, d * s);
        const a2 = a1 + (hiI - loI - 3) * s;
        addAt(acc, row + hiI - 1, d * (1 - a2 - am));
      }
      addAt(acc, row + hiI, d * am);
    }
    x = xNext;
  }
}

/** 1 where any coverage > 0 lies within the (2r+1)-square around a pixel: separable running counts. */
function inkWithin(src: usize, w: i32, h: i32, r: i32, rows: usize, prefix: usize, out: usize): void {
  for (let y = 0; y < h; y++) {
    const o = y * w;
    store<i32>(prefix, 0);
    for (let x = 0; x < w; x++) {
      store<i32>(prefix + (<usize>(x + 1) << 2), load<i32>(prefix + (<usize>x << 2)) + (load<f32>(src + (<usize>(o + x) << 2)) > 0 ? 1 : 0));
    }
    for (let x = 0; x < w; x++) {
      const hiCount = load<i32>(prefix + (<usize>min<i32>(w, x + r + 1) << 2));
      const loCount = load<i32>(prefix + (<usize>max<i32>(0, x - r) << 2));
      store<u8>(rows + <usize>(o + x), hiCount > loCount ? 1 : 0);
    }
  }
  for (let x = 0; x < w; x++) {
    store<i32>(prefix, 0);
    for (let y = 0; y < h; y++) {
      store<i32>(prefix + (<usize>(y + 1) << 2), load<i32>(prefix + (<usize>y << 2)) + <i32>load<u8>(rows + <usize>(y * w + x)));
    }
    for (let y = 0; y < h; y++) {
      const hiCount = load<i32>(prefix + (<usize>min<i32>(h, y + r + 1) << 2));
      const loCount = load<i32>(prefix + (<usize>max<i32>(0, y - r) << 2));
      store<u8>(out + <usize>(y * w + x), hiCount > loCount ? 1 : 0);
    }
  }
}

/**
 * A label template from its glyph coverage (cw×ch, f32): the coverage padded by `ring` on every
 * side (w = cw + 2·ring, h = ch + 2·ring) and 3×3-blurred; its support is every pixel with ink
 * within `ring`. Each support pixel belongs to the glyph whose inked column span (`spans`, m f64
 * pairs) is nearest, and gets a zone: 1 inside a stroke, 2 within `halo` of the ink but not
 * touching it, 0 otherwise. Written out grouped by glyph (support order within each glyph), with
 * offsets in a plane of width `planeWidth`: every pixel (offsets1, t1, zone1, ends1, sums1) and
 * every 4th support pixel (offsets4, t4, ends4, sums4); ends are per-glyph end indices and sums
 * per-glyph n, Σt, Σt². `work` is scratch of 12·w·h + 4·(max(w, h) + 1) + w + 4·m bytes.
 * Returns the support's size.
 */
export function explicitTemplate(
  coverage: usize, cw: i32, ch: i32, ring: i32, halo: i32, spans: usize, m: i32, planeWidth: i32, work: usize,
  offsets1: usize, t1: usize, zone1: usize, ends1: usize, sums1: usize,
  offsets4: usize, t4: usize, ends4: usize, sums4: usize,
): i32 {
  assert(m >= 1 && m <= 255 && ring >= 1 && cw >= 1 && ch >= 1, 'explicitTemplate: bad layout');
  const w = cw + 2 * ring, h = ch + 2 * ring;
  const area = w * h;
  const sharpInk = work;
  const ink = sharpInk + (<usize>area << 2);
  const near = ink + (<usize>area << 2);
  const haloMask = near + <usize>area;
  const touching = haloMask + <usize>area;
  const rows = touching + <usize>area;
  const prefix = rows + <usize>area;
  const columnGlyph = prefix + (<usize>(max<i32>(w, h) + 1) << 2);
  const fill = columnGlyph + <usize>w;
  memory.fill(sharpInk, 0, <usize>area << 2);
  for (let y = 0; y < ch; y++) {
    memory.copy(sharpInk + (<usize>((y + ring) * w + ring) << 2), coverage + (<usize>(y * cw) << 2), <usize>cw << 2);
  }
  boxBlur3(sharpInk, ink, w, h);
  inkWithin(sharpInk, w, h, ring, rows, prefix, near);
  inkWithin(sharpInk, w, h, halo, rows, prefix, haloMask);
  inkWithin(sharpInk, w, h, 1, rows, prefix, touching);
  for (let x = 0; x < w; x++) {
    const cx = <f64>(x - ring) + 0.5;
    let bestD = Infinity;
    let best = 0;
    for (let j = 0; j < m; j++) {
      const a = load<f64>(spans + (<usize>j << 4)), b = load<f64>(spans + (<usize>j << 4) + 8);
      const d = cx < a ? a - cx : cx > b ? cx - b : 0;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    store<u8>(columnGlyph + <usize>x, <u8>best);
  }
  // Count each glyph's support pixels (all, and every 4th in support order), then place them.
  memory.fill(ends1, 0, <usize>m << 2);
  memory.fill(ends4, 0, <usize>m << 2);
  let count = 0;
  for (let i = 0; i < area; i++) {
    if (load<u8>(near + <usize>i) == 0) continue;
    const g = <usize>load<u8>(columnGlyph + <usize>(i % w)) << 2;
    store<i32>(ends1 + g, load<i32>(ends1 + g) + 1);
    if (count % 4 == 0) store<i32>(ends4 + g, load<i32>(ends4 + g) + 1);
    count++;
  }
  placeGrouped(near, columnGlyph, sharpInk, ink, haloMask, touching, w, area, planeWidth, m, 1, fill, offsets1, t1, zone1, ends1, sums1);
  placeGrouped(near, columnGlyph, sharpInk, ink, haloMask, touching, w, area, planeWidth, m, 4, fill, offsets4, t4, 0, ends4, sums4);
  return count;
}

function placeGrouped(
  near: usize, columnGlyph: usize, sharpInk: usize, ink: usize, haloMask: usize, touching: usize, w: i32, area: i32, planeWidth: i32, m: i32, step: i32,
  fill: usize, offsets: usize, t: usize, zone: usize, ends: usize, sums: usize,
): void {
  // Counts to running ends; each glyph's first free place.
  let total = 0;
  for (let j = 0; j < m; j++) {
    store<i32>(fill + (<usize>j << 2), total);
    total += load<i32>(ends + (<usize>j << 2));
    store<i32>(ends + (<usize>j << 2), total);
  }
  memory.fill(sums, 0, <usize>(3 * m) << 3);
  let n = 0;
  for (let i = 0; i < area; i++) {
    if (load<u8>(near + <usize>i) == 0) continue;
    if (n++ % step != 0) continue;
    const j = <i32>load<u8>(columnGlyph + <usize>(i % w));
    const place = load<i32>(fill + (<usize>j << 2));
    store<i32>(fill + (<usize>j << 2), place + 1);
    const value = <f64>load<f32>(ink + (<usize>i << 2));
    store<i32>(offsets + (<usize>place << 2), (i / w) * planeWidth + (i % w));
    store<f64>(t + (<usize>place << 3), value);
    if (zone != 0) {
      const z: u8 = load<f32>(sharpInk + (<usize>i << 2)) >= 0.95 ? 1 : load<u8>(touching + <usize>i) == 0 && load<u8>(haloMask + <usize>i) != 0 ? 2 : 0;
      store<u8>(zone + <usize>place, z);
    }
    const s = sums + (<usize>(3 * j) << 3);
    store<f64>(s, load<f64>(s) + 1);
    store<f64>(s + 8, load<f64>(s + 8) + value);
    store<f64>(s + 16, load<f64>(s + 16) + value * value);
  }
}

/**
 * The weakest per-glyph Pearson correlation of a template view (offsets, t: f64, ends, sums as
 * explicitTemplate writes them; the support tw×th) with the plane v (pw×ph, f32) at support
 * top-left (x, y), signed; 0 off the plane, when glyphs disagree in sign or a glyph's patch is flat.
 */
function correlateAt(v: usize, pw: i32, ph: i32, offsets: usize, t: usize, ends: usize, m: i32, sums: usize, tw: i32, th: i32, x: i32, y: i32): f64 {
  if (x < 0 || y < 0 || x + tw > pw || y + th > ph) return 0;
  const base = v + (<usize>(y * pw + x) << 2);
  let weakest = Infinity;
  let sign: f64 = 0;
  let i = 0;
  for (let j = 0; j < m; j++) {
    let sv: f64 = 0, svv: f64 = 0, stv: f64 = 0;
    const end = load<i32>(ends + (<usize>j << 2));
    for (; i < end; i++) {
      const a = <f64>load<f32>(base + (<usize>load<i32>(offsets + (<usize>i << 2)) << 2));
      sv += a;
      svv += a * a;
      stv += load<f64>(t + (<usize>i << 3)) * a;
    }
    const s3 = sums + (<usize>(3 * j) << 3);
    const n = load<f64>(s3), st = load<f64>(s3 + 8), stt = load<f64>(s3 + 16);
    if (n < 4) continue;
    const varT = stt - (st * st) / n;
    const varV = svv - (sv * sv) / n;
    if (varV < 4 * n || varT <= 0) return 0;
    const r = (stv - (st * sv) / n) / Math.sqrt(varT * varV);
    const s: f64 = r > 0 ? 1 : r < 0 ? -1 : r;
    if (sign != 0 && s != sign) return 0;
    sign = s;
    weakest = min<f64>(weakest, abs<f64>(r));
  }
  return weakest == Infinity ? 0 : sign * weakest;
}

/**
 * For each of `count` origins (x, y pairs in `origins`), the template view's strongest correlation
 * over the moves dy, dx = -reach..reach in `step`s (dy outer, dx inner; the first of equals wins):
 * written to `out` as r, dx, dy (f64) per origin.
 */
export function explicitSearch(
  v: usize, pw: i32, ph: i32, offsets: usize, t: usize, ends: usize, m: i32, sums: usize, tw: i32, th: i32,
  origins: usize, count: i32, reach: i32, step: i32, out: usize,
): void {
  assert(step >= 1 && reach >= 0 && m >= 1, 'explicitSearch: bad search');
  for (let o = 0; o < count; o++) {
    const ox = load<i32>(origins + (<usize>o << 3)), oy = load<i32>(origins + (<usize>o << 3) + 4);
    let best: f64 = 0, bx = 0, by = 0;
    for (let dy = -reach; dy <= reach; dy += step) {
      for (let dx = -reach; dx <= reach; dx += step) {
        const r = correlateAt(v, pw, ph, offsets, t, ends, m, sums, tw, th, ox + dx, oy + dy);
        if (abs<f64>(r) > abs<f64>(best)) {
          best = r;
          bx = dx;
          by = dy;
        }
      }
    }
    const at = out + (<usize>(3 * o) << 3);
    store<f64>(at, best);
    store<f64>(at + 8, <f64>bx);
    store<f64>(at + 16, <f64>by);
  }
}

/** Curves are cut into straight pieces no further than this from the curve, in pixels (glyphs.ts). */
const FLATNESS: f64 = 0.08;

function segmentsFor(deviation: f64): i32 {
  return <i32>max<f64>(1, min<f64>(64, Math.ceil(Math.sqrt(deviation / FLATNESS))));
}

// @ts-ignore: decorator
@inline
function arg(path: usize, i: i32): f64 {
  return load<f64>(path + (<usize>i << 3));
}

/**
 * One glyph's contours in pixels, as glyphContours in src/explicit/glyphs.ts makes them: `path` is
 * its command list (f64: 0 moveTo x y, 1 lineTo x y, 2 quadratic x1 y1 x y, 3 cubic x1 y1 x2 y2 x y,
 * 4 close; y up) of `length` numbers, scaled by `scale` with the origin at (x0, baseline), y down.
 * Appends the points (x, y f64 pairs) of every contour with at least three to `points` and each
 * contour's end (in points) to `ends`, after the counts held in `counts` (points, contours; i32),
 * which it updates. Returns 0, or -1 for an unknown command.
 */
export function explicitGlyphContours(path: usize, length: i32, scale: f64, x0: f64, baseline: f64, points: usize, ends: usize, counts: usize): i32 {
  let np = load<i32>(counts), nc = load<i32>(counts + 4);
  let start = np;
  let open = false;
  let cx: f64 = 0, cy: f64 = 0;
  let i = 0;
  while (true) {
    const more = i < length;
    const op = more ? <i32>load<f64>(path + (<usize>i << 3)) : 4;
    if (op == 0 || op == 4) {
      // Close the current contour: kept only with three points or more.
      if (open) {
        if (np - start >= 3) {
          store<i32>(ends + (<usize>nc << 2), np);
          nc++;
        } else {
          np = start;
        }
      }
      open = false;
      if (!more) break;
    }
    i++;
    if (op == 0) {
      cx = x0 + arg(path, i + 0) * scale;
      cy = baseline - arg(path, i + 1) * scale;
      i += 2;
      open = true;
      start = np;
      store<f64>(points + (<usize>np << 4), cx);
      store<f64>(points + (<usize>np << 4) + 8, cy);
      np++;
    } else if (op == 1) {
      cx = x0 + arg(path, i + 0) * scale;
      cy = baseline - arg(path, i + 1) * scale;
      i += 2;
      if (open) {
        store<f64>(points + (<usize>np << 4), cx);
        store<f64>(points + (<usize>np << 4) + 8, cy);
        np++;
      }
    } else if (op == 2) {
      const x1 = x0 + arg(path, i + 0) * scale, y1 = baseline - arg(path, i + 1) * scale, x = x0 + arg(path, i + 2) * scale, y = baseline - arg(path, i + 3) * scale;
      i += 4;
      const dx = cx - 2 * x1 + x, dy = cy - 2 * y1 + y;
      const n = segmentsFor(Math.sqrt(dx * dx + dy * dy) / 4);
      for (let k = 1; k <= n; k++) {
        const t = <f64>k / <f64>n, u = 1 - t;
        if (open) {
          store<f64>(points + (<usize>np << 4), u * u * cx + 2 * u * t * x1 + t * t * x);
          store<f64>(points + (<usize>np << 4) + 8, u * u * cy + 2 * u * t * y1 + t * t * y);
          np++;
        }
      }
      cx = x;
      cy = y;
    } else if (op == 3) {
      const x1 = x0 + arg(path, i + 0) * scale, y1 = baseline - arg(path, i + 1) * scale, x2 = x0 + arg(path, i + 2) * scale, y2 = baseline - arg(path, i + 3) * scale, x = x0 + arg(path, i + 4) * scale, y = baseline - arg(path, i + 5) * scale;
      i += 6;
      const ax = cx - 2 * x1 + x2, ay = cy - 2 * y1 + y2, bx = x1 - 2 * x2 + x, by = y1 - 2 * y2 + y;
      const dev = max<f64>(Math.sqrt(ax * ax + ay * ay), Math.sqrt(bx * bx + by * by)) * 0.75;
      const n = segmentsFor(dev);
      for (let k = 1; k <= n; k++) {
        const t = <f64>k / <f64>n, u = 1 - t;
        const a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
        if (open) {
          store<f64>(points + (<usize>np << 4), a * cx + b * x1 + c * x2 + d * x);
          store<f64>(points + (<usize>np << 4) + 8, a * cy + b * y1 + c * y2 + d * y);
          np++;
        }
      }
      cx = x;
      cy = y;
    } else if (op != 4) {
      return -1;
    }
  }
  store<i32>(counts, np);
  store<i32>(counts + 4, nc);
  return 0;
}
