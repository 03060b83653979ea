import { instant, sortsAfter } from './canonical.ts';
import type { ProfileEvent } from './types.ts';

/** Where a stored fold stands: its last event's instant and messageId. */
export interface FoldPoint {
  ms: number;
  messageId: string;
}

/**
 * The events this process stored and queued for the refresher, kept after commit under their
 * group's batch number so the refresher need not read them back. Only a shortcut: whenever it
 * does not hold every batch a claim took for a profile (another process stored one, the tail
 * overflowed, or a commit's hand-over has not run yet), the refresher reads the events from the
 * database instead.
 */
export interface PendingTail {
  add(workspaceId: string, batch: number, byProfile: ReadonlyMap<string, ProfileEvent[]>): void;
  /**
   * Takes the events of these batches for the profile: all of them when every batch is held and
   * every event sorts after `after`, else null. Either way the batches are forgotten.
   */
  take(workspaceId: string, profileId: string, batches: readonly number[], after: FoldPoint | null): ProfileEvent[] | null;
  /** Forgets these batches of the profile (it is being rebuilt from the database). */
  drop(workspaceId: string, profileId: string, batches: readonly number[]): void;
  /** Events held, all profiles together. */
  size(): number;
}

const key = (workspaceId: string, profileId: string) => `${workspaceId}\u0000${profileId}`;

/** Whether the event sorts after the fold point (R1 order). */
export function isAfter(event: ProfileEvent, point: FoldPoint): boolean {
  return sortsAfter(instant(event.timestamp), event.messageId, point);
}

/** `limit` bounds memory when the refresher falls behind: past it, the tail is emptied and the database serves. */
export function createPendingTail(limit = 50_000): PendingTail {
  const held = new Map<string, Map<number, ProfileEvent[]>>();
  let count = 0;
  /** Removes the batches and returns their events, or null when one was not held. */
  const remove = (k: string, batches: readonly number[]): ProfileEvent[] | null => {
    const byBatch = held.get(k);
    let events: ProfileEvent[] | null = [];
    for (const batch of batches) {
      const list = byBatch?.get(batch);
      if (list === undefined) {
        events = null;
        continue;
      }
      byBatch!.delete(batch);
      count -= list.length;
      events?.push(...list);
    }
    if (byBatch?.size === 0) held.delete(k);
    return events;
  };
  return {
    add(workspaceId, batch, byProfile) {
      for (const [profileId, events] of byProfile) {
        if (count + events.length > limit) {
          held.clear();
          count = 0;
        }
        const k = key(workspaceId, profileId);
        const byBatch = held.get(k) ?? new Map<number, ProfileEvent[]>();
        held.set(k, byBatch);
        byBatch.set(batch, [...(byBatch.get(batch) ?? []), ...events]);
        count += events.length;
      }
    },
    take(workspaceId, profileId, batches, after) {
      const events = remove(key(workspaceId, profileId), batches);
      if (events === null || (after !== null && !events.every((e) => isAfter(e, after)))) return null;
      return events;
    },
    drop(workspaceId, profileId, batches) {
      remove(key(workspaceId, profileId), batches);
    },
    size: () => count,
  };
}
