/**
 * Quick diagnostic for tuning (not part of bench:audio): marks the chosen clips,
 * applies the chosen attacks and prints, per case, the detector's result and two
 * continuous figures measured against the known codeword: the top sync z-score and
 * the soft-bit SNR (mean / std of soft x true symbol over the 306 coded bits) of
 * the best sync candidates. Higher is better; decoding becomes unreliable below about 1.0.
 *   node --import tsx bench/audio/probe.ts --clips fr-pauses,tonal --attacks none,mp3_64k [--reuse]
 * --reuse keeps attacked files from the previous run (for detector-only changes).
 */
import '../../src/wasm/node-source.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectAudio, embedAudio } from '../../src/audio/index.js';
import { layoutFor } from '../../src/audio/layout.js';
import { softBits } from '../../src/audio/soft-bits.js';
import { loadInternalMono, searchSync } from '../../src/audio/sync-search.js';
import { buildWav, parseWav } from '../../src/audio/wav.js';
import { createLabel } from '../../src/label/create.js';
import { PUBLIC_KEY } from '../../src/payload/key.js';
import { encodePayload, PAYLOAD_BITS } from '../../src/payload/payload.js';
import { decodeChannel, encodeChannel } from '../../src/wasm/channel-code.js';
import { getCore } from '../../src/wasm/core.js';
import { ATTACKS } from './attacks.js';
import { buildCorpus, WORK } from './corpus.js';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const clipFilter = opt('clips')?.split(',');
const attackFilter = opt('attacks')?.split(',') ?? ['none'];
const reuse = args.includes('--reuse');
const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const clips = buildCorpus(false).filter((c) => !clipFilter || clipFilter.some((f) => c.name.includes(f)));
const attacks = ATTACKS.filter((a) => attackFilter.includes(a.name) || attackFilter.includes('A') && a.suite === 'A');
const dir = join(WORK, 'probe');
mkdirSync(dir, { recursive: true });
const core = await getCore();
const layout = layoutFor(core, PUBLIC_KEY);
let ok = 0;
let total = 0;
const snrs: number[] = [];
for (const clip of clips) {
  const src = parseWav(new Uint8Array(readFileSync(clip.path)));
  const markedPath = join(dir, `${clip.name}.marked.wav`);
  let payloadBytes: Uint8Array;
  let snr = NaN;
  if (reuse && existsSync(markedPath)) {
    payloadBytes = encodePayload((await embedAudio(src.channels.map((c) => c.subarray(0, 44100 * 3)), src.sampleRate, label)).payload, PUBLIC_KEY);
  } else {
    const marked = await embedAudio(src.channels, src.sampleRate, label);
    snr = marked.snr;
    payloadBytes = encodePayload(marked.payload, PUBLIC_KEY);
    writeFileSync(markedPath, buildWav(src.info, marked.channels));
  }
  snrs.push(snr);
  const truth = encodeChannel(core, payloadBytes, PAYLOAD_BITS);
  const parts: string[] = [];
  for (const attack of attacks) {
    const out = join(dir, `${clip.name}.${attack.name}.wav`);
    if (!(reuse && existsSync(out))) attack.apply(markedPath, out, join(dir, `${clip.name}.${attack.name}`));
    const a = parseWav(new Uint8Array(readFileSync(out)));
    const d = await detectAudio(a.channels, a.sampleRate);
    const signal = loadInternalMono(core, a.channels, a.sampleRate);
    const cands = searchSync(core, signal, layout);
    let bestSnr = -Infinity;
    let right = '';
    for (const c of cands.slice(0, 3)) {
      const soft = softBits(core, c, layout);
      const dec = decodeChannel(core, soft, PAYLOAD_BITS);
      if (dec.payload.every((v, i) => v === payloadBytes[i])) right ||= ` viterbiOK@${dec.agreement.toFixed(3)}`;
      let m = 0;
      let q = 0;
      for (let i = 0; i < soft.length; i++) {
        const v = soft[i] * (truth[i] ? -1 : 1);
        m += v;
        q += v * v;
      }
      m /= soft.length;
      const sd = Math.sqrt(Math.max(1e-12, q / soft.length - m * m));
      bestSnr = Math.max(bestSnr, m / sd);
    }
    const exact = d.found;
    total++;
    if (exact) ok++;
    parts.push(`${attack.name}:${exact ? 'ok' : 'NO'} z=${cands[0]?.z.toFixed(1)} b=${bestSnr.toFixed(2)} s=${d.score.toFixed(3)}${right}`);
  }
  console.log(`${clip.name} snr=${snr.toFixed(2)}\n  ${parts.join('\n  ')}`);
}
console.log(`exact ${ok}/${total}`);

if (args.includes('--bins')) {
  const { cellSymbols } = await import('../../src/audio/layout.js');
  for (const clip of clips) {
    const marked0 = await embedAudio(parseWav(new Uint8Array(readFileSync(clip.path))).channels.map((c) => c.subarray(0, 44100 * 3)), 44100, label);
    const truth = encodeChannel(core, encodePayload(marked0.payload, PUBLIC_KEY), PAYLOAD_BITS);
    const sym = cellSymbols(layout, truth);
    for (const attack of attacks) {
      const a = parseWav(new Uint8Array(readFileSync(join(dir, `${clip.name}.${attack.name}.wav`))));
      const c = searchSync(core, loadInternalMono(core, a.channels, a.sampleRate), layout)[0];
      const groups = 8;
      const out: string[] = [];
      for (let g = 0; g < groups; g++) {
        let dot = 0;
        let sq = 0;
        for (let r = 0; r < 96; r++) {
          const q = (r + c.phase) % 96;
          for (let k = g * 10; k < g * 10 + 10; k++) {
            const v = c.fold[r * 80 + k];
            dot += v * sym[q * 80 + k];
            sq += v * v;
          }
        }
        out.push((dot / Math.sqrt(sq)).toFixed(1));
      }
      console.log(`${clip.name} ${attack.name} per 10-bin group (861 Hz up, 430 Hz each): ${out.join(' ')}`);
    }
  }
}
