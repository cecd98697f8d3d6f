import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, cli, hugePngHeader, jpeg, jsonLines, png, tempDir, toneWav8s } from './helpers.js';

const PRODUCER = '001191440300708461136T1XGW3';
let dir: string;
let input: string;
let marked: string;
let markDoc: any;

beforeAll(async () => {
  dir = await tempDir();
  input = join(dir, 'in.png');
  marked = join(dir, 'marked.png');
  await writeFile(input, await png(512, 384));
  const run = await cli(['mark', input, '-o', marked, '--producer', PRODUCER, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  [markDoc] = jsonLines(run.stdout);
}, 30_000);

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** No output and no leftover temp file for it (other tests write into the same directory meanwhile). */
async function expectNoOutput(path: string): Promise<void> {
  expect(await exists(path)).toBe(false);
  expect((await readdir(dir)).filter((f) => f.startsWith(`.${basename(path)}.`))).toEqual([]);
}

describe('mark → detect', { timeout: 30_000 }, () => {
  it('writes the label into metadata and a watermark that detect finds', async () => {
    expect(markDoc.file).toBe(marked);
    expect(markDoc.label.ContentProducer).toBe(PRODUCER);
    expect(markDoc.label.ProduceID).toMatch(/^AM/);
    expect(markDoc.payload.content).toEqual({ kind: 'minted', produceId: markDoc.label.ProduceID });
    expect(markDoc.psnr).toBeGreaterThan(40);

    const run = await cli(['detect', marked, '--json']);
    expect(run.code).toBe(0);
    const docs = jsonLines(run.stdout);
    expect(docs).toHaveLength(1);
    const [doc] = docs;
    expect(doc.metadata).toEqual(markDoc.label);
    expect(doc.watermark.found).toBe(true);
    expect(doc.watermark.payload).toEqual(markDoc.payload);
    expect(doc.explicit).toMatchObject({ kind: 'image', found: false });
    expect(doc.findings).toEqual([]);
    expect(doc.metadataState).toBe('intact');
    expect(doc.verdict).toEqual({ label: '1', basis: 'metadata+watermark', tier: 'verified' });
  });

  it('finds the watermark after metadata is stripped and the image re-encoded as JPEG q75 4:2:0', async () => {
    const recompressed = join(dir, 'q75.jpg');
    await sharp(marked).jpeg({ quality: 75, chromaSubsampling: '4:2:0' }).toFile(recompressed);
    const run = await cli(['detect', recompressed, '--json']);
    expect(run.code).toBe(0);
    const [doc] = jsonLines(run.stdout);
    expect(doc.metadata).toBeNull();
    expect(doc.watermark.payload).toEqual(markDoc.payload);
    expect(doc.verdict).toEqual({ label: '1', basis: 'watermark', tier: 'verified' });
    expect(doc.metadataState).toBe('stripped');
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(['METADATA_STRIPPED']);
  });

  it('reports nothing found on an unmarked image with exit 1, and the JSON is the only stdout', async () => {
    const run = await cli(['detect', input, marked, '--json']);
    expect(run.code).toBe(1);
    const docs = jsonLines(run.stdout);
    expect(docs.map((d) => d.file)).toEqual([input, marked]);
    expect(docs[0].watermark).toMatchObject({ found: false, payload: null });
    expect(docs[0].verdict).toEqual({ label: null, basis: 'none', tier: 'none' });
  });

  it('keeps alpha exactly through mark', async () => {
    const src = join(dir, 'alpha.png');
    const out = join(dir, 'alpha.marked.png');
    await writeFile(src, await png(300, 260, true));
    const run = await cli(['mark', src, '-o', out, '--producer', PRODUCER, '--no-metadata']);
    expect(run.code).toBe(0);
    const [a, b] = await Promise.all([src, out].map((f) => sharp(f).ensureAlpha().extractChannel(3).raw().toBuffer()));
    expect(Buffer.compare(a, b)).toBe(0);
    expect((await sharp(out).metadata()).hasAlpha).toBe(true);
    const det = await cli(['detect', out, '--json']);
    expect(jsonLines(det.stdout)[0].verdict).toEqual({ label: '1', basis: 'watermark', tier: 'verified' });
  });

  it('a secret key: its holder finds the mark, a wrong key gets a clean "not found"', async () => {
    const keyA = join(dir, 'a.key');
    const keyB = join(dir, 'b.key');
    await writeFile(keyA, Buffer.alloc(32, 7));
    await writeFile(keyB, Buffer.alloc(32, 9));
    const out = join(dir, 'keyed.png');
    const run = await cli(['mark', input, '-o', out, '--producer', PRODUCER, '--key-file', keyA, '--no-metadata', '--json']);
    expect(run.code).toBe(0);
    const right = await cli(['detect', out, '--key-file', keyA, '--json']);
    const wrong = await cli(['detect', out, '--key-file', keyB, '--json']);
    const none = await cli(['detect', out, '--json']);
    expect(right.code).toBe(0);
    expect(jsonLines(right.stdout)[0].watermark.payload).toMatchObject({ keyed: true, producerHash: jsonLines(run.stdout)[0].payload.producerHash });
    for (const r of [wrong, none]) {
      expect(r.code).toBe(1);
      const [doc] = jsonLines(r.stdout);
      expect(doc.watermark).toMatchObject({ found: false, payload: null });
      expect(doc.verdict.label).toBeNull();
    }
  });
});

describe('usage errors exit 2 and write nothing', { timeout: 30_000 }, () => {
  it.each([
    ['missing --producer', ['mark', 'IN', '-o', 'OUT']],
    ['unknown option', ['mark', 'IN', '-o', 'OUT', '--producer', PRODUCER, '--bogus']],
    ['bad --label', ['mark', 'IN', '-o', 'OUT', '--producer', PRODUCER, '--label', '4']],
    ['--strength out of range', ['mark', 'IN', '-o', 'OUT', '--producer', PRODUCER, '--strength', '0']],
    ['unknown --explicit-position', ['mark', 'IN', '-o', 'OUT', '--producer', PRODUCER, '--explicit-position', 'centre']],
    ['bad charset in --producer', ['mark', 'IN', '-o', 'OUT', '--producer', 'ACME 生成']],
    ['no command', []],
  ])('%s', async (_name, args) => {
    const out = join(dir, `usage-${_name.replace(/\W+/g, '-')}.png`);
    const run = await cli(args.map((a) => (a === 'IN' ? input : a === 'OUT' ? out : a)));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    await expectNoOutput(out);
    if (_name.startsWith('bad charset')) expect(run.stderr).toContain('BAD_LABEL');
  });

  it('a key file that is too short is BAD_KEY', async () => {
    const key = join(dir, 'short.key');
    await writeFile(key, 'short');
    const run = await cli(['detect', marked, '--key-file', key, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('BAD_KEY');
  });

  it('never overwrites an existing file or the input without --force', async () => {
    const existing = join(dir, 'existing.png');
    await writeFile(existing, 'keep me');
    const before = await readFile(input);
    const a = await cli(['mark', input, '-o', existing, '--producer', PRODUCER, '--json']);
    const b = await cli(['mark', input, '-o', input, '--producer', PRODUCER, '--json']);
    for (const r of [a, b]) {
      expect(r.code).toBe(2);
      expect(jsonLines(r.stdout)[0].error.code).toBe('OUTPUT_EXISTS');
    }
    expect(await readFile(existing, 'utf8')).toBe('keep me');
    expect(Buffer.compare(await readFile(input), before)).toBe(0);

    const forced = await cli(['mark', input, '-o', existing, '--producer', PRODUCER, '--force']);
    expect(forced.code).toBe(0);
    expect((await sharp(existing).metadata()).format).toBe('png');
  });
});

describe('bad input exits 3 with a typed error and no output', { timeout: 30_000 }, () => {
  const cases: [string, () => Promise<Buffer | string>, string, string[]?][] = [
    ['truncated PNG', async () => (await png(256, 256)).subarray(0, 2000), 'CORRUPT_FILE'],
    ['truncated JPEG', async () => (await jpeg(256, 256)).subarray(0, 1500), 'CORRUPT_FILE'],
    ['GIF', () => sharp({ create: { width: 200, height: 200, channels: 3, background: '#888' } }).gif().toBuffer(), 'UNSUPPORTED_FORMAT'],
    ['text file', async () => 'hello, not an image\n', 'UNSUPPORTED_FORMAT'],
    ['bomb header (40000×40000)', async () => hugePngHeader(40000, 40000), 'IMAGE_TOO_LARGE'],
    ['over --max-pixels', () => png(256, 256), 'IMAGE_TOO_LARGE', ['--max-pixels', '10000']],
    ['64×64, too small for a tile', () => png(64, 64), 'IMAGE_TOO_SMALL'],
  ];
  it.each(cases)('%s', async (name, make, code, extra = []) => {
    const src = join(dir, `bad-${name.replace(/\W+/g, '-')}.bin`);
    const out = join(dir, `bad-${name.replace(/\W+/g, '-')}.out.png`);
    await writeFile(src, await make());
    const run = await cli(['mark', src, '-o', out, '--producer', PRODUCER, '--json', ...extra]);
    expect(run.code).toBe(3);
    const docs = jsonLines(run.stdout);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ file: src, error: { code } });
    await expectNoOutput(out);
  });

  it('detect on a 64×64 image still reads the file and says why the watermark was not checked', async () => {
    const src = join(dir, 'small.png');
    await writeFile(src, await png(64, 64));
    const run = await cli(['detect', src, '--json']);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)[0].watermark).toMatchObject({ found: false, error: { code: 'IMAGE_TOO_SMALL' } });
  });
});

