import type { Db } from '../db/database.ts';
import { loadProfileStates, type StoredProfileState } from '../db/profile-state.ts';
import type { MemberSummary } from '../identity/engine.ts';
import { membersOf, saveProfiles } from '../db/profile-store.ts';
import type { EventRow } from '../db/schema.ts';
import { continueFold } from './build.ts';
import { profileRow, refreshProfiles, summarizeMembers } from './refresh.ts';
import { toProfileEvent } from './profile-event.ts';
import { rowsByProfile } from './queue.ts';
import type { ProfileState } from './types.ts';

/** What one group's identity work tells the profile stage. */
export interface GroupChange {
  /** The rows this group stored for the workspace (bots and aliases own no profile and are skipped). */
  rows: readonly EventRow[];
  /** Identifier -> profile, for every identifier the group touched. */
  profileOf: ReadonlyMap<string, string>;
  /** Profiles whose events or members changed. */
  affected: ReadonlySet<string>;
  /** Profiles whose members changed: their event set is not "stored + new", so they are rebuilt. */
  regrouped: ReadonlySet<string>;
  /** Profiles of identifiers seen for the first time (nothing of theirs is stored yet), with their member. */
  created: ReadonlyMap<string, MemberSummary>;
  /** Profiles whose members' summary (known, count) changed without a regroup. */
  recount: ReadonlySet<string>;
}

export interface MaintainOutcome {
  appended: number;
  rebuilt: number;
}

/**
 * Where a profile's fold continues from; null when only a rebuild from all its events is right:
 * merged or split, a rebuild already pending, or stored without a state.
 */
function startOf(id: string, s: StoredProfileState | undefined, change: GroupChange): { prior: ProfileState | null } | null {
  if (s === undefined || s.dirty || change.regrouped.has(id)) return null;
  if (s.state !== null) return { prior: s.state };
  // Never stored: a brand-new identifier's own profile starts from nothing.
  return !s.stored && change.created.has(id) ? { prior: null } : null;
}

/**
 * Keeps the group's profiles current inside the ingest transaction. A profile whose new events
 * all sort after its stored fold gets them folded on (no read of its history); one with a late
 * event, a membership change or a catch-up pending is rebuilt from all its events, here too.
 * (Where ingest runs on Workers, with no refresher behind it; on Node, profiles/queue.ts.)
 */
export async function maintainProfiles(db: Db, workspaceId: string, change: GroupChange): Promise<MaintainOutcome> {
  const eventsBy = new Map([...rowsByProfile(change)].map(([id, entry]) => [id, entry.rows.map(toProfileEvent)]));
  const ids = [...new Set([...change.affected, ...eventsBy.keys()])];
  // Independent reads, sent together; members only matter for the profiles that get folded on.
  const [stored, recountMembers] = await Promise.all([
    loadProfileStates(db, workspaceId, ids),
    membersOf(db, workspaceId, [...change.recount]),
  ]);
  const appendable: Array<{ id: string; next: ProfileState; summary: MemberSummary | null }> = [];
  const stale: string[] = [];
  for (const id of ids) {
    const s = stored.get(id);
    const start = startOf(id, s, change);
    const next = start && continueFold(start.prior, eventsBy.get(id) ?? []);
    if (!next) stale.push(id);
    else appendable.push({ id, next, summary: change.created.get(id) ?? s?.summary ?? null });
  }
  const recounted = summarizeMembers(recountMembers);
  const appended = appendable.map(({ id, next, summary }) => {
    const members = recounted.get(id) ?? summary;
    // startOf lets through only stored rows (with a summary) and new identifiers' profiles.
    if (members === null) throw new Error(`profile ${id} has neither a stored row nor a new member`);
    return profileRow(id, next, members);
  });
  await saveProfiles(db, workspaceId, appended);
  await refreshProfiles(db, workspaceId, stale);
  return { appended: appended.length, rebuilt: stale.length };
}
