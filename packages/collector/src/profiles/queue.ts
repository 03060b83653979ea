import type { Db } from '../db/database.ts';
import { markPending, type MarkedBatch, type PendingMark } from '../db/profile-dirty.ts';
import type { GroupChange } from './maintain.ts';
import { toProfileEvent } from './profile-event.ts';
import type { PendingTail } from './tail.ts';
import type { EventRow } from '../db/schema.ts';

/** The group's rows per profile they now belong to (bots own none), with the earliest instant of each. */
export function rowsByProfile(change: GroupChange): Map<string, { rows: EventRow[]; sinceMs: number }> {
  const out = new Map<string, { rows: EventRow[]; sinceMs: number }>();
  for (const row of change.rows) {
    const profileId = row.ownerId ? change.profileOf.get(row.ownerId) : undefined;
    if (profileId === undefined) continue;
    const ms = row.timestamp.getTime();
    const entry = out.get(profileId);
    if (entry === undefined) out.set(profileId, { rows: [row], sinceMs: ms });
    else {
      entry.rows.push(row);
      if (ms < entry.sinceMs) entry.sinceMs = ms;
    }
  }
  return out;
}

export interface QueuedBatch {
  /** The batch number of the group's markers, when it was asked for ahead (for a pending tail). */
  batch: number | undefined;
  /** Every profile marked, with the rows the group stored for it (maybe none). */
  byProfile: Map<string, EventRow[]>;
  /** The marker statement, sent: what it marked for a rebuild once answered (null: nothing marked). */
  marked: Promise<MarkedBatch | null>;
}

/**
 * The ingest side of queued profile maintenance: one statement marks every profile the group
 * changed, with how (profile_dirty), and the refresher folds them after commit, many groups at
 * once. Sends the markers under the group's batch number and returns at once with the rows per
 * profile for the pending tail: the transaction commits right behind the statement (db/database.ts).
 */
export function queueProfiles(db: Db, workspaceId: string, change: GroupChange, batch?: number): QueuedBatch {
  const byProfile = rowsByProfile(change);
  const marks: PendingMark[] = [];
  for (const id of new Set([...change.affected, ...byProfile.keys()])) {
    const entry = byProfile.get(id);
    marks.push({ profileId: id, rebuild: change.regrouped.has(id), sinceMs: entry?.sinceMs ?? null, pending: entry?.rows.length ?? 0, recount: change.recount.has(id) });
  }
  const marked = markPending(db, workspaceId, marks, batch);
  // Every marked profile, with or without events: the tail then answers for all of the batch.
  return { batch, byProfile: new Map(marks.map((m) => [m.profileId, byProfile.get(m.profileId)?.rows ?? []])), marked };
}

/**
 * A group's queued events go to the pending tail inside its transaction, before COMMIT: once the
 * markers are visible, a catch-up (on another connection) may claim them at once, and the tail
 * must already hold their batch. A group that fails takes its batches back out; the events of a
 * profile marked for a rebuild leave the tail once the markers say so (it is read from the database).
 */
export function handOverTo(tail: PendingTail | undefined) {
  const handed: Array<{ workspaceId: string; batch: number; profileIds: string[] }> = [];
  return {
    add(workspaceId: string, queued: QueuedBatch) {
      const { batch, byProfile, marked } = queued;
      if (!tail || batch === undefined || byProfile.size === 0) return;
      // Made profile events here, not at marking: without a tail, ingest makes none.
      tail.add(workspaceId, batch, new Map([...byProfile].map(([id, rows]) => [id, rows.map(toProfileEvent)])));
      handed.push({ workspaceId, batch, profileIds: [...byProfile.keys()] });
      void marked.then((answer) => {
        for (const profileId of answer?.rebuilding ?? []) tail.drop(workspaceId, profileId, [batch]);
      }, () => {});
    },
    takeBack() {
      for (const { workspaceId, batch, profileIds } of handed) for (const profileId of profileIds) tail!.drop(workspaceId, profileId, [batch]);
    },
  };
}
