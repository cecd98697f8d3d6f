/**
 * Byte-level WAV (RIFF/WAVE) reading and writing. We walk the chunks ourselves
 * so that unknown chunks (an AIGC label chunk, LIST/INFO, bext, iXML...) come
 * back on output byte for byte, odd-sized chunks work with or without their pad
 * byte, and a truncated file is reported instead of half-read. Samples are
 * converted by one symmetric rule (int / 2^(bits-1), rounded back), so samples
 * the watermark did not change are written back bit-exact.
 */
import { AigcError } from '../errors.js';
import { latin1Encode, putU32le } from '../metadata/bytes.js';
import { riffForm } from '../metadata/sniff.js';
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import type { ChannelSink, ChannelSource } from './channels.js';
import { audioKernels } from './kernels.js';

export interface WavChunk {
  id: string;
  data: Uint8Array;
}

export interface WavInfo {
  /** 'pcm' integer or IEEE 'float' samples. */
  encoding: 'pcm' | 'float';
  bits: 8 | 16 | 24 | 32 | 64;
  /** True when the fmt chunk is WAVE_FORMAT_EXTENSIBLE. */
  extensible: boolean;
  /** Every chunk in file order; the 'data' chunk's bytes are replaced on output. */
  chunks: WavChunk[];
}

const ascii = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
const isChunkId = (b: Uint8Array, at: number) => {
  if (at + 8 > b.length) return false;
  for (let i = 0; i < 4; i++) if (b[at + i] < 0x20 || b[at + i] > 0x7e) return false;
  return true;
};


/** A WAV file's chunks and sample layout, read without decoding a sample. */
export interface WavHeader {
  info: WavInfo;
  sampleRate: number;
  channelCount: number;
  /** Samples per channel. */
  frames: number;
  /** The data chunk's bytes (interleaved samples). */
  samples: Uint8Array;
}

