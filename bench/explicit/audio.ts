// Rhythm prompt bench: false positives of detectRhythm on unlabelled clips (speech, speech with
// censor beeps, staccato music in pure and rich timbres, Morse words in the prompt's own tone),
// each as made and after MP3 64 kbit/s; and detection of real prompts after MP3 64k and resampling.
// Speech comes from espeak-ng at bench time; the rest is synthesised here. Even clips tune, odd are held out.
//
//   node --import tsx bench/explicit/audio.ts [--count 240] [--positives 80]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../../src/wasm/node-source.ts';
import { resampleChannel } from '../../src/audio/resample.ts';
import { decodeMp3, encodeMp3 } from '../../src/audio/mp3.ts';
import { parseWav } from '../../src/audio/wav.ts';
import { DEFAULT_RHYTHM, addAudioPrompt, detectRhythm } from '../../src/explicit/index.ts';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { fmt, prng } from '../lib/stats.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const COUNT = arg('count', 240);
const POSITIVES = arg('positives', 80);
const SR = 44100;
const WORK = 'bench/work/explicit';
mkdirSync(WORK, { recursive: true });

type Kind = 'speech' | 'speech+beeps' | 'staccato-sine' | 'staccato-rich' | 'morse-words';
const KINDS: Kind[] = ['speech', 'speech+beeps', 'staccato-sine', 'staccato-rich', 'morse-words'];

const SENTENCES = [
  ['en-us', 'The platform reads the metadata first, then looks for the watermark, and at last checks the explicit mark on the picture.'],
  ['en-gb+f3', 'Please hold the line. Your call is important to us, and an agent will answer shortly.'],
  ['cmn', '人工智能生成合成内容应当添加标识。平台首先读取元数据，然后检测水印。'],
  ['de', 'Von künstlicher Intelligenz erzeugte Inhalte müssen gekennzeichnet werden.'],
  ['fr', "Le contenu généré par l'intelligence artificielle doit porter une étiquette."],
  ['es', 'Las plataformas leen primero los metadatos, luego buscan la marca de agua.'],
];

function speech(seed: number): Float32Array {
  const rand = prng(seed);
  const [voice, text] = SENTENCES[seed % SENTENCES.length];
  // --stdout writes a streaming header with no length; a file gets a proper one.
  const tmp = join(WORK, `speech-${process.pid}.wav`);
  execFileSync('espeak-ng', ['-v', voice, '-s', String(130 + Math.floor(rand() * 70)), '-p', String(30 + Math.floor(rand() * 40)), '-w', tmp, text]);
  const { sampleRate, channels } = parseWav(new Uint8Array(readFileSync(tmp)));
  // espeak-ng speaks at 22.05 kHz; bring it to the bench rate by sample doubling (speech band only).
  const factor = SR / sampleRate;
  const out = new Float32Array(Math.floor(channels[0].length * factor));
  for (let i = 0; i < out.length; i++) out[i] = channels[0][Math.floor(i / factor)];
  return out;
}

function tone(out: Float32Array, t: number, d: number, f: number, amp: number, harmonics: number, decay = 0): void {
  const a = Math.round(t * SR), n = Math.round(d * SR), ramp = Math.round(0.004 * SR);
  for (let i = 0; i < n && a + i < out.length; i++) {
    const edge = Math.min(1, i / ramp, (n - 1 - i) / ramp);
    const env = edge * (decay ? Math.exp(-i / (decay * SR)) : 1);
    let v = 0;
    for (let h = 1; h <= harmonics; h++) v += Math.sin((2 * Math.PI * f * h * i) / SR) / h;
    out[a + i] = amp * env * v;
  }
}

