// Invariant: the reference implements identity.md (E1-E5, R5-R17) and is itself a function of the message SET.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCanonical } from './canonical.ts';
import { diffProfiles, normaliseProfiles } from './compare.ts';
import { T, edgeCaseWorlds, flatten, scenarioArb, toBatches, workedExamples, worldArb } from './generators.ts';
import {
  isBlockedValue,
  normaliseIdentifier,
  referenceState,
  traitOperations,
  type ReferenceMessage,
  type ReferenceOptions,
  type ReferenceProfile,
  type ReferenceState,
} from './reference.ts';

const runParameters = { numRuns: Number(process.env['FC_NUM_RUNS'] ?? 300), seed: process.env['FC_SEED'] ? Number(process.env['FC_SEED']) : undefined, path: process.env['FC_PATH'] };

const groupsOf = (state: ReferenceState): string[][] => state.profiles.map((p) => p.identifiers);
const profileWith = (state: ReferenceState, id: string): ReferenceProfile => {
  const found = state.profiles.find((p) => p.identifiers.includes(id));
  if (!found) throw new Error(`no profile holds ${id}`);
  return found;
};
const page = (messageId: string, ids: Partial<ReferenceMessage>, t = 1): ReferenceMessage => ({ type: 'page', messageId, timestamp: T(t), ...ids });
const identify = (messageId: string, ids: Partial<ReferenceMessage>, t = 1): ReferenceMessage => ({ type: 'identify', messageId, timestamp: T(t), ...ids });
const alias = (messageId: string, previousId: string | number, userId: string | number, t = 1): ReferenceMessage => ({ type: 'alias', messageId, previousId, userId, timestamp: T(t) });

describe('worked examples of identity.md', () => {
  it('E1 browser to account', () => {
    const s = referenceState(workedExamples.E1.messages);
    expect(s.profiles).toEqual([{ identifiers: ['X', 'c7'], messageIds: ['e1', 'e2', 'e3'], traits: { name: 'Lia' }, firstSeen: T(1), lastSeen: T(3) }]);
    expect(s.warnings).toEqual([]);
  });

  it('E2 landing-page lead becomes customer (email joins an anonymous lead to the account)', () => {
    const s = referenceState(workedExamples.E2.messages);
    expect(groupsOf(s)).toEqual([['X', 'Y', 'c7', 'lia@mail.it']]);
    expect(s.profiles[0]?.traits).toEqual({ email: 'lia@mail.it' }); // the later identify's raw value
  });

  it('E3 shared browser without reset', () => {
    const s = referenceState(workedExamples.E3.messages);
    expect(s.profiles.map((p) => [p.identifiers, p.messageIds])).toEqual([
      [['X', 'c7'], ['e1', 'e3']],
      [['c9'], ['e2']],
    ]);
    expect(s.warnings).toEqual([{ messageId: 'e2', code: 'merge_conflict' }]);
  });

  it('E4 traits by time, not arrival', () => {
    const s = referenceState(workedExamples.E4.messages);
    expect(s.profiles[0]?.traits).toEqual({ tier: 'gold' });
  });

  it('E5 blocked id', () => {
    const s = referenceState(workedExamples.E5.messages);
    expect(groupsOf(s)).toEqual([['X'], ['Z']]);
    expect(s.warnings).toEqual([
      { messageId: 'e1', code: 'blocked_identifier' },
      { messageId: 'e2', code: 'blocked_identifier' },
    ]);
    expect(s.rejected).toEqual([]);
  });

  it('every worked example gives the same state for every arrival order', () => {
    for (const world of Object.values(workedExamples)) {
      const expected = referenceState(world.messages);
      fc.assert(fc.property(fc.shuffledSubarray(world.messages, { minLength: world.messages.length }), (order) => {
        expect(referenceState(order)).toEqual(expected);
      }));
    }
  });
});

