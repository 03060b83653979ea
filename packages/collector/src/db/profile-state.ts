import { sql } from 'drizzle-orm';
import type { FoldState, ProfileFacts } from '../profiles/types.ts';
import { textArray } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';

/** A profile as the append path needs it: its fold, whether a rebuild is pending, and its members' summary. */
export interface StoredProfileState {
  id: string;
  facts: ProfileFacts | null;
  fold: FoldState | null;
  /** A rebuild is pending (profile_dirty): appending would race it, so the caller marks it again instead. */
  dirty: boolean;
  identifierCount: number;
  known: boolean;
}

/** One statement for every profile of a group, stored or not yet. */
export async function loadProfileStates(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, StoredProfileState>> {
  if (ids.length === 0) return new Map();
  const result = await db.execute(sql`
    select t.id, p.facts, p.fold, d.profile_id is not null as dirty, m.identifier_count, m.known
    from unnest(${textArray(ids)}) as t(id)
    left join profiles p on p.workspace_id = ${workspaceId} and p.id = t.id
    left join profile_dirty d on d.workspace_id = ${workspaceId} and d.profile_id = t.id
    left join lateral (
      select count(*)::int as identifier_count, coalesce(bool_or(i.known or i.as_email), false) as known
      from identities i where i.workspace_id = ${workspaceId} and i.profile_id = t.id
    ) m on true`);
  const rows = rowsOf<{ id: string; facts: ProfileFacts | null; fold: FoldState | null; dirty: boolean; identifier_count: number; known: boolean }>(result);
  return new Map(rows.map((r) => [r.id, {
    id: r.id, facts: r.facts, fold: r.fold, dirty: r.dirty, identifierCount: Number(r.identifier_count), known: r.known,
  }]));
}
