import type { Db, Unanswered } from '../db/database.ts';
import { loadComponent } from '../db/identity-component.ts';
import * as store from '../db/identity-store.ts';
import { compareKeys } from './canonical.ts';
import { identifierFacts, linksOf, type IdentifierFact, type IdentityRow } from './links.ts';
import { sortMoves } from './moves.ts';
import { planLinks } from './pairs.ts';
import { profileIdOf } from './profile-id.ts';
import { linkKey, regroupComponent, type IdentityWarning } from './regroup.ts';

export type { IdentityWarning } from './regroup.ts';

export interface IdentityOutcome {
  /** Profiles whose members or events changed: their aggregates must be rebuilt. */
  affected: Set<string>;
  /** Refused links of the messages just stored, by messageId. */
  warnings: Map<string, IdentityWarning>;
  /** Identifier -> profile for every identifier of the rows. */
  profileOf: Map<string, string>;
  /** Profiles whose members changed (merged, split): their event set changed beyond the new rows. */
  regrouped: Set<string>;
  /** Profiles of identifiers first seen in these rows, with their one member's summary. */
  created: Map<string, MemberSummary>;
  /** Profiles where an identifier already stored became known or an email: their summary must be recounted. */
  recount: Set<string>;
}

export interface MemberSummary {
  known: boolean;
  identifierCount: number;
}

function mergeFacts(old: store.StoredIdentity, fresh: IdentifierFact): store.StoredIdentity {
  return {
    ...old,
    asAnonymous: old.asAnonymous || fresh.asAnonymous,
    asUser: old.asUser || fresh.asUser,
    asEmail: old.asEmail || fresh.asEmail,
    asPrevious: old.asPrevious || fresh.asPrevious,
    known: old.known || fresh.known,
    first: compareKeys(fresh.first, old.first) < 0 ? fresh.first : old.first,
  };
}

/**
 * New identifiers become profiles of their own; stored ones take the new facts. Returns what to
 * write (only what changed) and the identifiers whose change may regroup their set.
 */
function mergeIdentities(
  workspaceId: string,
  facts: Map<string, IdentifierFact>,
  existing: Map<string, store.StoredIdentity>,
  out: { affected: Set<string>; created: Map<string, MemberSummary>; recount: Set<string> },
) {
  const seeds = new Set<string>();
  const touched: store.StoredIdentity[] = [];
  const changed: store.StoredIdentity[] = [];
  for (const fact of facts.values()) {
    const old = existing.get(fact.value);
    if (!old) {
      const selfId = profileIdOf(workspaceId, fact.value);
      const fresh = { ...fact, selfId, profileId: selfId };
      touched.push(fresh);
      changed.push(fresh);
      // A new identifier is a profile of its own until a link says otherwise, events or not.
      out.affected.add(selfId);
      out.created.set(selfId, { known: fact.known || fact.asEmail, identifierCount: 1 });
      continue;
    }
    const merged = mergeFacts(old, fact);
    // An earlier first message or a newly known id can change who survives or what may join.
    if (compareKeys(merged.first, old.first) !== 0 || merged.known !== old.known) seeds.add(fact.value);
    touched.push(merged);
    if (!sameFacts(merged, old)) changed.push(merged);
    if (merged.known !== old.known || merged.asEmail !== old.asEmail) out.recount.add(old.profileId);
  }
  return { touched, changed, seeds };
}

/** What identity reads first about a group's rows: their stored identifiers, and the stored links among them. */
export interface IdentityPreload {
  existing: Map<string, store.StoredIdentity>;
  stored: store.StoredLink[];
}

/**
 * Sends identity's first reads for these rows (any superset of the rows later applied will do).
 * Sent behind the workspace lock on the same connection, they run as soon as it is granted,
 * without a round trip of their own.
 */
export function preloadIdentity(db: Db, workspaceId: string, rows: readonly IdentityRow[]): Promise<IdentityPreload> {
  const values = [...identifierFacts(rows).keys()];
  const ends = [...new Set(rows.flatMap(linksOf).flatMap((l) => [l.a, l.b]))];
  return Promise.all([store.loadIdentities(db, workspaceId, values), store.linksAmong(db, workspaceId, ends)])
    .then(([existing, stored]) => ({ existing, stored }));
}

