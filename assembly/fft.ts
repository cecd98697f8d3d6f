// Complex radix-2 FFT on split real/imaginary f32 arrays, in place.
// The inner butterflies run four at a time as f32x4 when the build has SIMD
// (ASC_FEATURE_SIMD is a compile-time constant, so the scalar build carries no
// v128 code). Tables are built once per size and kept; only a few sizes are used.
//
// Two real frames go through one complex transform (a in re, b in im); see
// the audio kernels for the split/merge of their spectra.

let tableN: i32 = 0;
let twRe: usize = 0; // twRe[h + j] = cos(-2*pi*j / (2h)), h = 1, 2, 4, ..., n/2
let twIm: usize = 0;
let bitrev: usize = 0; // i32[n]

function buildTables(n: i32): void {
  if (tableN == n) return;
  if (tableN != 0) {
    heap.free(twRe);
    heap.free(twIm);
    heap.free(bitrev);
  }
  twRe = heap.alloc(<usize>n << 2);
  twIm = heap.alloc(<usize>n << 2);
  bitrev = heap.alloc(<usize>n << 2);
  for (let h = 1; h < n; h <<= 1) {
    for (let j = 0; j < h; j++) {
      const a = (-Math.PI * <f64>j) / <f64>h;
      store<f32>(twRe + (<usize>(h + j) << 2), <f32>Math.cos(a));
      store<f32>(twIm + (<usize>(h + j) << 2), <f32>Math.sin(a));
    }
  }
  let bits = 0;
  while (1 << bits < n) bits++;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    store<i32>(bitrev + (<usize>i << 2), r);
  }
  tableN = n;
}

/** Forward complex FFT of size n (power of two, >= 8), in place on re[] and im[]. */
export function fftComplex(re: usize, im: usize, n: i32): void {
  buildTables(n);
  for (let i = 0; i < n; i++) {
    const j = load<i32>(bitrev + (<usize>i << 2));
    if (j > i) {
      const pi = <usize>i << 2;
      const pj = <usize>j << 2;
      const tr = load<f32>(re + pi);
      store<f32>(re + pi, load<f32>(re + pj));
      store<f32>(re + pj, tr);
      const ti = load<f32>(im + pi);
      store<f32>(im + pi, load<f32>(im + pj));
      store<f32>(im + pj, ti);
    }
  }
  // h = 1: twiddle 1. h = 2: twiddles 1 and -i.
  for (let i = 0; i < n; i += 4) {
    const p = re + (<usize>i << 2);
    const q = im + (<usize>i << 2);
    const r0 = load<f32>(p), r1 = load<f32>(p, 4), r2 = load<f32>(p, 8), r3 = load<f32>(p, 12);
    const i0 = load<f32>(q), i1 = load<f32>(q, 4), i2 = load<f32>(q, 8), i3 = load<f32>(q, 12);
    const a0r = r0 + r1, a0i = i0 + i1, a1r = r0 - r1, a1i = i0 - i1;
    const b0r = r2 + r3, b0i = i2 + i3, b1r = r2 - r3, b1i = i2 - i3;
    // second stage: (a0, b0) with w=1, (a1, b1) with w=-i: (b1r, b1i)*(-i) = (b1i, -b1r)
    store<f32>(p, a0r + b0r);
    store<f32>(q, a0i + b0i);
    store<f32>(p, a0r - b0r, 8);
    store<f32>(q, a0i - b0i, 8);
    store<f32>(p, a1r + b1i, 4);
    store<f32>(q, a1i - b1r, 4);
    store<f32>(p, a1r - b1i, 12);
    store<f32>(q, a1i + b1r, 12);
  }
  for (let h = 4; h < n; h <<= 1) {
    const tr0 = twRe + (<usize>h << 2);
    const ti0 = twIm + (<usize>h << 2);
    for (let i = 0; i < n; i += h << 1) {
      const ar = re + (<usize>i << 2);
      const ai = im + (<usize>i << 2);
      const br = ar + (<usize>h << 2);
      const bi = ai + (<usize>h << 2);
      if (ASC_FEATURE_SIMD) {
        for (let j: usize = 0; j < <usize>h << 2; j += 16) {
          const wr = v128.load(tr0 + j);
          const wi = v128.load(ti0 + j);
          const xr = v128.load(br + j);
          const xi = v128.load(bi + j);
          const tr = f32x4.sub(f32x4.mul(xr, wr), f32x4.mul(xi, wi));
          const ti = f32x4.add(f32x4.mul(xr, wi), f32x4.mul(xi, wr));
          const ur = v128.load(ar + j);
          const ui = v128.load(ai + j);
          v128.store(br + j, f32x4.sub(ur, tr));
          v128.store(bi + j, f32x4.sub(ui, ti));
          v128.store(ar + j, f32x4.add(ur, tr));
          v128.store(ai + j, f32x4.add(ui, ti));
        }
      } else {
        for (let j: usize = 0; j < <usize>h << 2; j += 4) {
          const wr = load<f32>(tr0 + j);
          const wi = load<f32>(ti0 + j);
          const xr = load<f32>(br + j);
          const xi = load<f32>(bi + j);
          const tr = xr * wr - xi * wi;
          const ti = xr * wi + xi * wr;
          const ur = load<f32>(ar + j);
          const ui = load<f32>(ai + j);
          store<f32>(br + j, ur - tr);
          store<f32>(bi + j, ui - ti);
          store<f32>(ar + j, ur + tr);
          store<f32>(ai + j, ui + ti);
        }
      }
    }
  }
}

/** Inverse complex FFT, scaled by 1/n (swap trick: ifft(x) = swap(fft(swap(x))) / n). */
export function ifftComplex(re: usize, im: usize, n: i32): void {
  fftComplex(im, re, n);
  const s: f32 = 1.0 / <f32>n;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(re + o, load<f32>(re + o) * s);
    store<f32>(im + o, load<f32>(im + o) * s);
  }
}
