// Protects the refresher: it catches up what ingest queued after commit, once per burst; background passes let a profile marked for a rebuild wait (from its oldest such marker) while reads catch it up at once; markers left by a stopped process are caught up by the next start; a read of one profile catches up that one only; neither a read's settle nor a stop waits out the linger; a kick that lands while a failed run is ending starts another; and the queue table is vacuumed as claims empty it.
import { eq, sql } from 'drizzle-orm';
import { inTransaction, rowsOf, type Database } from '../db/database.ts';
import { describe, expect, it } from 'vitest';
import { createEventWriter } from '../db/event-writer.ts';
import { profileDirty, profiles, type EventRow } from '../db/schema.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { profileIdOf } from '../identity/profile-id.ts';
import { createRefresher } from './refresher.ts';
import { createPendingTail } from './tail.ts';
import { waitFor } from '../testing/wait.ts';

const row = (workspaceId: string, messageId: string, anonymousId: string, minutesAgo = 0): EventRow => {
  const now = new Date();
  const timestamp = new Date(now.getTime() - minutesAgo * 60_000);
  return { workspaceId, sourceId: 'src', messageId, type: 'page', anonymousId, ownerId: anonymousId, timestamp, receivedAt: now, channel: 'direct' };
};
/** Longer than any test may take: a test that waited it out would time out. */
const FOREVER = 600_000;

