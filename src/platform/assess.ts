// Article 6 of the Labeling Measures, from the platform's side: weigh the metadata label, the
// watermark, the explicit label and the uploader's declaration, give Label 1/2/3 with its basis,
// and report every disagreement between them as a finding in its own right.
import type { AigcLabel } from '../label/types.js';
import { payloadFromLabel, type WatermarkPayload } from '../payload/payload.js';
import { parseMintedId } from '../payload/produce-id.js';
import { article6Verdict, type Verdict } from './verdict.js';

export type FindingCode =
  | 'METADATA_WITHOUT_WATERMARK' // a watermark was expected with this metadata and is absent
  | 'WATERMARK_LABEL_MISMATCH' // the watermark's Label differs from the metadata's
  | 'WATERMARK_PRODUCER_MISMATCH' // the watermark's producer hash differs from the metadata's ContentProducer
  | 'WATERMARK_PRODUCE_ID_MISMATCH' // the watermark's ProduceID differs from the metadata's
  | 'METADATA_MALFORMED' // a metadata label is there but cannot be read as GB 45438 Annex E
  | 'METADATA_DUPLICATED' // more than one metadata label (Annex E wants exactly one)
  | 'METADATA_STRIPPED' // the watermark is there, the metadata label is gone
  | 'METADATA_EDITED'; // the metadata label is there but says something else than the watermark

export interface Finding {
  code: FindingCode;
  /** 'conflict': the layers disagree or a label is damaged; 'info': what happened, stated. */
  kind: 'conflict' | 'info';
  message: string;
}

/** What became of the producer's metadata label, as far as the file shows. */
export type MetadataState = 'intact' | 'edited' | 'stripped' | 'malformed' | 'unverified' | 'absent';

export interface Evidence {
  metadata: AigcLabel | null;
  /** Set when a label is present but unreadable. */
  metadataError: { code: string; message: string } | null;
  /** How many copies of the label the file carries (0 or 1 is well-formed). */
  metadataCopies: number;
  watermark: { found: boolean; payload: WatermarkPayload | null; checked: boolean };
  explicitFound: boolean;
  declared: boolean;
  /**
   * Whether a watermark must accompany this metadata. Default: when the ProduceID has the form
   * aigc-mark mints, because aigc-mark writes both layers together unless told not to.
   */
  expectWatermark?: boolean;
}

export interface Assessment {
  verdict: Verdict;
  findings: Finding[];
  metadataState: MetadataState;
}

export function assess(e: Evidence): Assessment {
  const findings: Finding[] = [];
  const conflict = (code: FindingCode, message: string) => findings.push({ code, kind: 'conflict', message });
  if (e.metadataError) conflict('METADATA_MALFORMED', `The metadata label cannot be read (${e.metadataError.code}): ${e.metadataError.message}`);
  if (e.metadataCopies > 1) conflict('METADATA_DUPLICATED', `The file carries ${e.metadataCopies} metadata labels; GB 45438 Annex E allows exactly one.`);

  const payload = e.watermark.found ? e.watermark.payload : null;
  let state: MetadataState;
  if (e.metadata && payload) {
    const expected = payloadFromLabel(e.metadata, payload.keyed);
    if (expected.label !== payload.label) {
      conflict('WATERMARK_LABEL_MISMATCH', `The metadata says Label ${e.metadata.Label}, the watermark Label ${payload.label}.`);
    }
    if (expected.producerHash !== payload.producerHash) {
      conflict('WATERMARK_PRODUCER_MISMATCH', `The metadata's ContentProducer ${e.metadata.ContentProducer} hashes to ${expected.producerHash}; the watermark carries ${payload.producerHash}.`);
    }
    if (JSON.stringify(expected.content) !== JSON.stringify(payload.content)) {
      const carried = payload.content.kind === 'minted' ? payload.content.produceId : `hash ${payload.content.produceIdHash}`;
      conflict('WATERMARK_PRODUCE_ID_MISMATCH', `The metadata's ProduceID ${e.metadata.ProduceID} is not the watermark's (${carried}).`);
    }
    state = findings.some((f) => f.code.startsWith('WATERMARK_')) ? 'edited' : 'intact';
    if (state === 'edited') {
      findings.push({ code: 'METADATA_EDITED', kind: 'info', message: 'The metadata label was changed after marking: the watermark still carries the original.' });
    }
  } else if (e.metadata) {
    const expect = e.expectWatermark ?? parseMintedId(e.metadata.ProduceID) !== null;
    if (expect && e.watermark.checked) {
      conflict('METADATA_WITHOUT_WATERMARK', `The ProduceID ${e.metadata.ProduceID} comes with a watermark, and none was found: the label may have been copied onto other content.`);
    }
    state = 'unverified';
  } else if (payload) {
    state = e.metadataError ? 'malformed' : 'stripped';
    if (state === 'stripped') {
      findings.push({ code: 'METADATA_STRIPPED', kind: 'info', message: 'The watermark is present but the metadata label is gone: it was stripped (re-encoding or removal).' });
    }
  } else {
    state = e.metadataError ? 'malformed' : 'absent';
  }

  const verdict = article6Verdict({ metadata: e.metadata, watermarkFound: payload !== null, declared: e.declared, explicitFound: e.explicitFound });
  // An edited label is not evidence: the watermark is, and the verdict says so.
  if (state === 'edited') verdict.basis = 'watermark';
  if (findings.some((f) => f.kind === 'conflict')) verdict.conflict = true;
  return { verdict, findings, metadataState: state };
}

/** Copies of the label in a file's bytes: each carries the Annex E key "ContentProducer" once (plain or XML-escaped). */
export function countLabelCopies(bytes: Uint8Array): number {
  const needle = [0x43, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x50, 0x72, 0x6f, 0x64, 0x75, 0x63, 0x65, 0x72]; // "ContentProducer"
  let count = 0;
  // The native indexOf finds each candidate "C": a JS loop over every byte of a large file costs tens of ms.
  outer: for (let i = bytes.indexOf(0x43); i !== -1 && i + needle.length <= bytes.length; i = bytes.indexOf(0x43, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    count++;
    i += needle.length - 1;
  }
  return count;
}
