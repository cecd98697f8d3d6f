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

/** With `json`, the file carrying that label (one copy); with null, the file without it. */
export function editWavLabel(bytes: Uint8Array, json: string | null): Uint8Array {
  const replacement = json === null ? null : makeRiffChunk(LABEL_ID, latin1Encode(json));
  const riff = parse(bytes);
  const items: RiffItem[] = [];
  let placed = replacement === null;
  for (const chunk of riff.chunks) {
    if (!isLabel(chunk)) items.push(chunk);
    else if (!placed && replacement) {
      items.push(replacement);
      placed = true;
    }
  }
  if (!placed && replacement) items.push(replacement);
  return assembleRiff(bytes, riff, items);
}
