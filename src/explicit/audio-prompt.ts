// The audible explicit label (GB 45438 5.3): the rhythm prompt short-long-short-short, Morse "AI"
// (.- ..), or a voice prompt, spliced into the audio at the start, the end or the middle.
import { AigcError } from '../errors.js';
import { resampleChannel } from '../audio/resample.js';

export type PromptPlacement = 'start' | 'end' | 'middle';
export const PROMPT_PLACEMENTS: readonly PromptPlacement[] = ['start', 'end', 'middle'];

/** Timings in seconds, frequency in Hz, level in dBFS (peak of the tone). */
export interface RhythmOptions {
  frequency?: number;
  level?: number;
  /** A short tone (Morse dot). */
  short?: number;
  /** A long tone (Morse dash). */
  long?: number;
  /** Silence between the tones of one letter. */
  gap?: number;
  /** Silence between the two letters. */
  letterGap?: number;
  /** Silence before the first and after the last tone, so the prompt stands apart from the content. */
  pad?: number;
}

/** Documented defaults (docs/explicit.md): 1 kHz at -12 dBFS, 100 ms dots, 300 ms dash, Morse spacing. */
export const DEFAULT_RHYTHM: Required<RhythmOptions> = {
  frequency: 1000,
  level: -12,
  short: 0.1,
  long: 0.3,
  gap: 0.1,
  letterGap: 0.3,
  pad: 0.2,
};

/** Raised-cosine edges: no clicks, so MP3 leaves the tones clean. */
const RAMP_SECONDS = 0.005;

export function rhythmSettings(options: RhythmOptions = {}): Required<RhythmOptions> {
  const s = { ...DEFAULT_RHYTHM, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const bad = (what: string) => {
    throw new AigcError('BAD_OPTION', `Rhythm prompt: ${what}.`);
  };
  if (!(s.frequency >= 200 && s.frequency <= 4000)) bad(`frequency must be 200-4000 Hz (it must survive phone and MP3 bandwidths), got ${s.frequency}`);
  if (!(s.level >= -40 && s.level <= 0)) bad(`level must be -40 to 0 dBFS, got ${s.level}`);
  if (!(s.short >= 0.04 && s.short <= 0.5)) bad(`short must be 0.04-0.5 s, got ${s.short}`);
  if (!(s.long >= 2 * s.short && s.long <= 2)) bad(`long must be at least twice short and at most 2 s, got ${s.long}`);
  if (!(s.gap >= 0.04 && s.gap <= 1)) bad(`gap must be 0.04-1 s, got ${s.gap}`);
  if (!(s.letterGap >= s.gap && s.letterGap <= 2)) bad(`letterGap must be at least gap and at most 2 s, got ${s.letterGap}`);
  if (!(s.pad >= 0 && s.pad <= 2)) bad(`pad must be 0-2 s, got ${s.pad}`);
  return s;
}

/** The tone on/off plan of the prompt: [start, end] seconds of each tone, from the prompt's start. */
export function rhythmTones(s: Required<RhythmOptions>): [number, number][] {
  const lengths = [s.short, s.long, s.short, s.short];
  const gaps = [s.gap, s.letterGap, s.gap];
  const tones: [number, number][] = [];
  let t = s.pad;
  lengths.forEach((d, i) => {
    tones.push([t, t + d]);
    t += d + (gaps[i] ?? 0);
  });
  return tones;
}

export function rhythmDuration(s: Required<RhythmOptions>): number {
  return s.pad * 2 + 3 * s.short + s.long + 2 * s.gap + s.letterGap;
}

/** The prompt as mono samples at `sampleRate`. */
export function synthesizeRhythm(sampleRate: number, options: RhythmOptions = {}): Float32Array {
  const s = rhythmSettings(options);
  const out = new Float32Array(Math.round(rhythmDuration(s) * sampleRate));
  const amp = 10 ** (s.level / 20);
  const ramp = Math.max(1, Math.round(RAMP_SECONDS * sampleRate));
  const w = (2 * Math.PI * s.frequency) / sampleRate;
  for (const [t0, t1] of rhythmTones(s)) {
    const a = Math.round(t0 * sampleRate), b = Math.round(t1 * sampleRate);
    for (let i = a; i < b && i < out.length; i++) {
      const k = i - a, left = b - 1 - i;
      const edge = Math.min(k, left) < ramp ? 0.5 - 0.5 * Math.cos((Math.PI * Math.min(k, left)) / ramp) : 1;
      out[i] = amp * edge * Math.sin(w * k);
    }
  }
  return out;
}

export interface PromptSpliceOptions {
  placement?: PromptPlacement;
  /** Rhythm prompt settings (ignored with `voice`). */
  rhythm?: RhythmOptions;
  /** A voice prompt ("本内容由人工智能生成") to splice in instead of the rhythm. */
  voice?: { channels: Float32Array[]; sampleRate: number };
}

export interface PromptSpliceResult {
  channels: Float32Array[];
  kind: 'rhythm' | 'voice';
  placement: PromptPlacement;
  /** Where the prompt sits in the result, in seconds. */
  start: number;
  end: number;
}

/** Inserts the prompt: the content is kept whole, the result is longer by the prompt. */
export async function addAudioPrompt(channels: Float32Array[], sampleRate: number, options: PromptSpliceOptions = {}): Promise<PromptSpliceResult> {
  const placement = options.placement ?? 'start';
  if (!PROMPT_PLACEMENTS.includes(placement)) {
    throw new AigcError('BAD_OPTION', `Unknown prompt placement "${placement}"; use start, end or middle.`);
  }
  if (channels.length === 0) throw new AigcError('AUDIO_EMPTY', 'No audio channels to add a prompt to.');
  const prompt = options.voice ? await voiceFor(options.voice, channels.length, sampleRate) : null;
  const rhythm = prompt ? null : synthesizeRhythm(sampleRate, options.rhythm);
  const promptLength = prompt ? prompt[0].length : rhythm!.length;
  const n = channels[0].length;
  const at = placement === 'start' ? 0 : placement === 'end' ? n : Math.floor(n / 2);
  const out = channels.map((c, ch) => {
    const o = new Float32Array(n + promptLength);
    o.set(c.subarray(0, at), 0);
    o.set(prompt ? prompt[ch] : rhythm!, at);
    o.set(c.subarray(at), at + promptLength);
    return o;
  });
  return { channels: out, kind: prompt ? 'voice' : 'rhythm', placement, start: at / sampleRate, end: (at + promptLength) / sampleRate };
}

/** The voice prompt at the content's rate and channel count (mono is copied to every channel). */
async function voiceFor(voice: { channels: Float32Array[]; sampleRate: number }, channelCount: number, sampleRate: number): Promise<Float32Array[]> {
  if (voice.channels.length === 0 || voice.channels[0].length === 0) throw new AigcError('AUDIO_EMPTY', 'The voice prompt has no samples.');
  const resampled = voice.sampleRate === sampleRate ? voice.channels : await Promise.all(voice.channels.map((c) => resampleChannel(c, voice.sampleRate, sampleRate)));
  return Array.from({ length: channelCount }, (_, ch) => resampled[Math.min(ch, resampled.length - 1)]);
}
