import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { describe, expect, it } from 'vitest';
import { decodeAudioFile, encodeAudioFile, isAudioFile } from '../../src/audio/file.js';
import { concatBytes, latin1Encode, putU32le } from '../../src/metadata/bytes.js';
import { rejectionCode as codeOf } from '../support/errors.js';
import { run, workDir } from './helpers.js';

const { WaveFile } = wavefile as unknown as { WaveFile: new (bytes?: Uint8Array) => { getSamples(interleaved: boolean, type: Float64ArrayConstructor): Float64Array[]; fmt: { numChannels: number } } };

/** RIFF bytes built by hand (not by src/audio/wav.ts), optionally without the pad byte after odd chunks. */
function chunk(id: string, body: Uint8Array, pad = true): Uint8Array {
  const head = latin1Encode(`${id}....`);
  putU32le(head, 4, body.length);
  return concatBytes([head, body, new Uint8Array(pad ? body.length & 1 : 0)]);
}

const riff = (...chunks: Uint8Array[]) => {
  const out = concatBytes([latin1Encode('RIFF....WAVE'), ...chunks]);
  putU32le(out, 4, out.length - 8);
  return out;
};

function fmt16(channels: number, rate: number, format = 1, bits = 16): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, format, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, (rate * channels * bits) / 8, true);
  v.setUint16(12, (channels * bits) / 8, true);
  v.setUint16(14, bits, true);
  return b;
}

const ramp = (n: number) => {
  const b = new Uint8Array(n * 2);
  const v = new DataView(b.buffer);
  for (let i = 0; i < n; i++) v.setInt16(i * 2, (i * 97) % 60000 - 30000, true);
  return b;
};

describe('WAV and MP3 files', () => {
  it('reads ffmpeg 3-channel 24-bit extensible and 8-bit, 32-bit int, 64-bit float files', async () => {
    for (const [codec, bits] of [['pcm_s24le', 24], ['pcm_u8', 8], ['pcm_s32le', 32], ['pcm_f64le', 64]] as const) {
      const path = join(workDir, `ff-${codec}.wav`);
      run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=1:r=22050', '-ac', '3', '-c:a', codec, path]);
      const decoded = await decodeAudioFile(new Uint8Array(readFileSync(path)));
      expect(decoded.wav?.bits).toBe(bits);
      expect(decoded.channels).toHaveLength(3);
      expect(decoded.sampleRate).toBe(22050);
      const peak = Math.max(...decoded.channels[0].subarray(0, 2000).map(Math.abs));
      expect(peak).toBeGreaterThan(0.05);
      expect(peak).toBeLessThan(0.2); // lavfi sine is 1/8 full scale
    }
  });

  it('reads odd-sized chunks with and without their pad byte and keeps unknown chunks on output', async () => {
    const data = ramp(1000);
    for (const pad of [true, false]) {
      const bytes = riff(chunk('fmt ', fmt16(1, 16000)), chunk('zzzz', new Uint8Array([1, 2, 3]), pad), chunk('AIGC', new TextEncoder().encode('{"AIGC":{"Label":"1"}}'), pad), chunk('data', data));
      const decoded = await decodeAudioFile(bytes);
      expect(decoded.channels[0]).toHaveLength(1000);
      expect(decoded.channels[0][1]).toBeCloseTo(-29903 / 32768, 6);
      expect(decoded.wav?.chunks.map((c) => c.id)).toEqual(['fmt ', 'zzzz', 'AIGC', 'data']);
      const louder = decoded.channels.map((c) => c.map((v) => v * 0.5));
      const out = await encodeAudioFile(decoded, louder);
      const again = await decodeAudioFile(out);
      expect(again.wav?.chunks.find((c) => c.id === 'zzzz')?.data).toEqual(new Uint8Array([1, 2, 3]));
      expect(new TextDecoder().decode(again.wav?.chunks.find((c) => c.id === 'AIGC')?.data)).toContain('"Label":"1"');
      expect(again.channels[0][1]).toBeCloseTo(Math.round((-29903 / 32768) * 0.5 * 32768) / 32768, 6);
      // an independent reader agrees
      const wf = new WaveFile(out);
      expect(wf.fmt.numChannels).toBe(1);
    }
  });

  it('reports a corrupt header, truncated data and unsupported codecs with typed errors', async () => {
    const good = riff(chunk('fmt ', fmt16(1, 16000)), chunk('data', ramp(1000)));
    expect(await codeOf(decodeAudioFile(good.slice(0, good.length - 500)))).toBe('CORRUPT_FILE');
    const badForm = good.slice();
    badForm.set([0x57, 0x41, 0x56, 0x58], 8); // RIFF....WAVX
    expect(await codeOf(decodeAudioFile(badForm))).toBe('CORRUPT_FILE');
    const badAlign = riff(chunk('fmt ', fmt16(2, 16000).map((v, i) => (i === 12 ? 7 : v))), chunk('data', ramp(1000)));
    expect(await codeOf(decodeAudioFile(badAlign))).toBe('CORRUPT_FILE');
    expect(await codeOf(decodeAudioFile(riff(chunk('fmt ', fmt16(1, 16000)))))).toBe('CORRUPT_FILE');
    expect(await codeOf(decodeAudioFile(good.slice(0, 30)))).toBe('CORRUPT_FILE');
    const alaw = join(workDir, 'alaw.wav');
    run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=1:r=8000', '-c:a', 'pcm_alaw', alaw]);
    expect(await codeOf(decodeAudioFile(new Uint8Array(readFileSync(alaw))))).toBe('UNSUPPORTED_FORMAT');
    const flac = join(workDir, 'tone.flac');
    run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=1:r=44100', '-c:a', 'flac', flac]);
    expect(await codeOf(decodeAudioFile(new Uint8Array(readFileSync(flac))))).toBe('UNSUPPORTED_FORMAT');
    expect(await codeOf(decodeAudioFile(new Uint8Array(0)))).toBe('UNSUPPORTED_FORMAT');
    const nineChannels = riff(chunk('fmt ', fmt16(9, 16000)), chunk('data', new Uint8Array(9 * 2 * 100)));
    expect(await codeOf(decodeAudioFile(nineChannels))).toBe('AUDIO_OUT_OF_RANGE');
  });

  it('decodes MP3 (keeping an ID3v2 tag on output) and recognises audio files', async () => {
    const wav = join(workDir, 'tone.wav');
    const mp3 = join(workDir, 'tone.mp3');
    run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=3:r=44100', '-ac', '2', '-c:a', 'pcm_s16le', wav]);
    run('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '3', '-write_xing', '0', '-metadata', 'title=aigc test', mp3]);
    const bytes = new Uint8Array(readFileSync(mp3));
    expect(isAudioFile(bytes)).toBe(true);
    expect(isAudioFile(new Uint8Array(readFileSync(wav)))).toBe(true);
    expect(isAudioFile(new TextEncoder().encode('hello world, not audio'))).toBe(false);
    const decoded = await decodeAudioFile(bytes);
    expect(decoded.container).toBe('mp3');
    expect(decoded.mp3?.bitrate).toBe(128);
    expect(decoded.sampleRate).toBe(44100);
    expect(Math.abs(decoded.channels[0].length - 3 * 44100)).toBeLessThan(2000);
    const out = await encodeAudioFile(decoded, decoded.channels);
    expect(String.fromCharCode(...out.subarray(0, 3))).toBe('ID3');
    expect(Buffer.from(out.subarray(0, 200)).includes(Buffer.from('TIT2'))).toBe(true);
    const again = await decodeAudioFile(out);
    expect(again.sampleRate).toBe(44100);
  });
});
