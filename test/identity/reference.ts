// Reference implementation of the identity contract (conformance/identity.md R1-R17): state = f(set of messages).
//
// Clarity over speed. Everything is recomputed from the whole set; nothing here is incremental.
// Not covered: R2 (clock skew: the reference takes `timestamp` as final), R3 (size limits),
// R13 (unlink), R18 (profile ids), R19/R20 (delete, suppression).

import { compareBytes, compareCanonical, instantOf, sortedBytes } from './canonical.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface ReferenceMessage {
  type: 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';
  messageId: string;
  /** Final event time (R2 already applied: the generated messages carry no `sentAt`). */
  timestamp: string;
  anonymousId?: JsonValue;
  userId?: JsonValue;
  previousId?: JsonValue;
  event?: string;
  name?: string;
  groupId?: string;
  traits?: JsonObject;
  properties?: JsonObject;
  context?: JsonObject;
}

export interface ReferenceOptions {
  /** R8: the email trait of identify messages is an identifier. Default true. */
  emailIdentity?: boolean;
  /** R6: workspace-configured blocked values, compared exactly with the normalised value. */
  blocked?: string[];
}

export interface ReferenceProfile {
  /** Sorted (UTF-8 bytes), values after normalisation. */
  identifiers: string[];
  /** Sorted (UTF-8 bytes): the non-alias messages belonging to the profile (R14). */
  messageIds: string[];
  traits: Record<string, unknown>;
  firstSeen: string | null;
  lastSeen: string | null;
}

export type WarningCode = 'blocked_identifier' | 'merge_conflict' | 'identity_limit';

export interface ReferenceState {
  /** Sorted by identifiers[0]. */
  profiles: ReferenceProfile[];
  /** At most one warning per (messageId, code); sorted by messageId, then code. */
  warnings: Array<{ messageId: string; code: WarningCode }>;
  /** messageIds rejected by R7 (and never accepted under another copy); sorted. */
  rejected: string[];
}

export const MAX_IDENTIFIERS_PER_PROFILE = 1000;
export const MAX_ABSORBED_PROFILES = 100;

const BLOCKED_VALUES = new Set([
  '', 'null', 'undefined', 'none', 'nil', 'nan', 'anonymous', 'guest', 'unknown', 'id', 'user_id',
  'userid', 'email', 'not_authenticated', 'true', 'false', '[object object]', '-1',
]);

// ---------------------------------------------------------------------------------------------
// R5 / R6: one raw field -> identifier value

type Normalised = { kind: 'absent' } | { kind: 'invalid' } | { kind: 'blocked' } | { kind: 'valid'; value: string };

/** True when R6 blocks the (already trimmed) value. */
export function isBlockedValue(trimmed: string, extra: readonly string[] = []): boolean {
  if (extra.includes(trimmed)) return true;
  let inner = trimmed;
  const first = inner.at(0);
  if (inner.length >= 2 && (first === '"' || first === "'") && inner.at(-1) === first) inner = inner.slice(1, -1);
  const lower = inner.toLowerCase();
  return BLOCKED_VALUES.has(lower) || /^[0-]*$/.test(lower);
}

/**
 * R5 then R6. `undefined` and JSON `null` mean "absent" (analytics.js sends `userId: null` for
 * anonymous visitors). Finite numbers become `String(n)`; other non-strings are invalid. Strings
 * are trimmed (String.prototype.trim); email is lower-cased; more than 255 code points is invalid.
 */
export function normaliseIdentifier(raw: JsonValue | undefined, isEmail: boolean, extraBlocked: readonly string[]): Normalised {
  if (raw === undefined || raw === null) return { kind: 'absent' };
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
  else return { kind: 'invalid' };
  text = text.trim();
  if (isEmail) text = text.toLowerCase();
  if ([...text].length > 255) return { kind: 'invalid' };
  if (isBlockedValue(text, extraBlocked)) return { kind: 'blocked' };
  return { kind: 'valid', value: text };
}

// ---------------------------------------------------------------------------------------------
// Acceptance (R4, R7)

interface Accepted {
  message: ReferenceMessage;
  isAlias: boolean;
  anonymousId: string | null;
  userId: string | null;
  /** alias only */
  previousId: string | null;
  /** identify only, when email identity is on */
  email: string | null;
}

type IdentifierField = 'anonymousId' | 'userId' | 'previousId' | 'email';

function identifierFields(message: ReferenceMessage, options: Required<ReferenceOptions>): Array<[IdentifierField, Normalised]> {
  const norm = (raw: JsonValue | undefined, isEmail = false): Normalised => normaliseIdentifier(raw, isEmail, options.blocked);
  if (message.type === 'alias') {
    // An alias carries only previousId -> userId; an anonymousId on an alias is ignored.
    return [['previousId', norm(message.previousId)], ['userId', norm(message.userId)]];
  }
  const fields: Array<[IdentifierField, Normalised]> = [['anonymousId', norm(message.anonymousId)], ['userId', norm(message.userId)]];
  if (message.type === 'identify' && options.emailIdentity) fields.push(['email', norm(message.traits?.['email'], true)]);
  return fields;
}

