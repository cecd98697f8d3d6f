/**
 * Tuning probe for the warp search (tempo, pitch): marks real tuning clips, applies
 * tempo / pitch attacks and measures, at the known warp and over a small search, the
 * sync z and the soft-bit SNR against the known codeword.
 *   node --import tsx bench/audio/warp-probe.ts [--clips a,b] [--attacks tempo_1.02,...] [--reuse]
 */
import '../../src/wasm/node-source.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedAudio } from '../../src/audio/index.js';
import { layoutFor } from '../../src/audio/layout.js';
import { softBits } from '../../src/audio/soft-bits.js';
import { loadInternalMono, searchSync } from '../../src/audio/sync-search.js';
import { buildWav, parseWav } from '../../src/audio/wav.js';
import { FRAME, INTERNAL_RATE } from '../../src/audio/params.js';
import { audioKernels } from '../../src/audio/kernels.js';
import { SLOT } from '../../src/wasm/slots.js';
import { createLabel } from '../../src/label/create.js';
import { PUBLIC_KEY } from '../../src/payload/key.js';
import { encodePayload, PAYLOAD_BITS } from '../../src/payload/payload.js';
import { decodeChannel, encodeChannel } from '../../src/wasm/channel-code.js';
import { getCore } from '../../src/wasm/core.js';
import { ATTACKS } from './attacks.js';
import { WORK } from './corpus.js';
import { realCorpus } from './real-corpus.js';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const clipFilter = opt('clips')?.split(',');
const attackNames = opt('attacks')?.split(',') ?? ['tempo_1.02', 'tempo_0.98', 'pitch_+30c', 'pitch_-30c'];
const reuse = args.includes('--reuse');
const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const clips = realCorpus('tuning').filter((c) => !clipFilter || clipFilter.some((f) => c.name.includes(f)));
const dir = join(WORK, 'warp-probe');
mkdirSync(dir, { recursive: true });
const core = await getCore();
const k = audioKernels(core);
const layout = layoutFor(core, PUBLIC_KEY);

function unResample(signal: { ptr: number; length: number }, r: number) {
  if (r === 1) return signal;
  const inRate = Math.round(INTERNAL_RATE / r);
  const outLen = Math.floor((signal.length * INTERNAL_RATE) / inRate);
  const ptr = k.scratch(SLOT.audioD, outLen * 4);
  k.resample(signal.ptr, signal.length, inRate, ptr, outLen, INTERNAL_RATE, 5000);
  return { ptr, length: outLen };
}
function regrid(src: { ptr: number; length: number }, offset: number, hop: number) {
  const frames = Math.floor((src.length - offset - FRAME) / hop) + 1;
  const ptr = k.scratch(SLOT.audioA, frames * FRAME * 4);
  const s = core.f32(src.ptr, src.length);
  const d = core.f32(ptr, frames * FRAME);
  for (let f = 0; f < frames; f++) {
    const a = Math.round(offset + f * hop);
    d.set(s.subarray(a, a + FRAME), f * FRAME);
  }
  return { ptr, length: frames * FRAME };
}
function soft(truth: Uint8Array, cand: { fold: Float32Array; phase: number; offset: number; z: number }, payload: Uint8Array) {
  const s = softBits(core, cand, layout);
  let m = 0, q = 0;
  for (let i = 0; i < s.length; i++) { const v = s[i] * (truth[i] ? -1 : 1); m += v; q += v * v; }
  m /= s.length;
  const snr = m / Math.sqrt(Math.max(1e-12, q / s.length - m * m));
  const dec = decodeChannel(core, s, PAYLOAD_BITS);
  return { snr, ok: dec.payload.every((v, i) => v === payload[i]), agr: dec.agreement };
}
/** Best candidate for resample r and hop h over offsets. */
function probe(signal: { ptr: number; length: number }, r: number, h: number, offStep = 32) {
  const un = unResample(signal, r);
  let best: any = null;
  for (let o = 0; o < FRAME * h; o += offStep) {
    const g = regrid(un, o, FRAME * h);
    const top = searchSync(core, g, layout, FRAME, false)[0];
    if (top && (!best || top.z > best.z)) best = { ...top, o };
  }
  return best;
}
const known: Record<string, [number, number]> = {
  'tempo_1.02': [1, 1 / 1.02], 'tempo_0.98': [1, 1 / 0.98],
  'pitch_+30c': [2 ** (30 / 1200), 2 ** (30 / 1200)], 'pitch_-30c': [2 ** (-30 / 1200), 2 ** (-30 / 1200)],
  'none': [1, 1], 'wnoise_10dB': [1, 1], 'excerpt_3s': [1, 1],
};
for (const clip of clips) {
  const src = parseWav(new Uint8Array(readFileSync(clip.path)));
  const markedPath = join(dir, `${clip.name}.marked.wav`);
  const marked = await embedAudio(src.channels, src.sampleRate, label);
  if (!(reuse && existsSync(markedPath))) writeFileSync(markedPath, buildWav(src.info, marked.channels));
  const payload = encodePayload(marked.payload, PUBLIC_KEY);
  const truth = encodeChannel(core, payload, PAYLOAD_BITS);
  const parts: string[] = [];
  for (const name of attackNames) {
    const attack = ATTACKS.find((a) => a.name === name)!;
    const out = join(dir, `${clip.name}.${name}.wav`);
    if (!(reuse && existsSync(out))) attack.apply(markedPath, out, join(dir, `${clip.name}.${name}`));
    const a = parseWav(new Uint8Array(readFileSync(out)));
    const signal = loadInternalMono(core, a.channels, a.sampleRate);
    const [r, h] = known[name];
    const b = probe(signal, r, h);
    const s = soft(truth, b, payload);
    parts.push(`${name}: z=${b.z.toFixed(1)} snr=${s.snr.toFixed(2)} ${s.ok ? 'OK' : 'no'}(${s.agr.toFixed(3)})`);
  }
  console.log(`${clip.name}  ${parts.join('  ')}`);
}