describe.each(testDrivers())('profile refresher on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  const eventsOf = async (ws: string) => (await database.db.select().from(profiles).where(eq(profiles.workspaceId, ws)).orderBy(profiles.id)).map((p) => p.events);
  const dirtyOf = (ws: string) => database.db.select().from(profileDirty).where(eq(profileDirty.workspaceId, ws));

  it('catches up what ingest queued, after commit, once per burst', async () => {
    const tail = createPendingTail();
    const refresher = createRefresher(database, { tail });
    const groups: number[] = [];
    const writer = createEventWriter(database, { rebuild: 'queued', tail, onCommit: refresher.kick, onGroup: (_, rows) => groups.push(rows) });
    await Promise.all(Array.from({ length: 10 }, (_, i) => writer.write([row('ws_burst', `b${i}`, 'same-browser')])));
    // Committed but queued: nothing written to the profile by ingest itself.
    expect(groups.reduce((a, b) => a + b, 0)).toBe(10);
    await refresher.settle();
    expect(await dirtyOf('ws_burst')).toEqual([]);
    expect(await eventsOf('ws_burst')).toEqual([10]);
    expect(tail.size()).toBe(0);
    await refresher.stop();
  });

  it('catches up profiles a process queued and stopped before catching up', async () => {
    const stopped = createEventWriter(database, { rebuild: 'queued' });
    await stopped.write([row('ws_crash', 'c1', 'a1'), row('ws_crash', 'c2', 'a2')]);
    await stopped.write([row('ws_crash', 'c0', 'a1', 60)]);
    expect(await eventsOf('ws_crash')).toEqual([]);
    // A row per group and profile: a1 twice, a2 once.
    expect((await dirtyOf('ws_crash')).map((d) => d.profileId).sort()).toEqual([profileIdOf('ws_crash', 'a1'), profileIdOf('ws_crash', 'a1'), profileIdOf('ws_crash', 'a2')].sort());
    const next = createRefresher(database);
    next.kick();
    await next.settle();
    expect((await eventsOf('ws_crash')).sort()).toEqual([1, 2]);
    expect(await dirtyOf('ws_crash')).toEqual([]);
    await next.stop();
  });

  it('catches up one profile for a read of it, and leaves the others queued', async () => {
    const tail = createPendingTail();
    const refresher = createRefresher(database, { tail, lingerMs: FOREVER });
    // Nothing wakes the refresher: only the reads below catch up.
    const writer = createEventWriter(database, { rebuild: 'queued', tail });
    await writer.write([row('ws_one', 'o1', 'a1'), row('ws_one', 'o2', 'a2'), row('ws_one', 'o3', 'a1')]);
    await refresher.settleProfiles('ws_one', [profileIdOf('ws_one', 'a1')]);
    expect(await eventsOf('ws_one')).toEqual([2]);
    expect(await dirtyOf('ws_one')).toHaveLength(1);
    await refresher.settleProfiles('ws_one', [profileIdOf('ws_one', 'a1')]);
    await refresher.settle();
    expect((await eventsOf('ws_one')).sort()).toEqual([1, 2]);
    expect(await dirtyOf('ws_one')).toEqual([]);
    await refresher.stop();
  });

  it('lets a read settle and a stop go through without waiting out the linger', async () => {
    const tail = createPendingTail();
    const refresher = createRefresher(database, { tail, lingerMs: FOREVER });
    const writer = createEventWriter(database, { rebuild: 'queued', tail, onCommit: refresher.kick });
    await writer.write([row('ws_linger', 'g1', 'a1')]);
    await refresher.settle();
    await writer.write([row('ws_linger', 'g2', 'a1')]);
    // The background run now lingers: the first pass started just now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await refresher.settle();
    expect(await eventsOf('ws_linger')).toEqual([2]);
    await writer.write([row('ws_linger', 'g3', 'a1')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await refresher.stop();
    // Stopped with a marker left: the next start catches it up.
    expect(await dirtyOf('ws_linger')).toHaveLength(1);
  });

  it('vacuums the queue table once its claims have deleted enough rows', async () => {
    const vacuums = async () => Number(rowsOf<{ n: string | number }>(await database.db.execute(sql`
      select coalesce(vacuum_count, 0) as n from pg_stat_user_tables where relname = 'profile_dirty'`))[0]?.n ?? 0);
    // What earlier tests left queued is caught up first, so only this test's rows count.
    await createRefresher(database).settle();
    const before = await vacuums();
    const refresher = createRefresher(database, { vacuumEvery: 3 });
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([row('ws_vacuum', 'v1', 'a1'), row('ws_vacuum', 'v2', 'a2')]);
    await refresher.settle();
    // Two rows claimed: not yet.
    expect(await vacuums()).toBe(before);
    await writer.write([row('ws_vacuum', 'v3', 'a3')]);
    await refresher.settle();
    expect(await vacuums()).toBe(before + 1);
    expect(await dirtyOf('ws_vacuum')).toEqual([]);
    await refresher.stop();
  });

  it('lets a profile marked for a rebuild wait in background passes, from its oldest such marker, while a read catches it up at once', async () => {
    const ws = 'ws_defer';
    const refresher = createRefresher(database, { rebuildAfterMs: FOREVER });
    const writer = createEventWriter(database, { rebuild: 'queued', onCommit: refresher.kick });
    await writer.write([row(ws, 'd1', 'a1'), row(ws, 'd2', 'a2')]);
    await refresher.settle();
    // a1 gets a late event (a rebuild), a2 one in order (folded on).
    await writer.write([row(ws, 'd0', 'a1', 60), row(ws, 'd3', 'a2')]);
    await waitFor(async () => (await dirtyOf(ws)).length === 1);
    expect((await dirtyOf(ws)).map((d) => [d.profileId, d.rebuild])).toEqual([[profileIdOf(ws, 'a1'), true]]);
    expect(await eventsOf(ws)).toEqual(profileIdOf(ws, 'a1') < profileIdOf(ws, 'a2') ? [1, 2] : [2, 1]);
    await refresher.settleProfiles(ws, [profileIdOf(ws, 'a1')]);
    expect(await eventsOf(ws)).toEqual([2, 2]);
    expect(await dirtyOf(ws)).toEqual([]);

    await refresher.stop();

    // Late events keep coming, but the oldest rebuild marker is old enough: the profile is rebuilt.
    // Queued with no refresher running, so no pass can take the old marker before the new one is in.
    const quiet = createEventWriter(database, { rebuild: 'queued' });
    await quiet.write([row(ws, 'd-1', 'a1', 120)]);
    await database.db.update(profileDirty).set({ markedAt: new Date(Date.now() - 2 * FOREVER) }).where(eq(profileDirty.workspaceId, ws));
    await quiet.write([row(ws, 'd-2', 'a1', 180)]);
    const next = createRefresher(database, { rebuildAfterMs: FOREVER });
    next.kick();
    await waitFor(async () => (await dirtyOf(ws)).length === 0);
    expect(await eventsOf(ws)).toEqual(profileIdOf(ws, 'a1') < profileIdOf(ws, 'a2') ? [4, 2] : [2, 4]);
    await next.stop();
  });

  it('starts another run for a kick that lands while a failed run is ending', async () => {
    const ws = 'ws_lost_kick';
    await createEventWriter(database, { rebuild: 'queued' }).write([row(ws, 'l1', 'a1')]);
    let failures = 1;
    // The first catch-up fails; its log line comes while that run is still ending.
    const flaky: Database = {
      ...database,
      pipelinedTransaction: (fn) => (failures-- > 0 ? Promise.reject(Object.assign(new Error('lost'), { code: 'XX000' })) : inTransaction(database, fn)),
    };
    const refresher = createRefresher(flaky, { log: () => refresher.kick() });
    refresher.kick();
    await waitFor(async () => (await eventsOf(ws)).length === 1);
    expect(await dirtyOf(ws)).toEqual([]);
    await refresher.stop();
  });
});

