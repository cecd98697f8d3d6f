// The OpenAPI 3.1 description served at /openapi.json. Its schemas are JSON Schema 2020-12;
// the tests validate real responses against them, so the document cannot drift from the code.

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });
/** A header whose value is a JSON document (ASCII, non-ASCII escaped). */
const jsonHeader = (description: string, schema: object) => ({ description, required: true, content: json(schema) });

/** A file answered in the input's own format. */
const mediaFile = { 'image/*': { schema: { type: 'string', format: 'binary' } }, 'audio/*': { schema: { type: 'string', format: 'binary' } } };

const uploadBody = {
  required: true,
  description: 'The file as the raw body with its media type, or multipart/form-data with one file part.',
  content: {
    'image/png': { schema: { type: 'string', format: 'binary' } },
    'image/jpeg': { schema: { type: 'string', format: 'binary' } },
    'image/webp': { schema: { type: 'string', format: 'binary' } },
    'audio/wav': { schema: { type: 'string', format: 'binary' } },
    'audio/mpeg': { schema: { type: 'string', format: 'binary' } },
    'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } },
  },
};

const uploadErrors = {
  '400': errorResponse('Bad option (BAD_OPTION, BAD_LABEL), empty body (EMPTY_BODY) or malformed request (BAD_REQUEST).'),
  '401': errorResponse('Missing or wrong bearer token (UNAUTHORIZED); only when the service runs with a token file.'),
  '413': errorResponse('Upload over the body limit (BODY_TOO_LARGE).'),
  '415': errorResponse('Media type or file format not supported (UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_FORMAT).'),
  '422': errorResponse('The file is damaged or cannot hold a watermark; `error.code` is the AigcError code (CORRUPT_FILE, IMAGE_TOO_LARGE, ...).'),
  '500': errorResponse('Internal error (INTERNAL).'),
  '503': {
    description: 'The pool and its queue are full (BUSY); retry after Retry-After seconds.',
    headers: { 'Retry-After': { required: true, description: 'Seconds.', schema: { type: 'integer', minimum: 1 } } },
    content: json(ref('Error')),
  },
  '504': errorResponse('Processing took longer than the per-request time limit (TIMEOUT).'),
};

