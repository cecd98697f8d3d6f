// Article 6 inspection of one file: metadata label first, then the watermark, then the verdict.
// detect, scan (in its workers) and propagate all go through here.
import { AigcError } from '../errors.js';
import type { AigcLabel } from '../label/types.js';
import { payloadMatchesLabel, readMetadataLabel } from '../node.js';
import { detectMedia, sniffMedia, type MediaKind, type WatermarkReport } from './media.js';
import { errorCode } from './output.js';
import { article6Verdict, type Verdict } from '../platform/verdict.js';

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
  const media = await sniffMedia(bytes);
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
    watermark = await detectMedia(media, bytes, { key: options.key, maxPixels: options.maxPixels });
  } catch (e) {
    // Too small or too short to hold a mark: still a valid file whose metadata counts.
    if (!(e instanceof AigcError) || !['IMAGE_TOO_SMALL', 'AUDIO_TOO_SHORT', 'AUDIO_EMPTY'].includes(e.code)) throw e;
    watermark = { found: false, payload: null, score: 0, location: null, falsePositiveChance: 1, error: { code: errorCode(e), message: e.message } };
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
