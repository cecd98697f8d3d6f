// The HTTP service: Fastify routes over the CPU pool. The event loop only moves bytes and JSON;
// every decode and detection runs on the pool, so /healthz answers while the pool is saturated.
import { createHash, timingSafeEqual } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { LabelAttribute } from '../label/index.js';
import { HttpError, errorBody, headerJson, statusForCode } from './http-errors.js';
import type { ServiceMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import type { ServicePool } from './pool.js';
import type { PoolResult, PoolTask } from './pool-worker.js';

export interface ServerOptions {
  pool: ServicePool;
  metrics: ServiceMetrics;
  /** Secret watermark key, read once at start; null: the public key. */
  key: Uint8Array | null;
  /** Accepted bearer tokens; null: no authentication. */
  tokens: readonly string[] | null;
  /** Largest upload in bytes. */
  bodyLimit: number;
  /** Longest a request may take, receiving and processing, in milliseconds. */
  timeoutMs: number;
  maxPixels?: number;
}

/** Media types an upload may declare; the bytes are sniffed anyway, so octet-stream is fine. */
export const UPLOAD_MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/vnd.wave',
  'audio/mpeg',
  'audio/mp3',
  'application/octet-stream',
];

interface Upload {
  name: string;
  bytes: Uint8Array;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { pool, metrics } = options;
  const app = Fastify({ bodyLimit: options.bodyLimit, requestTimeout: options.timeoutMs, return503OnClosing: true, logger: false });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(UPLOAD_MEDIA_TYPES, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  await app.register(multipart, { limits: { fileSize: options.bodyLimit, files: 1, fields: 0, parts: 1 } });

  const tokenDigests = options.tokens?.map(digest) ?? null;
  const authorised = (header: string | undefined): boolean => {
    if (tokenDigests === null) return true;
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) return false;
    const offered = digest(match[1]!);
    return tokenDigests.some((d) => timingSafeEqual(d, offered));
  };

  const sendError = (reply: FastifyReply, status: number, file: string | null, code: string, message: string) => {
    metrics.error(code);
    return reply.code(status).type('application/json').send(errorBody(file, code, message));
  };

  app.setErrorHandler((error: FastifyError | HttpError, _request, reply) => {
    if (error instanceof HttpError) return sendError(reply, error.status, error.file, error.code, error.message);
    if (error.validation) return sendError(reply, 400, null, 'BAD_OPTION', error.message);
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(reply, 413, null, 'BODY_TOO_LARGE', `The upload is over the ${options.bodyLimit}-byte limit.`);
    if (status === 415) {
      return sendError(reply, 415, null, 'UNSUPPORTED_MEDIA_TYPE', `Send one of ${UPLOAD_MEDIA_TYPES.join(', ')}, or multipart/form-data with one file part.`);
    }
    if (status === 408) return sendError(reply, 408, null, 'TIMEOUT', 'The request body did not arrive in time.');
    if (status >= 400 && status < 500) return sendError(reply, status, null, 'BAD_REQUEST', error.message);
    return sendError(reply, 500, null, 'INTERNAL', error.message);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, null, 'NOT_FOUND', `No route ${request.method} ${request.url}.`));

