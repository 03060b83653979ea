import { sql, type SQL } from 'drizzle-orm';
import type { IdentifierFact, Link } from '../identity/links.ts';
import { eachValue, recordset } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';

export interface StoredIdentity extends IdentifierFact {
  selfId: string;
  profileId: string;
}

/** An identities row as the driver answers it. */
export interface IdentityRecord {
  value: string;
  self_id: string;
  profile_id: string;
  as_anonymous: boolean;
  as_user: boolean;
  as_email: boolean;
  as_previous: boolean;
  known: boolean;
  first_at: string | Date;
  first_message_id: string;
}

/** The identities columns IdentityRecord holds, in one place for every statement that reads them. */
export const identityColumns = sql.raw('value, self_id, profile_id, as_anonymous, as_user, as_email, as_previous, known, first_at, first_message_id');

/** A row of identityColumns as the store's identity. */
export const toIdentity = (r: IdentityRecord): StoredIdentity => ({
  value: r.value,
  selfId: r.self_id,
  profileId: r.profile_id,
  asAnonymous: r.as_anonymous,
  asUser: r.as_user,
  asEmail: r.as_email,
  asPrevious: r.as_previous,
  known: r.known,
  first: { at: new Date(r.first_at).getTime(), messageId: r.first_message_id },
});

