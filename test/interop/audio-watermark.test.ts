import { describe, expect, it } from 'vitest';
import { detectAudio, embedAudio } from '../../src/audio/index.js';
import { decodeMp3, encodeMp3 } from '../../src/audio/mp3.js';
import { createLabel } from '../../src/label/create.js';
import '../../src/wasm/node-source.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWav } from '../../src/audio/wav.js';
import { musicClip, pcm16Chunks, readWavFile, run, speechClip, workDir } from '../audio/helpers.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const secret = new Uint8Array(32).map((_, i) => i * 7 + 1);

describe('audio watermark', () => {
  const speech = speechClip(20);
  const music = musicClip(20);

  it('round-trips the exact payload on speech, keeping length, rate and channels, without clipping', async () => {
    const marked = await embedAudio(speech.channels, speech.sampleRate, label);
    expect(marked.channels).toHaveLength(2);
    expect(marked.channels[0]).toHaveLength(speech.channels[0].length);
    expect(marked.snr).toBeGreaterThan(30);
    let peak = 0;
    for (const ch of marked.channels) for (const v of ch) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeLessThanOrEqual(1);
    const found = await detectAudio(marked.channels, speech.sampleRate);
    expect(found.found).toBe(true);
    expect(found.payload).toEqual(marked.payload);
    expect(found.payload?.content).toEqual({ kind: 'minted', produceId: 'AM2Q3WC88' });
    expect(found.offsetSeconds).not.toBeNull();
    expect(found.falsePositiveChance).toBeLessThan(1e-20);
  });

  it('finds nothing in unmarked audio', async () => {
    for (const clip of [speech, music]) {
      const result = await detectAudio(clip.channels, clip.sampleRate);
      expect(result.found).toBe(false);
      expect(result.payload).toBeNull();
      expect(result.falsePositiveChance).toBeGreaterThan(1e-3);
    }
  });

  it('decodes a 5 s excerpt cut from the middle and reports where its first block starts', async () => {
    const marked = await embedAudio(music.channels, music.sampleRate, label);
    const start = Math.round(8.3 * music.sampleRate);
    const excerpt = marked.channels.map((c) => c.slice(start, start + 5 * music.sampleRate));
    const found = await detectAudio(excerpt, music.sampleRate);
    expect(found.found).toBe(true);
    expect(found.payload).toEqual(marked.payload);
    // blocks start every 96 * 256 / 11025 s in the marked file
    const block = (96 * 256) / 11025;
    const absolute = 8.3 + (found.offsetSeconds ?? 0);
    const phase = absolute / block - Math.round(absolute / block);
    expect(Math.abs(phase * block)).toBeLessThan(0.01);
  });

  it('survives MP3 at 64 kbit/s on speech and music (lame CLI encode, mpg123-decoder decode)', async () => {
    for (const [name, clip] of [['speech', speech], ['music', music]] as const) {
      const marked = await embedAudio(clip.channels, clip.sampleRate, label);
      const wav = join(workDir, `mp3-in-${name}.wav`);
      const mp3 = join(workDir, `mp3-64k-${name}.mp3`);
      writeFileSync(wav, buildWav({ encoding: 'pcm', bits: 16, extensible: false, chunks: pcm16Chunks(2, 44100) }, marked.channels));
      run('lame', ['--quiet', '-b', '64', wav, mp3]);
      const decoded = await decodeMp3(new Uint8Array(readFileSync(mp3)));
      const found = await detectAudio(decoded.channels, decoded.sampleRate);
      expect(found.found).toBe(true);
      expect(found.payload).toEqual(marked.payload);
    }
  });

  it('writes MP3 with lamejs that still carries the mark (128 kbit/s)', async () => {
    const marked = await embedAudio(music.channels, music.sampleRate, label);
    const decoded = await decodeMp3(await encodeMp3(marked.channels, music.sampleRate, 128));
    expect(decoded.sampleRate).toBe(44100);
    const found = await detectAudio(decoded.channels, decoded.sampleRate);
    expect(found.payload).toEqual(marked.payload);
  });

  it('finds the mark after a 2% speed change (sox speed) and reports the speed', async () => {
    const marked = await embedAudio(speech.channels, speech.sampleRate, label);
    const wav = join(workDir, 'speed-in.wav');
    const fast = join(workDir, 'speed-1.02.wav');
    writeFileSync(wav, buildWav({ encoding: 'pcm', bits: 16, extensible: false, chunks: pcm16Chunks(2, 44100) }, marked.channels));
    run('sox', [wav, fast, 'speed', '1.02']);
    const { channels, sampleRate } = readWavFile(fast);
    const found = await detectAudio(channels, sampleRate);
    expect(found.payload).toEqual(marked.payload);
    expect(found.speed).toBeCloseTo(1.02, 2);
    // blocks repeat every 2.229 s / 1.02 in the sped-up file
    expect(found.offsetSeconds).toBeLessThan((96 * 256) / 11025 / 1.02);
  });

  it('finds the mark after sox tempo +2% (pitch kept) and sox pitch -30 cents (tempo kept) and reports which', async () => {
    const marked = await embedAudio(speech.channels, speech.sampleRate, label);
    const wav = join(workDir, 'warp-in.wav');
    writeFileSync(wav, buildWav({ encoding: 'pcm', bits: 16, extensible: false, chunks: pcm16Chunks(2, 44100) }, marked.channels));
    const tempo = join(workDir, 'tempo-1.02.wav');
    const pitch = join(workDir, 'pitch-30.wav');
    run('sox', [wav, tempo, 'tempo', '1.02']);
    run('sox', [wav, pitch, 'pitch', '-30']);
    const faster = readWavFile(tempo);
    const byTempo = await detectAudio(faster.channels, faster.sampleRate);
    expect(byTempo.payload).toEqual(marked.payload);
    expect(byTempo.tempo).toBeCloseTo(1.02, 2);
    const lower = readWavFile(pitch);
    const byPitch = await detectAudio(lower.channels, lower.sampleRate);
    expect(byPitch.payload).toEqual(marked.payload);
    expect(byPitch.pitch).toBeCloseTo(2 ** (-30 / 1200), 2);
  });

  it('speech that is two thirds digital silence survives a resample to 16 kHz and back (dither in the pauses)', async () => {
    const raw = join(workDir, 'pauses-raw.wav');
    const clip = join(workDir, 'pauses.wav');
    run('espeak-ng', ['-v', 'fr', '-s', '150', '-w', raw, "Le contenu généré par l'intelligence artificielle doit porter une étiquette."]);
    // about 1.4 s of speech then 3 s of digital silence, repeated
    run('sox', [raw, '-r', '44100', '-c', '2', '-b', '16', clip, 'trim', '0', '1.4', 'pad', '0', '3', 'repeat', '6', 'trim', '0', '26']);
    const source = readWavFile(clip);
    const marked = await embedAudio(source.channels, source.sampleRate, label);
    expect(marked.snr).toBeGreaterThan(30);
    const wav = join(workDir, 'pauses-marked.wav');
    const low = join(workDir, 'pauses-16k.wav');
    const back = join(workDir, 'pauses-back.wav');
    writeFileSync(wav, buildWav({ encoding: 'pcm', bits: 16, extensible: false, chunks: pcm16Chunks(2, 44100) }, marked.channels));
    run('sox', [wav, low, 'rate', '-v', '16000']);
    run('sox', [low, back, 'rate', '-v', '44100']);
    const { channels, sampleRate } = readWavFile(back);
    const found = await detectAudio(channels, sampleRate);
    expect(found.found).toBe(true);
    expect(found.payload).toEqual(marked.payload);
  });

  it('a secret key marks what only that key detects', async () => {
    const marked = await embedAudio(music.channels, music.sampleRate, label, { key: secret });
    expect(marked.payload.keyed).toBe(true);
    const withKey = await detectAudio(marked.channels, music.sampleRate, { key: secret });
    expect(withKey.found).toBe(true);
    expect(withKey.payload).toEqual(marked.payload);
    const publicKey = await detectAudio(marked.channels, music.sampleRate);
    expect(publicKey.found).toBe(false);
    const otherKey = await detectAudio(marked.channels, music.sampleRate, { key: secret.map((v) => v ^ 0x5a) });
    expect(otherKey.found).toBe(false);
  });

  it('handles mono, 48 kHz and 6 channels', async () => {
    const mono = [speech.channels[0]];
    const m = await embedAudio(mono, 44100, label);
    expect((await detectAudio(m.channels, 44100)).payload).toEqual(m.payload);
    // 48 kHz: reinterpret the samples at another rate (content changes pitch; fine for a rate test)
    const at48 = await embedAudio(music.channels, 48000, label);
    expect(at48.channels[0]).toHaveLength(music.channels[0].length);
    expect((await detectAudio(at48.channels, 48000)).payload).toEqual(at48.payload);
    const six = [...music.channels, ...music.channels, ...music.channels].map((c) => c.slice(0, 8 * 44100));
    const m6 = await embedAudio(six, 44100, label);
    expect(m6.channels).toHaveLength(6);
    expect((await detectAudio(m6.channels, 44100)).payload).toEqual(m6.payload);
  });
});