  // While closing, answers in flight end their connection, so close() need not wait out keep-alive.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (request, reply) => {
    metrics.request(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get('/healthz', async () => ({ status: 'ok', pool: pool.stats }));
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  app.get('/openapi.json', async () => openApiDocument);

  // Uploads: authenticate, then claim a place in the pool before the body is read, so overload
  // costs neither memory nor CPU.
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      if (!authorised(request.headers.authorization)) {
        reply.header('www-authenticate', 'Bearer');
        throw new HttpError(401, 'UNAUTHORIZED', 'Send "Authorization: Bearer <token>" with a token from the service\'s token file.');
      }
      if (!pool.tryAdmit()) {
        reply.header('retry-after', String(pool.retryAfterSeconds()));
        throw new HttpError(503, 'BUSY', 'The detection pool and its queue are full; retry after the Retry-After seconds.');
      }
      reply.raw.once('close', () => pool.release());
    });

    /** Runs one task on the pool under the request's time limit; gives up when the client has gone. */
    const runOnPool = async (task: PoolTask, file: string, reply: FastifyReply): Promise<Exclude<PoolResult, { ok: false }>> => {
      const clientGone = new AbortController();
      reply.raw.once('close', () => clientGone.abort());
      const timeout = AbortSignal.timeout(options.timeoutMs);
      let result: PoolResult;
      try {
        result = await pool.run(task, AbortSignal.any([timeout, clientGone.signal]));
      } catch (e) {
        if (timeout.aborted) throw new HttpError(504, 'TIMEOUT', `Processing took over ${options.timeoutMs} ms; the file was abandoned.`, file);
        throw e;
      }
      if (!result.ok) {
        const { code, message } = result.error;
        throw new HttpError(statusForCode(code), code, message, file);
      }
      return result;
    };

    const engine = { key: options.key, maxPixels: options.maxPixels };

    api.post('/detect', { schema: { querystring: nameQuery } }, async (request, reply) => {
      const upload = await readUpload(request);
      const result = await runOnPool({ op: 'detect', file: upload.name, bytes: upload.bytes, ...engine }, upload.name, reply);
      if (result.op !== 'detect') throw new Error('pool answered the wrong task');
      metrics.verdict(result.inspection.verdict);
      return result.inspection;
    });

    api.post<{ Querystring: MarkQuery }>('/mark', { schema: { querystring: markQuery } }, async (request, reply) => {
      const upload = await readUpload(request);
      const q = request.query;
      const task: PoolTask = { op: 'mark', bytes: upload.bytes, producer: q.producer, produceId: q.produceId, label: q.label ?? '1', strength: q.strength, ...engine };
      const result = await runOnPool(task, upload.name, reply);
      if (result.op !== 'mark') throw new Error('pool answered the wrong task');
      return reply
        .type(result.mediaType)
        .header('x-aigc-label', headerJson(result.label))
        .header('x-aigc-payload', headerJson(result.payload))
        .header('x-aigc-quality', headerJson(result.quality))
        .send(asBuffer(result.bytes));
    });

    api.post<{ Querystring: PropagateQuery }>('/propagate', { schema: { querystring: propagateQuery } }, async (request, reply) => {
      const upload = await readUpload(request);
      const q = request.query;
      const task: PoolTask = { op: 'propagate', file: upload.name, bytes: upload.bytes, propagator: q.propagator, propagateId: q.propagateId, declared: q.declared, ...engine };
      const result = await runOnPool(task, upload.name, reply);
      if (result.op !== 'propagate') throw new Error('pool answered the wrong task');
      metrics.verdict(result.inspection.verdict);
      reply.header('x-aigc-inspection', headerJson(result.inspection));
      if (result.label === null || result.bytes === null) return reply.code(204).send();
      return reply.type(result.mediaType).header('x-aigc-label', headerJson(result.label)).send(asBuffer(result.bytes));
    });
  }, { prefix: '/v1' });

  return app;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function readUpload(request: FastifyRequest): Promise<Upload> {
  const query = request.query as { name?: string };
  let upload: Upload;
  if (request.isMultipart()) {
    try {
      const part = await request.file();
      if (!part) throw new HttpError(400, 'EMPTY_BODY', 'The multipart body has no file part.');
      upload = { name: part.filename || query.name || 'upload', bytes: await part.toBuffer() };
    } catch (e) {
      // Size limits keep their own status (413); anything else wrong with the form is the client's.
      if (e instanceof HttpError || (e as FastifyError).statusCode) throw e;
      throw new HttpError(400, 'BAD_REQUEST', `The multipart body is malformed: ${(e as Error).message}`);
    }
  } else if (Buffer.isBuffer(request.body)) {
    upload = { name: query.name ?? 'upload', bytes: request.body };
  } else {
    throw new HttpError(400, 'EMPTY_BODY', 'Send the file as the request body, with its media type as Content-Type.');
  }
  if (upload.bytes.length === 0) throw new HttpError(400, 'EMPTY_BODY', 'The uploaded file is empty.');
  return upload;
}

interface MarkQuery {
  producer: string;
  produceId?: string;
  label?: LabelAttribute;
  strength?: number;
}

interface PropagateQuery {
  propagator: string;
  propagateId?: string;
  declared?: boolean;
}

const nameProperty = { name: { type: 'string', maxLength: 1024 } };
const nameQuery = { type: 'object', properties: nameProperty } as const;
const markQuery = {
  type: 'object',
  required: ['producer'],
  properties: {
    ...nameProperty,
    producer: { type: 'string' },
    produceId: { type: 'string' },
    label: { type: 'string', enum: ['1', '2', '3'] },
    strength: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
  },
} as const;
const propagateQuery = {
  type: 'object',
  required: ['propagator'],
  properties: { ...nameProperty, propagator: { type: 'string' }, propagateId: { type: 'string' }, declared: { type: 'boolean' } },
} as const;
