import { describe, expect, it } from 'vitest';
import { buildWav, createWav, parseWav, pcm16WavInfo, readWavHeader, wavSource, type WavInfo } from '../../src/audio/wav.js';

/** A WAV with odd-sized extra chunks around the data, `bits`-bit `encoding` samples of a ramp. */
function wavBytes(encoding: 'pcm' | 'float', bits: 8 | 16 | 24 | 32, channels: number, frames: number): Uint8Array {
  const fmt = new Uint8Array(16);
  const v = new DataView(fmt.buffer);
  v.setUint16(0, encoding === 'pcm' ? 1 : 3, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, 44100, true);
  v.setUint32(8, 44100 * channels * (bits / 8), true);
  v.setUint16(12, channels * (bits / 8), true);
  v.setUint16(14, bits, true);
  const data = new Uint8Array(frames * channels * (bits / 8));
  const dv = new DataView(data.buffer);
  for (let i = 0, at = 0; i < frames * channels; i++, at += bits / 8) {
    const x = Math.sin(i * 0.37) * 0.9;
    if (encoding === 'float') dv.setFloat32(at, x, true);
    else if (bits === 8) data[at] = Math.round(x * 127) + 128;
    else if (bits === 16) dv.setInt16(at, Math.round(x * 32767), true);
    else if (bits === 24) {
      const q = Math.round(x * 8388607);
      data[at] = q & 0xff;
      data[at + 1] = (q >> 8) & 0xff;
      data[at + 2] = (q >> 16) & 0xff;
    } else dv.setInt32(at, Math.round(x * 8388607) * 256, true); // 24 significant bits: exact in float32
  }
  const info: WavInfo = {
    encoding,
    bits,
    extensible: false,
    chunks: [
      { id: 'fmt ', data: fmt },
      { id: 'LIST', data: new Uint8Array([73, 78, 70, 79, 1]) },
      { id: 'data', data },
      { id: 'bext', data: new Uint8Array([1, 2, 3]) },
    ],
  };
  return assemble(info, data);
}

/** The RIFF bytes for `info` with `data` as the data chunk, written by hand. */
function assemble(info: WavInfo, data: Uint8Array): Uint8Array {
  const parts: number[] = [];
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  for (const chunk of info.chunks) {
    const body = chunk.id === 'data' ? data : chunk.data;
    parts.push(...[...chunk.id].map((c) => c.charCodeAt(0)), ...u32(body.length), ...body);
    if (body.length & 1) parts.push(0);
  }
  return Uint8Array.from([82, 73, 70, 70, ...u32(parts.length + 4), 87, 65, 86, 69, ...parts]);
}

describe('WAV read and written span by span', () => {
  for (const [encoding, bits] of [['pcm', 8], ['pcm', 16], ['pcm', 24], ['pcm', 32], ['float', 32]] as const) {
    it(`${encoding} ${bits}-bit stereo: header, chunks and samples come back byte for byte`, () => {
      const bytes = wavBytes(encoding, bits, 2, 3001);
      const { info, channels } = parseWav(bytes);
      expect(buildWav(info, channels)).toEqual(bytes);
      // The same through spans of odd sizes, channels and spans out of order.
      const header = readWavHeader(bytes);
      const source = wavSource(header);
      const out = createWav(header.info, header.channelCount, header.frames);
      for (const c of [1, 0]) {
        for (let start = 0; start < header.frames; start += 777) {
          const span = new Float32Array(Math.min(777, header.frames - start));
          source.read(c, start, span);
          expect(span).toEqual(channels[c].subarray(start, start + span.length));
          out.write(c, start, span);
        }
      }
      expect(out.bytes).toEqual(bytes);
    });
  }

  it('reads samples from a data chunk at an odd offset (no aligned view) the same way', () => {
    const even = wavBytes('pcm', 16, 2, 500);
    // The LIST chunk before the data is odd-sized; without its pad byte (some writers forget
    // it) the data starts at an odd offset.
    const at = even.indexOf(0x64, 36); // 'd' of 'data'
    const unpadded = new Uint8Array([...even.subarray(0, at - 1), ...even.subarray(at)]);
    expect(readWavHeader(unpadded).samples.byteOffset % 2).toBe(1);
    expect(parseWav(unpadded).channels).toEqual(parseWav(even).channels);
  });

  it('rounds samples to integers as Math.round does, ties up, and clamps at full scale', () => {
    const values: number[] = [0, -0, 1, -1, 1.5, -1.5, 2, 0.99999, -1.00001, Infinity, -Infinity];
    for (let k = -40; k <= 40; k++) values.push((k + 0.5) / 32768, (k + 0.5) / 8388608, Math.fround((k + 0.49999) / 32768), Math.fround((k + 0.50001) / 32768));
    for (let k = 0; k < 2000; k++) values.push(Math.fround(Math.sin(k * 1.37) * 1.02));
    const samples = Float32Array.from(values);
    for (const bits of [8, 16, 24, 32] as const) {
      const info: WavInfo = { ...pcm16WavInfo(1, 44100), bits };
      const out = createWav(info, 1, samples.length);
      out.write(0, 0, samples);
      const view = new DataView(out.bytes.buffer, out.bytes.byteOffset + 44);
      const scale = 2 ** (bits - 1);
      samples.forEach((v, i) => {
        const want = Math.max(-scale, Math.min(scale - 1, Math.round(v * scale)));
        const at = i * (bits / 8);
        const got = bits === 8 ? view.getUint8(at) - 128 : bits === 16 ? view.getInt16(at, true) : bits === 24 ? (view.getInt32(at, true) << 8) >> 8 : view.getInt32(at, true);
        if (got !== want) throw new Error(`${bits}-bit sample ${v}: wrote ${got}, Math.round gives ${want}`);
      });
    }
  });
});