/** Returns the accepted record, or null when R7 rejects the message; pushes blocked warnings. */
function accept(message: ReferenceMessage, options: Required<ReferenceOptions>, warn: (code: WarningCode) => void): Accepted | null {
  const record: Accepted = { message, isAlias: message.type === 'alias', anonymousId: null, userId: null, previousId: null, email: null };
  for (const [field, result] of identifierFields(message, options)) {
    if (result.kind === 'blocked') warn('blocked_identifier');
    if (result.kind === 'valid') record[field] = result.value;
  }
  if (record.isAlias) return record.previousId !== null && record.userId !== null ? record : null;
  return record.userId !== null || record.anonymousId !== null ? record : null;
}

function identifiersOf(record: Accepted): string[] {
  return [record.anonymousId, record.userId, record.previousId, record.email].filter((v): v is string => v !== null);
}

/** R10: the pairs a message links, in this order. */
function pairsOf(record: Accepted): Array<[string, string]> {
  const pairs: Array<[string | null, string | null]> = record.isAlias
    ? [[record.previousId, record.userId]]
    : [[record.anonymousId, record.userId], [record.anonymousId, record.email], [record.userId, record.email]];
  return pairs.filter((p): p is [string, string] => p[0] !== null && p[1] !== null);
}

// ---------------------------------------------------------------------------------------------
// Groups of identifiers (plain sets, no union-find tricks)

interface Group {
  members: Set<string>;
  /** R12: how many already-existing profiles were absorbed into this one. */
  absorbed: number;
}

class Groups {
  private readonly groupOf = new Map<string, Group>();

  constructor(identifiers: Iterable<string>, private readonly firstIndexOf: Map<string, number>) {
    for (const id of identifiers) this.groupOf.set(id, { members: new Set([id]), absorbed: 0 });
  }

  get(id: string): Group {
    const group = this.groupOf.get(id);
    if (!group) throw new Error(`unknown identifier ${id}`);
    return group;
  }

  all(): Group[] {
    return [...new Set(this.groupOf.values())];
  }

  /** Canonical position of the earliest message that carries any member of the group. */
  private firstIndex(group: Group): number {
    return Math.min(...[...group.members].map((id) => this.firstIndexOf.get(id) ?? Infinity));
  }

  /** Joins the groups of a and b on behalf of the message at canonical position `at`. */
  join(a: string, b: string, at: number): 'same' | 'joined' | 'limit' {
    const ga = this.get(a);
    const gb = this.get(b);
    if (ga === gb) return 'same';
    // A side whose earliest message is this very message is new: it is attached, not absorbed.
    const bothExisted = this.firstIndex(ga) < at && this.firstIndex(gb) < at;
    const absorbed = ga.absorbed + gb.absorbed + (bothExisted ? 1 : 0);
    const members = new Set([...ga.members, ...gb.members]);
    if (members.size > MAX_IDENTIFIERS_PER_PROFILE || absorbed > MAX_ABSORBED_PROFILES) return 'limit';
    const merged: Group = { members, absorbed };
    for (const id of members) this.groupOf.set(id, merged);
    return 'joined';
  }
}

// ---------------------------------------------------------------------------------------------
// Traits (R15, R16)

