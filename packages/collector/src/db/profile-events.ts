import { sql, type SQL } from 'drizzle-orm';
import { PROFILE_PROPERTIES, profileProperties } from '../profiles/profile-event.ts';
import type { ProfileEvent } from '../profiles/types.ts';
import { recordset, textArray } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';

/**
 * Each event as one JSON array built in PostgreSQL, already in toProfileEvent's reading
 * (profiles/profile-event.ts): group traits dropped, only `context.active === false` kept, only
 * the properties profiles read (each its own element), the instant as JS's toISOString writes it. Column by column through the driver and drizzle, a
 * catch-up spent a third of its time collecting the garbage of ~25 values an event; one JSON
 * parse per event is native. `test/identity/recompute.test.ts` compares what catch-ups store
 * with rebuilds read the column way, and profile-events.test.ts compares the readings directly.
 */
const asJson = sql`json_build_array(
  e.message_id, e.type, e.event, e.name, to_char(e.timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  e.source_id, e.channel, e.utm_source, e.utm_medium, e.utm_campaign, e.referrer, e.referrer_host, e.url, e.path,
  e.device_type, e.browser, e.os, e.country, e.is_bot, case when e.type = 'group' then null else e.traits end,
  e.context -> 'active' = 'false'::jsonb, ${sql.raw(PROFILE_PROPERTIES.map((k) => `e.properties -> '${k}'`).join(', '))})`;

type Tuple = [string, string, string | null, string | null, string, string, string, ...(string | null)[]];

function fromTuple(json: string): ProfileEvent {
  const t = JSON.parse(json) as Tuple;
  const [messageId, type, event, name, timestamp, sourceId, channel, utmSource, utmMedium, utmCampaign, referrer, referrerHost, url, path, deviceType, browser, os, country] = t;
  // The properties close the array, one element each.
  const at = t.length - PROFILE_PROPERTIES.length;
  const [isBot, traits, inactive] = t.slice(18, at) as unknown as [boolean | null, Record<string, unknown> | null, boolean | null];
  const properties = profileProperties(t.slice(at));
  return {
    messageId, type: type as ProfileEvent['type'], event, name, timestamp, sourceId, channel,
    utmSource: utmSource ?? null, utmMedium: utmMedium ?? null, utmCampaign: utmCampaign ?? null, referrer: referrer ?? null, referrerHost: referrerHost ?? null,
    url: url ?? null, path: path ?? null, deviceType: deviceType ?? null, browser: browser ?? null, os: os ?? null, country: country ?? null,
    isBot: isBot ?? false, properties, traits: traits ?? null, context: inactive === true ? { active: false } : null,
  };
}

/**
 * One event of a profile as read: its JSON text is parsed (`parseEvent`) only when the event is
 * folded, one profile at a time. Parsed on arrival, a catch-up of 500 profiles kept every event's
 * object graph alive until its last profile was folded, so each scavenge copied most of what it
 * met (40% of the refresher's time was garbage collection); the instant alone orders the events
 * and tells them from a fold point.
 */
export interface ReadEvent {
  profileId: string;
  seq: number;
  /** The instant in epoch ms, as the JSON's `timestamp` reads (to_char's milliseconds truncate, as floor does). */
  ms: number;
  json: string;
}

export const parseEvent = (read: ReadEvent): ProfileEvent => fromTuple(read.json);

/**
 * The events of the identities of each target profile `r` (columns `id`, `at`) at or after its
 * instant (lookups.test.ts checks the plan). Each profile's identities, then each identity's events, are index lookups (a lateral
 * subquery kept whole by `offset 0`, db/bulk.ts `eachValue`): joined as sets, PostgreSQL hashed
 * every identity of the workspace where it had no statistics, and read each owner's whole history
 * before filtering on the instant.
 */
export const profileEventsQuery = (workspaceId: string, targets: SQL): SQL => sql`
  select i.profile_id, e.seq, e.ms, e.ev
  from ${targets}
  cross join lateral (select value, profile_id from identities where workspace_id = ${workspaceId} and profile_id = r.id offset 0) i
  cross join lateral (
    select e.seq, floor(extract(epoch from e.timestamp) * 1000)::float8 as ms, ${asJson}::text as ev from events e
    where e.workspace_id = ${workspaceId} and e.owner_id = i.value and e.timestamp >= r.at offset 0) e`;

/** profileEventsSince's targets: each profile with its instant. */
export const sinceTargets = (since: ReadonlyMap<string, number>): SQL =>
  recordset([...since].map(([id, ms]) => ({ id, at: new Date(ms).toISOString() })), { id: 'text', at: 'timestamptz' });

async function read(db: Db, workspaceId: string, targets: SQL): Promise<ReadEvent[]> {
  const result = await db.execute(profileEventsQuery(workspaceId, targets));
  return rowsOf<{ profile_id: string; seq: string | number; ms: number | string; ev: string }>(result)
    .map((r) => ({ profileId: r.profile_id, seq: Number(r.seq), ms: Number(r.ms), json: r.ev }));
}

/** Every event of the profiles (a rebuild). */
export function profileEventsOf(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<ReadEvent[]> {
  if (profileIds.length === 0) return Promise.resolve([]);
  return read(db, workspaceId, sql`(select unnest(${textArray(profileIds)}) as id, '-infinity'::timestamptz as at) as r`);
}

/**
 * The events of each profile at or after its own instant (epoch ms). Per profile, not from the
 * earliest of them: one profile folded long ago must not make the others read their whole
 * history. The instants arrive as a recordset joined once, not as a JSON object looked up per
 * row: PostgreSQL parses a json value again on every `->>` (that was 90% of the statement).
 */
export function profileEventsSince(db: Db, workspaceId: string, since: ReadonlyMap<string, number>): Promise<ReadEvent[]> {
  if (since.size === 0) return Promise.resolve([]);
  return read(db, workspaceId, sinceTargets(since));
}
