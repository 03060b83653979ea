import type { Db } from '../db/database.ts';
import { parseEvent, profileEventsOf } from '../db/profile-events.ts';
import { deleteProfiles, membersOf, saveProfiles, type MemberRow, type ProfileRow } from '../db/profile-store.ts';
import type { MemberSummary } from '../identity/engine.ts';
import { foldProfile } from './build.ts';
import { encodeProfile } from './stored.ts';
import { SLICE, yieldToOthers } from './yield.ts';
import type { ProfileState } from './types.ts';

/**
 * Rebuilds the given profiles from all their events in one read and one write, so the stored
 * values always equal a recomputation. Profiles left without members (absorbed) are removed.
 */
export async function refreshProfiles(db: Db, workspaceId: string, profileIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(profileIds)];
  if (ids.length === 0) return;
  const [members, loaded] = await Promise.all([membersOf(db, workspaceId, ids), profileEventsOf(db, workspaceId, ids)]);
  // Each profile's events are parsed only when it is folded, so they die young (db/profile-events.ts).
  const eventsBy = Map.groupBy(loaded, (e) => e.profileId);
  const summaries = summarizeMembers(members);

  const rows: ProfileRow[] = [];
  for (const [id, summary] of summaries) {
    if (rows.length % SLICE.profiles === SLICE.profiles - 1) await yieldToOthers();
    rows.push(profileRow(id, foldProfile(null, (eventsBy.get(id) ?? []).map(parseEvent)), summary));
  }
  await Promise.all([saveProfiles(db, workspaceId, rows), deleteProfiles(db, workspaceId, ids.filter((id) => !summaries.has(id)))]);
}

/** Per profile: how many identifiers it has, and whether any is known (a userId) or an email. */
export function summarizeMembers(members: readonly MemberRow[]): Map<string, MemberSummary> {
  const out = new Map<string, MemberSummary>();
  for (const m of members) {
    const s = out.get(m.profileId) ?? { known: false, identifierCount: 0 };
    out.set(m.profileId, { known: s.known || m.known || m.asEmail, identifierCount: s.identifierCount + 1 });
  }
  return out;
}

/** The stored row of a profile: its state, and the columns that lists filter and sort on. */
export function profileRow(id: string, { facts, fold }: ProfileState, members: MemberSummary): ProfileRow {
  return {
    id,
    known: members.known,
    identifierCount: members.identifierCount,
    firstSeen: facts.firstSeen ? new Date(facts.firstSeen) : null,
    lastSeen: facts.lastSeen ? new Date(facts.lastSeen) : null,
    events: facts.stats.events,
    orders: facts.purchases.orders,
    revenue: facts.purchases.revenue,
    lastOrderAt: facts.purchases.lastOrderAt ? new Date(facts.purchases.lastOrderAt) : null,
    averageDaysBetweenOrders: facts.purchases.averageDaysBetweenOrders,
    traits: facts.traits,
    state: encodeProfile({ facts, fold }),
    channels: facts.touchpoints.channels.map((t) => t.value),
    sources: facts.touchpoints.sources.map((t) => t.value),
  };
}
