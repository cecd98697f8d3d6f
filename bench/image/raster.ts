// RGBA rasters and the pixel helpers the image bench needs (sharp for codecs).
import sharp from 'sharp';
import type { Sharp } from 'sharp';

export interface Raster {
  data: Uint8ClampedArray; // RGBA, row-major
  width: number;
  height: number;
}

export function newRaster(width: number, height: number, fill = 0): Raster {
  const data = new Uint8ClampedArray(width * height * 4).fill(fill);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { data, width, height };
}

export function sharpOf(r: Raster): Sharp {
  return sharp(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), {
    raw: { width: r.width, height: r.height, channels: 4 },
    limitInputPixels: false,
  });
}

export async function fromSharp(s: Sharp): Promise<Raster> {
  const { data, info } = await s.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`expected 4 channels, got ${info.channels}`);
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

export function decode(bytes: Uint8Array): Promise<Raster> {
  if (bytes[0] === 0x50 && bytes[1] === 0x36) return Promise.resolve(fromPpm(bytes)); // sharp reads no PPM buffers
  return fromSharp(sharp(bytes, { limitInputPixels: false }));
}

/** Parses binary 8-bit PPM (P6), as djpeg writes it. */
export function fromPpm(bytes: Uint8Array): Raster {
  let pos = 2;
  const fields: number[] = [];
  while (fields.length < 3) {
    while (bytes[pos] === 0x20 || bytes[pos] === 0x0a || bytes[pos] === 0x0d || bytes[pos] === 0x09) pos++;
    if (bytes[pos] === 0x23) {
      while (bytes[pos] !== 0x0a) pos++;
      continue;
    }
    let n = 0;
    while (bytes[pos]! >= 0x30 && bytes[pos]! <= 0x39) n = n * 10 + bytes[pos++]! - 0x30;
    fields.push(n);
  }
  pos++; // the single whitespace after maxval
  const [width, height, maxval] = fields as [number, number, number];
  if (maxval !== 255) throw new Error(`PPM maxval ${maxval} not supported`);
  const r = newRaster(width, height);
  for (let p = 0, i = 0; p < width * height; p++, i += 4, pos += 3) {
    r.data[i] = bytes[pos]!;
    r.data[i + 1] = bytes[pos + 1]!;
    r.data[i + 2] = bytes[pos + 2]!;
  }
  return r;
}

export async function readImage(path: string): Promise<Raster> {
  return fromSharp(sharp(path, { limitInputPixels: false }));
}

export function toPng(r: Raster, compressionLevel = 1): Promise<Buffer> {
  return sharpOf(r).png({ compressionLevel }).toBuffer();
}

/** Binary PPM (RGB, alpha dropped) for piping into ImageMagick / libjpeg tools. */
export function toPpm(r: Raster): Uint8Array {
  const head = new TextEncoder().encode(`P6\n${r.width} ${r.height}\n255\n`);
  const out = new Uint8Array(head.length + r.width * r.height * 3);
  out.set(head);
  const d = r.data;
  for (let i = 0, o = head.length; i < d.length; i += 4, o += 3) {
    out[o] = d[i]!;
    out[o + 1] = d[i + 1]!;
    out[o + 2] = d[i + 2]!;
  }
  return out;
}

export function cloneRaster(r: Raster): Raster {
  return { data: new Uint8ClampedArray(r.data), width: r.width, height: r.height };
}

export function crop(r: Raster, left: number, top: number, width: number, height: number): Raster {
  left = Math.max(0, Math.round(left));
  top = Math.max(0, Math.round(top));
  width = Math.min(Math.round(width), r.width - left);
  height = Math.min(Math.round(height), r.height - top);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const src = ((top + y) * r.width + left) * 4;
    out.set(r.data.subarray(src, src + width * 4), y * width * 4);
  }
  return { data: out, width, height };
}

/** Per-pixel map over RGB (alpha untouched). */
export function mapRgb(r: Raster, f: (v: number, c: number, i: number) => number): Raster {
  const out = new Uint8ClampedArray(r.data.length);
  const d = r.data;
  for (let i = 0; i < d.length; i += 4) {
    out[i] = f(d[i]!, 0, i);
    out[i + 1] = f(d[i + 1]!, 1, i);
    out[i + 2] = f(d[i + 2]!, 2, i);
    out[i + 3] = d[i + 3]!;
  }
  return { data: out, width: r.width, height: r.height };
}

/** BT.601 luma as float plane (what JPEG and the engine's "Y" use). */
export function luma(r: Raster): Float32Array {
  const n = r.width * r.height;
  const y = new Float32Array(n);
  const d = r.data;
  for (let i = 0, p = 0; p < n; i += 4, p++) y[p] = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
  return y;
}

export function isGray(r: Raster): boolean {
  const d = r.data;
  for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

export function sameAlpha(a: Raster, b: Raster): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  for (let i = 3; i < a.data.length; i += 4) if (a.data[i] !== b.data[i]) return false;
  return true;
}