describe('R5 normalisation and R6 blocked values', () => {
  const blocked = [
    '', '   ', 'null', ' NULL ', '"null"', "'none'", 'undefined', 'Undefined', 'nil', 'NaN', 'anonymous', 'Guest', 'unknown', 'id',
    'user_id', 'userid', 'email', 'not_authenticated', 'true', 'FALSE', '[object Object]', '-1', '0', '000', '-', '--0',
    '00000000-0000-0000-0000-000000000000', '""', "''", '"0"',
  ];
  it.each(blocked)('%j is blocked', (value) => {
    expect(isBlockedValue(value.trim())).toBe(true);
    const s = referenceState([identify('m1', { anonymousId: 'X', userId: value })]);
    expect(groupsOf(s)).toEqual([['X']]);
    expect(s.warnings).toEqual([{ messageId: 'm1', code: 'blocked_identifier' }]);
  });

  it.each(['nullable', 'guest1', '0a', '10', '-2', '"null', 'null"', '""null""', 'c7'])('%j is an identifier', (value) => {
    expect(isBlockedValue(value)).toBe(false);
  });

  it('workspace-blocked values are exact (after trimming), default ones are not affected', () => {
    const options: ReferenceOptions = { blocked: ['test-user'] };
    const s = referenceState([identify('m1', { anonymousId: 'X', userId: ' test-user ' }), identify('m2', { anonymousId: 'Y', userId: 'Test-User' })], options);
    expect(groupsOf(s)).toEqual([['Test-User', 'Y'], ['X']]);
    expect(s.warnings).toEqual([{ messageId: 'm1', code: 'blocked_identifier' }]);
    expect(groupsOf(referenceState([identify('m1', { anonymousId: 'X', userId: 'test-user' })]))).toEqual([['X', 'test-user']]);
  });

  it('numbers are decimal strings: 1042, "1042" and " 1042 " are one identifier, whatever field carries it', () => {
    const s = referenceState([
      identify('m1', { anonymousId: 'X', userId: 1042 }, 1),
      page('m2', { userId: '1042' }, 2),
      page('m3', { anonymousId: ' 1042 ' }, 3),
    ]);
    expect(s.profiles.map((p) => [p.identifiers, p.messageIds])).toEqual([[['1042', 'X'], ['m1', 'm2', 'm3']]]);
    expect(normaliseIdentifier(12.5, false, [])).toEqual({ kind: 'valid', value: '12.5' });
  });

  it('other non-strings and values over 255 characters are invalid (dropped, no warning); null is absent', () => {
    expect(normaliseIdentifier(true, false, [])).toEqual({ kind: 'invalid' });
    expect(normaliseIdentifier({ id: 1 }, false, [])).toEqual({ kind: 'invalid' });
    expect(normaliseIdentifier('x'.repeat(256), false, [])).toEqual({ kind: 'invalid' });
    expect(normaliseIdentifier(` ${'x'.repeat(255)} `, false, [])).toEqual({ kind: 'valid', value: 'x'.repeat(255) });
    expect(normaliseIdentifier(null, false, [])).toEqual({ kind: 'absent' });
    const s = referenceState([identify('m1', { anonymousId: 'X', userId: null }), identify('m2', { anonymousId: 'Y', userId: false })]);
    expect(groupsOf(s)).toEqual([['X'], ['Y']]);
    expect(s.warnings).toEqual([]);
  });

  it('ids are case-sensitive, email is trimmed and lower-cased', () => {
    const s = referenceState([
      identify('m1', { anonymousId: 'X', traits: { email: ' Lia@Mail.IT ' } }),
      identify('m2', { anonymousId: 'x', traits: { email: 'lia@mail.it' } }),
    ]);
    expect(groupsOf(s)).toEqual([['X', 'lia@mail.it', 'x']]);
  });
});

