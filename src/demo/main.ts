// `npm start`: the main job on generated sample content (no third-party media).
// An image is marked (metadata label + watermark), its metadata stripped, re-encoded as
// JPEG q75 4:2:0 the way an upload pipeline would, then inspected as a platform would.
// Then the audio story: mark a clip, MP3 at 64 kbit/s, cut 10 s, detect.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { inspectBytes } from '../inspect.js';
import { markFile } from '../media.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { createLabel, labelToJson, producerHash, readMetadataLabel, writeMetadataLabel } from '../node.js';
import { runAudioStory } from './audio.js';

const log = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** An illustration-like scene: sky gradient, sun, hills, flat panels, and a little grain. */
async function sampleImage(width: number, height: number): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b6fb6"/><stop offset="1" stop-color="#f3c58b"/></linearGradient>
    <radialGradient id="sun"><stop offset="0" stop-color="#fff7d1"/><stop offset="1" stop-color="#ffb347"/></radialGradient>
    <linearGradient id="hill" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#3f7d4e"/><stop offset="1" stop-color="#1f4a30"/></linearGradient>
  </defs>
  <rect width="100%" height="100%" fill="url(#sky)"/>
  <circle cx="${width * 0.72}" cy="${height * 0.3}" r="${height * 0.12}" fill="url(#sun)"/>
  <path d="M0 ${height * 0.7} Q ${width * 0.25} ${height * 0.45} ${width * 0.5} ${height * 0.68} T ${width} ${height * 0.6} V ${height} H 0 Z" fill="url(#hill)"/>
  <path d="M0 ${height * 0.85} C ${width * 0.3} ${height * 0.75} ${width * 0.6} ${height * 0.95} ${width} ${height * 0.8} V ${height} H 0 Z" fill="#2c5e3a"/>
  <rect x="${width * 0.08}" y="${height * 0.1}" width="${width * 0.22}" height="${height * 0.16}" rx="12" fill="#ffffff" fill-opacity="0.85"/>
  <rect x="${width * 0.1}" y="${height * 0.14}" width="${width * 0.16}" height="${height * 0.025}" fill="#c9d3e0"/>
  <rect x="${width * 0.1}" y="${height * 0.19}" width="${width * 0.11}" height="${height * 0.025}" fill="#c9d3e0"/>
</svg>`;
  // Film-like grain from a seeded generator, so every run draws the same picture.
  const grain = Buffer.alloc(width * height);
  let s = 0x9e3779b9;
  for (let i = 0; i < grain.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    grain[i] = 128 + (((s >>> 0) % 17) - 8);
  }
  const png = await sharp(Buffer.from(svg))
    .composite([{ input: grain, raw: { width, height, channels: 1 }, blend: 'soft-light' }])
    .png()
    .toBuffer();
  return new Uint8Array(png);
}

async function main(): Promise<number> {
  const outDir = join(tmpdir(), 'aigc-mark-demo');
  await mkdir(outDir, { recursive: true });
  log('aigc-mark demo: GB 45438-2025 labels on a generated image');
  log();

  const original = await sampleImage(960, 640);
  const label = createLabel({ producer: '001191440300708461136T1XGW3' });
  log(`1. Mark: metadata label + invisible watermark`);
  log(`   label     ${labelToJson(label)}`);
  const marked = await markFile(original, label);
  const markedFile = writeMetadataLabel(marked.bytes, label);
  log(`   watermark PSNR ${'psnr' in marked.quality ? marked.quality.psnr.toFixed(1) : '?'} dB`);

  log(`2. Upload pipeline: strip all metadata and re-encode as JPEG q75 with 4:2:0 chroma`);
  const uploaded = new Uint8Array(await sharp(markedFile).jpeg({ quality: 75, chromaSubsampling: '4:2:0' }).toBuffer());
  log(`   metadata label left in the file: ${readMetadataLabel(uploaded) === null ? 'none' : 'still there?!'}`);

  log(`3. Platform inspection (Article 6): metadata, then the watermark`);
  const result = await inspectBytes('uploaded.jpg', uploaded, { key: null });
  const p = result.watermark.payload;
  if (!result.watermark.found || !p) {
    log(`   watermark NOT found (score ${result.watermark.score})`);
  } else {
    const id = p.content.kind === 'minted' ? p.content.produceId : `hash ${p.content.produceIdHash}`;
    log(`   watermark found (score ${result.watermark.score.toFixed(3)})`);
    log(`   recovered Label ${p.label}, ProduceID ${id}, producer hash ${p.producerHash}`);
    log(`   matches the original: ProduceID ${id === label.ProduceID ? 'yes' : 'NO'}, producer ${p.producerHash === producerHash(label.ContentProducer) ? 'yes' : 'NO'}`);
  }
  log(`   verdict   Label ${result.verdict.label ?? '(none)'} (basis: ${result.verdict.basis})`);

  await Promise.all([
    writeFileAtomic(join(outDir, 'original.png'), original, { overwrite: true }),
    writeFileAtomic(join(outDir, 'marked.png'), markedFile, { overwrite: true }),
    writeFileAtomic(join(outDir, 'uploaded.jpg'), uploaded, { overwrite: true }),
  ]);
  log();
  log(`Files are in ${outDir}; try: npx aigc-mark detect ${join(outDir, 'uploaded.jpg')}`);
  log();
  await runAudioStory(log);
  return result.verdict.label === '1' && result.verdict.basis === 'watermark' ? 0 : 1;
}

process.exitCode = await main();
