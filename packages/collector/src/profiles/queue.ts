import type { Db } from '../db/database.ts';
import { markPending, type PendingMark } from '../db/profile-dirty.ts';
import type { GroupChange } from './maintain.ts';
import { toProfileEvent } from './profile-event.ts';
import type { PendingTail } from './tail.ts';
import type { ProfileEvent } from './types.ts';

/** The group's events per profile they now belong to (bots own none), with the earliest instant of each. */
export function eventsByProfile(change: GroupChange): Map<string, { events: ProfileEvent[]; sinceMs: number }> {
  const out = new Map<string, { events: ProfileEvent[]; sinceMs: number }>();
  for (const row of change.rows) {
    const profileId = row.ownerId ? change.profileOf.get(row.ownerId) : undefined;
    if (profileId === undefined) continue;
    const ms = row.timestamp.getTime();
    const entry = out.get(profileId);
    if (entry === undefined) out.set(profileId, { events: [toProfileEvent(row)], sinceMs: ms });
    else {
      entry.events.push(toProfileEvent(row));
      if (ms < entry.sinceMs) entry.sinceMs = ms;
    }
  }
  return out;
}

export interface QueuedBatch {
  /** The batch number of the group's markers (null when it marked none). */
  batch: number | null;
  /** Every profile marked for folding on, with the events the group stored for it (maybe none); not those marked for a rebuild. */
  byProfile: Map<string, ProfileEvent[]>;
}

/**
 * The ingest side of queued profile maintenance: one statement marks every profile the group
 * changed, with how (profile_dirty), and the refresher folds them after commit, many groups at
 * once. Returns the markers' batch and the events per profile to fold on, for the pending tail:
 * a profile marked for a rebuild is read from the database whenever it is rebuilt.
 */
export async function queueProfiles(db: Db, workspaceId: string, change: GroupChange): Promise<QueuedBatch> {
  const byProfile = eventsByProfile(change);
  const marks: PendingMark[] = [];
  for (const id of new Set([...change.affected, ...byProfile.keys()])) {
    const entry = byProfile.get(id);
    marks.push({ profileId: id, rebuild: change.regrouped.has(id), sinceMs: entry?.sinceMs ?? null, pending: entry?.events.length ?? 0, recount: change.recount.has(id) });
  }
  const marked = await markPending(db, workspaceId, marks);
  if (marked === null) return { batch: null, byProfile: new Map() };
  // Every profile folded on, with or without events: the tail then answers for all of the batch.
  const folded = marks.filter((m) => !marked.rebuilding.has(m.profileId));
  return { batch: marked.batch, byProfile: new Map(folded.map((m) => [m.profileId, byProfile.get(m.profileId)?.events ?? []])) };
}

/**
 * A group's queued events go to the pending tail inside its transaction, before COMMIT: once the
 * markers are visible, a catch-up (on another connection) may claim them at once, and the tail
 * must already hold their batch. A group that fails takes its batches back out.
 */
export function handOverTo(tail: PendingTail | undefined) {
  const handed: Array<[string, QueuedBatch]> = [];
  return {
    add(workspaceId: string, queued: QueuedBatch) {
      if (queued.batch === null || !tail) return;
      tail.add(workspaceId, queued.batch, queued.byProfile);
      handed.push([workspaceId, queued]);
    },
    takeBack() {
      for (const [workspaceId, { batch, byProfile }] of handed) for (const profileId of byProfile.keys()) tail!.drop(workspaceId, profileId, [batch!]);
    },
  };
}