function clip(kind: Kind, seed: number): Float32Array {
  const rand = prng(seed * 31 + 7);
  switch (kind) {
    case 'speech':
      return speech(seed);
    case 'speech+beeps': {
      // Censor beeps over speech, and beeps in short trains with silence around them.
      const x = speech(seed);
      const f = rand() < 0.6 ? 1000 : 700 + rand() * 600;
      for (let t = 0.2; t < x.length / SR - 0.6; t += 0.3 + rand() * 1.2) {
        const burst = 1 + Math.floor(rand() * 4);
        for (let b = 0; b < burst; b++) {
          const d = 0.06 + rand() * 0.4;
          for (let i = Math.round(t * SR); i < Math.round((t + d) * SR) && i < x.length; i++) x[i] = 0;
          tone(x, t, d, f, 0.3, 1);
          t += d + 0.05 + rand() * 0.35;
        }
      }
      return x;
    }
    case 'staccato-sine':
    case 'staccato-rich': {
      const seconds = 6 + rand() * 4;
      const x = new Float32Array(Math.round(seconds * SR));
      const beat = 60 / (80 + rand() * 140);
      const scale = [262, 294, 330, 349, 392, 440, 494, 523, 587, 659, 784, 880, 988, 1047];
      let note = scale[Math.floor(rand() * scale.length)];
      for (let t = 0.1; t < seconds - 1; ) {
        const slot = beat * [0.25, 0.5, 0.5, 0.75, 1, 1.5][Math.floor(rand() * 6)];
        if (rand() < 0.5) note = scale[Math.floor(rand() * scale.length)]; // else repeat the note
        if (rand() < 0.85) tone(x, t, slot * (0.3 + rand() * 0.4), note, 0.3, kind === 'staccato-sine' ? 1 : 5, kind === 'staccato-rich' ? 0.15 : 0);
        t += slot;
      }
      return x;
    }
    case 'morse-words': {
      // Morse words in the prompt's own tone and timing, none of them the word "AI".
      const words = ['RAIN', 'MAIL', 'PAID', 'SAID', 'WAIT', 'TRAIN', 'AIR', 'NAIL', 'HELLO', 'SOS', 'FAIR', 'DAILY'];
      const code: Record<string, string> = { A: '.-', I: '..', R: '.-.', N: '-.', M: '--', L: '.-..', P: '.--.', S: '...', D: '-..', W: '.--', T: '-', H: '....', E: '.', O: '---', F: '..-.', Y: '-.--' };
      const u = DEFAULT_RHYTHM.short * (0.9 + rand() * 0.2);
      const x = new Float32Array(Math.round(8 * SR));
      let t = 0.3;
      while (t < 6.5) {
        const word = words[Math.floor(rand() * words.length)];
        for (const letter of word) {
          for (const sym of code[letter]) {
            const d = sym === '.' ? u : 3 * u;
            tone(x, t, d, DEFAULT_RHYTHM.frequency, 0.25, 1);
            t += d + u;
          }
          t += 2 * u;
        }
        t += 4 * u;
      }
      return x;
    }
  }
}

async function viaMp3(x: Float32Array): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  return decodeMp3(await encodeMp3([x], SR, 64));
}

interface Negative {
  kind: Kind;
  split: 'tuning' | 'held-out';
  seconds: number;
  clean: number;
  mp3: number;
  hit: boolean;
}
const negatives: Negative[] = [];
let detectMs = 0, audioSeconds = 0;
function detect(channels: Float32Array[], rate: number) {
  const t = performance.now();
  const d = detectRhythm(channels, rate);
  detectMs += performance.now() - t;
  audioSeconds += channels[0].length / rate;
  return d;
}

for (let i = 0; i < COUNT; i++) {
  const kind = KINDS[i % KINDS.length];
  const x = clip(kind, 2000 + i);
  const clean = detect([x], SR);
  const m = await viaMp3(x);
  const mp3 = detect(m.channels, m.sampleRate);
  negatives.push({ kind, split: i % 2 === 0 ? 'tuning' : 'held-out', seconds: x.length / SR, clean: clean.score, mp3: mp3.score, hit: clean.found || mp3.found });
  if (i % 40 === 39) console.error(`negatives ${i + 1}/${COUNT}`);
}

