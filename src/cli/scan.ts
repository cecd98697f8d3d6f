import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { Piscina } from 'piscina';
import { AigcError } from '../errors.js';
import { parseMaxPixels, parsePositiveInt, readKeyFile } from './common.js';
import { EXIT, Output, UsageError, type CliIo, type ExitCode } from './output.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { reportFormatFor, reportHeader, reportLine, summarize, summaryTable, type ScanRow } from '../platform/scan-report.js';
import type { ScanResult, ScanTask } from './scan-worker.js';
import { workerEntry } from './worker-entry.js';

interface ScanOptions {
  jobs?: number;
  report?: string;
  declared?: boolean;
  keyFile?: string;
  maxPixels?: number;
  json?: boolean;
}

/** Extensions scan looks at; anything else in the tree is not media and is skipped silently. */
const MEDIA_EXTENSIONS = /\.(png|jpe?g|webp|wav|mp3)$/i;

export function scanCommand(io: CliIo): Command {
  return new Command('scan')
    .description('batch detect every image and audio file under a directory, on a worker pool; exits 0 once the scan completes, with per-file errors in the output')
    .argument('<dir>', 'directory to scan (recursively)')
    .option('--jobs <n>', 'worker threads (default: the number of CPUs)', parsePositiveInt)
    .option('--key-file <file>', 'secret key for the watermark; default: the public key')
    .option('--max-pixels <n>', 'refuse images over this many pixels (default 100000000)', parseMaxPixels)
    .option('--report <file>', 'also write one row per file to a report: .csv or .ndjson')
    .option('--declared', 'the uploader declared every file AI-generated (Label 2 when nothing is found)')
    .option('--json', 'print one JSON document per file on stdout')
    .action(async (dir: string, options: ScanOptions) => {
      io.exit(await runScan(dir, options, io));
    });
}

export async function listMedia(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && MEDIA_EXTENSIONS.test(entry.name)) found.push(path);
    }
  };
  await walk(dir);
  return found;
}

async function runScan(dir: string, options: ScanOptions, io: CliIo): Promise<ExitCode> {
  const out = new Output(options.json ?? false, io);
  let files: string[];
  let key: Uint8Array | null;
  try {
    key = await readKeyFile(options.keyFile);
    if (!(await stat(dir).catch(() => null))?.isDirectory()) {
      throw new AigcError('IO_ERROR', `${dir} is not a directory.`);
    }
    if (options.report !== undefined && reportFormatFor(options.report) === null) {
      throw new UsageError(`--report ${options.report}: name a .csv or .ndjson file.`);
    }
    if (options.report !== undefined && (await stat(options.report).catch(() => null))) {
      throw new AigcError('OUTPUT_EXISTS', `The report ${options.report} exists; remove it or name another.`);
    }
    files = await listMedia(dir);
  } catch (e) {
    return out.failure(null, e);
  }
  const started = performance.now();
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), files.length || 1));
  const pool = new Piscina<ScanTask, ScanResult>({ ...workerEntry(import.meta.url, 'scan-worker'), maxThreads: jobs, minThreads: Math.min(jobs, 1) });
  const bar = new SingleBar(
    { stream: process.stderr, format: 'scan [{bar}] {value}/{total} files | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
  );
  bar.start(files.length, 0);
  const lines: [string, string][] = [];
  const rows: ScanRow[] = [];
  try {
    // Results print in completion order; each JSON document names its file.
    await Promise.all(
      files.map(async (file) => {
        const r = await pool.run({ file, key, maxPixels: options.maxPixels, declared: options.declared });
        bar.increment();
        rows.push(r.ok ? { file, ok: true, inspection: r.inspection } : { file, ok: false, error: r.doc.error });
        if (r.ok) {
          const v = r.inspection.verdict;
          if (out.json) out.result(r.inspection, () => '');
          else lines.push([file, `${file}: ${v.label ? `Label ${v.label}, ${v.tier} (${v.basis})` : 'none'}${r.inspection.findings.length ? ` [${r.inspection.findings.map((f) => f.code).join(', ')}]` : ''}`]);
        } else {
          if (out.json) out.result(r.doc, () => '');
          else lines.push([file, `${file}: error ${r.doc.error.code}: ${r.doc.error.message}`]);
        }
      }),
    );
  } finally {
    bar.stop();
    await pool.destroy();
  }
  if (!out.json) {
    lines.sort((a, b) => a[0].localeCompare(b[0]));
    for (const [, line] of lines) out.line(line);
  }
  const summary = summarize(rows, (performance.now() - started) / 1000);
  if (options.report !== undefined) {
    const format = reportFormatFor(options.report)!;
    rows.sort((x, y) => x.file.localeCompare(y.file));
    const header = reportHeader(format);
    const body = [...(header ? [header] : []), ...rows.map((r) => reportLine(r, format))].join('\n') + '\n';
    try {
      await writeFileAtomic(options.report, new TextEncoder().encode(body));
    } catch (e) {
      return out.failure(options.report, e);
    }
  }
  const table = summaryTable(summary);
  // The summary is for people: stderr, so that --json stdout stays one document per file.
  out.note(`\n${table}`);
  return EXIT.OK;
}
