import { z } from 'zod';
import { messageSchemas, type MessageType } from '../../ingest/messages/index.ts';
import { eventsListQuery } from '../routes/events.ts';
import { profileListQuery } from '../routes/profile-list-query.ts';
import { journeyQuery, resolveQuery } from '../routes/profiles.ts';

type Json = Record<string, unknown>;

/** JSON Schema of what a client sends (the input side of transforms such as number ids). */
const schemaOf = (schema: z.ZodType): Json => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;

function queryParameters(schema: z.ZodObject): Json[] {
  const json = schemaOf(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

const error = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { description: 'error', content: { 'application/json': { schema: error } } }]));
const json = (schema: Json, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

function singleMessage(type: MessageType, short: string) {
  const op = {
    tags: ['Ingest'],
    summary: `Send one ${type} message`,
    description: `Also at /v1/${short}. The path sets the type. Write key as Basic user name, ?key= or writeKey.`,
    security: [{ writeKey: [] }, { writeKeyQuery: [] }],
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${type}` } }, 'text/plain': { schema: { type: 'string' } } } },
    responses: { '200': json({ $ref: '#/components/schemas/IngestResult' }), ...errors(400, 401, 403, 413, 415) },
  };
  return { [`/v1/${type}`]: { post: op } };
}

const SHORT: Record<MessageType, string> = { track: 't', page: 'p', screen: 's', identify: 'i', group: 'g', alias: 'a' };

/** The OpenAPI 3.1 description of every endpoint, built from the same zod schemas that validate requests. */
export function openApiDocument(serverUrl?: string): Json {
  const messages = Object.fromEntries(Object.entries(messageSchemas).map(([type, schema]) => [type, schemaOf(schema)]));
  const secret = [{ secretKey: [] }];
  return {
    openapi: '3.1.0',
    info: { title: 'Vista collector API', version: '0.1.0', description: 'Segment-compatible ingest, the events debugger, and behavioural profiles.' },
    servers: serverUrl ? [{ url: serverUrl }] : [],
    components: {
      securitySchemes: {
        writeKey: { type: 'http', scheme: 'basic', description: 'The source write key as user name, empty password.' },
        writeKeyQuery: { type: 'apiKey', in: 'query', name: 'key' },
        secretKey: { type: 'http', scheme: 'bearer', description: 'The workspace secret key.' },
      },
      schemas: {
        ...messages,
        Message: { oneOf: Object.keys(messages).map((t) => ({ $ref: `#/components/schemas/${t}` })) },
        Batch: { type: 'object', required: ['batch'], properties: { batch: { type: 'array', items: { $ref: '#/components/schemas/Message' } }, sentAt: { type: 'string', format: 'date-time' }, writeKey: { type: 'string' }, context: { type: 'object' }, integrations: { type: 'object' } } },
        IngestResult: {
          type: 'object',
          properties: {
            success: { type: 'boolean' },
            stored: { type: 'integer' },
            errors: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, messageId: { type: ['string', 'null'] }, code: { enum: ['invalid_message', 'invalid_type', 'invalid_field', 'message_too_large', 'no_valid_identifier'] }, field: { type: ['string', 'null'] }, message: { type: 'string' } } } },
            warnings: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, messageId: { type: 'string' }, code: { enum: ['duplicate', 'blocked_identifier', 'merge_conflict', 'identity_limit', 'suppressed'] }, message: { type: 'string' } } } },
          },
        },
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: ['string', 'null'] } } } } },
        Page: { type: 'object', properties: { data: { type: 'array', items: { type: 'object' } }, nextCursor: { type: ['string', 'null'] } } },
      },
    },
    paths: {
      '/v1/batch': {
        post: {
          tags: ['Ingest'],
          summary: 'Send a batch of messages (also /v1/b and /v1/import)',
          description: 'Valid items are stored even when others are rejected; each rejected item is reported. 500 KB at most, 32 KB per message.',
          security: [{ writeKey: [] }, { writeKeyQuery: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Batch' } }, 'text/plain': { schema: { type: 'string' } } } },
          responses: { '200': json({ $ref: '#/components/schemas/IngestResult' }), ...errors(400, 401, 403, 413, 415) },
        },
      },
      ...Object.assign({}, ...Object.entries(SHORT).map(([type, short]) => singleMessage(type as MessageType, short))),
      '/v1/events': { get: { tags: ['Events'], summary: 'Newest stored events, filtered, a page at a time', security: secret, parameters: queryParameters(eventsListQuery), responses: { '200': json({ $ref: '#/components/schemas/Page' }), ...errors(400, 401) } } },
      '/v1/profiles': { get: { tags: ['Profiles'], summary: 'List and filter profiles; Accept text/csv or application/x-ndjson exports them all', description: 'trait.<key>=<value> filters on trait equality.', security: secret, parameters: queryParameters(profileListQuery), responses: { '200': json({ $ref: '#/components/schemas/Page' }), ...errors(400, 401) } } },
      '/v1/profiles/resolve': { get: { tags: ['Profiles'], summary: 'The profile an identifier belongs to', security: secret, parameters: queryParameters(resolveQuery as unknown as z.ZodObject), responses: { '200': json({ type: 'object' }), ...errors(400, 401, 404) } } },
      '/v1/profiles/{id}': {
        get: { tags: ['Profiles'], summary: 'A profile; an absorbed id answers with the survivor', security: secret, parameters: [idParam], responses: { '200': json({ type: 'object' }), ...errors(401, 404) } },
        delete: { tags: ['Profiles'], summary: 'Erase a profile over all its merges and suppress its identifiers', security: secret, parameters: [idParam, { name: 'dryRun', in: 'query', schema: { enum: ['true', 'false'] } }], responses: { '200': json({ type: 'object' }), ...errors(401, 404) } },
      },
      '/v1/profiles/{id}/events': { get: { tags: ['Profiles'], summary: 'The journey: the profile’s events in canonical order', security: secret, parameters: [idParam, ...queryParameters(journeyQuery)], responses: { '200': json({ $ref: '#/components/schemas/Page' }), ...errors(400, 401, 404) } } },
      '/v1/profiles/{id}/unlink': { post: { tags: ['Profiles'], summary: 'Detach an identifier from the profile, for good', security: secret, parameters: [idParam], requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['identifier'], properties: { identifier: { type: 'string' } } } } } }, responses: { '200': json({ type: 'object' }), ...errors(400, 401, 404) } } },
      '/v1/suppressions': { get: { tags: ['Profiles'], summary: 'Suppressed identifiers of erased people', security: secret, responses: { '200': json({ $ref: '#/components/schemas/Page' }), ...errors(401) } } },
      '/v1/suppressions/{value}': { delete: { tags: ['Profiles'], summary: 'Lift a suppression', security: secret, parameters: [{ name: 'value', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': json({ type: 'object' }), ...errors(401, 404) } } },
      '/health': { get: { tags: ['Operations'], summary: 'Liveness', responses: { '200': json({ type: 'object' }) } } },
      '/openapi.json': { get: { tags: ['Operations'], summary: 'This document', responses: { '200': json({ type: 'object' }) } } },
      '/docs': { get: { tags: ['Operations'], summary: 'The API reference as a page', responses: { '200': { description: 'HTML' } } } },
    },
  };
}
