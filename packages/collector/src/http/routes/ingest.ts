import { Hono, type Context } from 'hono';
import { ingestItems } from '../../ingest/ingest.ts';
import { countryFromHeaders, clientIpFromHeaders } from '../../ingest/enrich/ip.ts';
import { MAX_BATCH_BYTES, MAX_MESSAGE_BYTES } from '../../ingest/limits.ts';
import type { MessageType } from '../../ingest/messages/index.ts';
import { needsSanitizing, sanitizeJson } from '../../ingest/sanitize.ts';
import type { Arrival } from '../../ingest/to-row.ts';
import { authenticate, writeKeyOf } from '../auth.ts';
import { assertOriginAllowed } from '../cors.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import { readJsonBody, type BodyLimit } from '../body.ts';
import { identityPolicy } from '../../identity/policy.ts';
import { suppressedAmong } from '../../db/erasure.ts';

type Json = Record<string, unknown>;

const batchLimit: BodyLimit = {
  bytes: MAX_BATCH_BYTES,
  tooLarge: () => new HttpError(413, 'batch_too_large', `a batch may hold at most ${MAX_BATCH_BYTES} bytes`),
};
const messageLimit: BodyLimit = {
  bytes: MAX_MESSAGE_BYTES,
  tooLarge: () => new HttpError(413, 'message_too_large', `a message may hold at most ${MAX_MESSAGE_BYTES} bytes`),
};

/** Single-message paths, long and short (Segment's browser library uses the short ones). */
const SINGLE: Record<string, MessageType> = {
  track: 'track', t: 'track', page: 'page', p: 'page', screen: 'screen', s: 'screen',
  identify: 'identify', i: 'identify', alias: 'alias', a: 'alias', group: 'group', g: 'group',
};

export interface IngestRouteOptions {
  /** The sender's IP when the runtime knows it (socket address on Node). */
  clientIp?: (c: Context) => string | null;
  /**
   * Whether CF-Connecting-IP, X-Forwarded-For and the country headers come from a trusted
   * edge. Behind no proxy any client could forge them, so Node trusts them only when told.
   */
  trustEdgeHeaders?: boolean;
  /** Another path that takes batches, for sites whose visitors' ad-blockers block /v1/batch. */
  ingestPath?: string;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function parse(c: Context<AppEnv>, limit: BodyLimit): Promise<Json> {
  const { value, text } = await readJsonBody(c.req.raw, limit);
  const body = needsSanitizing(text) ? sanitizeJson(value) : value;
  if (!isObject(body)) throw new HttpError(400, 'invalid_body', 'the body must be a JSON object');
  return body;
}

function arrival(c: Context<AppEnv>, body: Json, options: IngestRouteOptions): Omit<Arrival, 'workspaceId' | 'sourceId' | 'ipMode'> {
  // Only a browser's own request says where the person is; a server library's says where the server is.
  const fromBrowser = c.req.header('origin') !== undefined || c.req.header('sec-fetch-site') !== undefined;
  const headers = c.req.raw.headers;
  const trusted = options.trustEdgeHeaders ?? false;
  const edgeIp = trusted ? clientIpFromHeaders(headers) : null;
  return {
    receivedAt: new Date(),
    batchSentAt: typeof body.sentAt === 'string' && !Number.isNaN(Date.parse(body.sentAt)) ? body.sentAt : undefined,
    country: fromBrowser && trusted ? countryFromHeaders(headers) : null,
    ip: fromBrowser ? (edgeIp ?? options.clientIp?.(c) ?? null) : null,
  };
}

/** Batch-level `context` and `integrations` apply to every item that does not set its own. */
function withBatchDefaults(items: unknown[], body: Json): unknown[] {
  const context = isObject(body.context) ? body.context : undefined;
  const integrations = isObject(body.integrations) ? body.integrations : undefined;
  if (!context && !integrations) return items;
  return items.map((item) =>
    isObject(item)
      ? {
          ...item,
          context: { ...context, ...(isObject(item.context) ? item.context : {}) },
          integrations: { ...integrations, ...(isObject(item.integrations) ? item.integrations : {}) },
        }
      : item,
  );
}

export function ingestRoutes(options: IngestRouteOptions = {}) {
  const app = new Hono<AppEnv>();

  async function store(c: Context<AppEnv>, body: Json, items: unknown[], type?: MessageType) {
    const owner = await authenticate(c, writeKeyOf(c, body), 'write');
    assertOriginAllowed(owner, c.req.header('origin'));
    const outcome = await ingestItems(
      items,
      { ...arrival(c, body, options), workspaceId: owner.workspaceId, sourceId: owner.sourceId!, ipMode: owner.settings.ipMode ?? 'drop' },
      identityPolicy(owner.settings),
      (rows) => c.var.services.writeEvents(rows),
      type,
      owner.hasSuppressions ? (values) => suppressedAmong(c.var.services.db, owner.workspaceId, values) : undefined,
    );
    return outcome;
  }

  const batch = async (c: Context<AppEnv>) => {
    const body = await parse(c, batchLimit);
    if (!Array.isArray(body.batch)) throw new HttpError(400, 'invalid_body', 'batch: must be an array of messages');
    if (body.batch.length === 0) throw new HttpError(400, 'invalid_body', 'batch: holds no messages');
    const outcome = await store(c, body, withBatchDefaults(body.batch, body));
    return c.json({ success: true, ...outcome });
  };
  app.post('/v1/batch', batch);
  if (options.ingestPath) app.post(options.ingestPath, batch);
  app.post('/v1/b', batch);
  app.post('/v1/import', batch);

  const single = (type: MessageType) => async (c: Context<AppEnv>) => {
    const body = await parse(c, messageLimit);
    const outcome = await store(c, body, [body], type);
    const error = outcome.errors[0];
    if (error) {
      const status = error.code === 'message_too_large' ? 413 : 400;
      throw new HttpError(status, 'invalid_message', error.message, { field: error.field, reason: error.code });
    }
    return c.json({ success: true, ...outcome });
  };
  // Spelled out, not a pattern: a pattern route would also catch longer paths under /v1.
  for (const [path, type] of Object.entries(SINGLE)) app.post(`/v1/${path}`, single(type));

  return app;
}
