// Runs in Chromium, against the built bundle (dist/browser/aigc-mark.js, served at /).
// Plain JS on purpose: the page loads it as is, with no transpiler in between.
import * as lib from '/aigc-mark.js';

/** xorshift32: the same texture on every run. */
function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** A photo-like test image: smooth gradients, a few soft blobs and per-pixel noise, fully opaque. */
function texture(width, height, seed) {
  const rand = prng(seed);
  const rgba = new Uint8ClampedArray(width * height * 4);
  const blobs = Array.from({ length: 6 }, () => ({ x: rand() * width, y: rand() * height, r: (0.1 + rand() * 0.25) * width, c: [rand(), rand(), rand()] }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      let r = 60 + 120 * (x / width);
      let g = 50 + 140 * (y / height);
      let b = 90 + 60 * Math.sin((x + y) / 37);
      for (const blob of blobs) {
        const w = Math.exp(-((x - blob.x) ** 2 + (y - blob.y) ** 2) / (blob.r * blob.r));
        r += 70 * w * (blob.c[0] - 0.5);
        g += 70 * w * (blob.c[1] - 0.5);
        b += 70 * w * (blob.c[2] - 0.5);
      }
      const n = (rand() - 0.5) * 36;
      rgba[i] = r + n;
      rgba[i + 1] = g + n;
      rgba[i + 2] = b + n;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById('work'));

/** A real codec pass in the browser: canvas → toBlob(type, quality) → createImageBitmap → getImageData. */
async function reencode(rgba, width, height, type, quality) {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { colorSpace: 'srgb', willReadFrequently: true });
  ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  const blob = await new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(`toBlob(${type}) failed`))), type, quality),
  );
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const decoded = ctx.getImageData(0, 0, width, height).data;
  let diff = 0;
  for (let i = 0; i < decoded.length; i += 4) {
    diff += Math.abs(decoded[i] - rgba[i]) + Math.abs(decoded[i + 1] - rgba[i + 1]) + Math.abs(decoded[i + 2] - rgba[i + 2]);
  }
  return { rgba: decoded, blobType: blob.type, bytes: bytes.length, magic: Array.from(bytes.subarray(0, 3)), meanAbsDiff: diff / (width * height * 3) };
}

function summary(detection) {
  return {
    found: detection.found,
    payload: detection.payload,
    score: detection.score,
    bitErrors: detection.bitErrors,
    orientation: detection.orientation,
  };
}

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

/** Bytes as base64, in chunks (String.fromCharCode takes a bounded argument list). */
function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

