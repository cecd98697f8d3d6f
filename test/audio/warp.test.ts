import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectAudio, embedAudio } from '../../src/audio/index.js';
import { layoutFor } from '../../src/audio/layout.js';
import { loadInternalMono } from '../../src/audio/sync-search.js';
import { searchWarps, WARP_REFINE_FROM_Z } from '../../src/audio/warp-search.js';
import { buildWav, parseWav, pcm16WavInfo } from '../../src/audio/wav.js';
import { createLabel } from '../../src/label/create.js';
import { detectFile } from '../../src/media.js';
import { PUBLIC_KEY } from '../../src/payload/key.js';
import { getCore } from '../../src/wasm/core.js';
import '../../src/wasm/node-source.js';
import { run, workDir } from './helpers.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const RATE = 44100;

/** 20 s of chords (three voices of 20 harmonics, a new chord every 0.6 s) over quiet noise, stereo. */
function chords(seconds: number): Float32Array[] {
  const x = new Float32Array(seconds * RATE);
  const roots = [196, 220, 247, 262, 294, 330, 175];
  let seed = 7;
  for (let i = 0; i < x.length; i++) {
    const t = i / RATE;
    const n = Math.floor(t / 0.6);
    const u = t - n * 0.6;
    const env = Math.min(1, u / 0.02) * Math.exp(-u * 1.5);
    let v = 0;
    for (const ratio of [1, 1.25, 1.5]) {
      const f = roots[(n * 3) % roots.length] * ratio;
      for (let h = 1; h <= 20; h++) v += Math.sin(2 * Math.PI * f * h * t + h) / h;
    }
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[i] = 0.12 * v * env + 0.004 * (seed / 2 ** 32 - 0.5);
  }
  return [x, x.slice()];
}

/** Runs `filter` (an ffmpeg audio filter chain) over the channels through a WAV file; returns the result at 44.1 kHz. */
function ffmpegFilter(channels: Float32Array[], name: string, filter: string): { channels: Float32Array[]; sampleRate: number } {
  const input = join(workDir, `${name}-in.wav`);
  const output = join(workDir, `${name}-out.wav`);
  writeFileSync(input, buildWav(pcm16WavInfo(2, RATE), channels));
  run('ffmpeg', ['-v', 'error', '-y', '-i', input, '-af', filter, '-ar', String(RATE), '-c:a', 'pcm_s16le', output]);
  return parseWav(new Uint8Array(readFileSync(output)));
}

describe('audio watermark under tempo and pitch changes (ffmpeg)', () => {
  const host = chords(20);

  it('finds the mark after a 2% tempo change (atempo, pitch kept) and reports the tempo', async () => {
    const marked = await embedAudio(host, RATE, label);
    for (const tempo of [1.02, 0.98]) {
      const faster = ffmpegFilter(marked.channels, `tempo-${tempo}`, `atempo=${tempo}`);
      const found = await detectAudio(faster.channels, faster.sampleRate);
      expect(found.payload).toEqual(marked.payload);
      expect(found.tempo).toBeCloseTo(tempo, 2);
      expect(found.speed).toBeUndefined();
    }
    // detect --json (detectFile) reports the same warp, each factor 1 where nothing changed.
    const slower = ffmpegFilter(marked.channels, 'tempo-file', 'atempo=0.98');
    const file = await detectFile(buildWav(pcm16WavInfo(2, RATE), slower.channels));
    expect(file.payload).toEqual(marked.payload);
    expect(file.tempo).toBeCloseTo(0.98, 2);
    expect(file).toMatchObject({ speed: 1, pitch: 1 });
  });

  it('finds the mark after a 30-cent pitch shift (resample, then atempo back to the length) and reports the pitch', async () => {
    const marked = await embedAudio(host, RATE, label);
    for (const cents of [30, -30]) {
      const p = 2 ** (cents / 1200);
      const shifted = ffmpegFilter(marked.channels, `pitch-${cents}`, `asetrate=${RATE * p},aresample=${RATE},atempo=${1 / p}`);
      expect(Math.abs(shifted.channels[0].length - host[0].length)).toBeLessThan(0.002 * RATE * 20);
      const found = await detectAudio(shifted.channels, shifted.sampleRate);
      expect(found.payload).toEqual(marked.payload);
      expect(found.pitch).toBeCloseTo(p, 2);
    }
  });

  it('finds nothing in unmarked audio after a tempo change', async () => {
    const faster = ffmpegFilter(host, 'unmarked-tempo', 'atempo=1.02');
    const found = await detectAudio(faster.channels, faster.sampleRate);
    expect(found.found).toBe(false);
    expect(found.payload).toBeNull();
  });

  it('ends the search after its middle stage on unmarked audio, and refines a warped mark to the end', async () => {
    const core = await getCore();
    const layout = layoutFor(core, PUBLIC_KEY);
    const search = (audio: { channels: Float32Array[]; sampleRate: number }) => searchWarps(core, loadInternalMono(core, audio.channels, audio.sampleRate), layout);
    const unmarked = search(ffmpegFilter(host, 'gate-unmarked', 'atempo=1.02'));
    expect(unmarked).not.toBeNull();
    expect(unmarked!.z).toBeLessThan(WARP_REFINE_FROM_Z);
    const marked = await embedAudio(host, RATE, label);
    const warped = search(ffmpegFilter(marked.channels, 'gate-marked', 'atempo=1.02'));
    expect(warped!.z).toBeGreaterThan(WARP_REFINE_FROM_Z + 1);
    expect(warped!.kind).toBe('tempo');
    // The fine stages' grid, 0.025% steps around the middle stage's pick, lands within 0.1% of the true tempo.
    expect(Math.abs(warped!.factor / 1.02 - 1)).toBeLessThan(0.001);
  });
});
