/**
 * GB 45438 implicit metadata labels in image and audio containers: sniff the
 * container by its magic bytes, then read, write (replace: one copy) or strip the
 * label. Byte-level surgery: every byte outside the label is kept. Universal code
 * (Uint8Array in and out, no `node:` imports). See docs/formats.md.
 *
 * Errors are AigcError: UNSUPPORTED_FORMAT (not one of the five containers, or a
 * variant we refuse to rewrite), CORRUPT_FILE (damaged or truncated container),
 * BAD_XMP (an XMP packet that is not well-formed), BAD_LABEL (a label that is not
 * valid GB 45438 JSON, or a label to write that fails Annex E validation).
 */
import { AigcError } from '../errors.js';
import { labelToJson, parseLabelJson, type AigcLabel } from '../label/index.js';
import { latin1Decode, startsWith } from './bytes.js';
import { editJpegLabel, readJpegLabelText } from './jpeg.js';
import { editMp3Label, readMp3LabelText } from './mp3.js';
import { PNG_SIGNATURE, editPngLabel, readPngLabelText } from './png.js';
import { riffForm } from './riff.js';
import { editWavLabel, readWavLabelText } from './wav.js';
import { editWebpLabel, readWebpLabelText } from './webp.js';

export type ContainerFormat = 'jpeg' | 'png' | 'webp' | 'wav' | 'mp3';

interface Codec {
  /** The label JSON text, or null. */
  read(bytes: Uint8Array): string | null;
  /** With `json`, a copy carrying exactly that label; with null, a copy without our label. */
  edit(bytes: Uint8Array, json: string | null): Uint8Array;
}

const CODECS: Record<ContainerFormat, Codec> = {
  jpeg: { read: readJpegLabelText, edit: editJpegLabel },
  png: { read: readPngLabelText, edit: editPngLabel },
  webp: { read: readWebpLabelText, edit: editWebpLabel },
  wav: { read: readWavLabelText, edit: editWavLabel },
  mp3: { read: readMp3LabelText, edit: editMp3Label },
};

/** MPEG audio layer III frame header: sync, a defined version, a valid bitrate and sample rate. */
function isMp3Frame(b: Uint8Array, at: number): boolean {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1] >> 3) & 3;
  const layer = (b[at + 1] >> 1) & 3;
  const bitrate = b[at + 2] >> 4;
  const rate = (b[at + 2] >> 2) & 3;
  return version !== 1 && layer === 1 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

/** The container, by magic bytes; null when it is none of the five. An ID3v2 tag means MP3 unless FLAC follows it. */
export function sniffContainer(bytes: Uint8Array): ContainerFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  const form = riffForm(bytes);
  if (form === 'WEBP') return 'webp';
  if (form === 'WAVE') return 'wav';
  if (bytes.length >= 10 && latin1Decode(bytes.subarray(0, 3)) === 'ID3') {
    const tagEnd = 10 + ((bytes[6] & 0x7f) << 21) + ((bytes[7] & 0x7f) << 14) + ((bytes[8] & 0x7f) << 7) + (bytes[9] & 0x7f);
    return latin1Decode(bytes.subarray(tagEnd, tagEnd + 4)) === 'fLaC' ? null : 'mp3';
  }
  return isMp3Frame(bytes, 0) ? 'mp3' : null;
}

function codecFor(bytes: Uint8Array): Codec {
  const format = sniffContainer(bytes);
  if (format === null) {
    throw new AigcError('UNSUPPORTED_FORMAT', 'Not a JPEG, PNG, WebP, WAV or MP3 file (unrecognised magic bytes).');
  }
  return CODECS[format];
}

/** The label in the file's metadata, or null when it has none. */
export function readMetadataLabel(bytes: Uint8Array): AigcLabel | null {
  const text = codecFor(bytes).read(bytes);
  if (text === null) return null;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--; // C-style terminators some writers add
  return parseLabelJson(text.slice(0, end));
}

/** A copy of the file carrying `label` (validated first) as its only label; every other byte unchanged. */
export function writeMetadataLabel(bytes: Uint8Array, label: AigcLabel): Uint8Array {
  const codec = codecFor(bytes);
  return codec.edit(bytes, labelToJson(label));
}

/** A copy of the file without our label (other metadata kept). */
export function stripMetadataLabel(bytes: Uint8Array): Uint8Array {
  return codecFor(bytes).edit(bytes, null);
}

export { TC260_NS } from './xmp.js';
