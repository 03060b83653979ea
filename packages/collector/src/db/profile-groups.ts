import { sql } from 'drizzle-orm';
import { recordset, textArray } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';
import { profileEventsSince, type ReadEvent } from './profile-events.ts';

/** One ingest group's events, as profile_groups keeps them: a range of `events.seq` in one workspace. */
export interface PendingGroup {
  batch: number;
  workspaceId: string;
  seqFrom: number;
  seqTo: number;
  /** The profiles owning its events, each with its earliest instant there (epoch ms), as ingest saw them. */
  profiles: [string, number][];
}

/** A profile's mark for the refresher beside the group row: identity changed its members (rebuild), or only their summary (recount). */
export interface ProfileFlag {
  profileId: string;
  rebuild: boolean;
  recount: boolean;
}

/**
 * What ingest queues for the refresher, in one statement: one profile_groups row for the seq
 * range of the group's owned events and the profiles owning them, and a profile_dirty row only
 * for profiles identity flagged (or touched without an event): one row and one index entry
 * however many profiles the group touched. Nothing is sent when there is nothing to queue.
 */
export async function queueGroup(db: Db, workspaceId: string, group: { from: number; to: number; profiles: [string, number][] } | null, flags: readonly ProfileFlag[]): Promise<void> {
  if (group === null && flags.length === 0) return;
  const grouped = group === null ? sql`` : sql`, g as (
      insert into profile_groups (batch, workspace_id, seq_from, seq_to, profiles)
      select b.batch, ${workspaceId}, ${group.from}::bigint, ${group.to}::bigint, ${JSON.stringify(group.profiles)}::json from b)`;
  const rows = flags.map((f) => ({ profile_id: f.profileId, rebuild: f.rebuild, recount: f.recount }));
  const marked = rows.length === 0 ? sql`` : sql`, m as (
      insert into profile_dirty (workspace_id, profile_id, batch, rebuild, pending, recount)
      select ${workspaceId}, r.profile_id, b.batch, r.rebuild, 0, r.recount
      from b, ${recordset(rows, { profile_id: 'text', rebuild: 'boolean', recount: 'boolean' })})`;
  await db.execute(sql`with b as materialized (select nextval('profile_dirty_batch') as batch)${grouped}${marked} select 1`);
}

type GroupRow = { batch: string | number; workspace_id: string; seq_from: string | number; seq_to: string | number; profiles: [string, number][] | string };
const groupRows = (result: unknown): PendingGroup[] =>
  rowsOf<GroupRow>(result).map((r) => ({
    batch: Number(r.batch), workspaceId: r.workspace_id, seqFrom: Number(r.seq_from), seqTo: Number(r.seq_to),
    // postgres.js parses json; PGlite too, but a driver that hands text back still works.
    profiles: typeof r.profiles === 'string' ? (JSON.parse(r.profiles) as [string, number][]) : r.profiles,
  }));

/**
 * Leases the groups queued up to `upTo` for one refresher cycle (a statement of its own, so
 * other processes see the lease at once). Without `steal`, groups another live refresher leased
 * are left to it (this one's own, from a failed cycle, it takes again); a settle takes them too
 * (a profile met twice is caught by its count).
 */
export async function leaseGroups(db: Db, upTo: number, token: string, leaseMs: number, steal = false): Promise<PendingGroup[]> {
  const free = steal ? sql`` : sql`and (lease is null or leased_until < now() or lease = ${token})`;
  const result = await db.execute(sql`
    update profile_groups set lease = ${token}, leased_until = now() + make_interval(secs => ${leaseMs / 1000}::float8)
    where batch <= ${upTo} ${free}
    returning batch, workspace_id, seq_from, seq_to, profiles`);
  return groupRows(result).sort((a, b) => a.batch - b.batch);
}

