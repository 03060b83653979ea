import { and, asc, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from './database.ts';
import { events, identities, identityHistory, identityLinks, profiles } from './schema.ts';

export type ProfileRecord = typeof profiles.$inferSelect;

export async function findProfile(db: Db, workspaceId: string, id: string): Promise<ProfileRecord | null> {
  const [row] = await db.select().from(profiles).where(and(eq(profiles.workspaceId, workspaceId), eq(profiles.id, id))).limit(1);
  return row ?? null;
}

/** The profile an identifier value belongs to now. */
export async function profileIdOfValue(db: Db, workspaceId: string, value: string): Promise<string | null> {
  const [row] = await db.select({ id: identities.profileId }).from(identities)
    .where(and(eq(identities.workspaceId, workspaceId), eq(identities.value, value))).limit(1);
  return row?.id ?? null;
}

/** R18: the id of an absorbed profile resolves to the profile its identifiers are in now. */
export async function survivorOf(db: Db, workspaceId: string, id: string): Promise<string | null> {
  const [row] = await db.select({ id: identities.profileId }).from(identities)
    .where(and(eq(identities.workspaceId, workspaceId), eq(identities.selfId, id))).limit(1);
  return row?.id ?? null;
}

/** Links that touch the profile's identifiers, with what grouping made of them. */
export async function linksOfProfile(db: Db, workspaceId: string, values: string[]) {
  if (values.length === 0) return [];
  const list = sql.join(values.map((v) => sql`${v}`), sql`, `);
  return db.select().from(identityLinks)
    .where(and(eq(identityLinks.workspaceId, workspaceId), or(sql`${identityLinks.a} in (${list})`, sql`${identityLinks.b} in (${list})`)))
    .orderBy(asc(identityLinks.at), asc(identityLinks.messageId), asc(identityLinks.position));
}

export async function historyOfProfile(db: Db, workspaceId: string, id: string) {
  return db.select().from(identityHistory)
    .where(and(eq(identityHistory.workspaceId, workspaceId), or(eq(identityHistory.profileId, id), eq(identityHistory.otherProfileId, id))))
    .orderBy(asc(identityHistory.id));
}

/** Where the profile stands among the workspace's customers: counts at or below its values. */
export async function rfmCounts(db: Db, workspaceId: string, profileId: string) {
  const result = await db.execute(sql`
    with me as (select last_order_at, orders, revenue from profiles where workspace_id = ${workspaceId} and id = ${profileId})
    select count(*)::int as total,
      count(*) filter (where p.last_order_at <= me.last_order_at)::int as recency,
      count(*) filter (where p.orders <= me.orders)::int as frequency,
      count(*) filter (where p.revenue <= me.revenue)::int as monetary
    from profiles p, me where p.workspace_id = ${workspaceId} and p.orders > 0`);
  const [row] = rowsOf<{ total: number; recency: number; frequency: number; monetary: number }>(result);
  return row ?? { total: 0, recency: 0, frequency: 0, monetary: 0 };
}

export interface EventCursor {
  at: Date;
  messageId: string;
}

/** The journey: the profile's events in canonical order (R1), a page at a time. */
export async function profileEvents(db: Db, workspaceId: string, profileId: string, limit: number, after?: EventCursor) {
  const conditions: SQL[] = [eq(events.workspaceId, workspaceId), eq(identities.profileId, profileId)];
  if (after) {
    conditions.push(or(gt(events.timestamp, after.at), and(eq(events.timestamp, after.at), sql`${events.messageId} collate "C" > ${after.messageId}`))!);
  }
  const rows = await db.select({ event: events }).from(events)
    .innerJoin(identities, and(eq(identities.workspaceId, events.workspaceId), eq(identities.value, events.ownerId)))
    .where(and(...conditions))
    .orderBy(asc(events.timestamp), sql`${events.messageId} collate "C"`)
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).map((r) => r.event);
  const last = page[page.length - 1];
  return { rows: page, next: more && last ? { at: last.timestamp, messageId: last.messageId } : null };
}

