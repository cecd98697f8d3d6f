import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, jpeg, jsonLines, png, tempDir } from '../cli/helpers.js';
import { OpenApiChecker, startServe, type RunningServer } from './serve-helpers.js';

const PRODUCER = '001191440300708461136T1XGW3';
const TOKEN = 'service-test-token-0123456789';

let dir: string;
let server: RunningServer;
let api: OpenApiChecker;
let plain: Buffer; // 512×384 PNG, unmarked
let photo: Buffer; // 1920×1080 JPEG, unmarked

beforeAll(async () => {
  dir = await tempDir();
  plain = await png(512, 384);
  photo = await jpeg(1920, 1080);
  server = await startServe(['--threads', '2']);
  api = new OpenApiChecker(await (await fetch(`${server.url}/openapi.json`)).json());
  expect((await call(server.url, '/openapi.json')).body).toEqual(api.doc);
}, 60_000);

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
});

/** One request against a server; every answer is checked against the OpenAPI document. */
async function call(base: string, path: string, init: RequestInit & { query?: string } = {}) {
  const response = await fetch(`${base}${path}${init.query ? `?${init.query}` : ''}`, init);
  const { body, bytes } = await api.check(path, init.method ?? 'GET', response);
  return { status: response.status, headers: response.headers, body, bytes };
}

const upload = (bytes: Uint8Array, type: string, extra: RequestInit = {}): RequestInit => ({ method: 'POST', body: new Uint8Array(bytes), headers: { 'content-type': type }, ...extra });

function multipart(bytes: Uint8Array, filename: string, type: string): RequestInit {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  return { method: 'POST', body: form };
}

describe('serve: detect, mark, propagate', { timeout: 60_000 }, () => {
  it('marks an upload; detect on the answer returns the same JSON as `detect --json` on the file', async () => {
    const marked = await call(server.url, '/v1/mark', { ...upload(plain, 'image/png'), query: `producer=${PRODUCER}` });
    expect(marked.status).toBe(200);
    expect(marked.headers.get('content-type')).toBe('image/png');
    const label = JSON.parse(marked.headers.get('x-aigc-label')!);
    const payload = JSON.parse(marked.headers.get('x-aigc-payload')!);
    expect(label.ContentProducer).toBe(PRODUCER);
    expect(payload.content).toEqual({ kind: 'minted', produceId: label.ProduceID });

    const file = join(dir, 'marked.png');
    await writeFile(file, marked.bytes);
    const [expected] = jsonLines((await cli(['detect', file, '--json'])).stdout);

    const raw = await call(server.url, '/v1/detect', { ...upload(marked.bytes, 'image/png'), query: `name=${encodeURIComponent(file)}` });
    expect(raw.status).toBe(200);
    expect(raw.body).toEqual(expected);
    expect(raw.body.watermark.payload).toEqual(payload);
    expect(raw.body.verdict).toEqual({ label: '1', basis: 'metadata+watermark', tier: 'verified' });

    const form = await call(server.url, '/v1/detect', multipart(marked.bytes, 'marked.png', 'image/png'));
    expect(form.status).toBe(200);
    expect(form.body).toEqual({ ...expected, file: 'marked.png' });
  });

  it('reads the bytes, not the declared type: a JPEG sent as octet-stream is detected as an image', async () => {
    const r = await call(server.url, '/v1/detect', upload(photo, 'application/octet-stream'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ file: 'upload', media: 'image', verdict: { label: null, basis: 'none' } });
  });

  it('propagates: a marked file gets the platform fields, an unmarked undeclared one gets 204 and no label', async () => {
    const marked = await call(server.url, '/v1/mark', { ...upload(plain, 'image/png'), query: `producer=${PRODUCER}` });
    const producerLabel = JSON.parse(marked.headers.get('x-aigc-label')!);
    const r = await call(server.url, '/v1/propagate', { ...upload(marked.bytes, 'image/png'), query: 'propagator=PLATFORM01&propagateId=UP123' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.headers.get('x-aigc-label')!)).toEqual({ ...producerLabel, ContentPropagator: 'PLATFORM01', PropagateID: 'UP123' });
    const file = join(dir, 'propagated.png');
    await writeFile(file, r.bytes);
    const [doc] = jsonLines((await cli(['detect', file, '--json'])).stdout);
    expect(doc.metadata).toMatchObject({ ContentPropagator: 'PLATFORM01', PropagateID: 'UP123', ProduceID: producerLabel.ProduceID });

    const none = await call(server.url, '/v1/propagate', { ...upload(plain, 'image/png'), query: 'propagator=PLATFORM01' });
    expect(none.status).toBe(204);
    expect(JSON.parse(none.headers.get('x-aigc-inspection')!).verdict).toEqual({ label: null, basis: 'none', tier: 'none' });

    const declared = await call(server.url, '/v1/propagate', { ...upload(plain, 'image/png'), query: 'propagator=PLATFORM01&declared=true' });
    expect(declared.status).toBe(200);
    expect(JSON.parse(declared.headers.get('x-aigc-label')!)).toMatchObject({ Label: '2', ContentProducer: 'UNKNOWN' });
  });

  it('counts requests, verdicts and errors in /metrics', async () => {
    await call(server.url, '/v1/detect', upload(Buffer.from('GIF89a....'), 'image/png'));
    const text = (await call(server.url, '/metrics')).bytes.toString('utf8');
    expect(text).toMatch(/aigc_http_requests_total\{route="\/v1\/detect",method="POST",status="200"\} [1-9]/);
    expect(text).toMatch(/aigc_verdicts_total\{label="1",basis="metadata\+watermark"\} [1-9]/);
    expect(text).toMatch(/aigc_verdicts_total\{label="none",basis="none"\} [1-9]/);
    expect(text).toMatch(/aigc_errors_total\{code="UNSUPPORTED_FORMAT"\} [1-9]/);
    expect(text).toMatch(/aigc_http_request_duration_seconds_bucket\{le="\+Inf",route="\/v1\/detect"\} [1-9]/);
  });
});