/** Gives a stopping refresher's leased groups back at once, for the next start (which has a token of its own) not to wait out the lease. */
export async function unleaseGroups(db: Db, token: string): Promise<void> {
  await db.execute(sql`update profile_groups set lease = null, leased_until = null where lease = ${token}`);
}

/** Done with: every profile of these groups is saved (or left to a rebuild marker). */
export async function releaseGroups(db: Db, groups: readonly PendingGroup[]): Promise<void> {
  if (groups.length === 0) return;
  await db.execute(sql`delete from profile_groups where batch = any(array(select json_array_elements_text(${JSON.stringify(groups.map((g) => String(g.batch)))}::json)::bigint))`);
}

/** The seq span that covers a workspace's groups: concurrent groups interleave their ranges, so one span is read. */
export function spanOf(groups: readonly PendingGroup[]): { from: number; to: number } {
  return { from: Math.min(...groups.map((g) => g.seqFrom)), to: Math.max(...groups.map((g) => g.seqTo)) };
}

/** The profiles of a workspace's groups, each with its earliest instant among them. */
export function profilesOf(groups: readonly PendingGroup[]): Map<string, number> {
  const since = new Map<string, number>();
  for (const g of groups) {
    for (const [id, ms] of g.profiles) {
      const seen = since.get(id);
      if (seen === undefined || ms < seen) since.set(id, ms);
    }
  }
  return since;
}

/** The events of these profiles in the span, from each one's earliest instant there on (the owner-time index serves it; the span is kept to in JS, as asked in SQL it tempts the planner into scanning the whole span once per identifier). */
export async function eventsInSpan(db: Db, workspaceId: string, since: ReadonlyMap<string, number>, span: { from: number; to: number }): Promise<ReadEvent[]> {
  return (await profileEventsSince(db, workspaceId, since)).filter((r) => r.seq >= span.from && r.seq <= span.to);
}

/** A profile's fold point: its last event folded in, R1 order. */
export interface FoldPoint {
  ms: number;
  messageId: string;
}

/**
 * How many events each profile owns at or before its fold point (R1 order: instant, then
 * messageId as bytes, which is collation "C"). Equal to the events folded means every such
 * event is folded: an event met again at or before the point is already in, not late.
 */
export async function countThrough(db: Db, workspaceId: string, points: ReadonlyMap<string, FoldPoint>): Promise<Map<string, number>> {
  if (points.size === 0) return new Map();
  const rows = [...points].map(([id, p]) => ({ id, at: new Date(p.ms).toISOString(), mid: p.messageId }));
  const result = await db.execute(sql`
    select r.id, (
      select count(*) from identities i
      join events e on e.workspace_id = i.workspace_id and e.owner_id = i.value
      where i.workspace_id = ${workspaceId} and i.profile_id = r.id
        and (e.timestamp < r.at or (e.timestamp = r.at and e.message_id collate "C" <= r.mid collate "C"))
    ) as n
    from ${recordset(rows, { id: 'text', at: 'timestamptz', mid: 'text' })}`);
  return new Map(rowsOf<{ id: string; n: string | number }>(result).map((r) => [r.id, Number(r.n)]));
}

/** Whether a read of these profiles may find anything to catch up: a queued group of the workspace, or a marker of theirs. */
export async function anyPending(db: Db, workspaceId: string, profileIds: readonly string[]): Promise<boolean> {
  const result = await db.execute(sql`
    select exists (select 1 from profile_groups where workspace_id = ${workspaceId})
      or exists (select 1 from profile_dirty where workspace_id = ${workspaceId} and profile_id = any(${textArray(profileIds)})) as pending`);
  return rowsOf<{ pending: boolean }>(result)[0]!.pending;
}

/** Whether anything at all is queued (a settle's first look). */
export async function anyQueued(db: Db): Promise<boolean> {
  const result = await db.execute(sql`select exists (select 1 from profile_groups) or exists (select 1 from profile_dirty) as pending`);
  return rowsOf<{ pending: boolean }>(result)[0]!.pending;
}
