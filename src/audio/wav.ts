/**
 * Byte-level WAV (RIFF/WAVE) reading and writing. We walk the chunks ourselves
 * so that unknown chunks (an AIGC label chunk, LIST/INFO, bext, iXML...) come
 * back on output byte for byte, odd-sized chunks work with or without their pad
 * byte, and a truncated file is reported instead of half-read. Samples are
 * converted by one symmetric rule (int / 2^(bits-1), rounded back), so samples
 * the watermark did not change are written back bit-exact.
 */
import { AigcError } from '../errors.js';
import { concatBytes, latin1Encode, putU32le } from '../metadata/bytes.js';
import { riffForm } from '../metadata/sniff.js';

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


export function parseWav(bytes: Uint8Array): { info: WavInfo; sampleRate: number; channels: Float32Array[] } {
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
  const channels = decodeSamples(data.data, frames, channelCount, encoding, bits as WavInfo['bits']);
  return { info: { encoding, bits: bits as WavInfo['bits'], extensible, chunks }, sampleRate, channels };
}

function decodeSamples(bytes: Uint8Array, frames: number, count: number, encoding: 'pcm' | 'float', bits: number): Float32Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channels = Array.from({ length: count }, () => new Float32Array(frames));
  const step = bits / 8;
  let at = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < count; c++) {
      let v: number;
      if (encoding === 'float') v = bits === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
      else if (bits === 8) v = (bytes[at] - 128) / 128;
      else if (bits === 16) v = view.getInt16(at, true) / 32768;
      else if (bits === 24) v = (((bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) << 8) >> 8) / 8388608;
      else v = view.getInt32(at, true) / 2147483648;
      channels[c][i] = v;
      at += step;
    }
  }
  return channels;
}

function encodeSamples(channels: Float32Array[], encoding: 'pcm' | 'float', bits: number): Uint8Array {
  const frames = channels[0].length;
  const count = channels.length;
  const step = bits / 8;
  const out = new Uint8Array(frames * count * step);
  const view = new DataView(out.buffer);
  const scale = 2 ** (bits - 1);
  let at = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < count; c++) {
      const v = channels[c][i];
      if (encoding === 'float') {
        if (bits === 32) view.setFloat32(at, v, true);
        else view.setFloat64(at, v, true);
      } else {
        const q = Math.max(-scale, Math.min(scale - 1, Math.round(v * scale)));
        if (bits === 8) out[at] = q + 128;
        else if (bits === 16) view.setInt16(at, q, true);
        else if (bits === 24) {
          out[at] = q & 0xff;
          out[at + 1] = (q >> 8) & 0xff;
          out[at + 2] = (q >> 16) & 0xff;
        } else view.setInt32(at, q, true);
      }
      at += step;
    }
  }
  return out;
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

/** The original file's chunks in order, with new samples in 'data' (and 'fact' updated). */
export function buildWav(info: WavInfo, channels: Float32Array[]): Uint8Array {
  const samples = encodeSamples(channels, info.encoding, info.bits);
  const parts: Uint8Array[] = [latin1Encode('RIFF'), new Uint8Array(4), latin1Encode('WAVE')];
  for (const chunk of info.chunks) {
    let body = chunk.data;
    if (chunk.id === 'data') body = samples;
    else if (chunk.id === 'fact' && body.length >= 4) {
      body = body.slice();
      putU32le(body, 0, channels[0].length);
    }
    const head = latin1Encode(`${chunk.id}....`);
    putU32le(head, 4, body.length);
    parts.push(head, body);
    if (body.length & 1) parts.push(new Uint8Array(1));
  }
  const out = concatBytes(parts);
  putU32le(out, 4, out.length - 8);
  return out;
}