export function readWavHeader(bytes: Uint8Array): WavHeader {
  if (riffForm(bytes) !== 'WAVE') throw new AigcError('CORRUPT_FILE', 'Not a RIFF/WAVE file: the header is missing or damaged.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: WavChunk[] = [];
  let at = 12;
  while (at + 8 <= bytes.length) {
    if (!isChunkId(bytes, at)) {
      if (bytes.length - at < 16 && chunks.some((c) => c.id === 'data')) break; // trailing junk after the audio
      throw new AigcError('CORRUPT_FILE', `Damaged WAV chunk header at byte ${at}.`);
    }
    const id = ascii(bytes, at);
    let size = view.getUint32(at + 4, true);
    const start = at + 8;
    if (id === 'data' && (size === 0xffffffff || size === 0) && start < bytes.length && chunks.every((c) => c.id !== 'data')) {
      size = bytes.length - start; // streamed WAV: size never filled in
    }
    if (start + size > bytes.length) {
      throw new AigcError(
        'CORRUPT_FILE',
        `The WAV '${id}' chunk declares ${size} bytes but only ${bytes.length - start} remain: the file is truncated.`,
      );
    }
    chunks.push({ id, data: bytes.subarray(start, start + size) });
    at = start + size;
    // RIFF pads odd chunks to even length; some writers forget the pad byte.
    if (size & 1 && !isChunkId(bytes, at) && isChunkId(bytes, at + 1)) at += 1;
    else if (size & 1 && at < bytes.length && bytes[at] === 0 && !isChunkId(bytes, at)) at += 1;
  }
  const fmt = chunks.find((c) => c.id === 'fmt ');
  const data = chunks.find((c) => c.id === 'data');
  if (!fmt || fmt.data.length < 16) throw new AigcError('CORRUPT_FILE', 'The WAV file has no valid fmt chunk.');
  if (!data) throw new AigcError('CORRUPT_FILE', 'The WAV file has no data chunk.');
  const f = new DataView(fmt.data.buffer, fmt.data.byteOffset, fmt.data.byteLength);
  let format = f.getUint16(0, true);
  const channelCount = f.getUint16(2, true);
  const sampleRate = f.getUint32(4, true);
  const blockAlign = f.getUint16(12, true);
  const bits = f.getUint16(14, true);
  const extensible = format === 0xfffe;
  if (extensible) {
    if (fmt.data.length < 40) throw new AigcError('CORRUPT_FILE', 'WAVE_FORMAT_EXTENSIBLE fmt chunk is too short.');
    format = f.getUint16(24, true); // first two bytes of the SubFormat GUID
  }
  let encoding: 'pcm' | 'float';
  if (format === 1 && (bits === 8 || bits === 16 || bits === 24 || bits === 32)) encoding = 'pcm';
  else if (format === 3 && (bits === 32 || bits === 64)) encoding = 'float';
  else {
    throw new AigcError(
      'UNSUPPORTED_FORMAT',
      `WAV codec 0x${format.toString(16)} with ${bits}-bit samples is not supported (PCM 8/16/24/32-bit and float 32/64-bit are).`,
    );
  }
  if (channelCount < 1 || channelCount > 8) {
    throw new AigcError('AUDIO_OUT_OF_RANGE', `The WAV file has ${channelCount} channels; 1 to 8 are supported.`);
  }
  const bytesPerSample = bits / 8;
  if (blockAlign !== bytesPerSample * channelCount) {
    throw new AigcError('CORRUPT_FILE', `WAV block align ${blockAlign} does not match ${channelCount} x ${bits}-bit samples.`);
  }
  const frames = Math.floor(data.data.length / blockAlign);
  return { info: { encoding, bits: bits as WavInfo['bits'], extensible, chunks }, sampleRate, channelCount, frames, samples: data.data };
}

/**
 * The WAV's samples as planar floats, decoded span by span from its bytes. With `core`,
 * 16-bit spans read into the core's memory are converted there (pcm16Read): the span's
 * frames are copied in as bytes and one channel taken out of them, the same values as
 * decodeSpan gives.
 */
export function wavSource(header: WavHeader, core?: Core): ChannelSource {
  const { samples, channelCount, frames, info } = header;
  const inCore = core && info.encoding === 'pcm' && info.bits === 16 ? core : null;
  return {
    count: channelCount,
    length: frames,
    read: (c, start, into) => {
      if (inCore && into.buffer === inCore.exports.memory.buffer) readPcm16InCore(inCore, samples, channelCount, c, start, into);
      else decodeSpan(samples, channelCount, info.encoding, info.bits, c, start, into);
    },
  };
}

/**
 * The frames last copied into the core's audioPcmIn slot, so that the other channels of the
 * same span are taken from there. Channel 0 always copies afresh: the embedder reads a
 * span's channels in order, one after the other, so nothing else can have written the slot
 * or the file's bytes in between.
 */
let staged: { core: Core; samples: Uint8Array; start: number; bytes: number; at: number } | null = null;

/** decodeSpan for 16-bit samples into `into`, a view of the core's memory, converted by the core. */
function readPcm16InCore(core: Core, samples: Uint8Array, count: number, c: number, start: number, into: Float32Array): void {
  // Taken before scratch(), which may grow the memory and detach `into`.
  const dst = into.byteOffset;
  const n = into.length;
  const k = audioKernels(core);
  const bytes = n * count * 2;
  const at = k.scratch(SLOT.audioPcmIn, bytes);
  const s = staged;
  if (c === 0 || !(s && s.core === core && s.samples === samples && s.start === start && s.bytes === bytes && s.at === at)) {
    core.u8(at, bytes).set(samples.subarray(start * count * 2, start * count * 2 + bytes));
    staged = { core, samples, start, bytes, at };
  }
  k.pcm16Read(at, count, c, n, dst);
}

export function parseWav(bytes: Uint8Array): { info: WavInfo; sampleRate: number; channels: Float32Array[] } {
  const header = readWavHeader(bytes);
  const source = wavSource(header);
  const channels = Array.from({ length: header.channelCount }, (_, c) => {
    const channel = new Float32Array(header.frames);
    source.read(c, 0, channel);
    return channel;
  });
  return { info: header.info, sampleRate: header.sampleRate, channels };
}

// Typed-array views read and write samples in the platform's byte order; WAV is little-endian.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One channel's samples [start, start + into.length) from interleaved WAV sample bytes. */
function decodeSpan(bytes: Uint8Array, count: number, encoding: 'pcm' | 'float', bits: number, c: number, start: number, into: Float32Array): void {
  const step = bits / 8;
  const n = into.length;
  const aligned = LITTLE_ENDIAN && bytes.byteOffset % step === 0;
  if (aligned && encoding === 'pcm' && bits === 16) {
    const v = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    for (let i = 0, j = start * count + c; i < n; i++, j += count) into[i] = v[j] / 32768;
    return;
  }
  if (aligned && encoding === 'float' && bits === 32) {
    const v = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
    for (let i = 0, j = start * count + c; i < n; i++, j += count) into[i] = v[j];
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stride = step * count;
  for (let i = 0, at = (start * count + c) * step; i < n; i++, at += stride) {
    let v: number;
    if (encoding === 'float') v = bits === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
    else if (bits === 8) v = (bytes[at] - 128) / 128;
    else if (bits === 16) v = view.getInt16(at, true) / 32768;
    else if (bits === 24) v = (((bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) << 8) >> 8) / 8388608;
    else v = view.getInt32(at, true) / 2147483648;
    into[i] = v;
  }
}

/**
 * Math.round, three times faster in V8: x is a float32 sample times 2^(bits-1), so x + 0.5 is
 * exact in float64 wherever it matters (ties go up, as with Math.round).
 */
const roundHalfUp = (x: number): number => Math.floor(x + 0.5);

/** Writes one channel's samples from `start` into interleaved WAV sample bytes (integers rounded and clamped). */
function encodeSpan(bytes: Uint8Array, count: number, encoding: 'pcm' | 'float', bits: number, c: number, start: number, from: Float32Array): void {
  const step = bits / 8;
  const n = from.length;
  const scale = 2 ** (bits - 1);
  if (LITTLE_ENDIAN && bytes.byteOffset % step === 0 && encoding === 'pcm' && bits === 16) {
    const v = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    for (let i = 0, j = start * count + c; i < n; i++, j += count) {
      const q = roundHalfUp(from[i] * 32768);
      v[j] = q > 32767 ? 32767 : q < -32768 ? -32768 : q;
    }
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stride = step * count;
  for (let i = 0, at = (start * count + c) * step; i < n; i++, at += stride) {
    const v = from[i];
    if (encoding === 'float') {
      if (bits === 32) view.setFloat32(at, v, true);
      else view.setFloat64(at, v, true);
    } else {
      const q = Math.max(-scale, Math.min(scale - 1, roundHalfUp(v * scale)));
      if (bits === 8) bytes[at] = q + 128;
      else if (bits === 16) view.setInt16(at, q, true);
      else if (bits === 24) {
        bytes[at] = q & 0xff;
        bytes[at + 1] = (q >> 8) & 0xff;
        bytes[at + 2] = (q >> 16) & 0xff;
      } else view.setInt32(at, q, true);
    }
  }
}

/** A plain 16-bit PCM WAV's fmt and (empty) data chunks, for buildWav. */
export function pcm16WavInfo(channels: number, rate: number): WavInfo {
  const fmt = new Uint8Array(16);
  const v = new DataView(fmt.buffer);
  v.setUint16(0, 1, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, rate * channels * 2, true);
  v.setUint16(12, channels * 2, true);
  v.setUint16(14, 16, true);
  return { encoding: 'pcm', bits: 16, extensible: false, chunks: [{ id: 'fmt ', data: fmt }, { id: 'data', data: new Uint8Array(0) }] };
}

/**
 * A WAV file laid out like `info` (its chunks in order, 'fact' updated) for `count` channels
 * of `frames` samples, with its data chunk filled span by span through `write`. With
 * `core`, 16-bit spans that come from the core's memory are converted there (pcm16Write)
 * into an interleaved span of frames that is copied out once its last channel is in: such
 * spans must arrive as the embedder sends them, every channel of a span in channel order
 * before the next span (ChannelSink).
 */
export function createWav(info: WavInfo, count: number, frames: number, core?: Core): { bytes: Uint8Array; write: ChannelSink } {
  const dataSize = frames * count * (info.bits / 8);
  const size = (body: number) => 8 + body + (body & 1);
  let total = 12;
  for (const chunk of info.chunks) total += size(chunk.id === 'data' ? dataSize : chunk.data.length);
  const out = new Uint8Array(total);
  out.set(latin1Encode('RIFF'), 0);
  putU32le(out, 4, total - 8);
  out.set(latin1Encode('WAVE'), 8);
  let at = 12;
  let samples = out.subarray(0, 0);
  for (const chunk of info.chunks) {
    const length = chunk.id === 'data' ? dataSize : chunk.data.length;
    out.set(latin1Encode(chunk.id), at);
    putU32le(out, at + 4, length);
    if (chunk.id === 'data') samples = out.subarray(at + 8, at + 8 + length);
    else {
      out.set(chunk.data, at + 8);
      if (chunk.id === 'fact' && length >= 4) putU32le(out, at + 8, frames);
    }
    at += size(length);
  }
  const inCore = core && info.encoding === 'pcm' && info.bits === 16 ? pcm16SpanWriter(core, samples, count) : null;
  return {
    bytes: out,
    write: (c, start, from) => {
      if (inCore && from.buffer === inCore.memory) inCore.write(c, start, from);
      else encodeSpan(samples, count, info.encoding, info.bits, c, start, from);
    },
  };
}

/**
 * Writes 16-bit spans converted in the core: each channel of a span goes into an
 * interleaved staging span in the core's memory, copied into `samples` when the span's
 * last channel is in. Channels of a span must come in order, spans one after the other.
 */
function pcm16SpanWriter(core: Core, samples: Uint8Array, count: number) {
  const k = audioKernels(core);
  let next = 0; // the channel the staged span expects
  let spanStart = 0;
  let spanLength = 0;
  return {
    get memory() {
      return core.exports.memory.buffer;
    },
    write(c: number, start: number, from: Float32Array) {
      const src = from.byteOffset;
      const n = from.length;
      if (c !== next || (c > 0 && (start !== spanStart || n !== spanLength))) {
        throw new Error(`WAV writer: channel ${c} of the span at ${start} arrived out of order (expected channel ${next} of the span at ${spanStart}).`);
      }
      spanStart = start;
      spanLength = n;
      const bytes = n * count * 2;
      const staged = k.scratch(SLOT.audioPcmOut, bytes);
      k.pcm16Write(src, n, count, c, staged);
      next = c + 1;
      if (next < count) return;
      samples.set(core.u8(staged, bytes), start * count * 2);
      next = 0;
    },
  };
}

/** The original file's chunks in order, with new samples in 'data' (and 'fact' updated). */
export function buildWav(info: WavInfo, channels: Float32Array[]): Uint8Array {
  const { bytes, write } = createWav(info, channels.length, channels[0].length);
  channels.forEach((channel, c) => write(c, 0, channel));
  return bytes;
}
