import { and, desc, eq, gte, isNull, lt, type SQL } from 'drizzle-orm';
import type { Db } from './database.ts';
import { events } from './schema.ts';

export interface EventFilter {
  workspaceId: string;
  type?: string;
  event?: string;
  anonymousId?: string;
  userId?: string;
  /** Only events received at or after this instant. */
  since?: Date;
  /** Only events stored before this position (the cursor of the previous page). */
  beforeSeq?: number;
  limit: number;
}

export type StoredEvent = typeof events.$inferSelect;

/** Newest stored events first, as a debugger shows them; one row more tells if a page follows. */
export async function listEvents(db: Db, filter: EventFilter): Promise<{ rows: StoredEvent[]; nextSeq: number | null }> {
  const conditions: SQL[] = [eq(events.workspaceId, filter.workspaceId), isNull(events.erasedAt)];
  if (filter.type) conditions.push(eq(events.type, filter.type));
  if (filter.event) conditions.push(eq(events.event, filter.event));
  if (filter.anonymousId) conditions.push(eq(events.anonymousId, filter.anonymousId));
  if (filter.userId) conditions.push(eq(events.userId, filter.userId));
  if (filter.since) conditions.push(gte(events.receivedAt, filter.since));
  if (filter.beforeSeq !== undefined) conditions.push(lt(events.seq, filter.beforeSeq));
  const rows = await db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(desc(events.seq))
    .limit(filter.limit + 1);
  const more = rows.length > filter.limit;
  const page = more ? rows.slice(0, filter.limit) : rows;
  return { rows: page, nextSeq: more ? Number(page[page.length - 1]!.seq) : null };
}
