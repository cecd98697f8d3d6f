// Article 6 inspection of one file (Node): metadata label first, then the watermark, then the verdict.
// The CLI's detect, scan (in its workers) and propagate, and the demo, all go through here.
import { AigcError } from './errors.js';
import type { AigcLabel } from './label/types.js';
import { detectFile, sniffMedia, type FileDetection, type MediaKind } from './media.js';
import { readMetadataLabel } from './metadata/index.js';
import { payloadMatchesLabel } from './payload/payload.js';
import { article6Verdict, type Verdict } from './platform/verdict.js';

export type WatermarkReport = Omit<FileDetection, 'kind' | 'format'>;

export interface Inspection {
  file: string;
  media: MediaKind;
  metadata: AigcLabel | null;
  watermark: WatermarkReport & { error?: { code: string; message: string } };
  /** Explicit-label detection (the "suspected" tier) is not built yet: always null for now. */
  explicit: null;
  verdict: Verdict;
  notes: string[];
}

export interface InspectOptions {
  key: Uint8Array | null;
  maxPixels?: number;
  /** The uploader declared the content AI-generated (propagate --declared). */
  declared?: boolean;
}

/** Throws only for a file that cannot be read as media at all (exit 3); partial failures become notes. */
export async function inspectBytes(file: string, bytes: Uint8Array, options: InspectOptions): Promise<Inspection> {
  const media = sniffMedia(bytes).kind;
  const notes: string[] = [];
  let metadata: AigcLabel | null = null;
  try {
    metadata = readMetadataLabel(bytes);
  } catch (e) {
    // A damaged label is not a verdict; report it and let the watermark decide.
    if (!(e instanceof AigcError) || e.code === 'CORRUPT_FILE') throw e;
    notes.push(`metadata label unreadable (${e.code}): ${e.message}`);
  }
  let watermark: Inspection['watermark'];
  try {
    const { kind: _kind, format: _format, ...report } = await detectFile(bytes, { key: options.key, maxPixels: options.maxPixels });
    watermark = report;
  } catch (e) {
    // Too small or too short to hold a mark: still a valid file whose metadata counts.
    if (!(e instanceof AigcError) || !['IMAGE_TOO_SMALL', 'AUDIO_TOO_SHORT', 'AUDIO_EMPTY'].includes(e.code)) throw e;
    watermark = { found: false, payload: null, score: 0, location: null, falsePositiveChance: 1, error: { code: e.code, message: e.message } };
  }
  notes.push('explicit-label detection is not built yet');
  const verdict = article6Verdict({
    metadata,
    watermarkFound: watermark.found,
    declared: options.declared ?? false,
    explicitFound: false,
  });
  if (metadata && watermark.payload && !payloadMatchesLabel(watermark.payload, metadata)) {
    verdict.conflict = true;
    notes.push('the metadata label does not match the watermark payload');
  }
  return { file, media, metadata, watermark, explicit: null, verdict, notes };
}
