import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { AigcError } from '../errors.js';
import { ServiceMetrics } from '../service/metrics.js';
import { ServicePool } from '../service/pool.js';
import { buildServer } from '../service/server.js';
import { parseMaxPixels, parsePositiveInt, readKeyFile } from './common.js';
import { EXIT, Output, type CliIo, type ExitCode } from './output.js';

interface ServeOptions {
  port: number;
  host: string;
  tokenFile?: string;
  keyFile?: string;
  threads?: number;
  queueLimit?: number;
  bodyLimit: number;
  timeout: number;
  maxPixels?: number;
}

const parsePort = (value: string) => (value === '0' ? 0 : parsePositiveInt(value));

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError('expected a positive number of seconds.');
  return n;
}

export function serveCommand(io: CliIo): Command {
  return new Command('serve')
    .description('HTTP detection service: POST /v1/detect, /v1/mark, /v1/propagate; GET /healthz, /metrics, /openapi.json')
    .option('--port <n>', 'TCP port (0: any free port)', parsePort, 8080)
    .option('--host <h>', 'address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--token-file <file>', 'require "Authorization: Bearer <token>" on /v1/*, tokens one per line')
    .option('--key-file <file>', 'provider secret key, read once at start; default: the public key')
    .option('--threads <n>', 'detection threads (default: the number of CPUs)', parsePositiveInt)
    .option('--queue-limit <n>', 'requests that may wait for a thread before 503 (default: 4 per thread)', parsePositiveInt)
    .option('--body-limit <bytes>', 'largest upload (default 52428800)', parsePositiveInt, 50 * 1024 * 1024)
    .option('--timeout <seconds>', 'longest a request may take (default 30)', parseSeconds, 30)
    .option('--max-pixels <n>', 'refuse images over this many pixels (default 100000000)', parseMaxPixels)
    .action(async (options: ServeOptions) => {
      io.exit(await runServe(options, io));
    });
}

/** A token file holds one bearer token per line; blank lines and # comments are ignored. */
async function readTokenFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new AigcError('BAD_OPTION', `Cannot read the token file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { cause: e });
  }
  const tokens = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
  if (tokens.length === 0 || tokens.some((t) => /\s/.test(t) || t.length < 16)) {
    throw new AigcError('BAD_OPTION', `The token file ${path} needs at least one token, each 16 or more characters without spaces.`);
  }
  return tokens;
}

async function runServe(options: ServeOptions, io: CliIo): Promise<ExitCode> {
  const out = new Output(false, io);
  let key: Uint8Array | null;
  let tokens: string[] | null;
  try {
    key = await readKeyFile(options.keyFile);
    tokens = options.tokenFile === undefined ? null : await readTokenFile(options.tokenFile);
  } catch (e) {
    return out.failure(null, e);
  }
  const threads = options.threads ?? availableParallelism();
  const pool = new ServicePool({ threads, queueLimit: options.queueLimit ?? threads * 4 });
  const metrics = new ServiceMetrics(pool);
  const app = await buildServer({ pool, metrics, key, tokens, bodyLimit: options.bodyLimit, timeoutMs: Math.ceil(options.timeout * 1000), maxPixels: options.maxPixels });
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (e) {
    await pool.destroy();
    return out.failure(null, new AigcError('IO_ERROR', `Cannot listen on ${options.host}:${options.port}: ${(e as Error).message}`, { cause: e }));
  }
  const address = app.server.address();
  const where = typeof address === 'object' && address ? `http://${options.host}:${address.port}` : String(address);
  out.note(`aigc-mark serve: listening on ${where} (${threads} threads${tokens ? ', bearer auth' : ''})`);

  // SIGTERM: stop accepting, let in-flight requests finish, then stop the pool and exit.
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      out.note(`aigc-mark serve: ${signal}, finishing in-flight requests`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await app.close();
  await pool.destroy();
  out.note('aigc-mark serve: stopped');
  return EXIT.OK;
}
