/**
 * Node helpers: audio files in and out (WAV and MP3). The watermark itself is in
 * index.ts and works on planar Float32 channels anywhere.
 */
import { AigcError } from '../errors.js';
import { isAudioFormat, riffForm, sniffContainer, type AudioFormat } from '../metadata/sniff.js';
import type { Mp3Info } from './mp3.js';
import { labelToJson } from '../label/index.js';
import type { AigcLabel } from '../label/types.js';
import { withWavLabel } from '../metadata/wav.js';
import type { WatermarkPayload } from '../payload/payload.js';
import { getCore } from '../wasm/core.js';
import type { ChannelSink } from './channels.js';
import { embedAudio, embedChannels, type AudioEmbedOptions } from './index.js';
import { buildWav, createWav, parseWav, pcm16WavInfo, readWavHeader, wavSource, type WavInfo } from './wav.js';

// Loaded when a file needs them: MP3's codecs and the metadata editor for every container
// are dozens of modules, and marking a WAV into a WAV uses neither.
const mp3Codec = () => import('./mp3.js');
const metadataEditor = () => import('../metadata/index.js');

export interface DecodedAudio {
  container: AudioFormat;
  sampleRate: number;
  /** Planar samples in [-1, 1] (float WAVs may exceed it). */
  channels: Float32Array[];
  /** What encodeAudioFile needs to write the same format back. */
  wav?: WavInfo;
  mp3?: Mp3Info;
}

export function isAudioFile(bytes: Uint8Array): boolean {
  return isAudioFormat(sniffContainer(bytes));
}

export async function decodeAudioFile(bytes: Uint8Array): Promise<DecodedAudio> {
  const format = sniffContainer(bytes);
  if (format === 'wav') {
    const { info, sampleRate, channels } = parseWav(bytes);
    return { container: 'wav', sampleRate, channels, wav: info };
  }
  if (format === 'mp3') {
    const { info, sampleRate, channels } = await (await mp3Codec()).decodeMp3(bytes);
    return { container: 'mp3', sampleRate, channels, mp3: info };
  }
  if (riffForm(bytes) !== null) {
    throw new AigcError('CORRUPT_FILE', 'RIFF file without a WAVE form type: the header is damaged or it is not audio.');
  }
  throw new AigcError('UNSUPPORTED_FORMAT', 'Not a WAV or MP3 file (other audio formats are not supported yet).');
}

/** MP3 bit rate for audio that was not MP3 before, kbit/s. */
const NEW_MP3_KBPS = 192;

/**
 * The same container, sample format, rate and channel count as `original`, with new
 * samples; or, with `container`, that container: a new MP3 at NEW_MP3_KBPS, or a new
 * 16-bit PCM WAV. Tags of the other container are not carried over.
 */
export async function encodeAudioFile(original: DecodedAudio, channels: Float32Array[], container: AudioFormat = original.container): Promise<Uint8Array> {
  if (channels.length !== original.channels.length) {
    throw new AigcError('AUDIO_INVALID_SAMPLES', `Expected ${original.channels.length} channels, got ${channels.length}.`);
  }
  if (container === 'wav') return buildWav(original.wav ?? pcm16WavInfo(channels.length, original.sampleRate), channels);
  if (container === 'mp3') {
    const mp3 = original.mp3 ?? { bitrate: NEW_MP3_KBPS, id3: null };
    return await (await mp3Codec()).encodeMp3(channels, original.sampleRate, mp3.bitrate, mp3.id3);
  }
  throw new AigcError('UNSUPPORTED_FORMAT', 'Nothing to encode with: the original has no container details.');
}

/**
 * Marks an audio file into `container` (by default its own). WAV to WAV goes span by span
 * from the input's bytes through the core into the output's, so no channel is ever held
 * as floats in full; other pairs decode to planar channels and encode them again. With
 * `metadata`, the output carries `label` in its metadata as writeMetadataLabel would put
 * it there (false: without any label); a WAV gets its label chunk as it is laid out, so
 * the file is never copied to edit it.
 */
export async function markAudioBytes(
  bytes: Uint8Array,
  label: AigcLabel,
  options: AudioEmbedOptions,
  container?: AudioFormat,
  metadata?: boolean,
): Promise<{ bytes: Uint8Array; payload: WatermarkPayload; snr: number }> {
  if (sniffContainer(bytes) === 'wav' && (container ?? 'wav') === 'wav') {
    const header = readWavHeader(bytes);
    const core = await getCore();
    const info = metadata === undefined ? header.info : { ...header.info, chunks: withWavLabel(header.info.chunks, metadata ? labelToJson(label) : null) };
    // The output is laid out at the first marked span, after the analysis pass has freed its buffers.
    let out: ReturnType<typeof createWav> | null = null;
    const write: ChannelSink = (c, start, samples) => (out ??= createWav(info, header.channelCount, header.frames, core)).write(c, start, samples);
    const { payload, snr } = await embedChannels(wavSource(header, core), header.sampleRate, label, write, options);
    return { bytes: out!.bytes, payload, snr };
  }
  const decoded = await decodeAudioFile(bytes);
  const marked = await embedAudio(decoded.channels, decoded.sampleRate, label, options);
  const encoded = await encodeAudioFile(decoded, marked.channels, container);
  const out = metadata === undefined ? encoded : metadata ? (await metadataEditor()).writeMetadataLabel(encoded, label) : (await metadataEditor()).stripMetadataLabel(encoded);
  return { bytes: out, payload: marked.payload, snr: marked.snr };
}
