// Finds the rhythm prompt: frames of 20 ms (hop 10 ms) are tested for one dominant pure tone;
// runs of tone frames at one frequency are matched against short-long-short-short with the
// configured timing. A match also needs near-silence between the tones (the prompt is spliced,
// not mixed) and no tone of that pitch right before or after, which rules out beeps in speech
// and repeated notes in music that happen to fall into the rhythm, and Morse words such as "RAIN".
import { fft } from './fft.js';
import { rhythmSettings, rhythmTones, type RhythmOptions } from './audio-prompt.js';

export interface RhythmDetection {
  found: boolean;
  /** 0..1: 1 is the exact configured timing; under DEFAULT_RHYTHM_THRESHOLD is no match. */
  score: number;
  /** The first tone's start and the last tone's end, in seconds. */
  start: number | null;
  end: number | null;
  frequency: number | null;
  /** The four tones found, [start, end] seconds each: short, long, short, short. */
  tones: [number, number][] | null;
}

export const DEFAULT_RHYTHM_THRESHOLD = 0.5;

const FRAME_SECONDS = 0.02;
const HOP_SECONDS = 0.01;
/** A frame is a tone frame when the peak (3 bins) holds this share of the frame's power. */
const PURITY = 0.8;
/** Tone frames quieter than this (dBFS, RMS) are ignored. */
const FLOOR_DB = -50;
/** The gaps inside the prompt are at least this far (dB) under its tones. */
const GAP_DEPTH_DB = 20;
/** Tones of one prompt agree in frequency within this ratio, and in level within LEVEL_SPREAD_DB. */
const PITCH_TOLERANCE = 0.03;
const LEVEL_SPREAD_DB = 6;
/** How far each duration and gap may stray from the configured timing (after a common scale), relative and absolute. */
const TIMING_REL = 0.3;
const TIMING_ABS = 0.03;
/** The common time scale may drift this much (speed changes), no further. */
const SCALE_RANGE: [number, number] = [0.8, 1.25];

interface Frame {
  /** Frequency of the dominant tone, or 0 when the frame is not a tone. */
  freq: number;
  db: number;
}

interface Run {
  start: number;
  end: number;
  freq: number;
  db: number;
}

function mono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const out = new Float32Array(channels[0].length);
  for (const c of channels) for (let i = 0; i < out.length; i++) out[i] += c[i] / channels.length;
  return out;
}

function analyse(x: Float32Array, sampleRate: number): Frame[] {
  const frame = Math.round(FRAME_SECONDS * sampleRate);
  const hop = Math.round(HOP_SECONDS * sampleRate);
  let size = 1;
  while (size < frame) size <<= 1;
  const window = Float64Array.from({ length: frame }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / frame));
  const re = new Float64Array(size), im = new Float64Array(size);
  const power = new Float64Array(size / 2);
  const lo = Math.max(1, Math.floor((150 * size) / sampleRate));
  const hi = Math.min(size / 2 - 2, Math.ceil((5000 * size) / sampleRate));
  const frames: Frame[] = [];
  for (let at = 0; at + frame <= x.length; at += hop) {
    let energy = 0;
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < frame; i++) {
      const v = x[at + i];
      energy += v * v;
      re[i] = v * window[i];
    }
    const db = 10 * Math.log10(energy / frame + 1e-20) + 3.01; // +3 dB: a sine's peak level from its RMS
    if (db < FLOOR_DB) {
      frames.push({ freq: 0, db });
      continue;
    }
    fft(re, im);
    let total = 0, peak = lo;
    for (let k = 1; k < size / 2; k++) {
      power[k] = re[k] * re[k] + im[k] * im[k];
      total += power[k];
    }
    for (let k = lo; k <= hi; k++) if (power[k] > power[peak]) peak = k;
    const around = power[peak - 1] + power[peak] + power[peak + 1];
    if (around < PURITY * total) {
      frames.push({ freq: 0, db });
      continue;
    }
    // Parabolic interpolation on log power for a sub-bin frequency.
    const a = Math.log(power[peak - 1] + 1e-30), b = Math.log(power[peak] + 1e-30), c = Math.log(power[peak + 1] + 1e-30);
    const shift = a - 2 * b + c === 0 ? 0 : (0.5 * (a - c)) / (a - 2 * b + c);
    frames.push({ freq: ((peak + shift) * sampleRate) / size, db });
  }
  return frames;
}

