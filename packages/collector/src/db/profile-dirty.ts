import { sql } from 'drizzle-orm';
import { recordset, textArray } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';

/** What one group leaves for the refresher about one profile. */
export interface PendingMark {
  profileId: string;
  rebuild: boolean;
  /** The earliest instant among the events, null with none. */
  sinceMs: number | null;
  /** How many events the group stored for the profile. */
  pending: number;
  /** Its members' summary (known, how many) may have changed without a rebuild. */
  recount: boolean;
}

/**
 * Queues profiles for the refresher. Marks of one profile add up: a rebuild stays a rebuild, the
 * earliest instant wins and the counts add, so the marker always describes every event stored
 * since the profile's row was saved.
 */
export async function markPending(db: Db, workspaceId: string, marks: readonly PendingMark[]): Promise<void> {
  if (marks.length === 0) return;
  const rows = [...marks]
    .sort((a, b) => (a.profileId < b.profileId ? -1 : a.profileId > b.profileId ? 1 : 0))
    .map((m) => ({ profile_id: m.profileId, rebuild: m.rebuild, since_ms: m.sinceMs, pending: m.pending, recount: m.recount }));
  await db.execute(sql`
    insert into profile_dirty as d (workspace_id, profile_id, rebuild, since_ms, pending, recount)
    select ${workspaceId}, profile_id, rebuild, since_ms, pending, recount
    from ${recordset(rows, { profile_id: 'text', rebuild: 'boolean', since_ms: 'bigint', pending: 'integer', recount: 'boolean' })}
    on conflict (workspace_id, profile_id) do update set
      rebuild = d.rebuild or excluded.rebuild, since_ms = least(d.since_ms, excluded.since_ms),
      pending = d.pending + excluded.pending, recount = d.recount or excluded.recount`);
}

export interface DirtyProfile {
  workspaceId: string;
  profileId: string;
  rebuild: boolean;
  sinceMs: number | null;
  pending: number;
  recount: boolean;
}

/**
 * Takes up to `limit` dirty profiles off the list, for the caller's transaction to rebuild.
 * `skipLocked` leaves profiles another process is rebuilding to it; without it, the caller
 * waits for them, so what it reads afterwards includes their rebuild.
 */
export async function claimDirty(db: Db, limit: number, skipLocked: boolean): Promise<DirtyProfile[]> {
  const lock = skipLocked ? sql`for update skip locked` : sql`for update`;
  const result = await db.execute(sql`
    delete from profile_dirty where (workspace_id, profile_id) in (
      select workspace_id, profile_id from profile_dirty order by workspace_id, profile_id limit ${limit} ${lock})
    returning workspace_id, profile_id, rebuild, since_ms, pending, recount`);
  return claimedRows(result);
}

/** Takes the markers of these profiles, waiting for a catch-up in flight that holds one (its result is then stored). */
export async function claimDirtyOf(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<DirtyProfile[]> {
  const result = await db.execute(sql`
    delete from profile_dirty where workspace_id = ${workspaceId} and profile_id = any(${textArray(profileIds)})
    returning workspace_id, profile_id, rebuild, since_ms, pending, recount`);
  return claimedRows(result);
}

function claimedRows(result: unknown): DirtyProfile[] {
  type Row = { workspace_id: string; profile_id: string; rebuild: boolean; since_ms: string | number | null; pending: number; recount: boolean };
  return rowsOf<Row>(result).map((r) => ({
    workspaceId: r.workspace_id, profileId: r.profile_id, rebuild: r.rebuild,
    sinceMs: r.since_ms === null ? null : Number(r.since_ms), pending: Number(r.pending), recount: r.recount,
  }));
}

/** One cheap look before a claim: on most reads nothing is waiting. */
export async function anyDirty(db: Db, where?: { workspaceId: string; profileIds: readonly string[] }): Promise<boolean> {
  const filter = where ? sql`where workspace_id = ${where.workspaceId} and profile_id = any(${textArray(where.profileIds)})` : sql``;
  return rowsOf(await db.execute(sql`select 1 from profile_dirty ${filter} limit 1`)).length > 0;
}
