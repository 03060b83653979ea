import { and, eq, sql, type SQL } from 'drizzle-orm';
import { anyOf, eachValue, textArray } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';
import { identityColumns, toIdentity, type IdentityRecord, type StoredIdentity } from './identity-store.ts';
import { events, identities, profiles } from './schema.ts';

/** A profile's member: one of its identifiers, as identity stores it. */
export type MemberRow = StoredIdentity;

/** membersOf's statement: the identities of the profiles, looked up profile by profile (db/bulk.ts `eachValue`; lookups.test.ts checks the plan). */
export const membersQuery = (workspaceId: string, profileIds: readonly string[]): SQL => sql`
  select x.* from ${eachValue(profileIds, (id) => sql`
    select ${identityColumns} from identities where workspace_id = ${workspaceId} and profile_id = ${id}`)}`;

export async function membersOf(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<MemberRow[]> {
  if (profileIds.length === 0) return [];
  return rowsOf<IdentityRecord>(await db.execute(membersQuery(workspaceId, profileIds))).map(toIdentity);
}

/** What a profile is built from: the columns of its events, with the profile each belongs to. */
export const profileEventColumns = {
  messageId: events.messageId,
  type: events.type,
  event: events.event,
  name: events.name,
  timestamp: events.timestamp,
  sourceId: events.sourceId,
  channel: events.channel,
  utmSource: events.utmSource,
  utmMedium: events.utmMedium,
  utmCampaign: events.utmCampaign,
  referrer: events.referrer,
  referrerHost: events.referrerHost,
  url: events.url,
  path: events.path,
  deviceType: events.deviceType,
  browser: events.browser,
  os: events.os,
  country: events.country,
  isBot: events.isBot,
  properties: events.properties,
  traits: events.traits,
  // Profiles need only whether the person caused the message (R17); the full context is large.
  context: sql<Record<string, unknown> | null>`case when ${events.context} -> 'active' = 'false'::jsonb then '{"active":false}'::jsonb end`,
};

/**
 * All events of the profiles, column by column (profile-event.ts's `toProfileEvent` reads them):
 * the reading tests compare db/profile-events.ts's with.
 */
export async function eventsOfProfiles(db: Db, workspaceId: string, profileIds: readonly string[]) {
  if (profileIds.length === 0) return [];
  return db
    .select({ profileId: identities.profileId, ...profileEventColumns })
    .from(events)
    .innerJoin(identities, and(eq(identities.workspaceId, events.workspaceId), eq(identities.value, events.ownerId)))
    .where(and(eq(events.workspaceId, workspaceId), anyOf(identities.profileId, profileIds)));
}

/** The list columns are required: a row written without them would silently drop out of the channel and source filters. */
export type ProfileRow = Omit<typeof profiles.$inferInsert, 'workspaceId' | 'updatedAt' | 'channels' | 'sources'> & { channels: string[]; sources: string[] };

/**
 * Profiles upserted in one statement, each row a JSON array in a jsonb parameter, the state as a
 * JSON string in it (stored as sent: jsonb would reorder its keys). As a json_to_recordset of
 * objects this statement took 21-26 ms for 300 profiles, 17 of them turning the state, traits
 * and lists into columns; as tuples, 12-14 ms.
 */
export async function saveProfiles(db: Db, workspaceId: string, rows: readonly ProfileRow[]): Promise<void> {
  if (rows.length === 0) return;
  const tuples = [...rows]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((r) => [
      r.id, r.known, r.identifierCount, r.firstSeen ?? null, r.lastSeen ?? null, r.events, r.orders, r.revenue, r.lastOrderAt ?? null,
      r.averageDaysBetweenOrders ?? null, r.traits, r.state == null ? null : JSON.stringify(r.state), r.channels, r.sources,
    ]);
  await db.execute(sql`
    insert into profiles (workspace_id, id, known, identifier_count, first_seen, last_seen, events, orders, revenue, last_order_at, average_days_between_orders, traits, state, channels, sources, updated_at)
    select ${workspaceId}, r->>0, (r->>1)::boolean, (r->>2)::integer, (r->>3)::timestamptz, (r->>4)::timestamptz, (r->>5)::integer,
      (r->>6)::integer, (r->>7)::double precision, (r->>8)::timestamptz, (r->>9)::double precision, r->10, (r->>11)::json,
      array(select jsonb_array_elements_text(r->12)), array(select jsonb_array_elements_text(r->13)), now()
    from jsonb_array_elements(${JSON.stringify(tuples)}::jsonb) as r
    on conflict (workspace_id, id) do update set
      known = excluded.known, identifier_count = excluded.identifier_count, first_seen = excluded.first_seen,
      last_seen = excluded.last_seen, events = excluded.events, orders = excluded.orders, revenue = excluded.revenue,
      last_order_at = excluded.last_order_at, average_days_between_orders = excluded.average_days_between_orders,
      traits = excluded.traits, state = excluded.state, channels = excluded.channels, sources = excluded.sources, updated_at = now()`);
}

export async function deleteProfiles(db: Db, workspaceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`delete from profiles where workspace_id = ${workspaceId} and id = any(${textArray(ids)})`);
}
