/**
 * Plain-TypeScript baseline of the audio kernels: the same algorithms as
 * assembly/audio/ (windowed-sinc resampler, frame embedding, analysis, whitening,
 * sync), written as ordinary typed-array TypeScript over a WebAssembly.Memory, so
 * the engine in src/audio/ runs on it unchanged. Only for the speed bench.
 */
import type { Core } from '../../src/wasm/core.js';
import { rowMeans } from '../../src/audio/frames.js';

const FRAME = 256;
const BAND_LO = 20;
const BAND_BINS = 80;
const ANALYSIS_BINS = BAND_BINS + 2;
const FADE = 26;

function fft(re: Float32Array, im: Float32Array, n: number, cos: Float32Array, sin: Float32Array, rev: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let h = 1; h < n; h <<= 1) {
    for (let i = 0; i < n; i += h << 1) {
      for (let j = 0; j < h; j++) {
        const wr = cos[h + j];
        const wi = sin[h + j];
        const a = i + j;
        const b = a + h;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

export function tsCore(): Core {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536 });
  const slots = new Map<number, { ptr: number; size: number }>();
  let top = 1024;
  const f32 = () => new Float32Array(memory.buffer);
  const i32 = () => new Int32Array(memory.buffer);
  const scratch = (slot: number, bytes: number) => {
    const s = slots.get(slot);
    if (s && s.size >= bytes) return s.ptr;
    const size = (bytes + 65535) & ~65535;
    const ptr = top;
    top += size;
    const need = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
    if (need > 0) memory.grow(need);
    slots.set(slot, { ptr, size });
    return ptr;
  };
  const cos = new Float32Array(FRAME);
  const sin = new Float32Array(FRAME);
  for (let h = 1; h < FRAME; h <<= 1) for (let j = 0; j < h; j++) {
    cos[h + j] = Math.cos((-Math.PI * j) / h);
    sin[h + j] = Math.sin((-Math.PI * j) / h);
  }
  const rev = new Int32Array(FRAME);
  for (let i = 0; i < FRAME; i++) {
    let r = 0;
    for (let b = 0; b < 8; b++) r |= ((i >> b) & 1) << (7 - b);
    rev[i] = r;
  }
  const hann = new Float32Array(FRAME).map((_, n) => Math.sin((Math.PI * (n + 0.5)) / FRAME) ** 2);
  const fade = new Float32Array(2 * FADE).map((_, i) => 0.5 - 0.5 * Math.cos((Math.PI * i) / (2 * FADE)));
  const re = new Float32Array(FRAME);
  const im = new Float32Array(FRAME);

  // resampler: the same Kaiser-windowed sinc (8 zero crossings, beta 5.65), weights per phase
  const I0 = (x: number) => {
    let s = 1, t = 1;
    for (let k = 1; k < 40; k++) {
      t *= (x * x) / 4 / (k * k);
      s += t;
    }
    return s;
  };
  const kernel = (x: number) => (x >= 8 ? 0 : (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x)) * (I0(5.65 * Math.sqrt(1 - (x / 8) ** 2)) / I0(5.65)));
  const plans = new Map<string, { weights: Float32Array[]; half: number; g: number }>();
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const planFor = (inRate: number, outRate: number, cutoff: number) => {
    const key = `${inRate}/${outRate}/${cutoff}`;
    let plan = plans.get(key);
    if (!plan) {
      const fc = Math.min(1, (2 * cutoff) / inRate);
      const half = Math.ceil(8 / fc);
      const g = gcd(inRate, outRate);
      const weights: Float32Array[] = [];
      for (let ph = 0; ph < outRate / g; ph++) {
        const frac = (ph * g) / outRate;
        const w = new Float32Array(2 * half);
        let s = 0;
        for (let m = 0; m < 2 * half; m++) s += w[m] = kernel(Math.abs(m - half + 1 - frac) * fc);
        for (let m = 0; m < 2 * half; m++) w[m] /= s;
        weights.push(w);
      }
      plan = { weights, half, g };
      plans.set(key, plan);
    }
    return plan;
  };
  const resampleReach = (inRate: number, outRate: number, cutoff: number) => 2 * planFor(inRate, outRate, cutoff).half + 4;
  const resample = (inPtr: number, inLen: number, inRate: number, outPtr: number, outLen: number, outRate: number, cutoff: number) =>
    resampleSpan(inPtr, 0, inLen, inRate, outPtr, 0, outLen, outRate, cutoff);
  const resampleSpan = (inPtr: number, inFirst: number, inLen: number, inRate: number, outPtr: number, outStart: number, outCount: number, outRate: number, cutoff: number) => {
    const plan = planFor(inRate, outRate, cutoff);
    const mem = f32();
    const x = (inPtr >> 2) - inFirst;
    const y = (outPtr >> 2) - outStart;
    for (let n = outStart; n < outStart + outCount; n++) {
      const num = n * inRate;
      const i0 = Math.floor(num / outRate);
      const w = plan.weights[(num % outRate) / plan.g];
      const j0 = i0 - plan.half + 1;
      let acc = 0;
      for (let m = 0; m < w.length; m++) {
        const j = j0 + m;
        if (j >= 0 && j < inLen) acc += mem[x + j] * w[m];
      }
      mem[y + n] = acc;
    }
  };

  const loadPair = (mem: Float32Array, x: number, a: number, b: number, win: Float32Array) => {
    for (let n = 0; n < FRAME; n++) {
      re[n] = mem[x + a + n] * win[n];
      im[n] = b >= 0 ? mem[x + b + n] * win[n] : 0;
    }
  };

  /** Bin k of Z = D_A + i D_B (out: re then im), D_A and D_B the spectra of two real changes. */
  const packChangePair = (out: Float32Array, k: number, dar: number, dai: number, dbr: number, dbi: number) => {
    out[k] = dar - dbi;
    out[FRAME + k] = dai + dbr;
    out[FRAME - k] = dar + dbi;
    out[2 * FRAME - k] = dbr - dai;
  };

  const audioEmbedDelta = (xPtr: number, len: number, symPtr: number, blockFrames: number, step: number, tilt: number, maxStep: number, deltaPtr: number, refEnergy = 0, frameTilt = 0, frameCap = 1, frameFloor = 1) => {
    const mem = f32();
    const x = xPtr >> 2;
    const sym = symPtr >> 2;
    const d = deltaPtr >> 2;
    mem.fill(0, d, d + len);
    const frames = Math.floor(len / FRAME);
    const boost = (start: number) => {
      if (frameTilt <= 0 || refEnergy <= 0) return 1;
      let e = 0;
      for (let n = 0; n < FRAME; n++) e += mem[x + start + n] * mem[x + start + n];
      e /= FRAME;
      if (e >= refEnergy && frameFloor >= 1) return 1;
      return Math.max(frameFloor, Math.min(frameCap, Math.pow(refEnergy / (e + 1e-20), frameTilt)));
    };
    const gain = (s: number, p: number, mean: number, stepF: number) => {
      let st = stepF * (p > 0 ? Math.pow(mean / p, tilt) : Infinity);
      if (st > maxStep) st = maxStep;
      return Math.exp(s * st) - 1;
    };
    for (let f = 0; f < frames; f += 2) {
      const hasB = f + 1 < frames;
      loadPair(mem, x, f * FRAME, hasB ? (f + 1) * FRAME : -1, hann);
      fft(re, im, FRAME, cos, sin, rev);
      let meanA = 0, meanB = 0;
      for (let k = BAND_LO; k < BAND_LO + BAND_BINS; k++) {
        const ar = re[k] + re[FRAME - k], ai = im[k] - im[FRAME - k], br = im[k] + im[FRAME - k], bi = re[FRAME - k] - re[k];
        meanA += ar * ar + ai * ai;
        meanB += br * br + bi * bi;
      }
      meanA /= BAND_BINS;
      meanB /= BAND_BINS;
      const stepA = step * boost(f * FRAME);
      const stepB = hasB ? step * boost((f + 1) * FRAME) : step;
      const ra = sym + (f % blockFrames) * BAND_BINS;
      const rb = sym + ((f + 1) % blockFrames) * BAND_BINS;
      const out = new Float32Array(2 * FRAME);
      for (let k = BAND_LO; k < BAND_LO + BAND_BINS; k++) {
        const zr = re[k], zi = im[k], yr = re[FRAME - k], yi = im[FRAME - k];
        const ar = zr + yr, ai = zi - yi, br = zi + yi, bi = yr - zr;
        const gA = gain(mem[ra + k - BAND_LO], ar * ar + ai * ai, meanA, stepA);
        const gB = hasB ? gain(mem[rb + k - BAND_LO], br * br + bi * bi, meanB, stepB) : 0;
        const dar = 0.5 * ar * gA, dai = 0.5 * ai * gA, dbr = 0.5 * br * gB, dbi = 0.5 * bi * gB;
        packChangePair(out, k, dar, dai, dbr, dbi);
      }
      re.set(out.subarray(0, FRAME));
      im.set(out.subarray(FRAME));
      // inverse by the swap trick
      fft(im, re, FRAME, cos, sin, rev);
      for (const [src, start] of [[re, f * FRAME], [im, (f + 1) * FRAME]] as const) {
        if (src === im && !hasB) continue;
        for (let t = -FADE; t < FRAME + FADE; t++) {
          const pos = start + t;
          if (pos < 0 || pos >= len) continue;
          const w = t < FADE ? fade[t + FADE] : t >= FRAME - FADE ? 1 - fade[t - FRAME + FADE] : 1;
          mem[d + pos] += (src[(t + FRAME) % FRAME] / FRAME) * w;
        }
      }
    }
  };

  const audioEmbedDeltaStereo = (lPtr: number, rPtr: number, len: number, symPtr: number, blockFrames: number, step: number, tilt: number, maxStep: number, dlPtr: number, drPtr: number, refEnergy = 0, frameTilt = 0, frameCap = 1, frameFloor = 1) => {
    const mem = f32();
    const l = lPtr >> 2;
    const r = rPtr >> 2;
    const sym = symPtr >> 2;
    const dl = dlPtr >> 2;
    const dr = drPtr >> 2;
    mem.fill(0, dl, dl + len);
    mem.fill(0, dr, dr + len);
    const frames = Math.floor(len / FRAME);
    for (let f = 0; f < frames; f++) {
      for (let n = 0; n < FRAME; n++) {
        re[n] = mem[l + f * FRAME + n] * hann[n];
        im[n] = mem[r + f * FRAME + n] * hann[n];
      }
      fft(re, im, FRAME, cos, sin, rev);
      const bins: [number, number, number, number][] = [];
      let meanM = 0;
      for (let k = BAND_LO; k < BAND_LO + BAND_BINS; k++) {
        const zr = re[k], zi = im[k], yr = re[FRAME - k], yi = im[FRAME - k];
        const b: [number, number, number, number] = [zr + yr, zi - yi, zi + yi, yr - zr]; // 2 L, 2 R
        bins.push(b);
        meanM += ((b[0] + b[2]) / 2) ** 2 + ((b[1] + b[3]) / 2) ** 2;
      }
      meanM /= BAND_BINS;
      let stepF = step;
      if (frameTilt > 0 && refEnergy > 0) {
        let e = 0;
        for (let n = 0; n < FRAME; n++) e += (0.5 * (mem[l + f * FRAME + n] + mem[r + f * FRAME + n])) ** 2;
        e /= FRAME;
        if (e < refEnergy || frameFloor < 1) stepF *= Math.max(frameFloor, Math.min(frameCap, Math.pow(refEnergy / (e + 1e-20), frameTilt)));
      }
      const row = sym + (f % blockFrames) * BAND_BINS;
      const out = new Float32Array(2 * FRAME);
      let anyL = false;
      let anyR = false;
      for (let k = BAND_LO; k < BAND_LO + BAND_BINS; k++) {
        const [ar, ai, br, bi] = bins[k - BAND_LO];
        const mr = (ar + br) / 2, mi = (ai + bi) / 2;
        const pm = mr * mr + mi * mi;
        let gL = 0, gR = 0;
        if (pm > 0) {
          const rL = Math.sqrt((ar * ar + ai * ai) / pm), rR = Math.sqrt((br * br + bi * bi) / pm);
          let st = stepF * Math.pow(meanM / pm, tilt);
          if (st > maxStep) st = maxStep;
          const g = Math.exp(mem[row + k - BAND_LO] * st) - 1;
          gL = (rL < 1 ? rL : rR < 1 ? 2 - rR : 1) * g;
          gR = (rR < 1 ? rR : rL < 1 ? 2 - rL : 1) * g;
          anyL ||= gL !== 0;
          anyR ||= gR !== 0;
        }
        const dar = 0.5 * mr * gL, dai = 0.5 * mi * gL, dbr = 0.5 * mr * gR, dbi = 0.5 * mi * gR;
        packChangePair(out, k, dar, dai, dbr, dbi);
      }
      re.set(out.subarray(0, FRAME));
      im.set(out.subarray(FRAME));
      fft(im, re, FRAME, cos, sin, rev);
      for (const [src, d, any] of [[re, dl, anyL], [im, dr, anyR]] as const) {
        if (!any) continue;
        for (let t = -FADE; t < FRAME + FADE; t++) {
          const pos = f * FRAME + t;
          if (pos < 0 || pos >= len) continue;
          const w = t < FADE ? fade[t + FADE] : t >= FRAME - FADE ? 1 - fade[t - FRAME + FADE] : 1;
          mem[d + pos] += (src[(t + FRAME) % FRAME] / FRAME) * w;
        }
      }
    }
  };

  const audioAnalyze = (xPtr: number, offset: number, frames: number, powPtr: number) => {
    const mem = f32();
    const x = xPtr >> 2;
    const pow = powPtr >> 2;
    let total = 0;
    for (let f = 0; f < frames; f += 2) {
      const hasB = f + 1 < frames;
      loadPair(mem, x, offset + f * FRAME, hasB ? offset + (f + 1) * FRAME : -1, hann);
      fft(re, im, FRAME, cos, sin, rev);
      for (let i = 0; i < ANALYSIS_BINS; i++) {
        const k = BAND_LO - 1 + i;
        const ar = re[k] + re[FRAME - k], ai = im[k] - im[FRAME - k];
        const p = 0.25 * (ar * ar + ai * ai);
        mem[pow + f * ANALYSIS_BINS + i] = p;
        total += p;
        if (hasB) {
          const br = im[k] + im[FRAME - k], bi = re[FRAME - k] - re[k];
          const q = 0.25 * (br * br + bi * bi);
          mem[pow + (f + 1) * ANALYSIS_BINS + i] = q;
          total += q;
        }
      }
    }
    return frames > 0 ? total / (frames * ANALYSIS_BINS) : 0;
  };

  const clamp = (v: number, c: number) => (v > c ? c : v < -c ? -c : v);
  const audioWhitenFold = (powPtr: number, frames: number, floorRatio: number, absFloor: number, clip: number, minVar: number, residPtr: number, varPtr: number, foldPtr: number, blockFrames: number, noise = 0, gamma = 1, cellNoisePtr = 0, cellWPtr = 0, cellRadius = 3) => {
    const mem = f32();
    const pow = powPtr >> 2;
    const resid = residPtr >> 2;
    const vars = varPtr >> 2;
    const fold = foldPtr >> 2;
    const levels = new Float32Array(frames);
    // Cell reliability h / (h + n), h = mean power of frames f-R..f+R minus n.
    const cellW = new Float32Array(cellNoisePtr ? frames * BAND_BINS : 0);
    const cellDen = new Float32Array(frames);
    if (cellNoisePtr) {
      for (let f = 0; f < frames; f++) {
        const a = Math.max(0, f - cellRadius), b = Math.min(frames - 1, f + cellRadius);
        let den = 0;
        for (let k = 0; k < BAND_BINS; k++) {
          let m = 0;
          for (let g = a; g <= b; g++) m += mem[pow + g * ANALYSIS_BINS + k + 1];
          const n = mem[(cellNoisePtr >> 2) + k + 1];
          const h = Math.max(0, m / (b - a + 1) - n);
          const c = h / (h + n + 1e-30);
          cellW[f * BAND_BINS + k] = c;
          den += c * c;
        }
        cellDen[f] = den / BAND_BINS;
      }
    }
    const cw = (f: number, k: number) => (cellNoisePtr ? cellW[f * BAND_BINS + k] : 1);
    for (let f = 0; f < frames; f++) {
      let s = 0;
      for (let i = 0; i < ANALYSIS_BINS; i++) s += mem[pow + f * ANALYSIS_BINS + i];
      levels[f] = s / ANALYSIS_BINS;
      const eps = Math.max(absFloor, (s / ANALYSIS_BINS) * floorRatio);
      for (let i = 0; i < ANALYSIS_BINS; i++) mem[pow + f * ANALYSIS_BINS + i] = Math.log2(mem[pow + f * ANALYSIS_BINS + i] + eps);
    }
    if (frames < 3) return;
    const plane = frames * BAND_BINS;
    const LONG = 8;
    const win = new Float64Array(ANALYSIS_BINS);
    let count = 0;
    const addRow = (j: number, sign: number) => {
      for (let i = 0; i < ANALYSIS_BINS; i++) win[i] += sign * mem[pow + j * ANALYSIS_BINS + i];
    };
    for (let f = 0; f < frames; f++) {
      const cur = pow + f * ANALYSIS_BINS;
      const prev = f > 0 ? cur - ANALYSIS_BINS : cur + ANALYSIS_BINS;
      const next = f + 1 < frames ? cur + ANALYSIS_BINS : cur - ANALYSIS_BINS;
      const prev2 = f > 1 ? cur - 2 * ANALYSIS_BINS : prev;
      const next2 = f + 2 < frames ? cur + 2 * ANALYSIS_BINS : next;
      if (f === 0) {
        for (let j = 0; j <= LONG && j < frames; j++, count++) addRow(j, 1);
      } else {
        if (f + LONG < frames) (addRow(f + LONG, 1), count++);
        if (f - LONG - 1 >= 0) (addRow(f - LONG - 1, -1), count--);
      }
      const sq = [0, 0, 0, 0, 0];
      for (let k = 0; k < BAND_BINS; k++) {
        const c = k + 1;
        const x = mem[cur + c];
        const t = 0.5 * (mem[prev + c] + mem[next + c]);
        const q = 0.5 * (mem[cur + c - 1] + mem[cur + c + 1]);
        const r = [
          clamp(x - t, clip),
          clamp(x - q, clip),
          clamp(x - 0.5 * (t + q), clip),
          clamp(x - (win[c] - x) / (count - 1), clip),
          clamp(x - 0.5 * t - 0.25 * (mem[prev2 + c] + mem[next2 + c]), clip),
        ];
        for (let m = 0; m < 5; m++) {
          mem[resid + m * plane + f * BAND_BINS + k] = r[m];
          sq[m] += r[m] * r[m] * cw(f, k) ** 2;
        }
      }
      for (let m = 0; m < 5; m++) mem[vars + m * frames + f] = sq[m] / BAND_BINS;
    }
    for (let f = 0; f < frames; f++) {
      const a = f > 0 ? f - 1 : f + 1, c = f + 1 < frames ? f + 1 : f - 1;
      let best = Infinity, which = 0;
      for (let m = 0; m < 5; m++) {
        const v = mem[vars + m * frames + a] + mem[vars + m * frames + f] + mem[vars + m * frames + c];
        if (v < best) {
          best = v;
          which = m;
        }
      }
      let v = best / 3;
      if (cellNoisePtr) v = cellDen[f] > 0 ? v / cellDen[f] : minVar;
      let w = 1 / Math.max(minVar, v);
      if (noise > 0) w *= Math.pow(levels[f] / (levels[f] + noise), gamma);
      const src = resid + which * plane + f * BAND_BINS;
      const dst = fold + (f % blockFrames) * BAND_BINS;
      for (let k = 0; k < BAND_BINS; k++) mem[dst + k] += mem[src + k] * cw(f, k) * w;
    }
    void cellWPtr;
  };

  const audioSyncScores = (foldPtr: number, syncPtr: number, blockFrames: number, scoresPtr: number) => {
    const mem = f32();
    for (let p = 0; p < blockFrames; p++) {
      let acc = 0;
      for (let r = 0; r < blockFrames; r++) {
        const a = (foldPtr >> 2) + r * BAND_BINS;
        const b = (syncPtr >> 2) + ((r + p) % blockFrames) * BAND_BINS;
        for (let k = 0; k < BAND_BINS; k++) acc += mem[a + k] * mem[b + k];
      }
      mem[(scoresPtr >> 2) + p] = acc;
    }
  };

  const audioStatsSpan = (xPtr: number, n: number, state: number, last: number) => {
    const mem = f32();
    const s = new Float64Array(memory.buffer, state, 4);
    for (let i = xPtr >> 2, end = (xPtr >> 2) + n; i < end; i++) {
      const v = mem[i];
      s[0] += v * v;
      s[3] = Math.max(s[3], Math.abs(v));
    }
    if (last) s[2] = s[0];
  };

  const audioStats = (xPtr: number, n: number, peakOut: number) => {
    const mem = f32();
    let sum = 0, peak = 0;
    for (let i = xPtr >> 2, end = (xPtr >> 2) + n; i < end; i++) {
      const v = mem[i];
      sum += v * v;
      const a = Math.abs(v);
      if (a > peak) peak = a;
    }
    mem[peakOut >> 2] = peak;
    return sum;
  };

  // The fused and level kernels as the plain sequence they stand for.
  const resampleSpanInputStats = (inPtr: number, inFirst: number, inLen: number, inRate: number, outPtr: number, outStart: number, outCount: number, outRate: number, cutoff: number, state: number, inStart: number, inEnd: number, last: number) => {
    audioStatsSpan(inPtr + (inStart - inFirst) * 4, inEnd - inStart, state, last);
    resampleSpan(inPtr, inFirst, inLen, inRate, outPtr, outStart, outCount, outRate, cutoff);
  };
  const audioStereoMix = (l: number, r: number, n: number, mix: number) => {
    const mem = f32();
    for (let i = 0; i < n; i++) mem[(mix >> 2) + i] = 0.5 * (mem[(l >> 2) + i] + mem[(r >> 2) + i]);
  };
  const audioFrameEnergies = (x: number, frames: number, width: number, out: number) => {
    new Float64Array(memory.buffer, out, frames).set(rowMeans(f32().subarray(x >> 2), frames, width, true));
  };

  const exports = { memory, scratch, audioStats, audioStatsSpan, resample, resampleSpan, resampleSpanInputStats, resampleReach, audioEmbedDelta, audioEmbedDeltaStereo, audioAnalyze, audioWhitenFold, audioSyncScores, audioStereoMix, audioFrameEnergies } as unknown as Core['exports'];
  return {
    flavor: 'scalar',
    exports,
    f32: (ptr, length) => new Float32Array(memory.buffer, ptr, length),
    u8: (ptr, length) => new Uint8Array(memory.buffer, ptr, length),
    i32: (ptr, length) => new Int32Array(memory.buffer, ptr, length),
  };
  void i32;
}
