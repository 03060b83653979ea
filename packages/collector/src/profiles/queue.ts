import type { Db } from '../db/database.ts';
import { queueGroup, type ProfileFlag } from '../db/profile-groups.ts';
import type { EventRow } from '../db/schema.ts';
import type { GroupChange } from './maintain.ts';

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

/**
 * The ingest side of queued profile maintenance: one statement queues the group for the refresher
 * (profile_groups: the seq range of its owned events, and their profiles) and marks only the profiles identity
 * flagged: members changed (rebuild), their summary changed (recount), or touched without an
 * event of theirs here. The refresher folds many groups at once after commit.
 */
export function queueProfiles(db: Db, workspaceId: string, change: GroupChange, seqOf: (row: EventRow) => number): Promise<void> {
  const byProfile = rowsByProfile(change);
  const flags: ProfileFlag[] = [];
  for (const id of new Set([...change.affected, ...byProfile.keys()])) {
    const rebuild = change.regrouped.has(id);
    const recount = change.recount.has(id);
    if (rebuild || recount || !byProfile.has(id)) flags.push({ profileId: id, rebuild, recount });
  }
  let group: { from: number; to: number; profiles: [string, number][] } | null = null;
  for (const [id, entry] of byProfile) {
    for (const row of entry.rows) {
      const seq = seqOf(row);
      group ??= { from: seq, to: seq, profiles: [] };
      group.from = Math.min(group.from, seq);
      group.to = Math.max(group.to, seq);
    }
    group?.profiles.push([id, entry.sinceMs]);
  }
  return queueGroup(db, workspaceId, group, flags);
}
