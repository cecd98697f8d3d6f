/**
 * The audio bench corpus, generated at bench time from espeak-ng and sox (no
 * third-party media is committed). 44.1 kHz, stereo, 16-bit WAV in bench/work/audio/corpus.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const WORK = 'bench/work/audio';
export const CORPUS = join(WORK, 'corpus');

export interface Clip {
  name: string;
  kind: 'speech' | 'music';
  seconds: number;
  path: string;
}

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'pipe' });

const TEXT: Record<string, string> = {
  en: 'Artificial intelligence generated content must carry a label. Platforms first read the metadata, then they look for the watermark, and at last they check the explicit mark. A provider that generates an image or an audio clip labels it in three layers, so that listeners know what they hear. The implicit watermark must survive compression, cutting and format changes.',
  cmn: '人工智能生成合成内容应当添加标识。平台首先读取元数据，然后检测水印，最后检查显式标识。服务提供者生成的图片和音频都要分三层标识，让听众知道自己听到的是什么。隐式水印必须能够经受压缩、剪辑和格式转换。',
  de: 'Von künstlicher Intelligenz erzeugte Inhalte müssen gekennzeichnet werden. Plattformen lesen zuerst die Metadaten, dann suchen sie nach dem Wasserzeichen und zuletzt nach der sichtbaren Kennzeichnung.',
  es: 'El contenido generado por inteligencia artificial debe llevar una etiqueta. Las plataformas leen primero los metadatos, luego buscan la marca de agua y al final la marca explícita.',
  fr: "Le contenu généré par l'intelligence artificielle doit porter une étiquette. Les plateformes lisent d'abord les métadonnées, puis cherchent le filigrane et enfin la marque explicite.",
};

interface Recipe {
  name: string;
  kind: 'speech' | 'music';
  make: (out: string, seconds: number, tmp: string) => void;
}

function speech(voice: string, text: string, speed: number, pitch: number) {
  return (out: string, seconds: number, tmp: string) => {
    sh('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '-w', tmp, text]);
    sh('sox', [tmp, '-r', '44100', '-c', '2', '-b', '16', out, 'repeat', '20', 'trim', '0', String(seconds)]);
  };
}

/** `notes` played in sequence (each `dur` s) with one sox synth type, looped to length. */
function melody(type: string, notes: string[], dur: number, effects: string[]) {
  return (out: string, seconds: number, tmp: string) => {
    const parts = notes.map((n, i) => {
      const p = `${tmp}.${i}.wav`;
      sh('sox', ['-n', '-r', '44100', '-c', '1', '-b', '16', p, 'synth', String(dur), type, n, 'fade', 'q', '0.01', String(dur), '0.05']);
      return p;
    });
    sh('sox', [...parts, `${tmp}.seq.wav`]);
    const loops = Math.ceil(seconds / (dur * notes.length));
    sh('sox', [`${tmp}.seq.wav`, '-c', '2', out, 'repeat', String(loops), ...effects, 'trim', '0', String(seconds), 'gain', '-n', '-3']);
  };
}