interface TraitOperations {
  setOnce: Array<[string, JsonValue]>;
  set: Array<[string, JsonValue]>;
  unset: string[];
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function entriesOf(value: JsonValue | undefined): Array<[string, JsonValue]> {
  return isObject(value) ? Object.entries(value) : [];
}

function unsetKeysOf(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
}

export function traitOperations(message: ReferenceMessage): TraitOperations {
  if (message.type === 'identify') {
    const traits = message.traits ?? {};
    return {
      setOnce: entriesOf(traits['$set_once']),
      set: Object.entries(traits).filter(([key]) => key !== '$set_once' && key !== '$unset'),
      unset: unsetKeysOf(traits['$unset']),
    };
  }
  if (message.type === 'alias') return { setOnce: [], set: [], unset: [] };
  // track / page / screen / group: only properties.$set / $set_once / $unset (group traits are the group's).
  const properties = message.properties ?? {};
  return {
    setOnce: entriesOf(properties['$set_once']),
    set: entriesOf(properties['$set']),
    unset: unsetKeysOf(properties['$unset']),
  };
}

/** Folds the messages (already in canonical order): within one message set_once, then set, then unset. */
function foldTraits(messages: ReferenceMessage[]): Record<string, unknown> {
  const traits = new Map<string, JsonValue>();
  for (const message of messages) {
    const ops = traitOperations(message);
    for (const [key, value] of ops.setOnce) if (!traits.has(key)) traits.set(key, value);
    for (const [key, value] of ops.set) traits.set(key, value);
    for (const key of ops.unset) traits.delete(key);
  }
  return Object.fromEntries([...traits].map(([key, value]) => [key, structuredClone(value)]));
}

// ---------------------------------------------------------------------------------------------
// The state

export function referenceState(messages: ReferenceMessage[], options: ReferenceOptions = {}): ReferenceState {
  const opts: Required<ReferenceOptions> = { emailIdentity: options.emailIdentity ?? true, blocked: options.blocked ?? [] };
  const warningKeys = new Set<string>();
  const warnings: ReferenceState['warnings'] = [];
  const warn = (messageId: string, code: WarningCode): void => {
    const key = JSON.stringify([messageId, code]);
    if (warningKeys.has(key)) return;
    warningKeys.add(key);
    warnings.push({ messageId, code });
  };

  // R4 + R7. The input is a SET: copies of one messageId must be identical (retries), so which copy
  // is "first" cannot matter. (Given differing copies, the first accepted one in input order wins.)
  const acceptedById = new Map<string, Accepted>();
  const rejectedIds = new Set<string>();
  for (const message of messages) {
    if (acceptedById.has(message.messageId)) continue;
    const record = accept(message, opts, (code) => warn(message.messageId, code));
    if (record) acceptedById.set(message.messageId, record);
    else rejectedIds.add(message.messageId);
  }
  for (const id of acceptedById.keys()) rejectedIds.delete(id);

  // R1: canonical order; a message's position in it is its canonical rank.
  const accepted = [...acceptedById.values()].sort((a, b) => compareCanonical(a.message, b.message));

  // R9: known = userId of some accepted non-alias message.
  const known = new Set<string>();
  for (const record of accepted) if (!record.isAlias && record.userId !== null) known.add(record.userId);

  // Every identifier, with the rank of the earliest message carrying it (R12 "already existed").
  const firstIndexOf = new Map<string, number>();
  accepted.forEach((record, index) => {
    for (const id of identifiersOf(record)) if (!firstIndexOf.has(id)) firstIndexOf.set(id, index);
  });
  const groups = new Groups(firstIndexOf.keys(), firstIndexOf);
  const hasKnown = (group: Group): boolean => [...group.members].some((id) => known.has(id));

  // R10 phase 1 (trusted): aliases between two known ids join unconditionally (R12 caps still apply).
  const phaseOne = new Set<Accepted>();
  accepted.forEach((record, index) => {
    const { isAlias, previousId, userId } = record;
    if (!isAlias || previousId === null || userId === null || !known.has(previousId) || !known.has(userId)) return;
    phaseOne.add(record);
    if (groups.join(previousId, userId, index) === 'limit') warn(record.message.messageId, 'identity_limit');
  });

  // R10 phase 2, canonical order: never join two groups that both hold a known id.
  accepted.forEach((record, index) => {
    if (phaseOne.has(record)) return;
    for (const [a, b] of pairsOf(record)) {
      const ga = groups.get(a);
      const gb = groups.get(b);
      if (ga === gb) continue;
      if (hasKnown(ga) && hasKnown(gb)) {
        warn(record.message.messageId, 'merge_conflict');
        continue;
      }
      if (groups.join(a, b, index) === 'limit') warn(record.message.messageId, 'identity_limit');
    }
  });

  // R14: a non-alias message belongs to the group of its userId, else of its anonymousId.
  const messagesOf = new Map<Group, ReferenceMessage[]>();
  for (const record of accepted) {
    if (record.isAlias) continue;
    const owner = groups.get((record.userId ?? record.anonymousId) as string);
    messagesOf.set(owner, [...(messagesOf.get(owner) ?? []), record.message]); // stays in canonical order
  }

  const profiles = groups.all().map((group): ReferenceProfile => {
    const owned = messagesOf.get(group) ?? [];
    const instants = owned.map((m) => instantOf(m.timestamp));
    const activeInstants = owned.filter((m) => m.context?.['active'] !== false).map((m) => instantOf(m.timestamp));
    return {
      identifiers: sortedBytes(group.members),
      messageIds: sortedBytes(owned.map((m) => m.messageId)),
      traits: foldTraits(owned),
      // R17. A profile whose messages all have context.active === false has lastSeen null.
      firstSeen: instants.length ? new Date(Math.min(...instants)).toISOString() : null,
      lastSeen: activeInstants.length ? new Date(Math.max(...activeInstants)).toISOString() : null,
    };
  });
  profiles.sort((a, b) => compareBytes(a.identifiers[0] ?? '', b.identifiers[0] ?? ''));

  warnings.sort((a, b) => compareBytes(a.messageId, b.messageId) || compareBytes(a.code, b.code));
  return { profiles, warnings, rejected: sortedBytes(rejectedIds) };
}