describe('serve: bad requests get typed errors and never take the process down', { timeout: 60_000 }, () => {
  it('415 for a media type it does not take, and for bytes that are not a supported format', async () => {
    const text = await call(server.url, '/v1/detect', upload(Buffer.from('hello'), 'text/plain'));
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const gif = await call(server.url, '/v1/detect', { ...upload(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;'), 'image/png'), query: 'name=a.gif' });
    expect(gif.status).toBe(415);
    expect(gif.body).toMatchObject({ file: 'a.gif', error: { code: 'UNSUPPORTED_FORMAT' } });
    expect(gif.body.error.message).toMatch(/GIF/);
  });

  it('422 with the AigcError code for a corrupt file, and for one too small to hold a mark', async () => {
    const truncated = await call(server.url, '/v1/detect', { ...upload(plain.subarray(0, 1000), 'image/png'), query: 'name=cut.png' });
    expect(truncated.status).toBe(422);
    expect(truncated.body).toMatchObject({ file: 'cut.png', error: { code: 'CORRUPT_FILE' } });
    const tiny = await call(server.url, '/v1/mark', { ...upload(await png(64, 64), 'image/png'), query: `producer=${PRODUCER}` });
    expect(tiny.status).toBe(422);
    expect(tiny.body.error.code).toBe('IMAGE_TOO_SMALL');
  });

  it('400 for bad options: a missing producer, a label field outside Annex E, an empty body, a broken multipart body', async () => {
    const missing = await call(server.url, '/v1/mark', upload(plain, 'image/png'));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('BAD_OPTION');
    const badField = await call(server.url, '/v1/mark', { ...upload(plain, 'image/png'), query: `producer=${encodeURIComponent('no spaces allowed!')}` });
    expect(badField.status).toBe(400);
    expect(badField.body.error.code).toBe('BAD_LABEL');
    const empty = await call(server.url, '/v1/detect', upload(Buffer.alloc(0), 'image/png'));
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('EMPTY_BODY');
    const broken = await call(server.url, '/v1/detect', {
      method: 'POST',
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
    const health = await call(server.url, '/healthz');
    expect(health.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });

  it('404 with an error document for an unknown route', async () => {
    const r = await fetch(`${server.url}/v2/detect`, { method: 'POST' });
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ file: null, error: { code: 'NOT_FOUND' } });
  });
});

describe('serve: limits', { timeout: 90_000 }, () => {
  let limited: RunningServer;
  beforeAll(async () => {
    // One thread and one queue place: two requests admitted at a time. 400 kB body limit.
    limited = await startServe(['--threads', '1', '--queue-limit', '1', '--body-limit', '400000']);
  }, 60_000);
  afterAll(async () => {
    if (limited) expect(await limited.stop()).toBe(0);
  });

  it('413 for a body over the limit, raw or multipart', async () => {
    const big = Buffer.concat([plain.subarray(0, 1000), Buffer.alloc(400_000)]);
    const raw = await call(limited.url, '/v1/detect', upload(big, 'image/png'));
    expect(raw.status).toBe(413);
    expect(raw.body.error.code).toBe('BODY_TOO_LARGE');
    const form = await call(limited.url, '/v1/detect', multipart(big, 'big.png', 'image/png'));
    expect(form.status).toBe(413);
    expect(form.body.error.code).toBe('BODY_TOO_LARGE');
  });

  it('answers /healthz while the pool is saturated, before any detection finishes', async () => {
    let finished = 0;
    const detections = [0, 1].map(() => call(limited.url, '/v1/detect', upload(photo, 'image/jpeg')).then((r) => (finished++, r)));
    let health: any;
    for (let tries = 0; tries < 200; tries++) {
      health = (await call(limited.url, '/healthz')).body;
      if (health.pool.admitted === 2) break;
    }
    // Both detections hold their places and neither has answered: the event loop was free to answer.
    expect(health.pool).toMatchObject({ threads: 1, admitted: 2 });
    expect(finished).toBe(0);
    for (const r of await Promise.all(detections)) expect(r.status).toBe(200);
  });

  it('503 with Retry-After past the queue limit, and every admitted request still answered', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => call(limited.url, '/v1/detect', upload(photo, 'image/jpeg'))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    const busy = results.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    for (const r of busy) {
      expect(r.body.error.code).toBe('BUSY');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // The places come back: the next request after the burst is admitted.
    expect((await call(limited.url, '/v1/detect', upload(photo, 'image/jpeg'))).status).toBe(200);
  });
});

describe('serve: time limit and bearer auth', { timeout: 90_000 }, () => {
  let strict: RunningServer;
  beforeAll(async () => {
    const tokens = join(dir, 'tokens');
    await writeFile(tokens, `# one token per line\n${TOKEN}\n`);
    strict = await startServe(['--threads', '1', '--timeout', '0.02', '--token-file', tokens]);
  }, 60_000);
  afterAll(async () => {
    if (strict) expect(await strict.stop()).toBe(0);
  });

  it('401 without a token or with a wrong one; /healthz and /metrics stay open', async () => {
    const none = await call(strict.url, '/v1/detect', upload(plain, 'image/png'));
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await call(strict.url, '/v1/detect', upload(plain, 'image/png', { headers: { 'content-type': 'image/png', authorization: `Bearer ${TOKEN}x` } }));
    expect(wrong.status).toBe(401);
    expect((await call(strict.url, '/healthz')).status).toBe(200);
    expect((await call(strict.url, '/metrics')).status).toBe(200);
  });

  it('504 TIMEOUT when processing runs past the per-request limit; the service stays up', async () => {
    const auth = { 'content-type': 'image/jpeg', authorization: `Bearer ${TOKEN}` };
    const slow = await call(strict.url, '/v1/detect', { method: 'POST', body: new Uint8Array(photo), headers: auth });
    expect(slow.status).toBe(504);
    expect(slow.body.error.code).toBe('TIMEOUT');
    expect((await call(strict.url, '/healthz')).status).toBe(200);
    expect(strict.child.exitCode).toBeNull();
  });
});

describe('serve: graceful SIGTERM', { timeout: 60_000 }, () => {
  it('finishes the request in flight, then exits 0', async () => {
    const s = await startServe(['--threads', '1']);
    const inFlight = fetch(`${s.url}/v1/detect`, upload(photo, 'image/jpeg'));
    for (let tries = 0; tries < 200; tries++) {
      const health = await (await fetch(`${s.url}/healthz`)).json();
      if (health.pool.admitted === 1) break;
    }
    const code = s.stop();
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect((await r.json()).media).toBe('image');
    expect(await code).toBe(0);
    expect(s.log()).toMatch(/SIGTERM/);
  });
});

describe('serve: the OpenAPI document', () => {
  it('covers every route and was checked against real answers of each', () => {
    const answered = [...api.seen].map((k) => k.split(' ').slice(0, 2).join(' '));
    for (const [path, methods] of Object.entries(api.doc.paths)) {
      for (const method of Object.keys(methods)) expect(answered, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path}`);
    }
    for (const status of ['200', '400', '401', '413', '415', '422', '503', '504']) expect(api.seen).toContain(`POST /v1/detect ${status}`);
  });
});