describe('R7 rejection', () => {
  it('a non-alias message with no valid userId or anonymousId is rejected and stored nowhere', () => {
    const s = referenceState([
      page('m1', {}),
      page('m2', { anonymousId: 'undefined', userId: 0 }),
      identify('m3', { traits: { email: 'lia@mail.it', name: 'Lia' } }), // email alone is not enough
      page('m4', { anonymousId: 'X' }),
    ]);
    expect(s.rejected).toEqual(['m1', 'm2', 'm3']);
    expect(s.profiles.map((p) => [p.identifiers, p.messageIds])).toEqual([[['X'], ['m4']]]);
    expect(s.warnings).toEqual([{ messageId: 'm2', code: 'blocked_identifier' }]);
  });

  it('an alias with an invalid side links nothing and is rejected', () => {
    const s = referenceState([page('m1', { anonymousId: 'X' }), alias('a1', 'X', 'null'), alias('a2', 'undefined', 'c7'), { type: 'alias', messageId: 'a3', previousId: 'X', timestamp: T(1) }]);
    expect(s.rejected).toEqual(['a1', 'a2', 'a3']);
    expect(groupsOf(s)).toEqual([['X']]);
  });

  it('an alias carries identity only: it owns no message, and alias-only identifiers still form a profile', () => {
    const s = referenceState([page('m1', { anonymousId: 'X' }), alias('a1', 'old-id', 'c7', 2)]);
    expect(s.profiles).toEqual([
      { identifiers: ['X'], messageIds: ['m1'], traits: {}, firstSeen: T(1), lastSeen: T(1) },
      { identifiers: ['c7', 'old-id'], messageIds: [], traits: {}, firstSeen: null, lastSeen: null },
    ]);
  });
});

