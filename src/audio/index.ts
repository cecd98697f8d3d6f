// Universal audio watermark API (Node and browsers): no node: imports here or below.
import type { AigcLabel } from '../label/types.js';
import { falsePositiveChance } from '../payload/false-positive.js';
import { resolveKey } from '../payload/key.js';
import { decodePayload, encodePayload, payloadFromLabel, PAYLOAD_BITS, type WatermarkPayload } from '../payload/payload.js';
import { decodeChannel, encodeChannel } from '../wasm/channel-code.js';
import { getCore } from '../wasm/core.js';
import { checkLabel, checkOptions, checkStrength } from '../validate.js';
import { arraySink, arraySource, type ChannelSink, type ChannelSource } from './channels.js';
import { channelDeltas, deltaAtRate, looksLikeSpeech } from './embedding.js';
import { cellSymbols, layoutFor } from './layout.js';
import { softBits } from './soft-bits.js';
import { loadInternalMono, searchSync, type SyncCandidate } from './sync-search.js';
import { searchWarps, type WarpKind } from './warp-search.js';
import { limitChannels, storedChanges } from './limiter.js';
import {
  AGREEMENT_GATE,
  BLOCK_FRAMES,
  CEILING,
  DEFAULT_STEP,
  FRAME,
  INTERNAL_RATE,
  MAX_CANDIDATES,
  MAX_SCALE,
  MAX_STEP,
  MIN_SCALE,
  MUSIC_FRAMES,
  SPEECH_FRAMES,
  STEP_TILT,
  TARGET_SNR_MUSIC,
  TARGET_SNR_SPEECH,
  WARP_MIN_SECONDS,
} from './params.js';
import { checkSamples, validateAudio, validateShape } from './validate.js';

export interface AudioEmbedOptions {
  /** Provider secret (>= 16 bytes); omit for the public key. */
  key?: Uint8Array | null;
  /** Scales the mark's amplitude: 1 = 30.5 dB SNR on speech and 35.5 dB on music, 2 = 6 dB stronger (STRENGTH_RANGE, 0.25 to 4). */
  strength?: number;
}

export interface AudioEmbedResult {
  /** Marked channels: same count, length and rate as the input. */
  channels: Float32Array[];
  payload: WatermarkPayload;
  /** Signal-to-watermark ratio over all channels, dB. */
  snr: number;
}

export interface AudioDetection {
  found: boolean;
  payload: WatermarkPayload | null;
  /** Soft agreement of the best decoded codeword with the received chips (about 0.55 on unmarked audio; a mark needs >= 0.7). */
  score: number;
  /** Seconds from file start where the first decoded block starts. */
  offsetSeconds: number | null;
  /** Playback speed relative to the marked original (time and pitch together), when the warp search found it. */
  speed?: number;
  /** Tempo relative to the marked original (time only, pitch kept), when the warp search found it. */
  tempo?: number;
  /** Pitch relative to the marked original (frequency ratio, tempo kept; 1.0175 = +30 cents), when the warp search found it. */
  pitch?: number;
  /** Calibrated confidence: the chance that unmarked audio gives a result this strong (docs/payload.md). */
  falsePositiveChance: number;
}

export async function embedAudio(
  channels: Float32Array[],
  sampleRate: number,
  label: AigcLabel,
  options: AudioEmbedOptions = {},
): Promise<AudioEmbedResult> {
  checkOptions(options, ['key', 'strength'], 'embedAudio');
  validateAudio(channels, sampleRate, false);
  const out = arraySink(channels.length, channels[0].length);
  // The output arrays keep the change at the channels' rate until the marked samples replace it.
  const { payload, snr } = await embedChannels(arraySource(channels), sampleRate, label, out.write, options, out.channels);
  return { channels: out.channels, payload, snr };
}

/**
 * embedAudio on channels read from `source` span by span, the marked spans going to `sink`
 * (in channel order): what the file-level path uses to mark a file without holding its
 * samples as floats. `changeStore`: arrays of the channels' length that `sink` writes the
 * marked channels to (embedAudio's output); the change at the channels' rate waits there
 * for the limiter instead of being resampled a second time.
 */
