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

export interface EventCursor {
  at: Date;
  messageId: string;
}

/**
 * The journey: the profile's events in canonical order (R1), a page at a time. Each identifier's
 * events come off the (owner, timestamp) index already ordered and cut at the page size, so a
 * page of a profile with thousands of events reads a page per identifier, not all of them.
 */
export async function profileEvents(db: Db, workspaceId: string, profileId: string, limit: number, after?: EventCursor) {
  const own: SQL[] = [eq(events.workspaceId, identities.workspaceId), eq(events.ownerId, identities.value)];
  if (after) {
    own.push(or(gt(events.timestamp, after.at), and(eq(events.timestamp, after.at), sql`${events.messageId} collate "C" > ${after.messageId}`))!);
  }
  const perOwner = db.select().from(events).where(and(...own))
    .orderBy(asc(events.timestamp), sql`${events.messageId} collate "C"`)
    .limit(limit + 1)
    .as('e');
  const rows = await db.select().from(identities)
    .crossJoinLateral(perOwner)
    .where(and(eq(identities.workspaceId, workspaceId), eq(identities.profileId, profileId)))
    .orderBy(asc(perOwner.timestamp), sql`${perOwner.messageId} collate "C"`)
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).map((r) => r.e);
  const last = page[page.length - 1];
  return { rows: page, next: more && last ? { at: last.timestamp, messageId: last.messageId } : null };
}
