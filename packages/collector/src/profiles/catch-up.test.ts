// Protects queued profile maintenance: ingest queues one row per group (markers only where identity flagged a profile), a cycle folds each profile's new events on once, an event met again is told from a late one by counting, and every path ends equal to a rebuild from all events.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../db/database.ts';
import { createEventWriter } from '../db/event-writer.ts';
import { lastBatch } from '../db/profile-dirty.ts';
import { leaseGroups } from '../db/profile-groups.ts';
import { parseEvent, profileEventsSince } from '../db/profile-events.ts';
import { profileIdOf } from '../identity/profile-id.ts';
import { profileDirty, profileGroups, profiles, type EventRow } from '../db/schema.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { waitFor } from '../testing/wait.ts';
import type { CatchUpOutcome } from './catch-up.ts';
import { refreshProfiles } from './refresh.ts';
import { createRefresher, type RefresherOptions } from './refresher.ts';

const base = Date.parse('2026-11-20T10:00:00.000Z');
const page = (workspaceId: string, messageId: string, anonymousId: string, minute: number, over: Partial<EventRow> = {}): EventRow => ({
  workspaceId, sourceId: 'src', messageId, type: 'page', anonymousId, ownerId: anonymousId, path: `/p${minute}`,
  timestamp: new Date(base + minute * 60_000), receivedAt: new Date(base + minute * 60_000), channel: 'direct', ...over,
});
const login = (workspaceId: string, messageId: string, anonymousId: string, minute: number) =>
  page(workspaceId, messageId, anonymousId, minute, { type: 'identify', userId: 'u1', ownerId: 'u1' });
/** Longer than any test may take: a test that waited it out would time out. */
const FOREVER = 600_000;
const NOTHING: CatchUpOutcome = { folded: 0, unchanged: 0, rebuilt: 0, deferred: 0 };

