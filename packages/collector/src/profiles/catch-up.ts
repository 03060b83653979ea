import type { Db } from '../db/database.ts';
import type { DirtyProfile } from '../db/profile-dirty.ts';
import { loadProfileStates } from '../db/profile-state.ts';
import { eventsOfProfiles, membersOf, saveProfiles, type ProfileRow } from '../db/profile-store.ts';
import { continueFold } from './build.ts';
import { toProfileEvent } from './profile-event.ts';
import { profileRow, refreshProfiles, summarizeMembers } from './refresh.ts';
import { isAfter, type FoldPoint, type PendingTail } from './tail.ts';
import { SLICE, yieldToOthers } from './yield.ts';
import type { ProfileEvent, ProfileState } from './types.ts';

interface Appendable {
  id: string;
  prior: ProfileState | null;
  after: FoldPoint | null;
  events: ProfileEvent[] | null;
}

const foldPointOf = (state: ProfileState | null): FoldPoint | null =>
  state?.fold.lastMs != null && state.fold.lastMessageId !== null ? { ms: state.fold.lastMs, messageId: state.fold.lastMessageId } : null;

/** How the profiles of a catch-up were brought up to date (a profile folded on whose events then turned out late counts twice). */
export interface CatchUpOutcome {
  fromTail: number;
  readBack: number;
  rebuilt: number;
}

/**
 * Brings the claimed profiles of one workspace up to date. A profile whose pending events all
 * sort after its stored fold (its markers' earliest instant says so) gets them folded on: from
 * the pending tail when it holds every claimed batch, else read back from the database. The
 * others (members changed, a late event, no usable state) are rebuilt from all their events.
 * A read back (or a rebuild) may also fold events of a group that committed after the claim;
 * that group's marker then says its events sort at or before the fold, so it is rebuilt later:
 * never folded twice.
 */
export async function catchUpProfiles(db: Db, workspaceId: string, claimed: readonly DirtyProfile[], tail?: PendingTail): Promise<CatchUpOutcome> {
  // Sent together: the members of every profile that may be folded on, whether or not it turns
  // out to need counting (a new profile, or a recount), rather than a round trip after the states.
  const [stored, members] = await Promise.all([
    loadProfileStates(db, workspaceId, claimed.map((c) => c.profileId)),
    membersOf(db, workspaceId, claimed.filter((c) => !c.rebuild).map((c) => c.profileId)),
  ]);
  // A stored row's member summary holds unless identity said otherwise (a rebuild counts its own).
  const mustCount = (c: DirtyProfile) => c.recount || !stored.get(c.profileId)?.stored;
  const counted = summarizeMembers(members);
  const summaries = new Map(claimed.flatMap((c) => {
    const summary = mustCount(c) ? counted.get(c.profileId) : stored.get(c.profileId)?.summary;
    return summary ? [[c.profileId, summary] as const] : [];
  }));
  const rebuild: string[] = [];
  const appendable: Appendable[] = [];
  for (const mark of claimed) {
    const s = stored.get(mark.profileId);
    const prior = s?.state ?? null;
    const after = foldPointOf(prior);
    // No members left (absorbed) or no usable state: only a rebuild is right.
    const usable = !mark.rebuild && summaries.has(mark.profileId) && !(s?.stored && prior === null);
    // An event at the fold's own instant might sort before its last event: only a rebuild is sure.
    if (!usable || (after !== null && mark.sinceMs !== null && mark.sinceMs <= after.ms)) {
      rebuild.push(mark.profileId);
      continue;
    }
    const events = tail?.take(workspaceId, mark.profileId, mark.batches, after) ?? null;
    // Nothing folded yet and the tail cannot say what is pending: that is a rebuild anyway.
    if (events === null && after === null) rebuild.push(mark.profileId);
    else appendable.push({ id: mark.profileId, prior, after, events });
  }
  const missing = appendable.filter((a) => a.events === null);
  await readBack(db, workspaceId, missing);
  const rows: ProfileRow[] = [];
  for (const [i, a] of appendable.entries()) {
    if (i % SLICE.profiles === SLICE.profiles - 1) await yieldToOthers();
    const next = continueFold(a.prior, a.events!);
    if (next === null) rebuild.push(a.id);
    else rows.push(profileRow(a.id, next, summaries.get(a.id)!));
  }
  const batchesOf = new Map(claimed.map((c) => [c.profileId, c.batches]));
  for (const id of rebuild) tail?.drop(workspaceId, id, batchesOf.get(id)!);
  await Promise.all([saveProfiles(db, workspaceId, rows), refreshProfiles(db, workspaceId, rebuild)]);
  return { fromTail: appendable.length - missing.length, readBack: missing.length, rebuilt: rebuild.length };
}

/** The events after each profile's fold, read from the database (the tail did not hold them). */
async function readBack(db: Db, workspaceId: string, missing: Appendable[]): Promise<void> {
  if (missing.length === 0) return;
  const since = new Map(missing.map((a) => [a.id, new Date(a.after!.ms)]));
  const loaded = await eventsOfProfiles(db, workspaceId, missing.map((a) => a.id), since);
  const byId = new Map(missing.map((a) => [a.id, a]));
  for (const a of missing) a.events = [];
  for (const e of loaded) {
    const a = byId.get(e.profileId)!;
    const event = toProfileEvent(e);
    if (isAfter(event, a.after!)) a.events!.push(event);
  }
}
