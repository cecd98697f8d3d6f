import { describe, expect, it } from 'vitest';
import { detectAudio, embedAudio } from '../../src/audio/index.js';
import { createLabel } from '../../src/label/create.js';
import { getCore, preferCoreFlavor } from '../../src/wasm/core.js';
import '../../src/wasm/node-source.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });

/** Harmonic tones with a syllable-like envelope: enough in 0.9-4.3 kHz to carry a mark. */
function tones(seconds: number, rate: number, seed: number): Float32Array {
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(2 * Math.PI * (180 + 20 * seed) * h * t + h * seed) / h;
    x[i] = 0.2 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
  }
  return x;
}

describe('audio memory and cores', () => {
  it('keeps WASM memory bounded over many embed + detect calls of varying size and rate', async () => {
    const core = await getCore();
    const clips = [
      { x: tones(3, 44100, 1), rate: 44100 },
      { x: tones(3.5, 48000, 2), rate: 48000 },
      { x: tones(2.6, 16000, 3), rate: 16000 },
    ];
    let after = 0;
    for (let i = 0; i < 60; i++) {
      const { x, rate } = clips[i % clips.length];
      const marked = await embedAudio([x], rate, label);
      const found = await detectAudio(marked.channels, rate);
      expect(found.found).toBe(true);
      if (i === 5) after = core.exports.memory.buffer.byteLength;
    }
    expect(core.exports.memory.buffer.byteLength).toBe(after);
  });

  it('the scalar core (no SIMD) embeds and detects the same payload', async () => {
    preferCoreFlavor('scalar');
    try {
      const x = tones(4, 44100, 4);
      const marked = await embedAudio([x, x], 44100, label);
      expect((await getCore()).flavor).toBe('scalar');
      const found = await detectAudio(marked.channels, 44100);
      expect(found.payload).toEqual(marked.payload);
    } finally {
      preferCoreFlavor(null);
    }
  });
});
