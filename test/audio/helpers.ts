import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { parseWav, pcm16WavInfo } from '../../src/audio/wav.js';
import { requireTool, runOk } from '../support/tools.js';

export { requireTool };

/** One scratch folder per test file that imports this module, removed after its tests. */
export const workDir = mkdtempSync(join(tmpdir(), 'aigc-audio-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

export function run(tool: string, args: string[]): void {
  runOk(tool, args);
}

export function readWavFile(path: string): { channels: Float32Array[]; sampleRate: number } {
  const { channels, sampleRate } = parseWav(new Uint8Array(readFileSync(path)));
  return { channels, sampleRate };
}

const TEXT =
  'Artificial intelligence generated content must carry a label. The label has an explicit part and an implicit part. ' +
  'Platforms check the metadata first, then the watermark, and finally the explicit mark. ' +
  'This paragraph gives the speech synthesiser enough words to fill the clip with natural pauses.';

/** espeak-ng speech, stereo 44.1 kHz 16-bit, `seconds` long. */
export function speechClip(seconds: number, voice = 'en-us'): { channels: Float32Array[]; sampleRate: number } {
  const raw = join(workDir, `speech-${voice}.wav`);
  const out = join(workDir, `speech-${voice}-${seconds}.wav`);
  run('espeak-ng', ['-v', voice, '-s', '165', '-w', raw, TEXT]);
  run('sox', [raw, '-r', '44100', '-c', '2', '-b', '16', out, 'repeat', '3', 'trim', '0', String(seconds)]);
  return readWavFile(out);
}

/** sox-synthesised chord (sine, square, plucked bass) with tremolo and reverb, stereo 44.1 kHz 16-bit. */
export function musicClip(seconds: number): { channels: Float32Array[]; sampleRate: number } {
  const voices = join(workDir, `voices-${seconds}.wav`);
  const out = join(workDir, `music-${seconds}.wav`);
  run('sox', ['-n', '-r', '44100', '-c', '4', '-b', '16', voices, 'synth', String(seconds), 'sine', '220', 'sine', '277', 'square', '330', 'pluck', '110']);
  run('sox', [voices, '-c', '2', out, 'remix', '1-4', '1-4', 'tremolo', '3', '30', 'reverb', '40', 'gain', '-n', '-6']);
  return readWavFile(out);
}

/** fmt and (empty) data chunks of a plain 16-bit PCM WAV, for buildWav. */
export const pcm16Chunks = (channels: number, rate: number): { id: string; data: Uint8Array }[] => pcm16WavInfo(channels, rate).chunks;