describe.each(testDrivers())('queued profile catch-up on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  const stored = async (ws: string) =>
    (await database.db.select().from(profiles).where(eq(profiles.workspaceId, ws)).orderBy(profiles.id)).map(({ updatedAt: _, ...p }) => p);
  /** The rows as they are, then as a rebuild from all events makes them: they must match. */
  async function expectEqualToRebuild(ws: string) {
    const caughtUp = await stored(ws);
    await refreshProfiles(database.db, ws, caughtUp.map((p) => p.id));
    expect(caughtUp).toEqual(await stored(ws));
    return caughtUp;
  }
  const groupsOf = (ws: string) => database.db.select().from(profileGroups).where(eq(profileGroups.workspaceId, ws));
  const markersOf = async (ws: string) =>
    (await database.db.select().from(profileDirty).where(eq(profileDirty.workspaceId, ws))).map((d) => [d.profileId, d.rebuild, d.recount]);

  /** A refresher whose catch-ups add up into `outcome()`, read and reset by each call. */
  function observed(options: RefresherOptions = {}) {
    let sum = { ...NOTHING };
    const refresher = createRefresher(database, {
      ...options,
      onCatchUp: (o) => (sum = { folded: sum.folded + o.folded, unchanged: sum.unchanged + o.unchanged, rebuilt: sum.rebuilt + o.rebuilt, deferred: sum.deferred + o.deferred }),
    });
    const outcome = () => {
      const out = sum;
      sum = { ...NOTHING };
      return out;
    };
    return { refresher, outcome };
  }

  it('queues one row per group with the seq range of its owned events, and markers only for profiles identity flagged', async () => {
    const ws = 'ws_queue';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([page(ws, 'q1', 'a1', 1), page(ws, 'q2', 'a2', 1), page(ws, 'qb', 'bot', 1, { isBot: true, ownerId: null })]);
    const [range] = rowsOf<{ from: string | number; to: string | number }>(await database.db.execute(sql`
      select min(seq) as from, max(seq) as to from events where workspace_id = ${ws} and owner_id is not null`));
    expect((await groupsOf(ws)).map((g) => [g.seqFrom, g.seqTo])).toEqual([[Number(range!.from), Number(range!.to)]]);
    // With the profiles owning them and each one's earliest instant: a cycle reads nothing to find them.
    expect((await groupsOf(ws))[0]!.profiles.sort()).toEqual([[profileIdOf(ws, 'a1'), base + 60_000], [profileIdOf(ws, 'a2'), base + 60_000]].sort());
    // Two new profiles, each with an event in the group: no marker.
    expect(await markersOf(ws)).toEqual([]);
    // u1 joins a1's profile: its members' summary changed (known now), a recount.
    await writer.write([login(ws, 'q3', 'a1', 2)]);
    expect(await groupsOf(ws)).toHaveLength(2);
    expect(await markersOf(ws)).toEqual([[profileIdOf(ws, 'a1'), false, true]]);
    // Only duplicates: nothing stored, nothing queued.
    await writer.write([page(ws, 'q1', 'a1', 1)]);
    expect(await groupsOf(ws)).toHaveLength(2);
    await createRefresher(database).settle();
    expect((await expectEqualToRebuild(ws)).map((p) => [p.events, p.known, p.identifierCount])).toEqual(expect.arrayContaining([[2, true, 2], [1, false, 1]]));
    expect(await groupsOf(ws)).toEqual([]);
    expect(await markersOf(ws)).toEqual([]);
  });

  it('folds each profile once per cycle, however many groups touched it, without a rebuild', async () => {
    const ws = 'ws_cycle';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([page(ws, 'c1', 'a1', 1), page(ws, 'c2', 'a2', 1)]);
    await writer.write([page(ws, 'c3', 'a1', 2)]);
    await writer.write([page(ws, 'c4', 'a1', 3)]);
    const { refresher, outcome } = observed();
    await refresher.settle();
    expect(outcome()).toEqual({ ...NOTHING, folded: 4 });
    await writer.write([page(ws, 'c5', 'a1', 4), page(ws, 'c6', 'a1', 5)]);
    await refresher.settle();
    expect(outcome()).toEqual({ ...NOTHING, folded: 2 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events).sort()).toEqual([1, 5]);
  });

  it('tells an event already folded from a late one by counting: a read folded it first, so its group changes nothing', async () => {
    const ws = 'ws_count';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    const { refresher, outcome } = observed();
    await writer.write([page(ws, 'n1', 'a1', 1)]);
    await refresher.settle();
    await writer.write([page(ws, 'n2', 'a1', 2)]);
    // A read of the profile catches it up from its fold on, while the group is still queued.
    await refresher.settleProfiles(ws, [profileIdOf(ws, 'a1')]);
    expect(outcome()).toEqual({ ...NOTHING, folded: 2 });
    expect(await groupsOf(ws)).toHaveLength(1);
    // The cycle meets n2 at the fold: counted as folded, not late, so no rebuild.
    await refresher.settle();
    expect(outcome()).toEqual({ ...NOTHING, unchanged: 1 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([2]);
  });

  it('lets a background cycle leave a late event to a rebuild marker that waits, which a read or a settle rebuilds at once', async () => {
    const ws = 'ws_late';
    const { refresher, outcome } = observed({ rebuildAfterMs: FOREVER });
    const writer = createEventWriter(database, { rebuild: 'queued', onCommit: refresher.kick });
    const [a, b] = [profileIdOf(ws, 'a1'), profileIdOf(ws, 'b1')];
    await writer.write([page(ws, 'l10', 'a1', 10), page(ws, 'm10', 'b1', 10)]);
    await waitFor(async () => (await groupsOf(ws)).length === 0 && (await stored(ws)).length === 2);
    // a1 gets an event before its fold (late), b1 one after it, in one group.
    await writer.write([page(ws, 'l5', 'a1', 5), page(ws, 'm11', 'b1', 11)]);
    await waitFor(async () => (await groupsOf(ws)).length === 0);
    expect(await markersOf(ws)).toEqual([[a, true, false]]);
    expect(outcome()).toMatchObject({ folded: 3, deferred: 1, rebuilt: 0 });
    expect((await stored(ws)).map((p) => [p.id, p.events])).toEqual(expect.arrayContaining([[a, 1], [b, 2]]));
    // The marker waits in background cycles; a read does not.
    await refresher.settleProfiles(ws, [a]);
    expect(outcome()).toEqual({ ...NOTHING, rebuilt: 1 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([2, 2]);
    await refresher.stop();
  });

  it('lets a read find a late event still queued by counting, and rebuild at once', async () => {
    const ws = 'ws_read_late';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    const { refresher, outcome } = observed({ lingerMs: FOREVER });
    await writer.write([page(ws, 'r10', 'a1', 10)]);
    await refresher.settle();
    await writer.write([page(ws, 'r5', 'a1', 5)]);
    outcome();
    // Nothing follows the fold, but one more event than folded sorts before it.
    await refresher.settleProfiles(ws, [profileIdOf(ws, 'a1')]);
    expect(outcome()).toEqual({ ...NOTHING, rebuilt: 1 });
    await refresher.settle();
    expect(outcome()).toEqual({ ...NOTHING, unchanged: 1 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([2]);
  });

  it('orders an event at the fold\'s own instant by messageId (R1): before it is late, after it is folded on', async () => {
    const ws = 'ws_same_instant';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    const { refresher, outcome } = observed();
    await writer.write([page(ws, 'n5', 'a1', 10)]);
    await refresher.settle();
    await writer.write([page(ws, 'n9', 'a1', 10)]);
    await refresher.settle();
    expect(outcome()).toEqual({ ...NOTHING, folded: 2 });
    await writer.write([page(ws, 'n1', 'a1', 10)]);
    await refresher.settle();
    expect(outcome()).toEqual({ ...NOTHING, rebuilt: 1 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([3]);
  });

  it('rebuilds after a merge of two pasts, and counts members again when one joins without a merge', async () => {
    const ws = 'ws_merge';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    const { refresher, outcome } = observed();
    await writer.write([page(ws, 'g1', 'a1', 10), page(ws, 'g2', 'a2', 10)]);
    await refresher.settle();
    // A userId never seen before joins a1's profile: its events follow the fold, no rebuild needed.
    await writer.write([login(ws, 'g3', 'a1', 11)]);
    await refresher.settle();
    outcome();
    expect((await expectEqualToRebuild(ws)).map((p) => [p.known, p.identifierCount])).toEqual(expect.arrayContaining([[true, 2], [false, 1]]));
    // a2, with a past of its own, logs in as u1: two stored profiles merge, and that is rebuilt.
    await writer.write([login(ws, 'g4', 'a2', 12)]);
    await refresher.settle();
    expect(outcome().rebuilt).toBeGreaterThanOrEqual(1);
    expect((await expectEqualToRebuild(ws)).map((p) => [p.events, p.known, p.identifierCount])).toEqual([[4, true, 3]]);
  });

  it('leaves a background cycle\'s profile with a waiting rebuild whole to that rebuild, its group\'s events included', async () => {
    const ws = 'ws_waiting';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([page(ws, 'w1', 'a1', 10), page(ws, 'w2', 'a2', 10)]);
    await createRefresher(database).settle();
    await writer.write([login(ws, 'w3', 'a1', 11), login(ws, 'w4', 'a2', 12)]);
    const { refresher, outcome } = observed({ rebuildAfterMs: FOREVER });
    refresher.kick();
    await waitFor(async () => (await groupsOf(ws)).length === 0);
    await refresher.stop();
    // The merged profile was not folded on: its rebuild marker still waits and covers w3 and w4.
    expect(outcome()).toMatchObject({ folded: 0 });
    expect((await markersOf(ws)).some(([, rebuild]) => rebuild)).toBe(true);
    await createRefresher(database).settle();
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([4]);
  });

  it('reads each profile\'s events from its own instant, not from the earliest of those asked for', async () => {
    const ws = 'ws_since';
    await createEventWriter(database, { rebuild: 'queued' }).write([1, 2, 3].flatMap((m) => [page(ws, `sa${m}`, 'a1', m), page(ws, `sb${m}`, 'b1', m)]));
    const [a, b] = [profileIdOf(ws, 'a1'), profileIdOf(ws, 'b1')];
    const loaded = await profileEventsSince(database.db, ws, new Map([[a, base], [b, base + 2 * 60_000]]));
    const idsOf = (id: string) => loaded.filter((e) => e.profileId === id).map((e) => parseEvent(e).messageId).sort();
    expect(idsOf(a)).toEqual(['sa1', 'sa2', 'sa3']);
    expect(idsOf(b)).toEqual(['sb2', 'sb3']);
    await createRefresher(database).settle();
  });

  it('leases a cycle\'s groups: another live refresher\'s are left to it, its own and lapsed ones are taken, a settle takes all', async () => {
    const ws = 'ws_lease';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([page(ws, 'e1', 'a1', 1)]);
    await writer.write([page(ws, 'e2', 'a1', 2)]);
    const upTo = await lastBatch(database.db);
    await writer.write([page(ws, 'e3', 'a1', 3)]);
    const lease = async (token: string, leaseMs: number, steal = false) =>
      (await leaseGroups(database.db, upTo, token, leaseMs, steal)).filter((g) => g.workspaceId === ws);
    // Only what was queued up to the cycle's start.
    expect(await lease('A', 60_000)).toHaveLength(2);
    expect(await lease('B', 60_000)).toEqual([]);
    expect(await lease('A', 60_000)).toHaveLength(2);
    // A's lease lapses (as if its process died): B takes the groups over.
    await database.db.update(profileGroups).set({ leasedUntil: new Date(Date.now() - 60_000) }).where(eq(profileGroups.workspaceId, ws));
    expect(await lease('B', 60_000)).toHaveLength(2);
    expect(await lease('C', 60_000, true)).toHaveLength(2);
    // A settle takes every group, leased or not, and releases them once saved.
    await createRefresher(database).settle();
    expect(await groupsOf(ws)).toEqual([]);
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([3]);
  });
});
