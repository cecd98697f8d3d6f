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
import { editJpegLabel, readJpegLabelText } from './jpeg.js';
import { editMp3Label, readMp3LabelText } from './mp3.js';
import { editPngLabel, readPngLabelText } from './png.js';
import { describeUnsupported, sniffContainer, type ContainerFormat } from './sniff.js';
import { editWavLabel, readWavLabelText } from './wav.js';
import { editWebpLabel, readWebpLabelText } from './webp.js';


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

function codecFor(bytes: Uint8Array): Codec {
  const format = sniffContainer(bytes);
  if (format === null) {
    throw new AigcError('UNSUPPORTED_FORMAT', `This is ${describeUnsupported(bytes)}, not a JPEG, PNG, WebP, WAV or MP3 file.`);
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
export { describeUnsupported, sniffContainer, type AudioFormat, type ContainerFormat, type ImageFormat } from './sniff.js';
