import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');

export interface RunningServer {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  log(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `aigc-mark serve` from source on a free port, as an operator would, and waits until it listens. */
export function startServe(args: readonly string[] = []): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        resolve({
          url: m[1]!,
          child,
          log: () => stderr,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)));
  });
}

type OpenApi = { paths: Record<string, Record<string, { responses: Record<string, any> }>>; components: { schemas: Record<string, unknown> } };

/** Validates responses against the service's own OpenAPI document, as a client generated from it would expect. */
export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  /** Every path, method and status the checked responses covered. */
  readonly seen = new Set<string>();

  constructor(readonly doc: OpenApi) {
    this.ajv.addSchema({ $id: 'openapi', ...doc } as object);
  }

  private validate(pointer: string, value: unknown): void {
    const validate = this.ajv.getSchema(`openapi#${pointer}`);
    expect(validate, `no schema at ${pointer}`).toBeTypeOf('function');
    const ok = validate!(value);
    expect(ok, `${pointer}: ${JSON.stringify(validate!.errors)}\n${JSON.stringify(value).slice(0, 2000)}`).toBe(true);
  }

  /** Checks one real response: its status is documented, its JSON body matches the schema, its JSON headers too. */
  async check(path: string, method: string, response: Response): Promise<{ body: any; bytes: Buffer }> {
    const operation = this.doc.paths[path]?.[method.toLowerCase()];
    expect(operation, `${method} ${path} is not in the OpenAPI document`).toBeDefined();
    const status = String(response.status);
    const documented = operation!.responses[status];
    expect(documented, `${method} ${path} answered ${status}, which the document does not list`).toBeDefined();
    this.seen.add(`${method.toUpperCase()} ${path} ${status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    let body: any = null;
    const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    const base = `/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}`;
    if (type.startsWith('application/json')) {
      body = JSON.parse(bytes.toString('utf8'));
      expect(documented.content?.['application/json'], `${base} documents no JSON body`).toBeDefined();
      this.validate(`${base}/content/application~1json/schema`, body);
    } else if (bytes.length > 0) {
      const family = `${type.split('/')[0]}/*`;
      expect(documented.content?.[type.split(';')[0]!] ?? documented.content?.[family], `${base} documents no ${type} body`).toBeDefined();
    }
    for (const [name, header] of Object.entries<any>(documented.headers ?? {})) {
      const value = response.headers.get(name);
      if (value === null) {
        expect(header.required, `${base} requires header ${name}`).not.toBe(true);
        continue;
      }
      const pointer = `${base}/headers/${escape(name)}`;
      if (header.content?.['application/json']) this.validate(`${pointer}/content/application~1json/schema`, JSON.parse(value));
      else if (header.schema?.type === 'integer') this.validate(`${pointer}/schema`, Number(value));
    }
    return { body, bytes };
  }
}