describe('R10/R11 links and merges', () => {
  it('phase 1: an alias joins two known ids, even against the canonical order of phase 2', () => {
    const s = referenceState([
      identify('m1', { anonymousId: 'X', userId: 'c7' }, 1),
      identify('m2', { anonymousId: 'X', userId: 'c9' }, 2), // would be a merge_conflict without the alias
      alias('a1', 'c7', 'c9', 9),
    ]);
    expect(s.profiles.map((p) => [p.identifiers, p.messageIds])).toEqual([[['X', 'c7', 'c9'], ['m1', 'm2']]]);
    expect(s.warnings).toEqual([]);
  });

  it('phase 2: an alias from an anonymous id to a user joins; an alias between an unknown userId and a known one joins', () => {
    const s = referenceState([page('m1', { anonymousId: 'X' }, 1), page('m2', { userId: 'c7' }, 1), alias('a1', 'X', 'c7', 2), alias('a2', 'legacy-7', 'c7', 3)]);
    expect(groupsOf(s)).toEqual([['X', 'c7', 'legacy-7']]);
  });

  it('an alias userId is not known (R9): two aliases can point one anonymous id at it and another user', () => {
    const s = referenceState([page('m1', { userId: 'c9' }, 1), alias('a1', 'X', 'c7', 2), alias('a2', 'X', 'c9', 3)]);
    expect(groupsOf(s)).toEqual([['X', 'c7', 'c9']]);
  });

  it('email never joins two userIds; the first link in time wins', () => {
    const s = referenceState([
      identify('m2', { userId: 'c9', traits: { email: 'Lia@mail.it' } }, 2),
      identify('m1', { userId: 'c7', traits: { email: 'lia@mail.it' } }, 1),
    ]);
    expect(s.profiles.map((p) => [p.identifiers, p.messageIds])).toEqual([
      [['c7', 'lia@mail.it'], ['m1']],
      [['c9'], ['m2']],
    ]);
    expect(s.warnings).toEqual([{ messageId: 'm2', code: 'merge_conflict' }]);
  });

  it('email is not an identifier when switched off, nor when it comes from context.traits or properties.$set', () => {
    const messages = [
      identify('m1', { anonymousId: 'X', traits: { email: 'lia@mail.it' } }, 1),
      identify('m2', { anonymousId: 'Y', userId: 'c7', traits: { email: 'lia@mail.it' } }, 2),
    ];
    expect(groupsOf(referenceState(messages, { emailIdentity: false }))).toEqual([['X'], ['Y', 'c7']]);
    expect(referenceState(messages, { emailIdentity: false }).profiles[0]?.traits).toEqual({ email: 'lia@mail.it' });
    const s = referenceState([
      page('m1', { anonymousId: 'X', context: { traits: { email: 'lia@mail.it' } } }),
      { type: 'track', messageId: 'm2', event: 'E', anonymousId: 'Y', properties: { $set: { email: 'lia@mail.it' } }, timestamp: T(1) },
      identify('m3', { anonymousId: 'Z', context: { traits: { email: 'lia@mail.it' } } }),
    ]);
    expect(groupsOf(s)).toEqual([['X'], ['Y'], ['Z']]);
  });

  it('a late-arriving earlier link moves the browser and its events (R11)', () => {
    const s = referenceState([
      page('p1', { anonymousId: 'X' }, 3),
      identify('m2', { anonymousId: 'X', userId: 'c9' }, 2),
      identify('m1', { anonymousId: 'X', userId: 'c7' }, 1),
    ]);
    expect(s.profiles.map((p) => [p.identifiers, p.messageIds])).toEqual([
      [['X', 'c7'], ['m1', 'p1']],
      [['c9'], ['m2']],
    ]);
  });

  it('merges cascade through anonymous ids and email', () => {
    const s = referenceState([
      identify('m1', { anonymousId: 'A', traits: { email: 'lia@mail.it' } }, 1),
      identify('m2', { anonymousId: 'B', traits: { email: 'lia@mail.it' } }, 2),
      page('m3', { anonymousId: 'B', userId: 'c7' }, 3),
      page('m4', { anonymousId: 'C', userId: 'c7' }, 4),
    ]);
    expect(groupsOf(s)).toEqual([['A', 'B', 'C', 'c7', 'lia@mail.it']]);
  });

  it('ties on timestamp break by messageId as UTF-8 bytes, not UTF-16 units', () => {
    const early = '\uFF61'; // UTF-8 EF BD A1, UTF-16 FF61
    const late = '\u{1F600}'; // UTF-8 F0 9F 98 80, UTF-16 D83D DE00
    expect(compareCanonical({ timestamp: T(1), messageId: early }, { timestamp: T(1), messageId: late })).toBeLessThan(0);
    const s = referenceState([identify(late, { anonymousId: 'X', userId: 'c9' }), identify(early, { anonymousId: 'X', userId: 'c7' })]);
    expect(groupsOf(s)).toEqual([['X', 'c7'], ['c9']]);
  });

  it('R12: a join beyond 1,000 identifiers is refused; events still resolve', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => identify(`m${String(i).padStart(4, '0')}`, { anonymousId: `a${i}`, userId: 'big' }));
    const s = referenceState(messages);
    const big = profileWith(s, 'big');
    expect(big.identifiers).toHaveLength(1000);
    expect(profileWith(s, 'a999').identifiers).toEqual(['a999']);
    expect(profileWith(s, 'a999').messageIds).toEqual([]);
    expect(big.messageIds).toHaveLength(1000);
    expect(s.warnings).toEqual([{ messageId: 'm0999', code: 'identity_limit' }]);
  });

  it('R12: absorbing more than 100 existing profiles is refused; attaching new identifiers is not absorbing', () => {
    const pages = Array.from({ length: 102 }, (_, i) => page(`p${String(i).padStart(3, '0')}`, { anonymousId: `a${i}` }, 1));
    const links = Array.from({ length: 102 }, (_, i) => identify(`q${String(i).padStart(3, '0')}`, { anonymousId: `a${i}`, userId: 'u' }, 2));
    const s = referenceState([...pages, ...links]);
    // q000 attaches the new 'u'; q001..q100 each absorb one existing profile; q101 would be the 101st.
    expect(profileWith(s, 'u').identifiers).toHaveLength(102);
    expect(groupsOf(s)).toContainEqual(['a101']);
    expect(s.warnings).toEqual([{ messageId: 'q101', code: 'identity_limit' }]);
    // 150 new identifiers attached to one user are never "absorbed profiles".
    const fresh = Array.from({ length: 150 }, (_, i) => identify(`r${i}`, { anonymousId: `b${i}`, userId: 'v' }, 1));
    expect(referenceState(fresh).warnings).toEqual([]);
  });
});

