import { Hono } from 'hono';
import { z } from 'zod';
import { listEvents, type StoredEvent } from '../../db/list-events.ts';
import { isoTimestamp } from '../../ingest/messages/common.ts';
import { messageTypes } from '../../ingest/messages/index.ts';
import { secretKey } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';

const query = z.object({
  type: z.enum(messageTypes as [string, ...string[]]).optional(),
  event: z.string().min(1).optional(),
  anonymousId: z.string().min(1).optional(),
  userId: z.string().min(1).optional(),
  since: isoTimestamp.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^[1-9][0-9]{0,17}$/, 'not a cursor from a previous page').optional(),
});

/** The stored event as Segment's debugger would show it, plus what Vista derived. */
function present(row: StoredEvent) {
  return {
    messageId: row.messageId,
    type: row.type,
    event: row.event ?? undefined,
    name: row.name ?? undefined,
    anonymousId: row.anonymousId,
    userId: row.userId,
    previousId: row.previousId ?? undefined,
    groupId: row.groupId ?? undefined,
    sourceId: row.sourceId,
    timestamp: row.timestamp,
    originalTimestamp: row.originalTimestamp,
    sentAt: row.sentAt,
    receivedAt: row.receivedAt,
    properties: row.properties ?? undefined,
    traits: row.traits ?? undefined,
    context: row.context,
    enrichment: {
      url: row.url,
      path: row.path,
      referrer: row.referrer,
      referrerHost: row.referrerHost,
      channel: row.channel,
      campaign: {
        source: row.utmSource,
        medium: row.utmMedium,
        name: row.utmCampaign,
        term: row.utmTerm,
        content: row.utmContent,
      },
      clickId: row.clickIdType ? { type: row.clickIdType, value: row.clickId } : null,
      device: {
        type: row.deviceType,
        vendor: row.deviceVendor,
        model: row.deviceModel,
        browser: row.browser,
        browserVersion: row.browserVersion,
        engine: row.engine,
        os: row.os,
        osVersion: row.osVersion,
      },
      country: row.country,
      ip: row.ip,
      isBot: row.isBot,
    },
  };
}

export function eventRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/v1/events', secretKey(), async (c) => {
    const parsed = query.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.');
      throw new HttpError(400, 'invalid_query', `${field}: ${issue.message}`, { field });
    }
    const q = parsed.data;
    const { rows, nextSeq } = await listEvents(c.var.services.db, {
      workspaceId: c.var.owner.workspaceId,
      type: q.type,
      event: q.event,
      anonymousId: q.anonymousId,
      userId: q.userId,
      since: q.since ? new Date(q.since) : undefined,
      beforeSeq: q.cursor ? Number(q.cursor) : undefined,
      limit: q.limit,
    });
    return c.json({ data: rows.map(present), nextCursor: nextSeq === null ? null : String(nextSeq) });
  });
  return app;
}
