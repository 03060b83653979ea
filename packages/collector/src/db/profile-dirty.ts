import { sql, type SQL } from 'drizzle-orm';
import { textArray } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';

/**
 * A profile's markers, added up (a rebuild stays a rebuild). Markers carry no events (those are
 * in profile_groups): identity changed the profile's members (rebuild) or their summary (recount),
 * a catch-up found a late event (rebuild), or identity touched it without an event of its own.
 */
export interface DirtyProfile {
  workspaceId: string;
  profileId: string;
  rebuild: boolean;
  recount: boolean;
}

/**
 * Catch-ups of one profile exclude each other through this lock (held to the end of the claiming
 * transaction). The two-key form keeps it apart from the workspace lock's one-key space.
 */
const PROFILE_LOCK_CLASS = 7_001;
const lockKey = (workspace: SQL, profile: SQL) => sql`${PROFILE_LOCK_CLASS}::int4, hashtext(${workspace} || ':' || ${profile})`;

/**
 * Takes the rows of up to `limit` queued profiles, for the caller's transaction to catch up.
 * `skipLocked` leaves profiles another catch-up holds to it; without it, the caller waits for
 * them (in profile order, so two waiting callers cannot deadlock), so what it reads afterwards
 * includes their result. Rows a group commits after the claim stay for the next one.
 * A background pass passes over a profile marked for a rebuild until its oldest such marker is
 * `rebuildAfterMs` old: one rebuild then covers the late events of that time, and a profile that
 * keeps getting late events is still rebuilt at that pace (the oldest marker, not the newest).
 */
export async function claimDirty(db: Db, limit: number, skipLocked: boolean, options: { upTo?: number; rebuildAfterMs?: number } = {}): Promise<DirtyProfile[]> {
  const upTo = options.upTo === undefined ? sql`` : sql`where batch <= ${options.upTo}`;
  const lock = skipLocked ? sql`pg_try_advisory_xact_lock` : sql`pg_advisory_xact_lock`;
  const key = lockKey(sql`workspace_id`, sql`profile_id`);
  const taken = skipLocked ? sql`where ${lock}(${key})` : sql`where ${lock}(${key}) is not null`;
  const ripe = options.rebuildAfterMs
    ? sql`having coalesce(min(marked_at) filter (where rebuild) <= now() - make_interval(secs => ${options.rebuildAfterMs / 1000}::float8), true)`
    : sql``;
  // The lock is tried profile by profile in order until `limit` are taken: profiles another
  // process holds are passed over, not counted against the limit.
  const result = await db.execute(sql`
    with mine as materialized (
      select workspace_id, profile_id
      from (select workspace_id, profile_id from profile_dirty ${upTo} group by workspace_id, profile_id ${ripe} order by workspace_id, profile_id) queued
      ${taken} limit ${limit})
    delete from profile_dirty d using mine m where d.workspace_id = m.workspace_id and d.profile_id = m.profile_id
    returning d.workspace_id, d.profile_id, d.rebuild, d.recount`);
  return claimedRows(result);
}

/** Locks these profiles against other catch-ups to the end of the transaction, waiting, in one order (so two waiters cannot deadlock). */
export async function lockProfiles(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<string[]> {
  const sorted = [...new Set(profileIds)].sort();
  if (sorted.length > 0) await db.execute(sql`select pg_advisory_xact_lock(${lockKey(sql`${workspaceId}`, sql`id`)}) from unnest(${textArray(sorted)}) with ordinality as t(id, n) order by n`);
  return sorted;
}

/** Takes the rows of these profiles, waiting for a catch-up in flight that holds one (its result is then stored). */
export async function claimDirtyOf(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<DirtyProfile[]> {
  // Locked first, in a statement of its own, so the claim below sees what the holder committed.
  const sorted = await lockProfiles(db, workspaceId, profileIds);
  const result = await db.execute(sql`
    delete from profile_dirty where workspace_id = ${workspaceId} and profile_id = any(${textArray(sorted)})
    returning workspace_id, profile_id, rebuild, recount`);
  return claimedRows(result);
}

/**
 * For a cycle's profiles, already locked: takes their markers queued up to `upTo`, except of a
 * profile whose oldest rebuild marker is younger than `rebuildAfterMs` (it is left out whole, to
 * the rebuild that will read all its events). 0 waits for none (a settle).
 */
export async function claimMarkersOf(db: Db, workspaceId: string, profileIds: readonly string[], upTo: number, rebuildAfterMs: number): Promise<{ claimed: DirtyProfile[]; waiting: Set<string> }> {
  const result = await db.execute(sql`
    with waiting as (
      select profile_id from profile_dirty
      where workspace_id = ${workspaceId} and profile_id = any(${textArray(profileIds)})
      group by profile_id
      having ${rebuildAfterMs > 0} and min(marked_at) filter (where rebuild) > now() - make_interval(secs => ${rebuildAfterMs / 1000}::float8)),
    taken as (
      delete from profile_dirty
      where workspace_id = ${workspaceId} and profile_id = any(${textArray(profileIds)}) and batch <= ${upTo}
        and profile_id not in (select profile_id from waiting)
      returning workspace_id, profile_id, rebuild, recount)
    select false as waiting, * from taken
    union all select true, ${workspaceId}::text, profile_id, false, false from waiting`);
  type Row = { waiting: boolean; profile_id: string };
  const rows = rowsOf<Row>(result);
  return { claimed: claimedRows(rows.filter((r) => !r.waiting)), waiting: new Set(rows.filter((r) => r.waiting).map((r) => r.profile_id)) };
}

/** Marks profiles for a rebuild found late in a catch-up: the refresher lets it wait like one marked at ingest. */
export async function markRebuild(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<void> {
  if (profileIds.length === 0) return;
  await db.execute(sql`
    insert into profile_dirty (workspace_id, profile_id, batch, rebuild, pending, recount)
    select ${workspaceId}, id, (select nextval('profile_dirty_batch')), true, 0, false from unnest(${textArray(profileIds)}) as t(id)`);
}

function claimedRows(result: unknown): DirtyProfile[] {
  type Row = { workspace_id: string; profile_id: string; rebuild: boolean; recount: boolean };
  const byProfile = new Map<string, DirtyProfile>();
  for (const r of rowsOf<Row>(result)) {
    const key = `${r.workspace_id}\u0000${r.profile_id}`;
    const seen = byProfile.get(key);
    if (seen === undefined) byProfile.set(key, { workspaceId: r.workspace_id, profileId: r.profile_id, rebuild: r.rebuild, recount: r.recount });
    else {
      seen.rebuild ||= r.rebuild;
      seen.recount ||= r.recount;
    }
  }
  return [...byProfile.values()];
}

/** The last batch number handed out: what a refresher cycle takes up to. */
export async function lastBatch(db: Db): Promise<number> {
  const [row] = rowsOf<{ last_value: string | number; is_called: boolean }>(await db.execute(sql`select last_value, is_called from profile_dirty_batch`));
  return row!.is_called ? Number(row!.last_value) : 0;
}

/** Reclaims the rows claims deleted (not in a transaction). */
export async function vacuumQueue(db: Db): Promise<void> {
  await db.execute(sql`vacuum profile_dirty, profile_groups`);
}