export interface ApplyOptions {
  /** preloadIdentity's answer for these rows (or more), when the caller sent it already. */
  preload?: IdentityPreload;
  /** The caller's next statements, sent together with identity's last writes (one round trip). */
  alongside?: (outcome: IdentityOutcome) => Promise<unknown>;
  /**
   * Where identity's last writes and `alongside`'s statements go instead of being awaited: the
   * caller's transaction commits right behind them. Only when `alongside` issues all of its
   * statements at once (not after an answer).
   */
  unanswered?: Unanswered;
}

/**
 * Folds newly stored messages into the identity graph of one workspace. Only the connected
 * set that a change can affect is regrouped, from all of its links, so the result is the same
 * whatever order or batches the messages came in (rule 1). Caller holds the workspace lock.
 * Independent statements go out together: the connection runs them in turn, one round trip.
 */
export async function applyIdentity(db: Db, workspaceId: string, rows: IdentityRow[], options: ApplyOptions = {}): Promise<IdentityOutcome> {
  const affected = new Set<string>();
  const warnings = new Map<string, IdentityWarning>();
  const regroupedIds = new Set<string>();
  const created = new Map<string, MemberSummary>();
  const recount = new Set<string>();
  const empty: IdentityOutcome = { affected, warnings, profileOf: new Map(), regrouped: regroupedIds, created, recount };
  const last = async (statements: Promise<unknown>) => {
    if (options.unanswered) options.unanswered(statements);
    else await statements;
  };
  if (rows.length === 0) {
    await last(Promise.all([options.alongside?.(empty)]));
    return empty;
  }

  const facts = identifierFacts(rows);
  const { existing, stored } = options.preload ?? (await preloadIdentity(db, workspaceId, rows));
  const { touched, changed, seeds } = mergeIdentities(workspaceId, facts, existing, { affected, created, recount });
  const plan = planLinks(rows.flatMap(linksOf), stored);
  for (const link of plan.fresh) seeds.add(link.a).add(link.b);
  const writes = [store.saveIdentities(db, workspaceId, changed), store.saveLinks(db, workspaceId, plan.fresh)];
  const profileOf = new Map(touched.map((t) => [t.value, t.profileId]));

  /** Warnings of repeated links, the owners' profiles, and the outcome, once regrouping (if any) is decided. */
  const conclude = (outcomes: ReadonlyMap<string, string>): IdentityOutcome => {
    // A repeated link is refused exactly when its pair's earliest link is.
    for (const { link, earliest } of plan.repeats) {
      const outcome = outcomes.get(linkKey(earliest)) ?? (earliest as Partial<store.StoredLink>).outcome;
      if ((outcome === 'merge_conflict' || outcome === 'identity_limit') && !warnings.has(link.messageId)) warnings.set(link.messageId, outcome);
    }
    for (const row of rows) {
      const owner = row.type === 'alias' ? null : (row.userId ?? row.anonymousId);
      if (owner) affected.add(profileOf.get(owner)!);
    }
    return { affected, warnings, profileOf, regrouped: regroupedIds, created, recount };
  };

  if (seeds.size === 0) {
    // Nothing can regroup, so the outcome is known now: the caller's statements go out with the
    // writes, one round trip fewer under the workspace lock.
    const outcome = conclude(new Map());
    await last(Promise.all([...writes, options.alongside?.(outcome)]));
    return outcome;
  }
  // The walk goes out behind the writes, so it sees the links just saved.
  const [component] = await Promise.all([loadComponent(db, workspaceId, seeds), ...writes]);
  const regrouped = regroupComponent(db, workspaceId, component, new Set(rows.map((r) => r.messageId)));
  for (const [value, profileId] of regrouped.profileOf) profileOf.set(value, profileId);
  const moves = sortMoves(regrouped.moves, created);
  for (const id of moves.rebuild) {
    affected.add(id);
    regroupedIds.add(id);
  }
  for (const id of moves.attachedTo) {
    affected.add(id);
    recount.add(id);
  }
  for (const id of moves.vanished) {
    affected.delete(id);
    created.delete(id);
  }
  for (const [messageId, warning] of regrouped.warnings) warnings.set(messageId, warning);
  const outcome = conclude(regrouped.outcomes);
  await last(Promise.all([regrouped.written, options.alongside?.(outcome)]));
  return outcome;
}

function sameFacts(x: store.StoredIdentity, y: store.StoredIdentity): boolean {
  return x.asAnonymous === y.asAnonymous && x.asUser === y.asUser && x.asEmail === y.asEmail && x.asPrevious === y.asPrevious
    && x.known === y.known && compareKeys(x.first, y.first) === 0;
}