export async function embedChannels(
  source: ChannelSource,
  sampleRate: number,
  label: AigcLabel,
  sink: ChannelSink,
  options: AudioEmbedOptions = {},
  changeStore?: readonly Float32Array[],
): Promise<Omit<AudioEmbedResult, 'channels'>> {
  const checked = checkOptions(options, ['key', 'strength'], 'embedAudio');
  const valid = checkLabel(label);
  const strength = checkStrength(checked.strength);
  const key = resolveKey(checked.key);
  validateShape(source.count, source.length, sampleRate);
  const payload = payloadFromLabel(valid, key.keyed);
  const core = await getCore();
  const coded = encodeChannel(core, encodePayload(payload, key), PAYLOAD_BITS);
  const symbols = cellSymbols(layoutFor(core, key), coded);
  const shape = { step: DEFAULT_STEP, tilt: STEP_TILT, maxStep: MAX_STEP, ...MUSIC_FRAMES };
  // The speech heuristic looks at the channels at the internal rate, on their way through:
  // the first channel, or for stereo the mix and both channels, all of which must look like
  // speech (anything ambiguous gets the stricter music budget).
  let speech = false;
  // Where the rates differ, the change at the channels' rate is kept in changeStore, if given, rather than resampled again.
  const store = changeStore && sampleRate !== INTERNAL_RATE ? changeStore : undefined;
  const { deltas, energy, peak, change } = channelDeltas(
    core,
    source,
    sampleRate,
    symbols,
    shape,
    (signals) => {
      speech = signals.every((s) => looksLikeSpeech(core, s));
      Object.assign(shape, speech ? SPEECH_FRAMES : MUSIC_FRAMES);
    },
    store,
  );
  checkSamples(new Float32Array(0), 0, peak);
  // Scale the change to the SNR budget of the content (speech or music).
  const target = (speech ? TARGET_SNR_SPEECH : TARGET_SNR_MUSIC) - 20 * Math.log10(strength);
  const natural = change > 0 ? 10 * Math.log10(energy / change) : Infinity;
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, 10 ** ((natural - target) / 20)));
  const ceiling = Math.max(CEILING, peak);
  const changes = store ? storedChanges(core, store) : deltas.map((delta) => deltaAtRate(core, delta, source.length, sampleRate));
  const noise = limitChannels(core, source, changes, ceiling, scale, sink);
  const snr = noise > 0 ? 10 * Math.log10(energy / noise) : Infinity;
  return { payload, snr };
}

export async function detectAudio(
  channels: Float32Array[],
  sampleRate: number,
  options: { key?: Uint8Array | null } = {},
): Promise<AudioDetection> {
  const key = resolveKey(checkOptions(options, ['key'], 'detectAudio').key);
  validateAudio(channels, sampleRate);
  const core = await getCore();
  const layout = layoutFor(core, key);
  const signal = loadInternalMono(core, channels, sampleRate);
  let bestScore = 0;
  let decodes = 0;
  const attempt = (candidate: SyncCandidate) => {
    decodes++;
    const { payload: bytes, agreement } = decodeChannel(core, softBits(core, candidate, layout), PAYLOAD_BITS);
    bestScore = Math.max(bestScore, agreement);
    return agreement >= AGREEMENT_GATE ? decodePayload(bytes, key) : null;
  };
  // Block start in internal-rate samples of the searched signal.
  const blockStart = (c: SyncCandidate) => c.offset + ((BLOCK_FRAMES - c.phase) % BLOCK_FRAMES) * FRAME;
  const report = (payload: WatermarkPayload | null, offsetSeconds: number | null, warp?: { kind: WarpKind; factor: number }): AudioDetection => ({
    found: payload !== null,
    payload,
    score: bestScore,
    offsetSeconds,
    ...(warp && { [warp.kind]: warp.factor }),
    falsePositiveChance: falsePositiveChance(bestScore, decodes, payload !== null),
  });
  for (const candidate of searchSync(core, signal, layout).slice(0, MAX_CANDIDATES - 1)) {
    const payload = attempt(candidate);
    if (payload) return report(payload, blockStart(candidate) / INTERNAL_RATE);
  }
  if (signal.length >= WARP_MIN_SECONDS * INTERNAL_RATE) {
    const candidate = searchWarps(core, signal, layout);
    const payload = candidate && attempt(candidate);
    if (candidate && payload) return report(payload, candidate.blockStart / INTERNAL_RATE, candidate);
  }
  return report(null, null);
}
