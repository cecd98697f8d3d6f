/**
 * WAV: the label is a RIFF sub-chunk with id "AIGC" holding the label JSON
 * (no terminator; padded to even length, the pad not counted in its size). Writing
 * replaces the first AIGC chunk in place and drops any others, or appends the
 * chunk after the last one (after "data", where LIST chunks usually sit, so
 * readers that assume a 44-byte header keep working).
 */
import { latin1Encode, utf8DecodeLenient } from './bytes.js';
import { assembleRiff, makeRiffChunk, parseRiff, type Riff, type RiffChunk, type RiffItem } from './riff.js';

const FORMAT = 'WAV';
const LABEL_ID = 'AIGC';

const parse = (bytes: Uint8Array): Riff => parseRiff(bytes, 'WAVE', FORMAT);
const isLabel = (chunk: RiffChunk): boolean => chunk.id === LABEL_ID;

export function readWavLabelText(bytes: Uint8Array): string | null {
  const chunk = parse(bytes).chunks.find(isLabel);
  return chunk ? utf8DecodeLenient(bytes.subarray(chunk.dataStart, chunk.dataStart + chunk.size)) : null;
}

/**
 * The chunks with the label placed: `replacement` where the first label chunk was, other
 * label chunks dropped, appended after the last chunk when there was none; with null,
 * every label chunk dropped. Every other chunk stays, in order.
 */
function placeLabel<T>(chunks: readonly T[], isLabelChunk: (chunk: T) => boolean, replacement: T | null): T[] {
  const items: T[] = [];
  let placed = replacement === null;
  for (const chunk of chunks) {
    if (!isLabelChunk(chunk)) items.push(chunk);
    else if (!placed && replacement) {
      items.push(replacement);
      placed = true;
    }
  }
  if (!placed && replacement) items.push(replacement);
  return items;
}

/** With `json`, the file carrying that label (one copy); with null, the file without it. */
export function editWavLabel(bytes: Uint8Array, json: string | null): Uint8Array {
  const replacement = json === null ? null : makeRiffChunk(LABEL_ID, latin1Encode(json));
  const riff = parse(bytes);
  const items = placeLabel<RiffItem>(riff.chunks, (c) => !(c instanceof Uint8Array) && isLabel(c), replacement);
  return assembleRiff(bytes, riff, items);
}

/**
 * A WAV's chunk list (id and body, in file order) as editWavLabel would leave it: for a
 * writer that lays out a new WAV file and puts the label in as it goes, without a second
 * copy of the file to edit.
 */
export function withWavLabel<T extends { id: string; data: Uint8Array }>(chunks: readonly T[], json: string | null): { id: string; data: Uint8Array }[] {
  const replacement = json === null ? null : { id: LABEL_ID, data: latin1Encode(json) };
  return placeLabel<{ id: string; data: Uint8Array }>(chunks, (c) => c.id === LABEL_ID, replacement);
}
