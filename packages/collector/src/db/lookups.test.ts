// Protects the per-value lookups of ingest's and the refresher's hot statements: on PostgreSQL without statistics (a new database, or autovacuum off), loading identities, the links among them, moving identities and setting link outcomes, a profile's members and its events since an instant touch only the rows asked for, by index, however big the workspace.
import { describe, expect, it } from 'vitest';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { nodesReadingMoreThan } from '../testing/plans.ts';
import { identitiesQuery, linkOutcomesUpdate, linksAmong, linksFromQuery, loadIdentities, profileIdsUpdate, saveIdentities, saveLinks, type StoredIdentity } from './identity-store.ts';
import { insertEvents } from './insert-events.ts';
import { parseEvent, profileEventsQuery, profileEventsSince, sinceTargets } from './profile-events.ts';
import { membersOf, membersQuery } from './profile-store.ts';
import type { EventRow } from './schema.ts';

const ws = 'ws_lookups';
const T0 = Date.UTC(2026, 0, 1);
const values = Array.from({ length: 2000 }, (_, i) => `anon-${i}`);
const identity = (value: string): StoredIdentity => ({
  value, selfId: `p_${value}`, profileId: `p_${value}`, asAnonymous: true, asUser: false, asEmail: false, asPrevious: false, known: false, first: { at: T0, messageId: `m_${value}` },
});
const page = (owner: string, n: number): EventRow => {
  const at = new Date(T0 + n * 60_000);
  return { workspaceId: ws, sourceId: 'src', messageId: `${owner}-${n}`, type: 'page', anonymousId: owner, ownerId: owner, timestamp: at, receivedAt: at, channel: 'direct' };
};

const postgres = testDrivers().filter((d) => d.name === 'postgres');

describe.runIf(postgres.length > 0).each(postgres)('hot reads on $name, in a workspace of thousands of identifiers', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  /** 2,000 identifiers, each its own profile with one event, linked in a chain; anon-0 has 300 events. No ANALYZE. */
  async function workspace() {
    await saveIdentities(database.db, ws, values.map(identity));
    await saveLinks(database.db, ws, values.slice(1).map((v, i) => ({ messageId: `l${i}`, position: 0, a: values[i]!, b: v, at: T0, alias: false })));
    await insertEvents(database.db, [...values.map((v) => page(v, 0)), ...Array.from({ length: 299 }, (_, n) => page('anon-0', n + 1))]);
  }

  it('reads each asked value by index, and answers what was asked', async () => {
    await workspace();
    const asked = ['anon-5', 'anon-6', 'anon-900', 'unknown'];
    expect(await nodesReadingMoreThan(database.db, 50, identitiesQuery(ws, asked))).toEqual([]);
    expect([...(await loadIdentities(database.db, ws, asked)).keys()].sort()).toEqual(['anon-5', 'anon-6', 'anon-900']);

    expect(await nodesReadingMoreThan(database.db, 50, linksFromQuery(ws, asked))).toEqual([]);
    // anon-5 -> anon-6 is among them; anon-6 -> anon-7 and anon-900 -> anon-901 are not.
    expect((await linksAmong(database.db, ws, asked)).map((l) => `${l.a}>${l.b}`)).toEqual(['anon-5>anon-6']);

    const profiles = ['p_anon-5', 'p_anon-900'];
    expect(await nodesReadingMoreThan(database.db, 50, membersQuery(ws, profiles))).toEqual([]);
    expect((await membersOf(database.db, ws, profiles)).map((m) => m.value).sort()).toEqual(['anon-5', 'anon-900']);

    // Since an instant near the end of anon-0's 300 events: only those after it are read.
    const since = new Map([['p_anon-0', T0 + 290 * 60_000], ['p_anon-5', T0]]);
    expect(await nodesReadingMoreThan(database.db, 50, profileEventsQuery(ws, sinceTargets(since)))).toEqual([]);
    const read = await profileEventsSince(database.db, ws, since);
    expect(read.filter((r) => r.profileId === 'p_anon-0')).toHaveLength(10);
    expect(read.filter((r) => r.profileId === 'p_anon-5').map((r) => parseEvent(r).messageId)).toEqual(['anon-5-0']);
  });

  it('moves identities and sets link outcomes by index, and only those asked', async () => {
    await workspace();
    const moves = [{ value: 'anon-7', profileId: 'p_anon-8' }, { value: 'anon-9', profileId: 'p_anon-8' }];
    expect(await nodesReadingMoreThan(database.db, 50, profileIdsUpdate(ws, moves))).toEqual([]);
    const moved = await loadIdentities(database.db, ws, ['anon-7', 'anon-8', 'anon-9', 'anon-10']);
    expect([...moved.values()].map((i) => `${i.value}:${i.profileId}`).sort()).toEqual(['anon-10:p_anon-10', 'anon-7:p_anon-8', 'anon-8:p_anon-8', 'anon-9:p_anon-8']);

    const [first, second] = await linksAmong(database.db, ws, ['anon-7', 'anon-8', 'anon-9']);
    const outcomes = [{ link: first!, outcome: 'merge_conflict' }, { link: second!, outcome: 'merged' }];
    expect(await nodesReadingMoreThan(database.db, 50, linkOutcomesUpdate(ws, outcomes))).toEqual([]);
    const after = await linksAmong(database.db, ws, ['anon-6', 'anon-7', 'anon-8', 'anon-9', 'anon-10']);
    expect(after.map((l) => `${l.a}>${l.b}:${l.outcome}`).sort()).toEqual([
      'anon-6>anon-7:pending', 'anon-7>anon-8:merge_conflict', 'anon-8>anon-9:merged', 'anon-9>anon-10:pending',
    ]);
  });
});