const nameParameter = { name: 'name', in: 'query', required: false, description: 'File name to echo in `file` (raw bodies; multipart uses the part\'s filename).', schema: { type: 'string' } };

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'aigc-mark',
    version: '0.1.0',
    description: 'GB 45438-2025 AI-content labels: Article 6 detection, marking and platform propagation.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Label: {
        type: 'object',
        description: 'The GB 45438 implicit label (Annex E field names).',
        required: ['Label', 'ContentProducer', 'ProduceID', 'ContentPropagator', 'PropagateID'],
        properties: {
          Label: { enum: ['1', '2', '3'] },
          ContentProducer: { type: 'string' },
          ProduceID: { type: 'string' },
          ReservedCode1: { type: 'string' },
          ContentPropagator: { type: 'string' },
          PropagateID: { type: 'string' },
          ReservedCode2: { type: 'string' },
        },
        additionalProperties: false,
      },
      Payload: {
        type: 'object',
        description: 'What the invisible watermark carries.',
        required: ['version', 'label', 'producerHash', 'content', 'keyed'],
        properties: {
          version: { type: 'integer' },
          label: { enum: ['1', '2', '3'] },
          producerHash: { type: 'string', pattern: '^[0-9a-f]{6}$' },
          content: {
            oneOf: [
              { type: 'object', required: ['kind', 'produceId'], properties: { kind: { const: 'minted' }, produceId: { type: 'string' } }, additionalProperties: false },
              { type: 'object', required: ['kind', 'produceIdHash'], properties: { kind: { const: 'hashed' }, produceIdHash: { type: 'string' } }, additionalProperties: false },
            ],
          },
          keyed: { type: 'boolean' },
        },
        additionalProperties: false,
      },
      Verdict: {
        type: 'object',
        required: ['label', 'basis'],
        properties: {
          label: { enum: ['1', '2', '3', null] },
          basis: { enum: ['metadata+watermark', 'metadata', 'watermark', 'declared', 'explicit', 'none'] },
          conflict: { const: true },
          tier: { enum: ['verified', 'possibly', 'suspected', 'none'] },
        },
        additionalProperties: false,
      },
      Finding: {
        type: 'object',
        required: ['code', 'kind', 'message'],
        properties: {
          code: {
            enum: [
              'METADATA_WITHOUT_WATERMARK',
              'WATERMARK_LABEL_MISMATCH',
              'WATERMARK_PRODUCER_MISMATCH',
              'WATERMARK_PRODUCE_ID_MISMATCH',
              'METADATA_MALFORMED',
              'METADATA_DUPLICATED',
              'METADATA_STRIPPED',
              'METADATA_EDITED',
            ],
          },
          kind: { enum: ['conflict', 'info'] },
          message: { type: 'string' },
        },
        additionalProperties: false,
      },
      Explicit: {
        description: 'The explicit label: the visible text in an image, the Morse "AI" rhythm in audio.',
        oneOf: [
          {
            type: 'object',
            required: ['kind', 'found', 'score', 'text', 'position', 'separation', 'box', 'tone'],
            properties: {
              kind: { const: 'image' },
              found: { type: 'boolean' },
              score: { type: 'number' },
              text: { type: ['string', 'null'] },
              position: { enum: ['top-left', 'top', 'top-right', 'left', 'right', 'bottom-left', 'bottom', 'bottom-right', null] },
              separation: { type: 'number' },
              box: {
                oneOf: [
                  { type: 'object', required: ['x', 'y', 'width', 'height'], properties: { x: { type: 'number' }, y: { type: 'number' }, width: { type: 'number' }, height: { type: 'number' } }, additionalProperties: false },
                  { type: 'null' },
                ],
              },
              tone: { enum: ['light', 'dark', null] },
            },
            additionalProperties: false,
          },
          {
            type: 'object',
            required: ['kind', 'found', 'score', 'start', 'end', 'frequency', 'tones'],
            properties: {
              kind: { const: 'audio' },
              found: { type: 'boolean' },
              score: { type: 'number' },
              start: { type: ['number', 'null'] },
              end: { type: ['number', 'null'] },
              frequency: { type: ['number', 'null'] },
              tones: { oneOf: [{ type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } }, { type: 'null' }] },
            },
            additionalProperties: false,
          },
          { type: 'object', required: ['kind', 'found', 'error'], properties: { kind: { const: 'error' }, found: { const: false }, error: ref('ErrorDetail') }, additionalProperties: false },
        ],
      },
      Inspection: {
        type: 'object',
        description: 'The Article 6 inspection of one file; the same document `aigc-mark detect --json` prints.',
        required: ['file', 'media', 'metadata', 'metadataState', 'watermark', 'explicit', 'verdict', 'findings', 'notes'],
        properties: {
          file: { type: 'string' },
          media: { enum: ['image', 'audio'] },
          metadata: { oneOf: [ref('Label'), { type: 'null' }] },
          metadataState: { enum: ['intact', 'edited', 'stripped', 'malformed', 'unverified', 'absent'] },
          watermark: {
            type: 'object',
            required: ['found', 'payload', 'score', 'location', 'falsePositiveChance'],
            properties: {
              found: { type: 'boolean' },
              payload: { oneOf: [ref('Payload'), { type: 'null' }] },
              score: { type: 'number' },
              location: {
                oneOf: [
                  { type: 'object', required: ['x', 'y'], properties: { x: { type: 'number' }, y: { type: 'number' } }, additionalProperties: false },
                  { type: 'object', required: ['seconds'], properties: { seconds: { type: 'number' } }, additionalProperties: false },
                  { type: 'null' },
                ],
              },
              falsePositiveChance: { type: 'number', minimum: 0, maximum: 1 },
              layer: { enum: ['tile', 'working-size'] },
              geometry: {
                type: 'object',
                description: 'Images, when found: the scale (grid size against where it was embedded), rotation and flip or quarter turn the detector undid.',
                required: ['scale', 'rotationDegrees', 'orientation'],
                properties: {
                  scale: { type: 'number', exclusiveMinimum: 0 },
                  rotationDegrees: { type: 'number' },
                  orientation: { enum: ['none', 'flip-horizontal', 'flip-vertical', 'turn-180', 'transpose', 'turn-90', 'turn-270', 'transverse'] },
                },
                additionalProperties: false,
              },
              speed: { type: 'number', exclusiveMinimum: 0, description: 'Audio, when found: the speed change (time and pitch together) the detector undid; 1.02 plays 2% fast.' },
              tempo: { type: 'number', exclusiveMinimum: 0, description: 'Audio, when found: the tempo change (time alone, pitch kept) the detector undid.' },
              pitch: { type: 'number', exclusiveMinimum: 0, description: 'Audio, when found: the pitch shift (frequency ratio, tempo kept) the detector undid; 1.0175 is 30 cents up.' },
              error: ref('ErrorDetail'),
            },
            additionalProperties: false,
          },
          explicit: ref('Explicit'),
          verdict: ref('Verdict'),
          findings: { type: 'array', items: ref('Finding') },
          notes: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
      ErrorDetail: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' }, message: { type: 'string', minLength: 1 } },
        additionalProperties: false,
      },
      Error: {
        type: 'object',
        description: 'The error document `aigc-mark detect --json` prints; `file` is null when the failure is not about a file.',
        required: ['file', 'error'],
        properties: { file: { type: ['string', 'null'] }, error: ref('ErrorDetail') },
        additionalProperties: false,
      },
      Health: {
        type: 'object',
        required: ['status', 'pool'],
        properties: {
          status: { const: 'ok' },
          pool: {
            type: 'object',
            required: ['threads', 'admitted', 'running', 'queued'],
            properties: {
              threads: { type: 'integer', minimum: 1 },
              admitted: { type: 'integer', minimum: 0 },
              running: { type: 'integer', minimum: 0 },
              queued: { type: 'integer', minimum: 0 },
            },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
  },
  paths: {
    '/v1/detect': {
      post: {
        summary: 'Article 6 inspection: metadata label, watermark, verdict.',
        security: [{ bearer: [] }, {}],
        parameters: [nameParameter],
        requestBody: uploadBody,
        responses: { '200': { description: 'The inspection.', content: json(ref('Inspection')) }, ...uploadErrors },
      },
    },
    '/v1/mark': {
      post: {
        summary: 'Write the invisible watermark and the metadata label; the answer is the marked file, in the input\'s format.',
        security: [{ bearer: [] }, {}],
        parameters: [
          nameParameter,
          { name: 'producer', in: 'query', required: true, description: 'ContentProducer (Annex E charset).', schema: { type: 'string' } },
          { name: 'produceId', in: 'query', required: false, description: 'ProduceID; omitted: one is minted that the watermark carries exactly.', schema: { type: 'string' } },
          { name: 'label', in: 'query', required: false, schema: { enum: ['1', '2', '3'], default: '1' } },
          { name: 'strength', in: 'query', required: false, schema: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 1 } },
        ],
        requestBody: uploadBody,
        responses: {
          '200': {
            description: 'The marked file.',
            headers: {
              'X-Aigc-Label': jsonHeader('The label written.', ref('Label')),
              'X-Aigc-Payload': jsonHeader('The watermark payload.', ref('Payload')),
              'X-Aigc-Quality': jsonHeader('Quality of the marked file against the input, in dB.', {
                oneOf: [
                  { type: 'object', required: ['psnr'], properties: { psnr: { type: 'number' } }, additionalProperties: false },
                  { type: 'object', required: ['snr'], properties: { snr: { type: 'number' } }, additionalProperties: false },
                ],
              }),
            },
            content: mediaFile,
          },
          ...uploadErrors,
        },
      },
    },
    '/v1/propagate': {
      post: {
        summary: 'Platform side of Article 6: inspect, then write ContentPropagator and PropagateID (no re-encoding).',
        security: [{ bearer: [] }, {}],
        parameters: [
          nameParameter,
          { name: 'propagator', in: 'query', required: true, description: 'ContentPropagator: the platform code.', schema: { type: 'string' } },
          { name: 'propagateId', in: 'query', required: false, description: 'PropagateID; omitted: one is minted.', schema: { type: 'string' } },
          { name: 'declared', in: 'query', required: false, description: 'The uploader declared the content AI-generated.', schema: { type: 'boolean' } },
        ],
        requestBody: uploadBody,
        responses: {
          '200': {
            description: 'The labelled file.',
            headers: {
              'X-Aigc-Label': jsonHeader('The label written.', ref('Label')),
              'X-Aigc-Inspection': jsonHeader('The inspection.', ref('Inspection')),
            },
            content: mediaFile,
          },
          '204': {
            description: 'Nothing found and nothing declared: no label written.',
            headers: { 'X-Aigc-Inspection': jsonHeader('The inspection.', ref('Inspection')) },
          },
          ...uploadErrors,
        },
      },
    },
    '/healthz': {
      get: { summary: 'Liveness; answers while the pool is busy.', responses: { '200': { description: 'Up.', content: json(ref('Health')) }, '503': { description: 'Shutting down.' } } },
    },
    '/metrics': {
      get: { summary: 'Prometheus metrics.', responses: { '200': { description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } } } },
    },
    '/openapi.json': {
      get: { summary: 'This document.', responses: { '200': { description: 'OpenAPI 3.1.', content: json({ type: 'object' }) } } },
    },
  },
} as const;
