/**
 * Tuning probe for the warp search (tempo, pitch, speed): marks real tuning clips,
 * applies the attacks and measures, at the attack's known warp over the whole clip
 * (grid offsets every 32 samples), the sync z, the soft-bit SNR against the known
 * codeword and whether that candidate decodes: what the search can reach at best.
 *   node --import tsx bench/audio/warp-probe.ts [--clips a,b] [--attacks tempo_1.02,...] [--reuse]
 */
import '../../src/wasm/node-source.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedAudio } from '../../src/audio/index.js';
import { layoutFor } from '../../src/audio/layout.js';
import { softBits } from '../../src/audio/soft-bits.js';
import { loadInternalMono } from '../../src/audio/sync-search.js';
import { buildWav, parseWav } from '../../src/audio/wav.js';
import { searchWarp, type WarpKind } from '../../src/audio/warp-search.js';
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
const layout = layoutFor(core, PUBLIC_KEY);

function soft(truth: Uint8Array, cand: { fold: Float32Array; phase: number; offset: number; z: number }, payload: Uint8Array) {
  const s = softBits(core, cand, layout);
  let m = 0, q = 0;
  for (let i = 0; i < s.length; i++) { const v = s[i] * (truth[i] ? -1 : 1); m += v; q += v * v; }
  m /= s.length;
  const snr = m / Math.sqrt(Math.max(1e-12, q / s.length - m * m));
  const dec = decodeChannel(core, s, PAYLOAD_BITS);
  return { snr, ok: dec.payload.every((v, i) => v === payload[i]), agr: dec.agreement };
}
/** The warp each attack applies (tempo 1 = none). */
const known: Record<string, [WarpKind, number]> = {
  'tempo_1.02': ['tempo', 1.02], 'tempo_0.98': ['tempo', 0.98],
  'pitch_+30c': ['pitch', 2 ** (30 / 1200)], 'pitch_-30c': ['pitch', 2 ** (-30 / 1200)],
  'speed_1.02': ['speed', 1.02], 'speed_0.98': ['speed', 0.98],
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
    const [kind, factor] = known[name] ?? ['tempo', 1];
    const b = searchWarp(core, signal, layout, 0, signal.length, kind, factor, 32)!;
    const s = soft(truth, b, payload);
    parts.push(`${name}: z=${b.z.toFixed(1)} snr=${s.snr.toFixed(2)} ${s.ok ? 'OK' : 'no'}(${s.agr.toFixed(3)})`);
  }
  console.log(`${clip.name}  ${parts.join('  ')}`);
}
