import { Command } from 'commander';
import { fmt, parseMaxPixels, readInput, readKeyFile } from './common.js';
import { inspectBytes, type Inspection } from '../inspect.js';
import { EXIT, Output, worstExit, type CliIo, type ExitCode } from './output.js';

interface DetectOptions {
  keyFile?: string;
  maxPixels?: number;
  json?: boolean;
}

export function detectCommand(io: CliIo): Command {
  return new Command('detect')
    .description('read the metadata label, detect the watermark, and give the Article 6 verdict')
    .argument('<files...>', 'images or audio files')
    .option('--key-file <file>', 'provider secret key; default: the public key')
    .option('--max-pixels <n>', 'refuse images over this many pixels (default 100000000)', parseMaxPixels)
    .option('--json', 'print one JSON document per file on stdout')
    .action(async (files: string[], options: DetectOptions) => {
      io.exit(await runDetect(files, options, io));
    });
}

async function runDetect(files: string[], options: DetectOptions, io: CliIo): Promise<ExitCode> {
  const out = new Output(options.json ?? false, io);
  let key: Uint8Array | null;
  try {
    key = await readKeyFile(options.keyFile);
  } catch (e) {
    return out.failure(null, e);
  }
  const codes: ExitCode[] = [];
  for (const file of files) {
    try {
      const bytes = await readInput(file);
      const inspection = await inspectBytes(file, bytes, { key, maxPixels: options.maxPixels });
      out.result(inspection, () => describeInspection(inspection));
      codes.push(inspection.verdict.label === null ? EXIT.NOT_FOUND : EXIT.OK);
    } catch (e) {
      codes.push(out.failure(file, e));
    }
  }
  return worstExit(codes);
}

export function describeInspection(r: Inspection): string {
  const lines = [`${r.file}: ${r.verdict.label ? `Label ${r.verdict.label}, ${r.verdict.tier} (${r.verdict.basis})` : 'no AI-content label found'}`];
  lines.push(`  metadata   ${r.metadata ? JSON.stringify({ AIGC: r.metadata }) : 'none'}`);
  const w = r.watermark;
  if (w.found && w.payload) {
    const p = w.payload;
    const content = p.content.kind === 'minted' ? `ProduceID ${p.content.produceId}` : `ProduceID hash ${p.content.produceIdHash}`;
    lines.push(`  watermark  found: Label ${p.label}, producer ${p.producerHash}, ${content}${p.keyed ? ', secret key' : ''} (score ${fmt(w.score, 3)})`);
  } else {
    lines.push(`  watermark  ${w.error ? `not checked: ${w.error.message}` : `not found (score ${fmt(w.score, 3)})`}`);
  }
  const x = r.explicit;
  if (x.kind === 'image') lines.push(`  explicit   ${x.found ? `"${x.text}" at ${x.position}, box ${x.box!.x},${x.box!.y} ${x.box!.width}x${x.box!.height}` : 'no visible label'} (score ${fmt(x.score, 3)})`);
  else if (x.kind === 'audio') lines.push(`  explicit   ${x.found ? `rhythm prompt at ${x.start}-${x.end} s, ${x.frequency} Hz` : 'no rhythm prompt'} (score ${fmt(x.score, 3)})`);
  else lines.push(`  explicit   not checked: ${x.error.message}`);
  for (const f of r.findings) lines.push(`  ${f.kind.padEnd(10)} ${f.code}: ${f.message}`);
  for (const note of r.notes) lines.push(`  note       ${note}`);
  return lines.join('\n');
}