const RECIPES: Recipe[] = [
  { name: 'speech-en-us', kind: 'speech', make: speech('en-us', TEXT.en, 165, 50) },
  { name: 'speech-en-gb-f', kind: 'speech', make: speech('en-gb+f3', TEXT.en, 155, 70) },
  { name: 'speech-cmn', kind: 'speech', make: speech('cmn', TEXT.cmn, 160, 50) },
  { name: 'speech-cmn-f', kind: 'speech', make: speech('cmn+f2', TEXT.cmn, 150, 65) },
  { name: 'speech-de', kind: 'speech', make: speech('de', TEXT.de, 170, 40) },
  { name: 'speech-es-fast', kind: 'speech', make: speech('es', TEXT.es, 200, 55) },
  {
    name: 'speech-fr-pauses',
    kind: 'speech',
    make: (out, seconds, tmp) => {
      sh('espeak-ng', ['-v', 'fr', '-s', '150', '-g', '40', '-w', tmp, TEXT.fr]);
      // 1.5 s of digital silence after every phrase-length chunk
      sh('sox', [tmp, `${tmp}.p.wav`, 'pad', '0', '1.5', 'repeat', '10']);
      sh('sox', [`${tmp}.p.wav`, '-r', '44100', '-c', '2', '-b', '16', out, 'trim', '0', String(seconds)]);
    },
  },
  {
    name: 'music-tonal-chords',
    kind: 'music',
    make: (out, seconds, tmp) => {
      sh('sox', ['-n', '-r', '44100', '-c', '4', '-b', '16', tmp, 'synth', String(seconds), 'sine', '220', 'sine', '277.2', 'triangle', '329.6', 'pluck', '110']);
      sh('sox', [tmp, '-c', '2', out, 'remix', '1-4', '1-4', 'tremolo', '3', '30', 'reverb', '40', 'gain', '-n', '-3']);
    },
  },
  { name: 'music-pluck-melody', kind: 'music', make: melody('pluck', ['C4', 'E4', 'G4', 'C5', 'B4', 'G4', 'E4', 'D4'], 0.3, ['reverb', '50']) },
  { name: 'music-square-lead', kind: 'music', make: melody('square', ['A3', 'C4', 'E4', 'A4', 'G4', 'E4'], 0.25, ['lowpass', '3000', 'chorus', '0.7', '0.9', '55', '0.4', '0.25', '2', '-t']) },
  {
    name: 'music-percussive',
    kind: 'music',
    make: (out, seconds, tmp) => {
      // noise-burst hits and a clicky tom, 120 bpm
      sh('sox', ['-n', '-r', '44100', '-c', '1', '-b', '16', `${tmp}.hit.wav`, 'synth', '0.5', 'pinknoise', 'fade', 'q', '0.002', '0.5', '0.45', 'gain', '-3']);
      sh('sox', ['-n', '-r', '44100', '-c', '1', '-b', '16', `${tmp}.tom.wav`, 'synth', '0.5', 'sine', '160-60', 'fade', 'q', '0.002', '0.5', '0.4']);
      sh('sox', [`${tmp}.hit.wav`, `${tmp}.tom.wav`, `${tmp}.tom.wav`, `${tmp}.hit.wav`, `${tmp}.bar.wav`]);
      sh('sox', [`${tmp}.bar.wav`, '-c', '2', out, 'repeat', String(Math.ceil(seconds / 2)), 'trim', '0', String(seconds), 'gain', '-n', '-3']);
    },
  },
  {
    name: 'music-bass-heavy',
    kind: 'music',
    make: (out, seconds, tmp) => {
      sh('sox', ['-n', '-r', '44100', '-c', '3', '-b', '16', tmp, 'synth', String(seconds), 'sine', '55', 'square', '110', 'sine', '440', 'tremolo', '2', '60']);
      sh('sox', [tmp, '-c', '2', out, 'remix', '1v0.8,2v0.3,3v0.05', '1v0.8,2v0.3,3v0.05', 'gain', '-n', '-3']);
    },
  },
  {
    name: 'music-dense-pad',
    kind: 'music',
    make: (out, seconds, tmp) => {
      sh('sox', ['-n', '-r', '44100', '-c', '4', '-b', '16', tmp, 'synth', String(seconds), 'sawtooth', '130.8', 'sawtooth', '164.8', 'square', '196', 'pinknoise']);
      sh('sox', [tmp, '-c', '2', out, 'remix', '1v0.3,2v0.3,3v0.2,4v0.05', '1v0.3,2v0.3,3v0.2,4v0.05', 'lowpass', '6000', 'gain', '-n', '-3']);
    },
  },
  { name: 'music-with-silences', kind: 'music', make: melody('triangle', ['E4', 'G4', 'A4', 'B4', 'D5', 'B4', '%-100', '%-100', '%-100', '%-100'], 0.4, ['reverb', '30']) },
];

/** Generates (once) and lists the corpus: 14 clips of 30 s, and 180 s versions of two of them. */
export function buildCorpus(long = true): Clip[] {
  for (const tool of ['sox', 'espeak-ng']) {
    try {
      sh('sh', ['-c', `command -v ${tool}`]);
    } catch {
      throw new Error(`The audio bench needs '${tool}' (apt-get install sox espeak-ng ffmpeg lame).`);
    }
  }
  mkdirSync(CORPUS, { recursive: true });
  const clips: Clip[] = [];
  const want: [Recipe, number][] = RECIPES.map((r) => [r, 30]);
  if (long) {
    want.push([RECIPES.find((r) => r.name === 'speech-en-us')!, 180]);
    want.push([RECIPES.find((r) => r.name === 'music-pluck-melody')!, 180]);
  }
  for (const [recipe, seconds] of want) {
    const name = seconds === 30 ? recipe.name : `${recipe.name}-${seconds}s`;
    const path = join(CORPUS, `${name}.wav`);
    if (!existsSync(path)) recipe.make(path, seconds, join(CORPUS, `.tmp-${name}.wav`));
    clips.push({ name, kind: recipe.kind, seconds, path });
  }
  return clips;
}
