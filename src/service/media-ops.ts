// The service's one doorway into the file-level code paths: the same inspection `detect` runs,
// the same embedding `mark` runs, the same label `propagate` writes. Everything else in
// src/service is transport (HTTP, queue), so re-pointing these imports is all a move needs.
import { inspectBytes, type Inspection } from '../inspect.js';
import { markFile, sniffMedia, type MediaKind } from '../media.js';
import { planPropagation } from '../platform/propagate.js';
import {
  createLabel,
  mintProduceId,
  validateFieldValue,
  writeMetadataLabel,
  type AigcLabel,
  type LabelAttribute,
  type WatermarkPayload,
} from '../node.js';

export type { Inspection, MediaKind };

export interface EngineOptions {
  /** The provider's secret key, loaded once at start; null means the public key. */
  key: Uint8Array | null;
  maxPixels?: number;
}

export function detectBytes(file: string, bytes: Uint8Array, options: EngineOptions): Promise<Inspection> {
  return inspectBytes(file, bytes, options);
}

export interface MarkRequest {
  producer: string;
  produceId?: string;
  label: LabelAttribute;
  strength?: number;
}

export interface MarkedFile {
  bytes: Uint8Array;
  media: MediaKind;
  label: AigcLabel;
  payload: WatermarkPayload;
  quality: { psnr: number } | { snr: number };
}

/** `mark` with both layers: the watermark, then the metadata label over it. */
export async function markBytes(bytes: Uint8Array, request: MarkRequest, options: EngineOptions): Promise<MarkedFile> {
  const label = createLabel({ producer: request.producer, produceId: request.produceId, label: request.label });
  const marked = await markFile(bytes, label, { key: options.key, strength: request.strength, maxPixels: options.maxPixels });
  return { bytes: writeMetadataLabel(marked.bytes, label), media: marked.kind, label, payload: marked.payload, quality: marked.quality };
}

export interface PropagateRequest {
  propagator: string;
  propagateId?: string;
  declared?: boolean;
}

export interface PropagatedFile {
  inspection: Inspection;
  /** The label written, or null when nothing was found and nothing declared (no file then). */
  label: AigcLabel | null;
  bytes: Uint8Array | null;
}

/** `propagate`: inspect, then write ContentPropagator and PropagateID without re-encoding. */
export async function propagateBytes(file: string, bytes: Uint8Array, request: PropagateRequest, options: EngineOptions): Promise<PropagatedFile> {
  const propagateId = request.propagateId ?? mintProduceId();
  validateFieldValue('ContentPropagator', request.propagator);
  validateFieldValue('PropagateID', propagateId);
  const inspection = await inspectBytes(file, bytes, { ...options, declared: request.declared });
  const { label } = planPropagation(
    { verdict: inspection.verdict, metadata: inspection.metadata, metadataState: inspection.metadataState, watermark: inspection.watermark.found ? inspection.watermark.payload : null },
    request.propagator,
    propagateId,
  );
  return { inspection, label, bytes: label === null ? null : writeMetadataLabel(bytes, label) };
}

/** The media type of bytes this library reads and writes (the bytes decide, never a name). */
export function mediaTypeOf(bytes: Uint8Array): string {
  const { kind, format } = sniffMedia(bytes);
  return kind === 'image' ? `image/${format}` : format === 'wav' ? 'audio/wav' : 'audio/mpeg';
}
