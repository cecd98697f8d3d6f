// The subcommands, each loaded only when it runs: `aigc-mark --help` and `--version` import
// none of them (nor sharp, nor the WASM core). A command plugs in with one entry here: its
// name, the usage and summary the top-level help lists, and a loader that imports its module
// and returns the factory that builds its commander Command.
import type { Command } from 'commander';
import type { CliIo } from './output.js';

export interface LazyCommand {
  name: string;
  /** What follows the name in the top-level help, e.g. '[options] <in>'. */
  usage: string;
  summary: string;
  load(): Promise<(io: CliIo) => Command>;
}

export const COMMANDS: readonly LazyCommand[] = [
  {
    name: 'mark',
    usage: '[options] <in>',
    summary: 'write the GB 45438 metadata label and the invisible watermark',
    load: async () => (await import('./mark.js')).markCommand,
  },
  {
    name: 'detect',
    usage: '[options] <files...>',
    summary: 'read the metadata label, detect the watermark, and give the Article 6 verdict',
    load: async () => (await import('./detect.js')).detectCommand,
  },
  {
    name: 'propagate',
    usage: '[options] <in>',
    summary: 'platform side of Article 6: inspect, then write ContentPropagator and PropagateID',
    load: async () => (await import('./propagate.js')).propagateCommand,
  },
  {
    name: 'scan',
    usage: '[options] <dir>',
    summary: 'batch detect every image and audio file under a directory, on a worker pool; exits 0 once the scan completes, with per-file errors in the output',
    load: async () => (await import('./scan.js')).scanCommand,
  },
  {
    name: 'serve',
    usage: '[options]',
    summary: 'HTTP detection service: POST /v1/detect, /v1/mark, /v1/propagate; GET /healthz, /metrics, /openapi.json',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'queue',
    usage: '<add|report> [options]',
    summary: 'distributed scanning on Redis: add files and URLs, report progress (see `worker`)',
    load: async () => (await import('./queue.js')).queueCommand,
  },
  {
    name: 'worker',
    usage: '[options]',
    summary: 'detect queued jobs from Redis and write one NDJSON line per file',
    load: async () => (await import('./worker.js')).workerCommand,
  },
];

/** The command a command line runs (`help <name>` asks for that command's help), if any. */
export function commandFor(args: readonly string[]): LazyCommand | undefined {
  const name = args[0] === 'help' ? args[1] : args[0];
  return COMMANDS.find((c) => c.name === name);
}
