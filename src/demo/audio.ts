// The audio part of `npm start`: a generated clip (no third-party media) is marked,
// squeezed through MP3 at 64 kbit/s, cut to 10 s from the middle, and detected.
import { decodeMp3, encodeMp3 } from '../audio/mp3.js';
import { detectAudio, embedAudio } from '../audio/index.js';
import { createLabel } from '../label/create.js';
import { labelToJson } from '../label/json.js';

const RATE = 44100;

/**
 * 30 s of stereo "song": a chord pad and a plucked bass under a formant-synthesised
 * voice-like line (a glottal pulse train through three vowel resonators, in syllables
 * with pauses). Seeded, so every run makes the same clip.
 */
export function demoClip(seconds = 30): Float32Array[] {
  const n = seconds * RATE;
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  let seed = 0x2545f491;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const chords = [
    [220, 277.18, 329.63],
    [196, 246.94, 293.66],
    [174.61, 220, 261.63],
    [196, 246.94, 311.13],
  ];
  // Pad and bass: additive tones with a few harmonics, one chord per 2 s.
  const phase = new Float64Array(8);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const chord = chords[Math.floor(t / 2) % chords.length];
    let pad = 0;
    for (let v = 0; v < 3; v++) {
      phase[v] += (2 * Math.PI * chord[v]) / RATE;
      const p = phase[v];
      pad += Math.sin(p) + 0.5 * Math.sin(2 * p) + 0.33 * Math.sin(3 * p) + 0.2 * Math.sin(5 * p) + 0.12 * Math.sin(7 * p);
    }
    const beat = t % 0.5;
    phase[3] += (2 * Math.PI * (chord[0] / 2)) / RATE;
    const bass = Math.sin(phase[3]) * Math.exp(-beat * 6);
    const swell = 0.6 + 0.4 * Math.sin(2 * Math.PI * 0.25 * t);
    left[i] = 0.05 * pad * swell + 0.12 * bass;
    right[i] = 0.045 * pad * swell + 0.12 * bass;
  }
  // Voice: vowels a/e/i/o/u as formant triples, 0.25 s syllables, a pause every 7.
  const vowels = [
    [730, 1090, 2440],
    [530, 1840, 2480],
    [270, 2290, 3010],
    [570, 840, 2410],
    [300, 870, 2240],
  ];
  const state = new Float64Array(6);
  let glottal = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const syllable = Math.floor(t / 0.25);
    if (syllable % 7 === 6) continue;
    const within = (t % 0.25) / 0.25;
    const envelope = Math.sin(Math.PI * within) ** 2;
    const f0 = 140 + 30 * Math.sin(2 * Math.PI * 0.3 * t) + 10 * Math.sin(syllable);
    glottal += f0 / RATE;
    let source = 0;
    if (glottal >= 1) {
      glottal -= 1;
      source = 1;
    }
    source += (rnd() - 0.5) * 0.05; // breath
    const formants = vowels[(syllable * 3 + (syllable >> 2)) % vowels.length];
    let voice = 0;
    for (let f = 0; f < 3; f++) {
      // two-pole resonator
      const r = Math.exp((-Math.PI * (60 + 40 * f)) / RATE);
      const c = 2 * r * Math.cos((2 * Math.PI * formants[f]) / RATE);
      const y = source * (1 - r) * (f === 0 ? 1 : 0.6) + c * state[2 * f] - r * r * state[2 * f + 1];
      state[2 * f + 1] = state[2 * f];
      state[2 * f] = y;
      voice += y;
    }
    left[i] += 0.6 * voice * envelope;
    right[i] += 0.6 * voice * envelope;
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
  const g = 0.7 / peak;
  for (let i = 0; i < n; i++) {
    left[i] *= g;
    right[i] *= g;
  }
  return [left, right];
}

export async function runAudioStory(log: (line: string) => void): Promise<void> {
  const label = createLabel({ producer: '001191440300708461136T1XGW3' });
  log('Audio: a generated 30 s song (pad, bass and a synthetic voice), 44.1 kHz stereo');
  const clip = demoClip(30);
  const t0 = performance.now();
  const marked = await embedAudio(clip, RATE, label);
  log(`1. Mark: watermark embedded in ${(performance.now() - t0).toFixed(0)} ms, SNR ${marked.snr.toFixed(1)} dB`);
  log(`   label     ${labelToJson(label)}`);
  const mp3 = await encodeMp3(marked.channels, RATE, 64);
  const decoded = await decodeMp3(mp3);
  log(`2. Encode MP3 at 64 kbit/s with lamejs: ${(mp3.length / 1024).toFixed(0)} KiB, decoded at ${decoded.sampleRate} Hz`);
  const start = Math.floor(decoded.channels[0].length / 2 - 5 * decoded.sampleRate);
  const excerpt = decoded.channels.map((c) => c.slice(start, start + 10 * decoded.sampleRate));
  log(`3. Cut 10 s from the middle (from ${(start / decoded.sampleRate).toFixed(2)} s)`);
  const t1 = performance.now();
  const found = await detectAudio(excerpt, decoded.sampleRate);
  const ms = performance.now() - t1;
  if (!found.found || !found.payload) {
    log(`4. Detect: no watermark found (score ${found.score.toFixed(3)}, ${ms.toFixed(0)} ms)`);
    return;
  }
  const p = found.payload;
  log(`4. Detect: watermark found in ${ms.toFixed(0)} ms, score ${found.score.toFixed(3)}, first block at ${found.offsetSeconds?.toFixed(3)} s into the excerpt`);
  log(`   Label ${p.label}, producer hash ${p.producerHash}, ${p.content.kind === 'minted' ? `ProduceID ${p.content.produceId}` : `ProduceID hash ${p.content.produceIdHash}`}`);
  const same = p.content.kind === 'minted' && p.content.produceId === label.ProduceID;
  log(`   ${same ? 'matches the label written at step 1: the ProduceID came back exactly from the samples' : 'does not match the label written at step 1'}`);
}
