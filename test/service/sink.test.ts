import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultSink } from '../../src/service/queue/sink.js';
import { tempDir } from '../cli/helpers.js';

const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));

describe('results sink: one line per job, however often it is delivered', () => {
  it('two writers on one file (two worker processes) keep every line whole, and skip jobs the other already wrote', async () => {
    const path = join(await tempDir(), 'results.ndjson');
    const a = await ResultSink.open(path);
    const b = await ResultSink.open(path);
    const writes: Promise<boolean>[] = [];
    for (let i = 0; i < 50; i++) {
      writes.push(a.append({ job: `a${i}`, file: `fa${i}`, pad: 'x'.repeat(i * 97) } as never));
      writes.push(b.append({ job: `b${i}`, file: `fb${i}`, pad: 'y'.repeat(i * 89) } as never));
    }
    expect(await Promise.all(writes)).toEqual(writes.map(() => true));
    // A job of a's redelivered to b (a stalled job after a crash) is refused: b reads a's lines first.
    for (let i = 0; i < 50; i += 7) expect(await b.append({ job: `a${i}`, file: `fa${i}` } as never)).toBe(false);
    await a.close();
    await b.close();
    const jobs = (await lines(path)).map((d) => d.job).sort();
    expect(jobs).toEqual([...Array.from({ length: 50 }, (_, i) => `a${i}`), ...Array.from({ length: 50 }, (_, i) => `b${i}`)].sort());
  });

  it('a restarted writer sees what the file holds and skips a redelivered job', async () => {
    const path = join(await tempDir(), 'results.ndjson');
    const first = await ResultSink.open(path);
    expect(await first.append({ job: 'j1', file: 'x' } as never)).toBe(true);
    await first.close();
    const again = await ResultSink.open(path);
    expect(again.has('j1')).toBe(true);
    expect(await again.append({ job: 'j1', file: 'x' } as never)).toBe(false);
    expect(await again.append({ job: 'j2', file: 'y' } as never)).toBe(true);
    await again.close();
    expect((await lines(path)).map((d) => d.job)).toEqual(['j1', 'j2']);
  });

  it('ends a torn last line left by a killed writer, so later lines stay whole and its job is written again', async () => {
    const path = join(await tempDir(), 'results.ndjson');
    await writeFile(path, `${JSON.stringify({ job: 'j1', file: 'a' })}\n{"job":"j2","fi`);
    const sink = await ResultSink.open(path);
    expect(sink.has('j1')).toBe(true);
    expect(sink.has('j2')).toBe(false);
    expect(await sink.append({ job: 'j2', file: 'b' } as never)).toBe(true);
    await sink.close();
    const text = await readFile(path, 'utf8');
    const parsed = text.split('\n').filter(Boolean).flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
    expect(parsed.map((d) => d.job)).toEqual(['j1', 'j2']);
  });

  it('picks up lines another process appended since it last looked', async () => {
    const path = join(await tempDir(), 'results.ndjson');
    const sink = await ResultSink.open(path);
    await appendFile(path, `${JSON.stringify({ job: 'other', file: 'z' })}\n`);
    expect(await sink.append({ job: 'other', file: 'z' } as never)).toBe(false);
    await sink.close();
    expect(await lines(path)).toHaveLength(1);
  });
});