describe('R14-R17 events, traits, first/last seen', () => {
  it('a refused message stays on the profile of its own userId (R10, R14)', () => {
    const s = referenceState(workedExamples.E3.messages);
    expect(profileWith(s, 'c9').messageIds).toEqual(['e2']);
  });

  it('set_once, set, unset: across messages by canonical order, within one message in that order', () => {
    const s = referenceState([
      identify('m3', { userId: 'c7', traits: { plan: 'pro', $unset: ['cart'] } }, 3),
      identify('m1', { userId: 'c7', traits: { $set_once: { source: 'ads', plan: 'free' }, cart: 'full' } }, 1),
      { type: 'track', messageId: 'm2', event: 'E', userId: 'c7', timestamp: T(2), properties: { $set_once: { source: 'organic' }, $set: { tier: 'gold' } } },
      { type: 'page', messageId: 'm4', userId: 'c7', timestamp: T(4), properties: { $set_once: { tier: 'x', seen: 1 }, $set: { tier: 'silver', seen: 2 }, $unset: ['seen'] } },
      identify('m5', { userId: 'c7', context: { traits: { plan: 'ignored' } } }, 5),
    ]);
    expect(s.profiles[0]?.traits).toEqual({ source: 'ads', plan: 'pro', tier: 'silver' });
  });

  it('an unset followed by set_once: the earliest set_once after the last unset wins', () => {
    const s = referenceState([
      identify('m1', { userId: 'c7', traits: { plan: 'pro' } }, 1),
      identify('m2', { userId: 'c7', traits: { $unset: ['plan'] } }, 2),
      identify('m4', { userId: 'c7', traits: { $set_once: { plan: 'late' } } }, 4),
      identify('m3', { userId: 'c7', traits: { $set_once: { plan: 'early' } } }, 3),
    ]);
    expect(s.profiles[0]?.traits).toEqual({ plan: 'early' });
  });

  it('a merge re-folds the union of both profiles (no side wins)', () => {
    const s = referenceState([
      identify('m1', { anonymousId: 'X', traits: { plan: 'free', $set_once: { source: 'ads' } } }, 1),
      identify('m2', { userId: 'c7', traits: { plan: 'pro', $set_once: { source: 'organic' } } }, 2),
      identify('m3', { anonymousId: 'X', traits: { plan: 'trial' } }, 3),
      page('m4', { anonymousId: 'X', userId: 'c7' }, 4),
    ]);
    expect(s.profiles[0]?.traits).toEqual({ plan: 'trial', source: 'ads' });
  });

  it('first/last seen: instants (any offset) normalised to ISO; context.active = false does not advance lastSeen', () => {
    const s = referenceState([
      page('m1', { anonymousId: 'X', timestamp: '2026-03-01T10:01:00+01:00' }),
      page('m2', { anonymousId: 'X', timestamp: T(9), context: { active: false } }),
      page('m3', { anonymousId: 'X', timestamp: '2026-03-01T09:05:00Z' }),
      page('m4', { anonymousId: 'Y', timestamp: T(2), context: { active: false } }),
    ]);
    expect(s.profiles.map((p) => [p.firstSeen, p.lastSeen])).toEqual([
      [T(1), T(5)],
      [T(2), null],
    ]);
  });
});

describe('R4 duplicates', () => {
  it('identical retries change nothing; a messageId rejected once may still be accepted later', () => {
    const messages = Object.entries(workedExamples).flatMap(([name, w]) => w.messages.map((m) => ({ ...m, messageId: `${name}-${m.messageId}` })));
    expect(referenceState([...messages, ...structuredClone(messages)])).toEqual(referenceState(messages));
    const s = referenceState([page('m1', {}), page('m1', { anonymousId: 'X' })]);
    expect(s.rejected).toEqual([]);
    expect(groupsOf(s)).toEqual([['X']]);
  });
});

