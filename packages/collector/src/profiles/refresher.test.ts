// Protects the refresher: it catches up what ingest queued after commit, once per burst, and early once ingest is quiet; background cycles let a profile marked for a rebuild wait (from its oldest such marker) while reads catch it up at once; groups left by a stopped process are caught up by the next start; a read of one profile catches up that one only; a settle hurries the background cycle in flight and never runs beside it; neither a read's settle nor a stop waits out the linger; a kick that lands while a failed run is ending starts another, which takes its own lease again; a stop mid-cycle gives the leases back; and the queue tables are vacuumed as cycles empty them.
import { eq, sql } from 'drizzle-orm';
import { inTransaction, rowsOf, type Database } from '../db/database.ts';
import { describe, expect, it } from 'vitest';
import { createEventWriter } from '../db/event-writer.ts';
import { profileDirty, profileGroups, profiles, type EventRow } from '../db/schema.ts';
import { markRebuild } from '../db/profile-dirty.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { profileIdOf } from '../identity/profile-id.ts';
import type { CatchUpOutcome } from './catch-up.ts';
import { createRefresher } from './refresher.ts';
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
  const groupsOf = (ws: string) => database.db.select().from(profileGroups).where(eq(profileGroups.workspaceId, ws));

  it('catches up what ingest queued, after commit, once per burst', async () => {
    const refresher = createRefresher(database);
    const groups: number[] = [];
    const writer = createEventWriter(database, { rebuild: 'queued', onCommit: refresher.kick, onGroup: (_, rows) => groups.push(rows) });
    await Promise.all(Array.from({ length: 10 }, (_, i) => writer.write([row('ws_burst', `b${i}`, 'same-browser')])));
    // Committed but queued: nothing written to the profile by ingest itself.
    expect(groups.reduce((a, b) => a + b, 0)).toBe(10);
    await refresher.settle();
    expect(await groupsOf('ws_burst')).toEqual([]);
    expect(await eventsOf('ws_burst')).toEqual([10]);
    await refresher.stop();
  });

  it('catches up profiles a process queued and stopped before catching up', async () => {
    const stopped = createEventWriter(database, { rebuild: 'queued' });
    await stopped.write([row('ws_crash', 'c1', 'a1'), row('ws_crash', 'c2', 'a2')]);
    await stopped.write([row('ws_crash', 'c0', 'a1', 60)]);
    expect(await eventsOf('ws_crash')).toEqual([]);
    // A row per group, none per profile.
    expect(await groupsOf('ws_crash')).toHaveLength(2);
    expect(await dirtyOf('ws_crash')).toEqual([]);
    const next = createRefresher(database);
    next.kick();
    await next.settle();
    expect((await eventsOf('ws_crash')).sort()).toEqual([1, 2]);
    expect(await groupsOf('ws_crash')).toEqual([]);
    await next.stop();
  });

  it('catches up one profile for a read of it, and leaves the others queued', async () => {
    const refresher = createRefresher(database, { lingerMs: FOREVER });
    // Nothing wakes the refresher: only the reads below catch up.
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([row('ws_one', 'o1', 'a1'), row('ws_one', 'o2', 'a2'), row('ws_one', 'o3', 'a1')]);
    await refresher.settleProfiles('ws_one', [profileIdOf('ws_one', 'a1')]);
    expect(await eventsOf('ws_one')).toEqual([2]);
    // The group stays queued for a2 (and meets a1's events again, already folded).
    expect(await groupsOf('ws_one')).toHaveLength(1);
    await refresher.settleProfiles('ws_one', [profileIdOf('ws_one', 'a1')]);
    await refresher.settle();
    expect((await eventsOf('ws_one')).sort()).toEqual([1, 2]);
    expect(await groupsOf('ws_one')).toEqual([]);
    await refresher.stop();
  });

  it('lets a read settle and a stop go through without waiting out the linger', async () => {
    const refresher = createRefresher(database, { lingerMs: FOREVER });
    const writer = createEventWriter(database, { rebuild: 'queued', onCommit: refresher.kick });
    await writer.write([row('ws_linger', 'g1', 'a1')]);
    await refresher.settle();
    await writer.write([row('ws_linger', 'g2', 'a1')]);
    // The background run now lingers: the first cycle started just now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await refresher.settle();
    expect(await eventsOf('ws_linger')).toEqual([2]);
    await writer.write([row('ws_linger', 'g3', 'a1')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await refresher.stop();
    // Stopped with a group left: the next start catches it up.
    expect(await groupsOf('ws_linger')).toHaveLength(1);
    await createRefresher(database).settle();
  });

  it('vacuums the queue tables once cycles have deleted enough rows', async () => {
    const vacuums = async () => Number(rowsOf<{ n: string | number }>(await database.db.execute(sql`
      select coalesce(min(vacuum_count), 0) as n from pg_stat_user_tables where relname in ('profile_dirty', 'profile_groups')`))[0]?.n ?? 0);
    // What earlier tests left queued is caught up first, so only this test's rows count.
    await createRefresher(database).settle();
    const before = await vacuums();
    const refresher = createRefresher(database, { vacuumEvery: 2 });
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([row('ws_vacuum', 'v1', 'a1'), row('ws_vacuum', 'v2', 'a2')]);
    await refresher.settle();
    // One group taken: not yet.
    expect(await vacuums()).toBe(before);
    await writer.write([row('ws_vacuum', 'v3', 'a3')]);
    await refresher.settle();
    expect(await vacuums()).toBe(before + 1);
    expect(await groupsOf('ws_vacuum')).toEqual([]);
    await refresher.stop();
  });

  it('lets a profile marked for a rebuild wait in background cycles, from its oldest such marker, while a read catches it up at once', async () => {
    const ws = 'ws_defer';
    const [a1, a2] = [profileIdOf(ws, 'a1'), profileIdOf(ws, 'a2')];
    const refresher = createRefresher(database, { rebuildAfterMs: FOREVER });
    const writer = createEventWriter(database, { rebuild: 'queued', onCommit: refresher.kick });
    await writer.write([row(ws, 'd1', 'a1'), row(ws, 'd2', 'a2')]);
    await refresher.settle();
    // a1 gets a late event (the cycle marks it for a rebuild), a2 one in order (folded on).
    await writer.write([row(ws, 'd0', 'a1', 60), row(ws, 'd3', 'a2')]);
    await waitFor(async () => (await groupsOf(ws)).length === 0 && (await dirtyOf(ws)).length === 1);
    expect((await dirtyOf(ws)).map((d) => [d.profileId, d.rebuild])).toEqual([[a1, true]]);
    expect(await eventsOf(ws)).toEqual(a1 < a2 ? [1, 2] : [2, 1]);
    // Later cycles keep passing it over, its new events too.
    await writer.write([row(ws, 'd4', 'a1')]);
    await waitFor(async () => (await groupsOf(ws)).length === 0);
    expect(await eventsOf(ws)).toEqual(a1 < a2 ? [1, 2] : [2, 1]);
    await refresher.settleProfiles(ws, [a1]);
    expect(await eventsOf(ws)).toEqual(a1 < a2 ? [3, 2] : [2, 3]);
    expect(await dirtyOf(ws)).toEqual([]);
    await refresher.stop();

    // Late events keep coming, but the oldest rebuild marker is old enough: the profile is rebuilt.
    // Queued with no refresher running, so no cycle can take the old marker before the new one is in.
    const quiet = createEventWriter(database, { rebuild: 'queued' });
    await quiet.write([row(ws, 'd-1', 'a1', 120)]);
    await markRebuild(database.db, ws, [a1]);
    await database.db.update(profileDirty).set({ markedAt: new Date(Date.now() - 2 * FOREVER) }).where(eq(profileDirty.workspaceId, ws));
    await markRebuild(database.db, ws, [a1]);
    await quiet.write([row(ws, 'd-2', 'a1', 180)]);
    const next = createRefresher(database, { rebuildAfterMs: FOREVER });
    next.kick();
    await waitFor(async () => (await dirtyOf(ws)).length === 0 && (await groupsOf(ws)).length === 0);
    expect(await eventsOf(ws)).toEqual(a1 < a2 ? [5, 2] : [2, 5]);
    await next.stop();
  });

  it('hurries the background cycle in flight once a settle waits for it: the rest rebuilds late events at once instead of deferring them', async () => {
    const ws = 'ws_hurry';
    const browsers = ['a1', 'a2', 'a3', 'a4'];
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write(browsers.map((b) => row(ws, `h-${b}`, b)));
    await createRefresher(database).settle();
    // A late event each, queued with no refresher awake.
    await writer.write(browsers.map((b) => row(ws, `h-late-${b}`, b, 60)));
    const outcomes: CatchUpOutcome[] = [];
    let settling: Promise<void> | undefined;
    // One profile a transaction; the settle arrives after the first.
    const refresher = createRefresher(database, {
      batch: 1,
      rebuildAfterMs: FOREVER,
      onCatchUp: (outcome) => {
        outcomes.push(outcome);
        settling ??= refresher.settle();
      },
    });
    refresher.kick();
    await waitFor(() => settling !== undefined);
    await settling;
    // Only the transaction before the settle deferred its late event; the others rebuilt theirs.
    expect(outcomes.slice(0, 4).map((o) => [o.deferred, o.rebuilt])).toEqual([[1, 0], [0, 1], [0, 1], [0, 1]]);
    expect(await eventsOf(ws)).toEqual([2, 2, 2, 2]);
    expect(await dirtyOf(ws)).toEqual([]);
    await refresher.stop();
  });

  it('never runs a settle\'s cycle beside a background one: no profile is caught up twice', async () => {
    const ws = 'ws_serial';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    for (let g = 0; g < 4; g++) await writer.write(Array.from({ length: 10 }, (_, i) => row(ws, `s${g}-${i}`, `b${i}`)));
    const outcomes: CatchUpOutcome[] = [];
    const refresher = createRefresher(database, { batch: 2, onCatchUp: (outcome) => outcomes.push(outcome) });
    // The kick starts a background cycle a moment later; the settle comes meanwhile.
    refresher.kick();
    await refresher.settle();
    await refresher.stop();
    expect(await eventsOf(ws)).toEqual(Array.from({ length: 10 }, () => 4));
    // Side by side, both would lease the same groups and the second would meet every profile again.
    expect(outcomes.reduce((n, o) => n + o.unchanged, 0)).toBe(0);
    expect(outcomes.reduce((n, o) => n + o.folded, 0)).toBe(40);
  });

  it('starts a cycle before the linger is out once ingest has been quiet, and not while kicks keep coming', async () => {
    const ws = 'ws_quiet';
    const refresher = createRefresher(database, { lingerMs: FOREVER, quietMs: 1_000 });
    const writer = createEventWriter(database, { rebuild: 'queued', onCommit: refresher.kick });
    // After an idle spell the first kick starts a cycle at once.
    await writer.write([row(ws, 'q1', 'a1')]);
    await waitFor(async () => (await eventsOf(ws)).join() === '1');
    await writer.write([row(ws, 'q2', 'a1')]);
    // Ingest goes on (a kick every 50 ms for 0.5 s): no cycle yet.
    for (let i = 0; i < 10; i++) {
      refresher.kick();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await eventsOf(ws)).toEqual([1]);
    // Quiet for a second: caught up, though the linger never ends.
    await waitFor(async () => (await eventsOf(ws)).join() === '2');
    await refresher.stop();
  });

  it('gives its leased groups back when stopped mid-cycle, for the next start not to wait out the lease', async () => {
    const [first, second] = ['ws_stop_a', 'ws_stop_b'];
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([row(first, 's1', 'a1')]);
    await writer.write([row(second, 's2', 'a2')]);
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first catch-up transaction waits until the stop has begun.
    const slow: Database = {
      ...database,
      pipelinedTransaction: async (fn) => {
        entered();
        await held;
        return inTransaction(database, fn);
      },
    };
    const refresher = createRefresher(slow);
    refresher.kick();
    await inside;
    const stopping = refresher.stop();
    release();
    await stopping;
    const leases = await database.db.select().from(profileGroups).where(eq(profileGroups.workspaceId, second));
    expect(leases.map((g) => [g.lease, g.leasedUntil])).toEqual([[null, null]]);
    await createRefresher(database).settle();
    expect(await eventsOf(first)).toEqual([1]);
    expect(await eventsOf(second)).toEqual([1]);
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
    // The fold commits before the cycle releases its groups: the stop waits for that release.
    await refresher.stop();
    // The failed cycle's lease is this refresher's own: the next cycle took the group again.
    expect(await groupsOf(ws)).toEqual([]);
  });
});

