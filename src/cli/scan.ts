import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { Piscina } from 'piscina';
import { AigcError } from '../errors.js';
import { parseMaxPixels, parsePositiveInt, readKeyFile } from './common.js';
import { EXIT, Output, type CliIo, type ExitCode } from './output.js';
import type { ScanResult, ScanTask } from './scan-worker.js';

interface ScanOptions {
  jobs?: number;
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

/** The worker module beside this one: .ts when run from source (tsx), .js when built. */
function workerFile(): string {
  const self = fileURLToPath(import.meta.url);
  return self.replace(/scan\.(ts|js)$/, 'scan-worker.$1');
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
    files = await listMedia(dir);
  } catch (e) {
    return out.failure(null, e);
  }
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), files.length || 1));
  const pool = new Piscina<ScanTask, ScanResult>({ filename: workerFile(), maxThreads: jobs, minThreads: Math.min(jobs, 1) });
  const bar = new SingleBar(
    { stream: process.stderr, format: 'scan [{bar}] {value}/{total} files | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
  );
  bar.start(files.length, 0);
  const tally = { verified: 0, possibly: 0, suspected: 0, none: 0, errors: 0 };
  const byBasis = new Map<string, number>();
  const lines: [string, string][] = [];
  try {
    // Results print in completion order; each JSON document names its file.
    await Promise.all(
      files.map(async (file) => {
        const r = await pool.run({ file, key, maxPixels: options.maxPixels });
        bar.increment();
        if (r.ok) {
          const v = r.inspection.verdict;
          if (v.label === '1') tally.verified++;
          else if (v.label === '2') tally.possibly++;
          else if (v.label === '3') tally.suspected++;
          else tally.none++;
          byBasis.set(v.basis, (byBasis.get(v.basis) ?? 0) + 1);
          if (out.json) out.result(r.inspection, () => '');
          else lines.push([file, `${file}: ${v.label ? `Label ${v.label} (${v.basis})` : 'none'}`]);
        } else {
          tally.errors++;
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
  const rows: [string, number][] = [
    ['files', files.length],
    ['Label 1 (verified)', tally.verified],
    ['Label 2 (possibly)', tally.possibly],
    ['Label 3 (suspected)', tally.suspected],
    ['no label found', tally.none],
    ['errors', tally.errors],
    ...[...byBasis.entries()].sort().map(([basis, n]): [string, number] => [`  basis ${basis}`, n]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const table = rows.map(([k, n]) => `${k.padEnd(width)}  ${String(n).padStart(6)}`).join('\n');
  // The summary is for people: stderr, so that --json stdout stays one document per file.
  out.note(`\n${table}`);
  return EXIT.OK;
}