describe('the reference is a function of the message set (fast-check)', () => {
  it('arrival order, batching and identical retries do not change the state (profiles, warnings, rejected)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ world, arrival }) => {
        const expected = referenceState(world.messages, world.options);
        const actual = referenceState(flatten(toBatches(world.messages, arrival)), world.options);
        expect(diffProfiles(expected.profiles, actual.profiles)).toBe('');
        expect(actual).toEqual(expected);
      }),
      runParameters,
    );
  });

  it('every identifier is in exactly one profile; every accepted non-alias message in exactly one; rejected in none', () => {
    fc.assert(
      fc.property(worldArb, ({ messages, options }) => {
        const s = referenceState(messages, options);
        const ids = s.profiles.flatMap((p) => p.identifiers);
        expect(new Set(ids).size).toBe(ids.length);
        const owned = s.profiles.flatMap((p) => p.messageIds);
        const nonAlias = messages.filter((m) => m.type !== 'alias' && !s.rejected.includes(m.messageId)).map((m) => m.messageId);
        expect([...owned].sort()).toEqual([...nonAlias].sort());
        expect(s.profiles.every((p) => p.identifiers.length > 0)).toBe(true);
        expect(normaliseProfiles(s.profiles)).toEqual(s.profiles);
      }),
      runParameters,
    );
  });

  it('without aliases, no profile holds two known userIds (R8, R10)', () => {
    fc.assert(
      fc.property(worldArb, ({ messages, options }) => {
        const withoutAliases = messages.filter((m) => m.type !== 'alias');
        const s = referenceState(withoutAliases, options);
        const known = new Set(
          withoutAliases.flatMap((m) => {
            const n = normaliseIdentifier(m.userId, false, options.blocked);
            return n.kind === 'valid' ? [n.value] : [];
          }),
        );
        for (const p of s.profiles) expect(p.identifiers.filter((id) => known.has(id)).length).toBeLessThanOrEqual(1);
      }),
      runParameters,
    );
  });

  it('R16 closed form: after the last unset, the latest set wins, else the earliest set_once', () => {
    fc.assert(
      fc.property(worldArb, ({ messages, options }) => {
        const s = referenceState(messages, options);
        const byId = new Map(messages.map((m) => [m.messageId, m]));
        for (const p of s.profiles) {
          const ordered = p.messageIds.map((id) => byId.get(id)).filter((m): m is ReferenceMessage => m !== undefined).sort(compareCanonical);
          const keys = new Set(ordered.flatMap((m) => {
            const ops = traitOperations(m);
            return [...ops.set.map(([k]) => k), ...ops.setOnce.map(([k]) => k)];
          }));
          const closed: Record<string, unknown> = {};
          for (const key of keys) {
            // (message index, phase) of every operation on `key`; phase 0 set_once, 1 set, 2 unset.
            const ops = ordered.flatMap((m, i) => {
              const o = traitOperations(m);
              return [
                ...o.setOnce.filter(([k]) => k === key).map(([, v]) => ({ i, phase: 0, v })),
                ...o.set.filter(([k]) => k === key).map(([, v]) => ({ i, phase: 1, v })),
                ...(o.unset.includes(key) ? [{ i, phase: 2, v: null }] : []),
              ];
            });
            const lastUnset = ops.filter((o) => o.phase === 2).at(-1);
            const after = ops.filter((o) => !lastUnset || o.i > lastUnset.i);
            const latestSet = after.filter((o) => o.phase === 1).at(-1);
            const earliestOnce = after.find((o) => o.phase === 0);
            const winner = latestSet ?? earliestOnce;
            if (winner) closed[key] = winner.v;
          }
          expect(p.traits).toEqual(closed);
        }
      }),
      runParameters,
    );
  });
});

describe('fixed worlds used against the product', () => {
  it('edge-case worlds give the states they are named after', () => {
    const [tie, phase1, email, numbers, options] = Object.values(edgeCaseWorlds).map((w) => referenceState(w.messages, w.options));
    expect(groupsOf(tie!)).toEqual([['X', 'c7'], ['c9']]);
    expect(profileWith(tie!, 'c7').traits).toEqual({ plan: 'pro' }); // 'B1' < 'a1' in bytes
    expect(groupsOf(phase1!)).toEqual([['X', 'c7', 'c9', 'legacy-7']]);
    expect(groupsOf(email!)).toEqual([['c7', 'lia@mail.it'], ['c9'], ['new-1', 'old-1']]);
    expect(numbers!.profiles.map((p) => [p.identifiers, p.messageIds])).toEqual([
      [['1042', 'X'], ['m1', 'm2', 'm3']],
      [['Y'], ['m4']],
      [['Z'], ['m5']],
    ]);
    expect(numbers!.rejected).toEqual(['a1', 'm6', 'm7']);
    expect(options!.profiles).toEqual([
      { identifiers: ['X'], messageIds: ['m1'], traits: { email: 'lia@mail.it' }, firstSeen: T(1), lastSeen: T(1) },
      { identifiers: ['Y', 'c7'], messageIds: ['m2', 'm3'], traits: { email: 'lia@mail.it', plan: 'pro' }, firstSeen: T(2), lastSeen: T(2) },
    ]);
  });
});
