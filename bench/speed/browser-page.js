// The page side of bench/speed/browser.ts: runs in Chromium against the built bundle
// (dist/browser/aigc-mark.js, served at /) and times one call at a time with performance.now().
// Plain JS on purpose: the page loads it as is, with no transpiler in between.
import * as lib from '/aigc-mark.js';

const bytes = async (path) => new Uint8Array(await (await fetch(path)).arrayBuffer());

/** SHA-256 of the bytes of typed arrays, hex: to show the page computes what Node computes. */
async function digest(arrays) {
  const all = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    all.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', all))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

let calls = null;

window.bench = {
  /** Fetches the inputs the Node side wrote, marks them once, and says what it made. */
  async load({ width, height, sampleRate, channelCount, producer, produceId }) {
    const rgba = await bytes('/input/image.rgba');
    const pcm = new Float32Array((await bytes('/input/audio.f32')).buffer);
    const length = pcm.length / channelCount;
    const channels = Array.from({ length: channelCount }, (_, c) => pcm.slice(c * length, (c + 1) * length));
    const label = lib.createLabel({ producer, produceId });
    const core = await lib.getCore();
    const markedImage = await lib.embedImage(rgba, width, height, label);
    const markedAudio = await lib.embedAudio(channels, sampleRate, label);
    calls = {
      embedImage: () => lib.embedImage(rgba, width, height, label),
      detectImageUnmarked: () => lib.detectImage(rgba, width, height),
      detectImageMarked: () => lib.detectImage(markedImage.rgba, width, height),
      embedAudio: () => lib.embedAudio(channels, sampleRate, label),
      detectAudioUnmarked: () => lib.detectAudio(channels, sampleRate),
      detectAudioMarked: () => lib.detectAudio(markedAudio.channels, sampleRate),
    };
    return { flavor: core.flavor, image: await digest([markedImage.rgba]), audio: await digest(markedAudio.channels), userAgent: navigator.userAgent };
  },

  /** One timed call: milliseconds, and whether a detection found the mark. */
  async time(name) {
    const t0 = performance.now();
    const result = await calls[name]();
    const ms = performance.now() - t0;
    return { ms, found: 'found' in result ? result.found : null };
  },
};
document.body.dataset.ready = 'true';
