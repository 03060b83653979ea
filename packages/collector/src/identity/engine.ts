import type { Db } from '../db/database.ts';
import * as store from '../db/identity-store.ts';
import { compareKeys } from './canonical.ts';
import { groupMembers, type LinkOutcome } from './group.ts';
import { identifierFacts, linksOf, type IdentifierFact, type IdentityRow, type Link } from './links.ts';
import { planLinks } from './pairs.ts';
import { historyOf, sortMoves, type Move } from './moves.ts';
import { profileIdOf } from './profile-id.ts';

export type IdentityWarning = 'merge_conflict' | 'identity_limit';

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

/**
 * Folds newly stored messages into the identity graph of one workspace. Only the connected
 * set that a change can affect is regrouped, from all of its links, so the result is the same
 * whatever order or batches the messages came in (rule 1). Caller holds the workspace lock.
 */
export async function applyIdentity(db: Db, workspaceId: string, rows: IdentityRow[]): Promise<IdentityOutcome> {
  const affected = new Set<string>();
  const warnings = new Map<string, IdentityWarning>();
  const regroupedIds = new Set<string>();
  const created = new Map<string, MemberSummary>();
  const recount = new Set<string>();
  if (rows.length === 0) return { affected, warnings, profileOf: new Map(), regrouped: regroupedIds, created, recount };

  const facts = identifierFacts(rows);
  const existing = await store.loadIdentities(db, workspaceId, [...facts.keys()]);
  const { touched, changed, seeds } = mergeIdentities(workspaceId, facts, existing, { affected, created, recount });
  const links = rows.flatMap(linksOf);
  // Independent statements go out together: one round trip instead of two (the connection runs them in turn).
  const [, stored] = await Promise.all([
    store.saveIdentities(db, workspaceId, changed),
    links.length === 0 ? [] : store.linksAmong(db, workspaceId, [...new Set(links.flatMap((l) => [l.a, l.b]))]),
  ]);
  const plan = planLinks(links, stored);
  await store.saveLinks(db, workspaceId, plan.fresh);
  for (const link of plan.fresh) seeds.add(link.a).add(link.b);

  const profileOf = new Map(touched.map((t) => [t.value, t.profileId]));
  let outcomes = new Map<string, string>();
  if (seeds.size > 0) {
    const regrouped = await regroup(db, workspaceId, seeds, new Set(rows.map((r) => r.messageId)));
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
    outcomes = regrouped.outcomes;
  }
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
}

/**
 * Recomputes the grouping of everything connected to the seeds, from all stored links, and
 * writes what changed. Links touching an unlinked identifier (R13) take no part.
 */
export async function regroup(db: Db, workspaceId: string, seeds: Iterable<string>, current: Set<string> = new Set()) {
  const affected = new Set<string>();
  const warnings = new Map<string, IdentityWarning>();
  const profileOf = new Map<string, string>();
  const component = await store.connectedLinks(db, workspaceId, seeds);
  const [members, unlinked] = await Promise.all([
    store.loadIdentities(db, workspaceId, [...component.values]),
    store.unlinkedAmong(db, workspaceId, [...component.values]),
  ]);
  const usable = component.links.filter((l) => !unlinked.has(l.a) && !unlinked.has(l.b));
  const grouping = groupMembers([...members.values()], usable);
  const changes: Move[] = [];
  const outcomes = new Map<string, string>();
  for (const member of members.values()) {
    const profileId = members.get(grouping.survivorOf.get(member.value)!)!.selfId;
    profileOf.set(member.value, profileId);
    if (profileId !== member.profileId) changes.push({ value: member.value, profileId, from: member.profileId });
  }
  const outcomeChanges: Array<{ link: store.StoredLink; outcome: LinkOutcome }> = [];
  for (const link of component.links) {
    const outcome = grouping.outcomes.get(link) ?? 'unused';
    outcomes.set(linkKey(link), outcome);
    if (link.outcome !== outcome) outcomeChanges.push({ link, outcome });
    if ((outcome === 'merge_conflict' || outcome === 'identity_limit') && current.has(link.messageId)) warnings.set(link.messageId, outcome);
  }
  await Promise.all([
    store.setProfileIds(db, workspaceId, changes),
    store.setLinkOutcomes(db, workspaceId, outcomeChanges),
    store.recordHistory(db, workspaceId, historyOf(changes, profileOf, outcomeChanges)),
  ]);
  for (const change of changes) affected.add(change.from).add(change.profileId);
  return { affected, warnings, profileOf, outcomes, moves: changes };
}

function linkKey(link: Pick<Link, 'messageId' | 'position'>): string {
  return `${link.messageId}\u0000${link.position}`;
}

function sameFacts(x: store.StoredIdentity, y: store.StoredIdentity): boolean {
  return x.asAnonymous === y.asAnonymous && x.asUser === y.asUser && x.asEmail === y.asEmail && x.asPrevious === y.asPrevious
    && x.known === y.known && compareKeys(x.first, y.first) === 0;
}
