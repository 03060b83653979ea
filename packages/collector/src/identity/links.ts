import { compareKeys, type CanonicalKey } from './canonical.ts';

/** What the identity stage needs of a stored event. */
export interface IdentityRow {
  messageId: string;
  type: string;
  timestamp: Date;
  anonymousId: string | null;
  userId: string | null;
  previousId: string | null;
  email: string | null;
}

export interface IdentifierFact {
  value: string;
  asAnonymous: boolean;
  asUser: boolean;
  asEmail: boolean;
  asPrevious: boolean;
  known: boolean;
  first: CanonicalKey;
}

export interface Link {
  messageId: string;
  position: number;
  a: string;
  b: string;
  at: number;
  alias: boolean;
}

/** R10: an alias links previousId to userId; other messages link their identifiers pairwise, in this order. */
export function linksOf(row: IdentityRow): Link[] {
  const at = row.timestamp.getTime();
  const pairs: Array<[string | null, string | null]> =
    row.type === 'alias'
      ? [[row.previousId, row.userId]]
      : [[row.anonymousId, row.userId], [row.anonymousId, row.email], [row.userId, row.email]];
  const links: Link[] = [];
  pairs.forEach(([a, b], position) => {
    if (a && b && a !== b) links.push({ messageId: row.messageId, position, a, b, at, alias: row.type === 'alias' });
  });
  return links;
}

/** Per identifier value: its roles, whether it is known (R9), and its earliest message (R18). */
export function identifierFacts(rows: readonly IdentityRow[]): Map<string, IdentifierFact> {
  const facts = new Map<string, IdentifierFact>();
  const note = (value: string | null, row: IdentityRow, role: 'asAnonymous' | 'asUser' | 'asEmail' | 'asPrevious') => {
    if (!value) return;
    const key = { at: row.timestamp.getTime(), messageId: row.messageId };
    let fact = facts.get(value);
    if (!fact) {
      fact = { value, asAnonymous: false, asUser: false, asEmail: false, asPrevious: false, known: false, first: key };
      facts.set(value, fact);
    } else if (compareKeys(key, fact.first) < 0) {
      fact.first = key;
    }
    fact[role] = true;
    if (role === 'asUser' && row.type !== 'alias') fact.known = true;
  };
  for (const row of rows) {
    note(row.anonymousId, row, 'asAnonymous');
    note(row.userId, row, 'asUser');
    note(row.email, row, 'asEmail');
    note(row.previousId, row, 'asPrevious');
  }
  return facts;
}