interface Positive {
  placement: string;
  mp3: boolean;
  r16: boolean;
  r48: boolean;
  timeError: number;
}
const positives: Positive[] = [];
for (let i = 0; i < POSITIVES; i++) {
  const rand = prng(70_000 + i);
  const kind = KINDS[i % 4]; // content of every kind but Morse
  const placement = (['start', 'middle', 'end'] as const)[i % 3];
  const x = clip(kind, 80_000 + i);
  const r = await addAudioPrompt([x], SR, { placement, rhythm: { frequency: rand() < 0.5 ? DEFAULT_RHYTHM.frequency : 600 + Math.round(rand() * 1400) } });
  const m = await viaMp3(r.channels[0]);
  const dm = detect(m.channels, m.sampleRate);
  const at = async (rate: number) => detect(await Promise.all(r.channels.map((c) => resampleChannel(c, SR, rate))), rate).found;
  positives.push({
    placement,
    mp3: dm.found,
    r16: await at(16000),
    r48: await at(48000),
    timeError: dm.found ? Math.abs(dm.start! - (r.start + DEFAULT_RHYTHM.pad)) : NaN,
  });
  if (i % 20 === 19) console.error(`positives ${i + 1}/${POSITIVES}`);
}

const fp = negatives.filter((n) => n.hit).length;
const report = [
  reportHeader({
    title: 'Audio rhythm prompt: detector false positives and robustness',
    facts: [
      ['Command', `node --import tsx bench/explicit/audio.ts --count ${COUNT} --positives ${POSITIVES}`],
      ['Corpus', `${COUNT} unlabelled mono clips at 44.1 kHz (${KINDS.join(', ')}); speech from espeak-ng; even clips tuning, odd held out`],
      ['Prompt', `default timing (${DEFAULT_RHYTHM.short * 1000}/${DEFAULT_RHYTHM.long * 1000}/${DEFAULT_RHYTHM.short * 1000}/${DEFAULT_RHYTHM.short * 1000} ms tones), at ${DEFAULT_RHYTHM.level} dBFS; positives use 1 kHz or a random 600-2000 Hz tone`],
    ],
  }),
  `\n**False positives: ${fp} of ${COUNT} unlabelled clips** (each checked as made and after MP3 64 kbit/s: ${COUNT * 2} detections, ${fmt(negatives.reduce((a, n) => a + n.seconds, 0) / 60, 1)} minutes of audio).\n`,
  markdownTable({
    title: 'Unlabelled clips',
    headers: ['kind', 'clips (tuning / held-out)', 'false positives', 'max score as made', 'max score after MP3'],
    rows: KINDS.map((kind) => {
      const s = negatives.filter((n) => n.kind === kind);
      return [kind, `${s.filter((n) => n.split === 'tuning').length} / ${s.filter((n) => n.split === 'held-out').length}`, String(s.filter((n) => n.hit).length), fmt(Math.max(...s.map((n) => n.clean)), 3), fmt(Math.max(...s.map((n) => n.mp3)), 3)];
    }),
  }),
  markdownTable({
    title: 'Prompted clips: found after',
    headers: ['placement', 'clips', 'MP3 64k', 'resampled to 16 kHz', 'resampled to 48 kHz', 'median start error after MP3 (ms)'],
    rows: ['start', 'middle', 'end'].map((placement) => {
      const s = positives.filter((p) => p.placement === placement);
      const errs = s.map((p) => p.timeError).filter((e) => !Number.isNaN(e)).sort((a, b) => a - b);
      return [placement, String(s.length), `${s.filter((p) => p.mp3).length}/${s.length}`, `${s.filter((p) => p.r16).length}/${s.length}`, `${s.filter((p) => p.r48).length}/${s.length}`, errs.length ? fmt(errs[errs.length >> 1] * 1000, 0) : '-'];
    }),
  }),
  `\nThe start error is mostly the MP3 encoder's delay. Detection runs at ${fmt(audioSeconds / (detectMs / 1000), 0)}x real time (one thread).\n`,
].join('\n');
writeFileAtomic('bench/results/explicit-audio.md', report);
console.log(report);
