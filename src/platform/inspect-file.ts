// Node: the Article 6 inspection of one file's bytes. Metadata label first (and its copies),
// then the watermark, then the explicit label, then the weighing in assess.ts.
// detect, scan (in its workers) and propagate all go through here.
import { AigcError } from '../errors.js';
import type { AigcLabel } from '../label/types.js';
import { readMetadataLabel } from '../metadata/index.js';
import { detectExplicitLabelWith, type ExplicitImageDetection } from '../explicit/detect-image.js';
import { explicitEngine } from '../explicit/image-kernels.js';
import type { RhythmDetection } from '../explicit/detect-audio.js';
import { decodeMedia, detectDecoded, sniffMedia, type DecodedMedia, type FileDetection, type MediaKind } from '../media.js';
import { getCore } from '../wasm/core.js';
import { assess, countLabelCopies, type Finding, type MetadataState } from './assess.js';
import { verdictTier, type Verdict, type VerdictTier } from './verdict.js';

/** The watermark part of an inspection: what detectFile found, without the container facts. */
export type WatermarkReport = Omit<FileDetection, 'kind' | 'format'>;

export type ExplicitReport =
  | ({ kind: 'image' } & ExplicitImageDetection)
  | ({ kind: 'audio' } & RhythmDetection)
  | { kind: 'error'; found: false; error: { code: string; message: string } };

export interface Inspection {
  file: string;
  media: MediaKind;
  metadata: AigcLabel | null;
  metadataState: MetadataState;
  watermark: WatermarkReport & { error?: { code: string; message: string } };
  explicit: ExplicitReport;
  verdict: Verdict & { tier: VerdictTier };
  findings: Finding[];
  notes: string[];
}

export interface InspectOptions {
  key: Uint8Array | null;
  maxPixels?: number;
  /** The uploader declared the content AI-generated. */
  declared?: boolean;
  /** Platform policy: metadata must come with a watermark (default: when aigc-mark minted the ProduceID). */
  expectWatermark?: boolean;
}

const codeOf = (e: unknown) => (e instanceof AigcError ? e.code : 'INTERNAL');
const SMALL_INPUT = ['IMAGE_TOO_SMALL', 'AUDIO_TOO_SHORT', 'AUDIO_EMPTY'];

async function detectExplicit(media: DecodedMedia): Promise<ExplicitReport> {
  try {
    if (media.kind === 'image') {
      // On the WASM core's kernels (loaded already for the watermark): the same result as the
      // TypeScript reference, without the warm-up a one-shot process would pay for it.
      const engine = explicitEngine(await getCore());
      return { kind: 'image', ...detectExplicitLabelWith(engine, media.image.rgba, media.image.width, media.image.height) };
    }
    // The rhythm detector loads only for audio: an image inspection never pays for it.
    const { detectRhythm } = await import('../explicit/detect-audio.js');
    return { kind: 'audio', ...detectRhythm(media.audio.channels, media.audio.sampleRate) };
  } catch (e) {
    if (!(e instanceof AigcError) || !SMALL_INPUT.includes(e.code)) throw e;
    return { kind: 'error', found: false, error: { code: e.code, message: e.message } };
  }
}

/** Throws only for a file that cannot be read as media at all; partial failures become findings or notes. */
export async function inspectBytes(file: string, bytes: Uint8Array, options: InspectOptions): Promise<Inspection> {
  const media = sniffMedia(bytes).kind;
  const notes: string[] = [];
  let metadata: AigcLabel | null = null;
  let metadataError: { code: string; message: string } | null = null;
  try {
    metadata = readMetadataLabel(bytes);
  } catch (e) {
    // A damaged label is a finding, not the end: the watermark may still decide.
    if (!(e instanceof AigcError) || e.code === 'CORRUPT_FILE') throw e;
    metadataError = { code: e.code, message: e.message };
  }
  // Decoded once: the watermark and the explicit label read the same pixels or samples.
  const decoded = await decodeMedia(bytes, { maxPixels: options.maxPixels });
  let watermark: Inspection['watermark'];
  try {
    const { kind: _kind, format: _format, ...report } = await detectDecoded(decoded, { key: options.key, maxPixels: options.maxPixels });
    watermark = report;
  } catch (e) {
    // Too small or too short to hold a mark: still a valid file whose metadata counts.
    if (!(e instanceof AigcError) || !SMALL_INPUT.includes(e.code)) throw e;
    watermark = { found: false, payload: null, score: 0, location: null, falsePositiveChance: 1, error: { code: codeOf(e), message: e.message } };
    notes.push(`watermark not checked: ${e.message}`);
  }
  const explicit = await detectExplicit(decoded);
  const { verdict, findings, metadataState } = assess({
    metadata,
    metadataError,
    metadataCopies: countLabelCopies(bytes),
    watermark: { found: watermark.found, payload: watermark.payload, checked: !watermark.error },
    explicitFound: explicit.found,
    declared: options.declared ?? false,
    expectWatermark: options.expectWatermark,
  });
  return { file, media, metadata, metadataState, watermark, explicit, verdict: { ...verdict, tier: verdictTier(verdict.label) }, findings, notes };
}
