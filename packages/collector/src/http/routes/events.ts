import { Hono } from 'hono';
import { z } from 'zod';
import { listEvents } from '../../db/list-events.ts';
import { presentEvent } from './present-event.ts';
import { isoTimestamp } from '../../ingest/messages/common.ts';
import { messageTypes } from '../../ingest/messages/index.ts';
import { secretKey } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { parseQuery } from './query.ts';

export const eventsListQuery = z.object({
  type: z.enum(messageTypes as [string, ...string[]]).optional(),
  event: z.string().min(1).optional(),
  anonymousId: z.string().min(1).optional(),
  userId: z.string().min(1).optional(),
  since: isoTimestamp.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^[1-9][0-9]{0,17}$/, 'not a cursor from a previous page').optional(),
});

export function eventRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/v1/events', secretKey(), async (c) => {
    const q = parseQuery(eventsListQuery, c.req.query());
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
    return c.json({ data: rows.map(presentEvent), nextCursor: nextSeq === null ? null : String(nextSeq) });
  });
  return app;
}
