import { sql } from 'drizzle-orm';
import { recordset } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';

export async function markDirty(db: Db, workspaceId: string, profileIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(profileIds)].sort();
  if (ids.length === 0) return;
  await db.execute(sql`
    insert into profile_dirty (workspace_id, profile_id)
    select ${workspaceId}, profile_id from ${recordset(ids.map((id) => ({ profile_id: id })), { profile_id: 'text' })}
    on conflict do nothing`);
}

export interface DirtyProfile {
  workspaceId: string;
  profileId: string;
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
    returning workspace_id, profile_id`);
  return rowsOf<{ workspace_id: string; profile_id: string }>(result).map((r) => ({ workspaceId: r.workspace_id, profileId: r.profile_id }));
}

/** One cheap look before a claim: on most reads nothing is waiting. */
export async function anyDirty(db: Db): Promise<boolean> {
  return rowsOf(await db.execute(sql`select 1 from profile_dirty limit 1`)).length > 0;
}
