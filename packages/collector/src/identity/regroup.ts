import type { Db } from '../db/database.ts';
import { loadComponent, type Component } from '../db/identity-component.ts';
import * as store from '../db/identity-store.ts';
import { groupMembers, type LinkOutcome } from './group.ts';
import type { Link } from './links.ts';
import { historyOf, type Move } from './moves.ts';

export type IdentityWarning = 'merge_conflict' | 'identity_limit';

export interface Regrouped {
  /** Profiles that lost or gained identifiers. */
  affected: Set<string>;
  /** Refused links among the messages being stored, by messageId. */
  warnings: Map<string, IdentityWarning>;
  /** Identifier -> profile for every member of the connected set. */
  profileOf: Map<string, string>;
  /** Every link's outcome, by linkKey. */
  outcomes: Map<string, string>;
  moves: Move[];
  /** The writes of the new grouping, already sent; the transaction must wait for them before it commits. */
  written: Promise<unknown>;
}

export function linkKey(link: Pick<Link, 'messageId' | 'position'>): string {
  return `${link.messageId}\u0000${link.position}`;
}

/**
 * Recomputes the grouping of everything connected to the seeds, from all stored links, and
 * writes what changed. Links touching an unlinked identifier (R13) take no part.
 */
export async function regroup(db: Db, workspaceId: string, seeds: Iterable<string>, current: Set<string> = new Set()): Promise<Omit<Regrouped, 'written'>> {
  const { written, ...regrouped } = regroupComponent(db, workspaceId, await loadComponent(db, workspaceId, seeds), current);
  await written;
  return regrouped;
}

/**
 * The same from a connected set already read. Returns the new grouping at once, with its
 * writes in flight, so the caller's next statements go out with them (one round trip).
 */
export function regroupComponent(db: Db, workspaceId: string, component: Component, current: Set<string>): Regrouped {
  const affected = new Set<string>();
  const warnings = new Map<string, IdentityWarning>();
  const profileOf = new Map<string, string>();
  const { members, unlinked } = component;
  const usable = component.links.filter((l) => !unlinked.has(l.a) && !unlinked.has(l.b));
  const grouping = groupMembers([...members.values()], usable);
  const moves: Move[] = [];
  const outcomes = new Map<string, string>();
  for (const member of members.values()) {
    const profileId = members.get(grouping.survivorOf.get(member.value)!)!.selfId;
    profileOf.set(member.value, profileId);
    if (profileId !== member.profileId) moves.push({ value: member.value, profileId, from: member.profileId });
  }
  const outcomeChanges: Array<{ link: store.StoredLink; outcome: LinkOutcome }> = [];
  for (const link of component.links) {
    const outcome = grouping.outcomes.get(link) ?? 'unused';
    outcomes.set(linkKey(link), outcome);
    if (link.outcome !== outcome) outcomeChanges.push({ link, outcome });
    if ((outcome === 'merge_conflict' || outcome === 'identity_limit') && current.has(link.messageId)) warnings.set(link.messageId, outcome);
  }
  const written = Promise.all([
    store.setProfileIds(db, workspaceId, moves),
    store.setLinkOutcomes(db, workspaceId, outcomeChanges),
    store.recordHistory(db, workspaceId, historyOf(moves, profileOf, outcomeChanges)),
  ]);
  // Awaited by the caller before commit; until then a failure must not count as unhandled.
  written.catch(() => {});
  for (const move of moves) affected.add(move.from).add(move.profileId);
  return { affected, warnings, profileOf, outcomes, moves, written };
}