/** Consecutive tone frames at one pitch, as [start, end] seconds of the tone they cover. */
function toneRuns(frames: Frame[]): Run[] {
  const runs: Run[] = [];
  let open: { first: number; last: number; freqs: number[]; dbs: number[] } | null = null;
  const close = () => {
    if (open && open.last > open.first) {
      // Frames that straddle a tone edge fail the purity test, so the run spans first frame start to last frame end.
      const freqs = open.freqs.slice().sort((p, q) => p - q);
      runs.push({
        start: open.first * HOP_SECONDS,
        end: open.last * HOP_SECONDS + FRAME_SECONDS,
        freq: freqs[freqs.length >> 1],
        db: Math.max(...open.dbs),
      });
    }
    open = null;
  };
  frames.forEach((f, i) => {
    if (f.freq > 0 && open && Math.abs(f.freq / open.freqs[open.freqs.length - 1] - 1) <= PITCH_TOLERANCE) {
      open.last = i;
      open.freqs.push(f.freq);
      open.dbs.push(f.db);
    } else {
      close();
      if (f.freq > 0) open = { first: i, last: i, freqs: [f.freq], dbs: [f.db] };
    }
  });
  close();
  return runs;
}

/** Loudest level (dB) of the frames lying wholly between two times (edge frames overlap the tones). */
function loudestBetween(frames: Frame[], t0: number, t1: number): number {
  let m = -Infinity;
  for (let i = Math.max(0, Math.ceil(t0 / HOP_SECONDS - 1e-9)); i < frames.length && i * HOP_SECONDS + FRAME_SECONDS <= t1 + 1e-9; i++) {
    m = Math.max(m, frames[i].db);
  }
  return m;
}

export function detectRhythm(channels: readonly Float32Array[], sampleRate: number, options: RhythmOptions & { threshold?: number } = {}): RhythmDetection {
  const none: RhythmDetection = { found: false, score: 0, start: null, end: null, frequency: null, tones: null };
  if (channels.length === 0 || channels[0].length === 0) return none;
  const s = rhythmSettings(options);
  const plan = rhythmTones(s);
  // Expected tone lengths and the silences between them.
  const wantLen = plan.map(([a, b]) => b - a);
  const wantGap = plan.slice(1).map(([a], i) => a - plan[i][1]);
  const frames = analyse(mono(channels), sampleRate);
  const runs = toneRuns(frames);
  let best = { ...none };
  for (let i = 0; i + 3 < runs.length; i++) {
    const group = runs.slice(i, i + 4);
    const f0 = group[0].freq;
    if (!group.every((r) => Math.abs(r.freq / f0 - 1) <= PITCH_TOLERANCE)) continue;
    const levels = group.map((r) => r.db);
    if (Math.max(...levels) - Math.min(...levels) > LEVEL_SPREAD_DB) continue;
    const lens = group.map((r) => r.end - r.start);
    const gaps = group.slice(1).map((r, k) => r.start - group[k].end);
    // One common time scale fitted over all seven intervals.
    const want = [...wantLen, ...wantGap];
    const got = [...lens, ...gaps];
    const scale = got.reduce((a, g, k) => a + g * want[k], 0) / want.reduce((a, w) => a + w * w, 0);
    if (scale < SCALE_RANGE[0] || scale > SCALE_RANGE[1]) continue;
    const errors = got.map((g, k) => Math.abs(g - scale * want[k]) / (TIMING_REL * scale * want[k] + TIMING_ABS));
    if (errors.some((e) => e > 1)) continue;
    // Silence inside the prompt, and the prompt's pitch absent just before and after it.
    const quietest = Math.min(...levels) - GAP_DEPTH_DB;
    // Run edges sit on the hop grid, so a tone may reach up to one hop past its run: keep that much clear.
    if (gaps.some((_, k) => loudestBetween(frames, group[k].end + HOP_SECONDS, group[k + 1].start - HOP_SECONDS) > quietest)) continue;
    // Morse words that merely contain the letters A and I ("RAIN") have more tones one letter gap away.
    const guard = 2 * scale * s.letterGap;
    const sameTone = (r: Run | undefined) => r !== undefined && Math.abs(r.freq / f0 - 1) <= PITCH_TOLERANCE && Math.abs(r.db - group[0].db) <= LEVEL_SPREAD_DB;
    const before = runs[i - 1], after = runs[i + 4];
    if (sameTone(before) && group[0].start - before.end < guard) continue;
    if (sameTone(after) && after.start - group[3].end < guard) continue;
    const score = 1 - errors.reduce((a, e) => a + e, 0) / errors.length;
    if (score > best.score) {
      best = { found: false, score, start: group[0].start, end: group[3].end, frequency: f0, tones: group.map((r) => [r.start, r.end]) };
    }
  }
  const threshold = options.threshold ?? DEFAULT_RHYTHM_THRESHOLD;
  const round = (v: number | null, d: number) => (v === null ? null : Math.round(v * 10 ** d) / 10 ** d);
  return best.tones !== null && best.score >= threshold
    ? {
        found: true,
        score: round(best.score, 3)!,
        start: round(best.start, 3),
        end: round(best.end, 3),
        frequency: round(best.frequency, 1),
        tones: best.tones!.map(([a, b]) => [round(a, 3)!, round(b, 3)!]),
      }
    : { ...none, score: round(best.score, 3)! };
}