window.harness = {
  /** The visible label drawn in the page from the bundled glyphs: the input and output pixels, for Node to redraw and compare. */
  explicitLabel(width, height, options) {
    const input = texture(width, height, 5);
    const r = lib.drawExplicitLabel(input, width, height, options);
    const found = lib.detectExplicitLabel(r.rgba, width, height);
    return { input: base64(new Uint8Array(input.buffer)), output: base64(new Uint8Array(r.rgba.buffer)), box: r.box, found: found.found, text: found.text };
  },

  async core() {
    const core = await lib.getCore();
    return { flavor: core.flavor, simdSupported: lib.simdSupported(), userAgent: navigator.userAgent };
  },

  /** Both flavours load from the bundle's directory, and each reads its own mark. */
  async bothFlavours() {
    const width = 256;
    const height = 256;
    const label = lib.createLabel({ producer: '001191440300708461136T1XGW3', produceId: lib.mintProduceId(new Date(Date.UTC(2026, 0, 2))) });
    const image = texture(width, height, 7);
    const out = {};
    for (const flavor of ['simd', 'scalar']) {
      lib.preferCoreFlavor(flavor);
      const core = await lib.getCore();
      const { rgba } = await lib.embedImage(image, width, height, label);
      const found = await lib.detectImage(rgba, width, height);
      out[flavor] = { loaded: core.flavor, found: found.found, produceId: found.payload?.content.produceId ?? null };
    }
    lib.preferCoreFlavor(null);
    out.label = label;
    return out;
  },

  async image(width, height, labelFields) {
    const label = lib.createLabel(labelFields);
    const original = texture(width, height, width * 31 + height);
    const [marked, embedMs] = await timed(() => lib.embedImage(original, width, height, label));
    const [clean, detectMs] = await timed(() => lib.detectImage(marked.rgba, width, height));
    const jpeg = await reencode(marked.rgba, width, height, 'image/jpeg', 0.75);
    const [afterJpeg, detectJpegMs] = await timed(() => lib.detectImage(jpeg.rgba, width, height));
    const [unmarked, detectUnmarkedMs] = await timed(() => lib.detectImage(original, width, height));
    let changed = 0;
    for (let i = 0; i < original.length; i++) if (original[i] !== marked.rgba[i]) changed++;
    return {
      label,
      embedded: marked.payload,
      psnr: marked.psnr,
      changedBytes: changed,
      clean: summary(clean),
      jpeg: { blobType: jpeg.blobType, bytes: jpeg.bytes, magic: jpeg.magic, meanAbsDiff: jpeg.meanAbsDiff, detection: summary(afterJpeg) },
      unmarked: summary(unmarked),
      ms: { embed: embedMs, detect: detectMs, detectJpeg: detectJpegMs, detectUnmarked: detectUnmarkedMs },
    };
  },

  /** 10 s of noise-modulated tones, stereo at 44.1 kHz; marked, then resampled to 48 kHz by an OfflineAudioContext. */
  async audio(labelFields) {
    const label = lib.createLabel(labelFields);
    const rate = 44100;
    const n = rate * 10;
    const rand = prng(12345);
    const left = new Float32Array(n);
    const right = new Float32Array(n);
    let envelope = 0.5;
    const notes = [220, 277.18, 329.63, 440, 554.37, 659.25];
    for (let i = 0; i < n; i++) {
      const t = i / rate;
      envelope += 0.002 * (rand() - 0.5);
      envelope = Math.min(0.9, Math.max(0.2, envelope));
      const note = notes[Math.floor(t * 2) % notes.length];
      const tone = Math.sin(2 * Math.PI * note * t) + 0.5 * Math.sin(2 * Math.PI * note * 1.5 * t) + 0.25 * Math.sin(2 * Math.PI * note * 2 * t);
      const noise = rand() - 0.5;
      left[i] = 0.2 * envelope * tone + 0.05 * noise;
      right[i] = 0.18 * envelope * tone + 0.05 * (rand() - 0.5);
    }
    const [marked, embedMs] = await timed(() => lib.embedAudio([left, right], rate, label));
    const [clean, detectMs] = await timed(() => lib.detectAudio(marked.channels, rate));
    // A real browser pass: Web Audio resamples to 48 kHz and applies a gain of 0.8.
    const outRate = 48000;
    const context = new OfflineAudioContext(2, Math.floor((n * outRate) / rate), outRate);
    const buffer = context.createBuffer(2, n, rate);
    buffer.copyToChannel(marked.channels[0], 0);
    buffer.copyToChannel(marked.channels[1], 1);
    const source = context.createBufferSource();
    source.buffer = buffer;
    const gain = context.createGain();
    gain.gain.value = 0.8;
    source.connect(gain).connect(context.destination);
    source.start();
    const rendered = await context.startRendering();
    const resampled = [rendered.getChannelData(0), rendered.getChannelData(1)];
    const [afterResample, detectResampledMs] = await timed(() => lib.detectAudio(resampled, outRate));
    const [unmarked, detectUnmarkedMs] = await timed(() => lib.detectAudio([left, right], rate));
    const strip = (d) => ({ found: d.found, payload: d.payload, score: d.score, offsetSeconds: d.offsetSeconds });
    return {
      label,
      embedded: marked.payload,
      snr: marked.snr,
      clean: strip(clean),
      resampled: { rate: rendered.sampleRate, length: rendered.length, detection: strip(afterResample) },
      unmarked: strip(unmarked),
      ms: { embed: embedMs, detect: detectMs, detectResampled: detectResampledMs, detectUnmarked: detectUnmarkedMs },
    };
  },

  /** The GB 45438 label in PNG XMP, written and read back in the browser. */
  async metadata(labelFields) {
    const label = lib.createLabel(labelFields);
    canvas.width = 32;
    canvas.height = 32;
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    const png = new Uint8Array(await blob.arrayBuffer());
    const written = lib.writeMetadataLabel(png, label);
    return { label, read: lib.readMetadataLabel(written), before: lib.readMetadataLabel(png) };
  },
};
document.body.dataset.ready = 'true';
