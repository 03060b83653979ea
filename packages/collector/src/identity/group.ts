import { compareBytes, compareKeys, type CanonicalKey } from './canonical.ts';
import type { Link } from './links.ts';

export interface Member {
  value: string;
  known: boolean;
  first: CanonicalKey;
}

export type LinkOutcome = 'merged' | 'unused' | 'merge_conflict' | 'identity_limit';

export interface Caps {
  maxIdentifiers: number;
  maxAbsorbed: number;
}

export const DEFAULT_CAPS: Caps = { maxIdentifiers: 1000, maxAbsorbed: 100 };

interface Group {
  size: number;
  known: boolean;
  absorbed: number;
  /** The earliest first message among the members: who survives (R18), and what existed when. */
  oldest: Member;
}

export interface Grouping {
  /** Each member's survivor: the member whose earliest message is first in canonical order. */
  survivorOf: Map<string, string>;
  outcomes: Map<Link, LinkOutcome>;
}

function olderMember(a: Member, b: Member): Member {
  const order = compareKeys(a.first, b.first) || compareBytes(a.value, b.value);
  return order <= 0 ? a : b;
}

const linkOrder = (x: Link, y: Link) =>
  compareKeys({ at: x.at, messageId: x.messageId }, { at: y.at, messageId: y.messageId }) || x.position - y.position;

/**
 * R10-R12 over one connected set of identifiers. Phase 1 joins aliases between two known ids;
 * phase 2 walks every other link in canonical order, refusing a join of two groups that each
 * hold a known id. A join only counts as absorbing a profile when both sides existed before
 * the joining message; a message that brings a new identifier attaches it.
 */
export function groupMembers(members: Member[], links: Link[], caps: Caps = DEFAULT_CAPS): Grouping {
  const parent = new Map<string, string>();
  const groups = new Map<string, Group>();
  for (const m of members) {
    parent.set(m.value, m.value);
    groups.set(m.value, { size: 1, known: m.known, absorbed: 0, oldest: m });
  }
  const find = (v: string): string => {
    let root = v;
    while (parent.get(root) !== root) root = parent.get(root)!;
    while (parent.get(v) !== root) {
      const next = parent.get(v)!;
      parent.set(v, root);
      v = next;
    }
    return root;
  };
  const outcomes = new Map<Link, LinkOutcome>();
  const join = (link: Link, checkKnown: boolean): LinkOutcome => {
    if (!parent.has(link.a) || !parent.has(link.b)) return 'unused';
    const ra = find(link.a);
    const rb = find(link.b);
    if (ra === rb) return 'unused';
    const ga = groups.get(ra)!;
    const gb = groups.get(rb)!;
    if (checkKnown && ga.known && gb.known) return 'merge_conflict';
    const key = { at: link.at, messageId: link.messageId };
    const absorbs = compareKeys(ga.oldest.first, key) < 0 && compareKeys(gb.oldest.first, key) < 0;
    const absorbed = ga.absorbed + gb.absorbed + (absorbs ? 1 : 0);
    if (ga.size + gb.size > caps.maxIdentifiers || absorbed > caps.maxAbsorbed) return 'identity_limit';
    parent.set(rb, ra);
    groups.set(ra, { size: ga.size + gb.size, known: ga.known || gb.known, absorbed, oldest: olderMember(ga.oldest, gb.oldest) });
    groups.delete(rb);
    return 'merged';
  };
  const known = new Set(members.filter((m) => m.known).map((m) => m.value));
  const trusted = (l: Link) => l.alias && known.has(l.a) && known.has(l.b);
  const sorted = [...links].sort(linkOrder);
  for (const link of sorted) if (trusted(link)) outcomes.set(link, join(link, false));
  for (const link of sorted) if (!trusted(link)) outcomes.set(link, join(link, true));
  const survivorOf = new Map<string, string>();
  for (const m of members) survivorOf.set(m.value, groups.get(find(m.value))!.oldest.value);
  return { survivorOf, outcomes };
}
