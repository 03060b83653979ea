// What a regroup's moves of identifiers mean: which profiles need a rebuild, and the history entries.
import type { StoredLink } from '../db/identity-store.ts';
import type { LinkOutcome } from './group.ts';

export type Move = { value: string; profileId: string; from: string };

/**
 * Which regrouped profiles need a rebuild. A profile that only gained identifiers first seen in
 * this group (the usual login: a new userId and email joining the browser's profile) holds its
 * stored events plus the new rows, so its fold continues and only its member summary changes;
 * the new identifiers' own profiles never had a row and never come to be. A profile that lost an
 * identifier, or gained one with a past, is rebuilt from all its events.
 */
export function sortMoves(moves: readonly Move[], created: { has(profileId: string): boolean }) {
  const rebuild = new Set<string>();
  const attachedTo = new Set<string>();
  const vanished = new Set<string>();
  for (const m of moves) {
    if (created.has(m.from)) {
      attachedTo.add(m.profileId);
      vanished.add(m.from);
    } else rebuild.add(m.from).add(m.profileId);
  }
  for (const id of [...vanished]) if (rebuild.has(id) || attachedTo.has(id)) vanished.delete(id);
  for (const id of rebuild) attachedTo.delete(id);
  return { rebuild, attachedTo, vanished };
}

/** A move into a profile is a merge; identifiers leaving a profile that keeps others is a split. */
export function historyOf(
  changes: readonly Move[],
  profileOf: Map<string, string>,
  outcomes: ReadonlyArray<{ link: StoredLink; outcome: LinkOutcome }>,
) {
  const moves = new Map<string, { from: string; to: string; identifiers: string[] }>();
  for (const c of changes) {
    const key = `${c.from}\u0000${c.profileId}`;
    const move = moves.get(key) ?? { from: c.from, to: c.profileId, identifiers: [] };
    move.identifiers.push(c.value);
    moves.set(key, move);
  }
  const remaining = new Set(profileOf.values());
  return [...moves.values()].map((m) => {
    const cause = outcomes.find((o) => o.outcome === 'merged' && m.identifiers.some((v) => v === o.link.a || v === o.link.b));
    const split = remaining.has(m.from);
    return {
      profileId: split ? m.from : m.to,
      kind: split ? ('split' as const) : ('merge' as const),
      otherProfileId: split ? m.to : m.from,
      identifiers: m.identifiers.sort(),
      causeMessageId: cause?.link.messageId ?? null,
    };
  });
}
