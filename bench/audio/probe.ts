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
import { embedAudio } from '../../src/audio/index.js';
import { AGREEMENT_GATE } from '../../src/audio/params.js';
import { layoutFor } from '../../src/audio/layout.js';
import { softBits } from '../../src/audio/soft-bits.js';
import { loadInternalMono, searchSync } from '../../src/audio/sync-search.js';
import { buildWav, parseWav } from '../../src/audio/wav.js';
import { createLabel } from '../../src/label/create.js';
import { PUBLIC_KEY } from '../../src/payload/key.js';
import { encodePayload, PAYLOAD_BITS } from '../../src/payload/payload.js';
import { decodeChannel, encodeChannel } from '../../src/wasm/channel-code.js';
import { getCore } from '../../src/wasm/core.js';
import { ATTACKS, REAL_ATTACKS } from './attacks.js';
import { buildCorpus, WORK } from './corpus.js';
import { maskingReport } from './perceptual.js';
import { realCorpus } from './real-corpus.js';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const clipFilter = opt('clips')?.split(',');
const attackFilter = opt('attacks')?.split(',') ?? ['none'];
const reuse = args.includes('--reuse');
const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
// --real: the tuning split of the real recordings and their attacks (never the held-out split).
const real = args.includes('--real');
const clips = (real ? realCorpus('tuning') : buildCorpus(false)).filter((c) => !clipFilter || clipFilter.some((f) => c.name.includes(f)));
const attacks = (real ? REAL_ATTACKS : ATTACKS).filter((a) => attackFilter.includes(a.name) || attackFilter.includes(a.suite));
const dir = join(WORK, real ? 'probe-real' : 'probe');
mkdirSync(dir, { recursive: true });
const core = await getCore();
const layout = layoutFor(core, PUBLIC_KEY);
let ok = 0;
let total = 0;
const snrs: number[] = [];
const bs: number[] = [];
const os: number[] = [];
for (const clip of clips) {
  const src = parseWav(new Uint8Array(readFileSync(clip.path)));
  const markedPath = join(dir, `${clip.name}.marked.wav`);
  let payloadBytes: Uint8Array;
  let snr = NaN;
  let nmr = '';
  if (reuse && existsSync(markedPath)) {
    payloadBytes = encodePayload((await embedAudio(src.channels.map((c) => c.subarray(0, 44100 * 3)), src.sampleRate, label)).payload, PUBLIC_KEY);
  } else {
    const marked = await embedAudio(src.channels, src.sampleRate, label);
    snr = marked.snr;
    if (real) {
      const m = maskingReport(src.channels, marked.channels, src.sampleRate);
      nmr = ` nmr=${m.totalNmrDb.toFixed(1)} channel nmr=${m.channelNmrDb.toFixed(1)}`;
    }
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
    const signal = loadInternalMono(core, a.channels, a.sampleRate);
    // Every phase's best candidate: the top 3 are what detection decodes; the best of all 96
    // against the known codeword says what a perfect sync would reach.
    const cands = searchSync(core, signal, layout, undefined, true, 96);
    const softSnr = (soft: Float32Array) => {
      let m = 0;
      let q = 0;
      for (let i = 0; i < soft.length; i++) {
        const v = soft[i] * (truth[i] ? -1 : 1);
        m += v;
        q += v * v;
      }
      m /= soft.length;
      return m / Math.sqrt(Math.max(1e-12, q / soft.length - m * m));
    };
    let bestSnr = -Infinity;
    let exact = false;
    let agreement = 0;
    for (const c of cands.slice(0, 3)) {
      const soft = softBits(core, c, layout);
      const dec = decodeChannel(core, soft, PAYLOAD_BITS);
      agreement = Math.max(agreement, dec.agreement);
      if (dec.agreement >= AGREEMENT_GATE && dec.payload.every((v, i) => v === payloadBytes[i])) exact = true;
      bestSnr = Math.max(bestSnr, softSnr(soft));
    }
    let oracle = -Infinity;
    for (const c of cands) oracle = Math.max(oracle, softSnr(softBits(core, c, layout)));
    total++;
    if (exact) ok++;
    bs.push(bestSnr);
    os.push(oracle);
    parts.push(`${attack.name}:${exact ? 'ok' : 'NO'} z=${cands[0]?.z.toFixed(1)} b=${bestSnr.toFixed(2)} oracle=${oracle.toFixed(2)} s=${agreement.toFixed(3)}`);
  }
  console.log(`${clip.name} snr=${snr.toFixed(2)}${nmr}\n  ${parts.join('\n  ')}`);
}
const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / Math.max(1, v.length);
// The mean soft-bit SNR over the cases under 3 (the ones near the limit), a single figure to compare variants by.
const near = bs.filter((v, i) => os[i] < 3);
console.log(`mean b ${mean(bs).toFixed(3)}, mean oracle ${mean(os).toFixed(3)}, mean b where oracle < 3: ${mean(near).toFixed(3)} (${near.length} cases)`);
console.log(`plain search exact ${ok}/${total}`);

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
