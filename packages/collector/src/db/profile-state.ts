import { sql } from 'drizzle-orm';
import { decodeProfile, type StoredProfile } from '../profiles/stored.ts';
import type { MemberSummary } from '../identity/engine.ts';
import type { ProfileState } from '../profiles/types.ts';
import { textArray } from './bulk.ts';
import { rowsOf, type Db } from './database.ts';

/** A profile as the append path needs it: its fold, whether a rebuild is pending, and its members' summary. */
export interface StoredProfileState {
  id: string;
  /** Null for a profile not stored yet, or stored without a state (left to a rebuild). */
  state: ProfileState | null;
  /** Whether a row exists at all. */
  stored: boolean;
  /** A rebuild is pending (profile_dirty): appending would race it, so the caller marks it again instead. */
  dirty: boolean;
  /** As stored with the row (null without one). */
  summary: MemberSummary | null;
}

/** One statement for every profile of a group, stored or not yet. */
export async function loadProfileStates(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, StoredProfileState>> {
  if (ids.length === 0) return new Map();
  const result = await db.execute(sql`
    select t.id, p.id is not null as stored, p.state, p.traits, p.known, p.identifier_count,
      exists (select 1 from profile_dirty d where d.workspace_id = ${workspaceId} and d.profile_id = t.id) as dirty
    from unnest(${textArray(ids)}) as t(id)
    left join profiles p on p.workspace_id = ${workspaceId} and p.id = t.id`);
  type Row = { id: string; stored: boolean; state: StoredProfile | null; traits: Record<string, unknown> | null; dirty: boolean; identifier_count: number | null; known: boolean | null };
  return new Map(rowsOf<Row>(result).map((r) => [r.id, {
    id: r.id,
    stored: r.stored,
    state: r.state === null ? null : decodeProfile(r.state, r.traits ?? {}),
    dirty: r.dirty,
    summary: r.stored ? { known: r.known === true, identifierCount: Number(r.identifier_count) } : null,
  }]));
}

