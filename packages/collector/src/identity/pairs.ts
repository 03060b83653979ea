import { compareBytes, compareKeys } from './canonical.ts';
import type { Link } from './links.ts';

/** Two links of one pair (either way round, alias or not) are the same edge of the graph. */
export function pairKey(link: Pick<Link, 'a' | 'b' | 'alias'>): string {
  const [x, y] = compareBytes(link.a, link.b) <= 0 ? [link.a, link.b] : [link.b, link.a];
  return `${link.alias ? 1 : 0}\u0000${x}\u0000${y}`;
}

export function earlierLink(x: Link, y: Link): boolean {
  return (compareKeys({ at: x.at, messageId: x.messageId }, { at: y.at, messageId: y.messageId }) || x.position - y.position) < 0;
}

export interface PairPlan<L extends Link> {
  /** New links that are now their pair's earliest: stored, and their ends regrouped. */
  fresh: Link[];
  /** New links that repeat an earlier link of their pair: not stored, they change nothing. */
  repeats: Array<{ link: Link; earliest: Link | L }>;
}

/**
 * Only a pair's earliest link can change the grouping: in canonical order, groups only grow,
 * so a later link of the same pair finds its ends already joined ('unused') or still refused
 * for the same reason (two known ids, or a cap that growth cannot undo). Storing just the
 * earliest keeps the graph as small as the set of distinct pairs, instead of one link per
 * message of a logged-in person; a repeat takes its earliest link's outcome.
 */
export function planLinks<L extends Link>(links: readonly Link[], stored: readonly L[]): PairPlan<L> {
  const earliest = new Map<string, Link | L>();
  for (const link of stored) {
    const key = pairKey(link);
    const kept = earliest.get(key);
    if (kept === undefined || earlierLink(link, kept)) earliest.set(key, link);
  }
  const storedSet = new Set<Link>(stored);
  const newEarliest = new Set<Link>();
  for (const link of links) {
    const key = pairKey(link);
    const kept = earliest.get(key);
    if (kept === undefined || earlierLink(link, kept)) {
      if (kept !== undefined && !storedSet.has(kept)) newEarliest.delete(kept);
      earliest.set(key, link);
      newEarliest.add(link);
    }
  }
  const fresh = links.filter((l) => newEarliest.has(l));
  const repeats = links.filter((l) => !newEarliest.has(l)).map((link) => ({ link, earliest: earliest.get(pairKey(link))! }));
  return { fresh, repeats };
}