/** Serialises identity work per workspace across processes; taken before anything is written. */
export async function lockWorkspace(db: Db, workspaceId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`vista:${workspaceId}`}, 0))`);
}

/** loadIdentities' statement (lookups.test.ts checks its plan). */
export const identitiesQuery = (workspaceId: string, values: readonly string[]): SQL => sql`
  select x.* from ${eachValue(values, (value) => sql`
    select ${identityColumns} from identities where workspace_id = ${workspaceId} and value = ${value}`)}`;

export async function loadIdentities(db: Db, workspaceId: string, values: readonly string[]): Promise<Map<string, StoredIdentity>> {
  if (values.length === 0) return new Map();
  const result = await db.execute(identitiesQuery(workspaceId, values));
  return new Map(rowsOf<IdentityRecord>(result).map((r) => [r.value, toIdentity(r)]));
}

export async function saveIdentities(db: Db, workspaceId: string, rows: readonly StoredIdentity[]): Promise<void> {
  if (rows.length === 0) return;
  const records = [...rows]
    .sort((a, b) => (a.value < b.value ? -1 : 1))
    .map((r) => ({
      value: r.value, self_id: r.selfId, profile_id: r.profileId, as_anonymous: r.asAnonymous, as_user: r.asUser,
      as_email: r.asEmail, as_previous: r.asPrevious, known: r.known, first_at: new Date(r.first.at).toISOString(),
      first_message_id: r.first.messageId,
    }));
  await db.execute(sql`
    insert into identities (workspace_id, value, self_id, profile_id, as_anonymous, as_user, as_email, as_previous, known, first_at, first_message_id)
    select ${workspaceId}, value, self_id, profile_id, as_anonymous, as_user, as_email, as_previous, known, first_at, first_message_id
    from ${recordset(records, { value: 'text', self_id: 'text', profile_id: 'text', as_anonymous: 'boolean', as_user: 'boolean', as_email: 'boolean', as_previous: 'boolean', known: 'boolean', first_at: 'timestamptz', first_message_id: 'text' })}
    on conflict (workspace_id, value) do update set
      profile_id = excluded.profile_id, as_anonymous = excluded.as_anonymous, as_user = excluded.as_user,
      as_email = excluded.as_email, as_previous = excluded.as_previous, known = excluded.known,
      first_at = excluded.first_at, first_message_id = excluded.first_message_id`);
}

export async function saveLinks(db: Db, workspaceId: string, links: readonly Link[]): Promise<void> {
  if (links.length === 0) return;
  const records = links.map((l) => ({ message_id: l.messageId, position: l.position, a: l.a, b: l.b, at: new Date(l.at).toISOString(), alias: l.alias }));
  await db.execute(sql`
    insert into identity_links (workspace_id, message_id, position, a, b, at, alias)
    select ${workspaceId}, message_id, position, a, b, at, alias
    from ${recordset(records, { message_id: 'text', position: 'integer', a: 'text', b: 'text', at: 'timestamptz', alias: 'boolean' })}
    order by message_id, position
    on conflict do nothing`);
}

export interface StoredLink extends Link {
  outcome: string;
}

/**
 * Identities moved to another profile. Each row is found by index, then updated by its ctid:
 * joined to the changes as a set, PostgreSQL hashed every identity of the workspace where it had
 * no statistics. Updating by ctid is sound because every identity write holds the workspace lock
 * (a row changed by someone else in between would be skipped, not updated).
 */
export const profileIdsUpdate = (workspaceId: string, changes: ReadonlyArray<{ value: string; profileId: string }>): SQL => sql`
  update identities i set profile_id = t.profile_id
  from (
    select r.profile_id, x.tid from ${recordset(changes.map((c) => ({ value: c.value, profile_id: c.profileId })), { value: 'text', profile_id: 'text' })}
    cross join lateral (select ctid as tid from identities where workspace_id = ${workspaceId} and value = r.value offset 0) x
  ) t
  where i.ctid = t.tid`;

export async function setProfileIds(db: Db, workspaceId: string, changes: ReadonlyArray<{ value: string; profileId: string }>): Promise<void> {
  if (changes.length === 0) return;
  await db.execute(profileIdsUpdate(workspaceId, changes));
}

/** Links' outcomes, each link found by index and updated by ctid, as profileIdsUpdate. */
export const linkOutcomesUpdate = (workspaceId: string, outcomes: ReadonlyArray<{ link: Link; outcome: string }>): SQL => sql`
  update identity_links l set outcome = t.outcome
  from (
    select r.outcome, x.tid
    from ${recordset(outcomes.map(({ link, outcome }) => ({ message_id: link.messageId, position: link.position, outcome })), { message_id: 'text', position: 'integer', outcome: 'text' })}
    cross join lateral (
      select ctid as tid from identity_links where workspace_id = ${workspaceId} and message_id = r.message_id and position = r.position offset 0) x
  ) t
  where l.ctid = t.tid`;

export async function setLinkOutcomes(db: Db, workspaceId: string, outcomes: ReadonlyArray<{ link: Link; outcome: string }>): Promise<void> {
  if (outcomes.length === 0) return;
  await db.execute(linkOutcomesUpdate(workspaceId, outcomes));
}

export async function recordHistory(
  db: Db,
  workspaceId: string,
  entries: ReadonlyArray<{ profileId: string; kind: 'merge' | 'split'; otherProfileId: string; identifiers: string[]; causeMessageId: string | null }>,
): Promise<void> {
  if (entries.length === 0) return;
  const records = entries.map((e) => ({ profile_id: e.profileId, kind: e.kind, other_profile_id: e.otherProfileId, identifiers: e.identifiers, cause_message_id: e.causeMessageId }));
  await db.execute(sql`
    insert into identity_history (workspace_id, profile_id, kind, other_profile_id, identifiers, cause_message_id)
    select ${workspaceId}, profile_id, kind, other_profile_id, identifiers, cause_message_id
    from ${recordset(records, { profile_id: 'text', kind: 'text', other_profile_id: 'text', identifiers: 'jsonb', cause_message_id: 'text' })}`);
}

/** The links whose end `a` is among the values, each looked up by index (lookups.test.ts checks the plan); linksAmong checks `b`. */
export const linksFromQuery = (workspaceId: string, values: readonly string[]): SQL => sql`
  select x.* from ${eachValue(values, (value) => sql`
    select message_id, position, a, b, at, alias, outcome from identity_links where workspace_id = ${workspaceId} and a = ${value}`)}`;

/** Stored links whose two ends are both among `values` (either way round). */
export async function linksAmong(db: Db, workspaceId: string, values: readonly string[]): Promise<StoredLink[]> {
  if (values.length < 2) return [];
  const result = await db.execute(linksFromQuery(workspaceId, values));
  const among = new Set(values);
  return rowsOf<{ message_id: string; position: number; a: string; b: string; at: string | Date; alias: boolean; outcome: string }>(result)
    .filter((r) => among.has(r.b))
    .map((r) => ({ messageId: r.message_id, position: Number(r.position), a: r.a, b: r.b, at: new Date(r.at).getTime(), alias: r.alias, outcome: r.outcome }));
}
