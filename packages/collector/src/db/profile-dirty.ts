import { sql, type SQL } from 'drizzle-orm';
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

/** A group's markers: their batch, and the profiles marked for a rebuild (identity said so, or an event is late). */
export interface MarkedBatch {
  batch: number;
  rebuilding: Set<string>;
}

/**
 * Queues profiles for the refresher: one row per profile for this group, under its batch number
 * (`batch`, else a new one; the pending tail keeps the group's events under it). Only inserts: a catch-up holding
 * the profile's earlier rows never makes ingest wait. Null when nothing was marked.
 * A profile whose stored row was last seen at or after the group's earliest event is marked for a
 * rebuild here, not only when caught up: the refresher may then wait before rebuilding it, and
 * one rebuild covers every late event of that time (profiles/refresher.ts). last_seen is at or
 * before the fold's last event, so the flag is never set where the catch-up would not rebuild.
 */
export async function markPending(db: Db, workspaceId: string, marks: readonly PendingMark[], batch?: number): Promise<MarkedBatch | null> {
  if (marks.length === 0) return null;
  const rows = marks.map((m) => ({ profile_id: m.profileId, rebuild: m.rebuild, since_ms: m.sinceMs, pending: m.pending, recount: m.recount }));
  const numbered = batch === undefined ? sql`(select nextval('profile_dirty_batch') as batch)` : sql`(select ${batch}::bigint as batch)`;
  const result = await db.execute(sql`
    with b as materialized ${numbered},
    marked as (
      insert into profile_dirty (workspace_id, profile_id, batch, rebuild, since_ms, pending, recount)
      select ${workspaceId}, r.profile_id, b.batch,
        r.rebuild or coalesce(r.since_ms <= (select (extract(epoch from p.last_seen) * 1000)::bigint from profiles p where p.workspace_id = ${workspaceId} and p.id = r.profile_id), false),
        r.since_ms, r.pending, r.recount
      from b, ${recordset(rows, { profile_id: 'text', rebuild: 'boolean', since_ms: 'bigint', pending: 'integer', recount: 'boolean' })}
      returning profile_id, rebuild)
    select b.batch, array(select profile_id from marked where rebuild) as rebuilding from b`);
  const row = rowsOf<{ batch: string | number; rebuilding: string[] }>(result)[0]!;
  return { batch: Number(row.batch), rebuilding: new Set(row.rebuilding) };
}

/** A batch number for a group's markers, asked for ahead (with its first statements) so its events can go to the tail before its markers are answered. */
export async function nextBatch(db: Db): Promise<number> {
  return Number(rowsOf<{ batch: string | number }>(await db.execute(sql`select nextval('profile_dirty_batch') as batch`))[0]!.batch);
}

/** What is queued for one profile: its rows added up (a rebuild stays a rebuild, the earliest instant wins, counts add). */
export interface DirtyProfile {
  workspaceId: string;
  profileId: string;
  rebuild: boolean;
  sinceMs: number | null;
  pending: number;
  recount: boolean;
  /** The batches of the rows claimed: what the pending tail is asked for. */
  batches: number[];
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
    returning d.workspace_id, d.profile_id, d.batch, d.rebuild, d.since_ms, d.pending, d.recount`);
  return claimedRows(result);
}

/** Takes the rows of these profiles, waiting for a catch-up in flight that holds one (its result is then stored). */
export async function claimDirtyOf(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<DirtyProfile[]> {
  const sorted = [...new Set(profileIds)].sort();
  // Locked first, in a statement of its own, so the claim below sees what the holder committed.
  await db.execute(sql`select pg_advisory_xact_lock(${lockKey(sql`${workspaceId}`, sql`id`)}) from unnest(${textArray(sorted)}) with ordinality as t(id, n) order by n`);
  const result = await db.execute(sql`
    delete from profile_dirty where workspace_id = ${workspaceId} and profile_id = any(${textArray(sorted)})
    returning workspace_id, profile_id, batch, rebuild, since_ms, pending, recount`);
  return claimedRows(result);
}

function claimedRows(result: unknown): DirtyProfile[] {
  type Row = { workspace_id: string; profile_id: string; batch: string | number; rebuild: boolean; since_ms: string | number | null; pending: number; recount: boolean };
  const byProfile = new Map<string, DirtyProfile>();
  for (const r of rowsOf<Row>(result)) {
    const sinceMs = r.since_ms === null ? null : Number(r.since_ms);
    const key = `${r.workspace_id}\u0000${r.profile_id}`;
    const seen = byProfile.get(key);
    if (seen === undefined) {
      byProfile.set(key, { workspaceId: r.workspace_id, profileId: r.profile_id, rebuild: r.rebuild, sinceMs, pending: Number(r.pending), recount: r.recount, batches: [Number(r.batch)] });
      continue;
    }
    seen.rebuild ||= r.rebuild;
    seen.recount ||= r.recount;
    seen.pending += Number(r.pending);
    seen.batches.push(Number(r.batch));
    if (sinceMs !== null && (seen.sinceMs === null || sinceMs < seen.sinceMs)) seen.sinceMs = sinceMs;
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
  await db.execute(sql`vacuum profile_dirty`);
}

/** One cheap look before a claim: on most reads nothing is waiting. */
export async function anyDirty(db: Db, where?: { workspaceId: string; profileIds: readonly string[] }): Promise<boolean> {
  const filter = where ? sql`where workspace_id = ${where.workspaceId} and profile_id = any(${textArray(where.profileIds)})` : sql``;
  return rowsOf(await db.execute(sql`select 1 from profile_dirty ${filter} limit 1`)).length > 0;
}
