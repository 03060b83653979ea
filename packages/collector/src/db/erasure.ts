import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { anyOf, textArray } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';
import { events, identities, identityHistory, identityLinks, identityUnlinks, profiles, suppressions } from './schema.ts';

export async function suppressedAmong(db: Db, workspaceId: string, values: readonly string[]): Promise<Set<string>> {
  const result = await db.execute(sql`
    select value from suppressions where workspace_id = ${workspaceId} and value = any(${textArray(values)})`);
  return new Set(rowsOf<{ value: string }>(result).map((r) => r.value));
}

export interface ErasurePlan {
  profileId: string;
  identifiers: string[];
  /** Ids of profiles merged into this one over time: erased with it (R19). */
  absorbedProfileIds: string[];
  messages: number;
  messageIds: string[];
}

/** The profile's own messages, and the aliases that name its identifiers. */
function messagesOf(workspaceId: string, values: string[]) {
  return and(
    eq(events.workspaceId, workspaceId),
    isNull(events.erasedAt),
    or(anyOf(events.ownerId, values), and(eq(events.type, 'alias'), or(anyOf(events.userId, values), anyOf(events.previousId, values)))),
  );
}

/** What erasing would remove; nothing is changed. */
export async function planErasure(db: Db, workspaceId: string, profileId: string): Promise<ErasurePlan | null> {
  const members = await db.select().from(identities).where(and(eq(identities.workspaceId, workspaceId), eq(identities.profileId, profileId)));
  if (members.length === 0) return null;
  const values = members.map((m) => m.value).sort();
  const messages = await db.select({ id: events.messageId }).from(events).where(messagesOf(workspaceId, values));
  return {
    profileId,
    identifiers: values,
    absorbedProfileIds: members.map((m) => m.selfId).filter((id) => id !== profileId).sort(),
    messages: messages.length,
    messageIds: messages.map((m) => m.id).sort(),
  };
}

const ERASED = {
  anonymousId: null, userId: null, email: null, ownerId: null, previousId: null, groupId: null, event: null, name: null,
  url: null, path: null, referrer: null, referrerHost: null, utmSource: null, utmMedium: null, utmCampaign: null,
  utmTerm: null, utmContent: null, clickIdType: null, clickId: null, browser: null, browserVersion: null, engine: null,
  os: null, osVersion: null, deviceType: null, deviceVendor: null, deviceModel: null, country: null, ip: null,
  properties: null, traits: null, context: null, originalTimestamp: null,
} as const;

/**
 * R19/R20: erases a profile (every identifier, message, trait and its history, over all
 * merges) and suppresses its identifiers. Message rows keep only id and times, so retries
 * stay duplicates (R4). Caller holds the workspace lock inside a transaction.
 */
export async function eraseProfile(db: Db, workspaceId: string, plan: ErasurePlan): Promise<void> {
  const values = plan.identifiers;
  await db.update(events).set({ ...ERASED, erasedAt: new Date() }).where(messagesOf(workspaceId, values));
  await db.delete(identityLinks).where(and(eq(identityLinks.workspaceId, workspaceId), or(anyOf(identityLinks.a, values), anyOf(identityLinks.b, values))));
  await db.delete(identities).where(and(eq(identities.workspaceId, workspaceId), anyOf(identities.value, values)));
  const profileIds = [plan.profileId, ...plan.absorbedProfileIds];
  await db.delete(identityHistory).where(and(eq(identityHistory.workspaceId, workspaceId), or(anyOf(identityHistory.profileId, profileIds), anyOf(identityHistory.otherProfileId, profileIds))));
  await db.delete(identityUnlinks).where(and(eq(identityUnlinks.workspaceId, workspaceId), anyOf(identityUnlinks.value, values)));
  await db.delete(profiles).where(and(eq(profiles.workspaceId, workspaceId), eq(profiles.id, plan.profileId)));
  await db.execute(sql`
    insert into suppressions (workspace_id, value) select ${workspaceId}, v from unnest(${textArray(values)}) as v
    on conflict do nothing`);
}

export async function listSuppressions(db: Db, workspaceId: string) {
  return db.select({ value: suppressions.value, createdAt: suppressions.createdAt }).from(suppressions)
    .where(eq(suppressions.workspaceId, workspaceId)).orderBy(suppressions.createdAt);
}

export async function unsuppress(db: Db, workspaceId: string, value: string): Promise<boolean> {
  const removed = await db.delete(suppressions).where(and(eq(suppressions.workspaceId, workspaceId), eq(suppressions.value, value))).returning();
  return removed.length > 0;
}

export async function addUnlink(db: Db, workspaceId: string, value: string): Promise<void> {
  await db.insert(identityUnlinks).values({ workspaceId, value }).onConflictDoNothing();
}
