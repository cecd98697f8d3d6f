// scan over 500 mixed files: every file gets the right verdict and the right findings, and a
// corrupt file never stops the scan. Small images keep it quick; the six kinds are made once and
// copied under many names (each copy is still read, decoded and checked on its own).
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawExplicitLabel, readMetadataLabel, stripMetadataLabel, writeMetadataLabel } from '../../src/node.js';
import { bin, cli, jsonLines, png, tempDir, texture } from '../cli/helpers.js';

const PRODUCER = '001191440300708461136T1XGW3';
const SIDE = 256;
const TOTAL = 500;

interface Expected {
  label: string | null;
  basis: string;
  state: string;
  findings: string[];
  error?: string;
}

const KINDS: Record<string, Expected> = {
  marked: { label: '1', basis: 'metadata+watermark', state: 'intact', findings: [] },
  unmarked: { label: null, basis: 'none', state: 'absent', findings: [] },
  stripped: { label: '1', basis: 'watermark', state: 'stripped', findings: ['METADATA_STRIPPED'] },
  edited: { label: '1', basis: 'watermark', state: 'edited', findings: ['WATERMARK_PRODUCER_MISMATCH', 'METADATA_EDITED'] },
  'explicit-only': { label: '3', basis: 'explicit', state: 'absent', findings: [] },
  corrupt: { label: null, basis: 'none', state: 'absent', findings: [], error: 'CORRUPT_FILE' },
};

let dir: string;
let report: string;

beforeAll(async () => {
  const work = await tempDir();
  dir = join(work, 'uploads');
  const plain = join(work, 'plain.png');
  await writeFile(plain, await png(SIDE, SIDE));
  const marked = join(work, 'marked.png');
  const run = await cli(['mark', plain, '-o', marked, '--producer', PRODUCER, '--json']);
  expect(run.code).toBe(0);
  const markedBytes = new Uint8Array(await readFile(marked));
  const label = readMetadataLabel(markedBytes)!;
  const labelled = drawExplicitLabel(new Uint8Array(texture(SIDE, SIDE)), SIDE, SIDE);
  const bytes: Record<string, Uint8Array> = {
    marked: markedBytes,
    unmarked: new Uint8Array(await readFile(plain)),
    stripped: stripMetadataLabel(markedBytes),
    edited: writeMetadataLabel(markedBytes, { ...label, ContentProducer: 'SOMEONEELSE' }),
    'explicit-only': new Uint8Array(await sharp(Buffer.from(labelled.rgba), { raw: { width: SIDE, height: SIDE, channels: 4 } }).png().toBuffer()),
    corrupt: markedBytes.subarray(0, 600),
  };
  await mkdir(dir);
  const names = Object.keys(KINDS);
  const sources: Record<string, string> = {};
  for (const kind of names) {
    sources[kind] = join(work, `${kind}.src.png`);
    await writeFile(sources[kind], bytes[kind]);
  }
  for (let i = 0; i < TOTAL; i++) {
    const kind = names[i % names.length];
    await copyFile(sources[kind], join(dir, `${String(i).padStart(3, '0')}-${kind}.png`));
  }
  report = join(work, 'report.ndjson');
}, 120_000);

describe('scan over 500 mixed files', () => {
  it('gives every file the right verdict and findings, and reports them', async () => {
    const run = await bin(['scan', dir, '--jobs', '2', '--json', '--report', report]);
    expect(run.code).toBe(0);
    const docs = jsonLines(run.stdout);
    expect(docs).toHaveLength(TOTAL);
    const reportDocs = (await readFile(report, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(reportDocs).toHaveLength(TOTAL);
    const wrong: string[] = [];
    for (const doc of docs) {
      const kind = /\d+-(.+)\.png$/.exec(doc.file)![1];
      const want = KINDS[kind];
      if (want.error) {
        if (doc.error?.code !== want.error) wrong.push(`${doc.file}: ${JSON.stringify(doc.error)}`);
        continue;
      }
      const got = { label: doc.verdict.label, basis: doc.verdict.basis, state: doc.metadataState, findings: doc.findings.map((f: { code: string }) => f.code) };
      const expected = { label: want.label, basis: want.basis, state: want.state, findings: want.findings };
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${doc.file}: ${JSON.stringify(got)}`);
    }
    expect(wrong).toEqual([]);
    const per = Math.floor(TOTAL / 6);
    expect(run.stderr).toMatch(new RegExp(`Label 3 \\(suspected\\)\\s+${per}`));
    expect(run.stderr).toMatch(/CORRUPT_FILE\s+8\d/);
    expect(run.stderr).toMatch(/files per second/);
  }, 600_000);
});
