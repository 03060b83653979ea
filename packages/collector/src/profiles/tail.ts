import { instant, sortsAfter } from './canonical.ts';
import type { ProfileEvent } from './types.ts';

/** Where a stored fold stands: its last event's instant and messageId. */
export interface FoldPoint {
  ms: number;
  messageId: string;
}

/**
 * The events this process stored and queued for the refresher, kept after commit so the refresher
 * need not read them back. Only a shortcut: whenever what it holds for a profile is not exactly
 * what the profile's marker counts (another process stored some, or a commit's hand-over has not
 * run yet), the refresher reads the events from the database instead.
 */
export interface PendingTail {
  add(workspaceId: string, byProfile: ReadonlyMap<string, ProfileEvent[]>): void;
  /**
   * Takes what is held for the profile. The events after `after` are returned when there are
   * exactly `pending` of them (the marker's count), else null. Anything at or before `after` was
   * already folded by a read from the database and is dropped.
   */
  take(workspaceId: string, profileId: string, pending: number, after: FoldPoint | null): ProfileEvent[] | null;
  /** Forgets what is held for the profile (it is being rebuilt from the database). */
  drop(workspaceId: string, profileId: string): void;
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
  const held = new Map<string, ProfileEvent[]>();
  let count = 0;
  const forget = (k: string): ProfileEvent[] => {
    const list = held.get(k) ?? [];
    held.delete(k);
    count -= list.length;
    return list;
  };
  return {
    add(workspaceId, byProfile) {
      for (const [profileId, events] of byProfile) {
        if (count + events.length > limit) {
          held.clear();
          count = 0;
        }
        const k = key(workspaceId, profileId);
        const list = held.get(k);
        if (list === undefined) held.set(k, [...events]);
        else list.push(...events);
        count += events.length;
      }
    },
    take(workspaceId, profileId, pending, after) {
      const list = forget(key(workspaceId, profileId));
      const fresh = after === null ? list : list.filter((e) => isAfter(e, after));
      return fresh.length === pending ? fresh : null;
    },
    drop(workspaceId, profileId) {
      forget(key(workspaceId, profileId));
    },
    size: () => count,
  };
}