describe('the bin, as a separate process', { concurrent: true, timeout: 30_000 }, () => {
  it('exit codes and --json stdout through the real process', async () => {
    const text = join(dir, 'bin-text.txt');
    await writeFile(text, 'not an image');
    const [found, none, usage, bad] = await Promise.all([
      bin(['detect', marked, '--json']),
      bin(['detect', input, '--json']),
      bin(['mark', input, '-o', join(dir, 'bin-usage.png')]),
      bin(['detect', text, '--json']),
    ]);
    expect([found.code, none.code, usage.code, bad.code]).toEqual([0, 1, 2, 3]);
    expect(jsonLines(found.stdout)).toEqual([expect.objectContaining({ file: marked, verdict: { label: '1', basis: 'metadata+watermark', tier: 'verified' } })]);
    expect(jsonLines(none.stdout)).toHaveLength(1);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toMatch(/required option/);
    expect(jsonLines(bad.stdout)).toEqual([{ file: text, error: { code: 'UNSUPPORTED_FORMAT', message: expect.any(String) } }]);
  });
});

describe('propagate and scan', { timeout: 30_000 }, () => {
  it('propagate keeps the producer fields and sets the platform fields', async () => {
    const out = join(dir, 'propagated.png');
    const run = await cli(['propagate', marked, '-o', out, '--propagator', 'PLATFORM01', '--propagate-id', 'P123', '--json']);
    expect(run.code).toBe(0);
    const det = jsonLines((await cli(['detect', out, '--json'])).stdout)[0];
    expect(det.metadata).toMatchObject({
      Label: '1',
      ContentProducer: PRODUCER,
      ProduceID: markDoc.label.ProduceID,
      ContentPropagator: 'PLATFORM01',
      PropagateID: 'P123',
    });
    expect(det.verdict).toEqual({ label: '1', basis: 'metadata+watermark', tier: 'verified' });
  });

  it('propagate: a declaration alone gives Label 2; nothing at all writes nothing (exit 1)', async () => {
    const declaredOut = join(dir, 'declared.png');
    const noneOut = join(dir, 'none.png');
    const declared = await cli(['propagate', input, '-o', declaredOut, '--propagator', 'PLATFORM01', '--declared', '--json']);
    const none = await cli(['propagate', input, '-o', noneOut, '--propagator', 'PLATFORM01', '--json']);
    expect(declared.code).toBe(0);
    expect(jsonLines(declared.stdout)[0].verdict).toEqual({ label: '2', basis: 'declared', tier: 'possibly' });
    expect(jsonLines(declared.stdout)[0].label).toMatchObject({ Label: '2', ContentPropagator: 'PLATFORM01' });
    expect(none.code).toBe(1);
    await expectNoOutput(noneOut);
  });

  it('scan: one JSON document per file on a worker pool, summary on stderr', async () => {
    const scanDir = await tempDir();
    await mkdir(join(scanDir, 'sub'));
    await copyFile(marked, join(scanDir, 'sub', 'marked.png'));
    await copyFile(input, join(scanDir, 'plain.png'));
    await writeFile(join(scanDir, 'broken.jpg'), (await jpeg(256, 256)).subarray(0, 900));
    await writeFile(join(scanDir, 'notes.txt'), 'not media');
    // Audio too: from source the workers load the audio side through media.ts's lazy import().
    const toneWav = join(dir, 'tone.wav');
    await writeFile(toneWav, toneWav8s());
    expect((await cli(['mark', toneWav, '-o', join(scanDir, 'tone.wav'), '--producer', PRODUCER])).code).toBe(0);
    const csv = join(scanDir, '..', `report-${Date.now()}.csv`);
    const run = await bin(['scan', scanDir, '--jobs', '2', '--json', '--report', csv]);
    expect(run.code).toBe(0);
    const report = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(report[0]).toBe('file,media,label,tier,basis,metadata_state,watermark,explicit,findings,producer,produce_id,error');
    expect(report).toHaveLength(5);
    expect(report.find((l) => l.includes('tone.wav'))).toContain(',audio,1,verified,metadata+watermark,intact,found,');
    expect(report.find((l) => l.includes('plain.png'))).toContain(',image,,none,none,absent,none,none,');
    expect(report.find((l) => l.endsWith('CORRUPT_FILE'))).toContain('broken.jpg');
    expect(report.find((l) => l.includes('marked.png'))).toContain(',1,verified,metadata+watermark,intact,found,none,,');
    expect(run.stderr).toMatch(/files per second\s+\d/);
    const docs = jsonLines(run.stdout);
    const byFile = Object.fromEntries(docs.map((d) => [d.file.slice(scanDir.length + 1), d]));
    expect(Object.keys(byFile).sort()).toEqual(['broken.jpg', 'plain.png', join('sub', 'marked.png'), 'tone.wav']);
    expect(byFile[join('sub', 'marked.png')].verdict).toEqual({ label: '1', basis: 'metadata+watermark', tier: 'verified' });
    expect(byFile['plain.png'].verdict.label).toBeNull();
    expect(byFile['broken.jpg'].error.code).toBe('CORRUPT_FILE');
    expect(run.stderr).toMatch(/Label 1 \(verified\)\s+2/);
    expect(run.stderr).toMatch(/errors\s+1/);
  });
});
