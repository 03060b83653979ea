// Protects catch-ups running beside ingest and each other on real connections: ingest never waits for a catch-up that holds its profile, two catch-ups never hold one profile at once, and an event met by two of them (a read and a cycle, two refreshers) is neither lost nor folded twice.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inTransaction, rowsOf } from '../db/database.ts';
import { createEventWriter } from '../db/event-writer.ts';
import { claimDirty, claimDirtyOf, markRebuild } from '../db/profile-dirty.ts';
import { profileDirty, profileGroups, profiles, type EventRow } from '../db/schema.ts';
import { profileIdOf } from '../identity/profile-id.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { catchUpProfiles, type CatchUpOutcome } from './catch-up.ts';
import { refreshProfiles } from './refresh.ts';
import { createRefresher } from './refresher.ts';

const base = Date.parse('2026-11-20T10:00:00.000Z');
const page = (workspaceId: string, messageId: string, anonymousId: string, minute: number): EventRow => ({
  workspaceId, sourceId: 'src', messageId, type: 'page', anonymousId, ownerId: anonymousId, path: `/p${minute}`,
  timestamp: new Date(base + minute * 60_000), receivedAt: new Date(base + minute * 60_000), channel: 'direct',
});

// PGlite serves one connection, so nothing runs beside a transaction there: PostgreSQL only.
describe.each(testDrivers().filter((d) => d.name === 'postgres'))('catch-ups beside ingest on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  const groupsOf = async (ws: string) => (await database.db.select().from(profileGroups).where(eq(profileGroups.workspaceId, ws))).length;
  const markersOf = async (ws: string) => (await database.db.select().from(profileDirty).where(eq(profileDirty.workspaceId, ws))).length;
  async function expectEqualToRebuild(ws: string) {
    const read = async () => (await database.db.select().from(profiles).where(eq(profiles.workspaceId, ws)).orderBy(profiles.id)).map(({ updatedAt: _, ...p }) => p);
    const caughtUp = await read();
    await refreshProfiles(database.db, ws, caughtUp.map((p) => p.id));
    expect(caughtUp).toEqual(await read());
    return caughtUp;
  }

  it('lets ingest commit while a catch-up holds the profile, and catches that group up later', async () => {
    const ws = 'ws_beside';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([page(ws, 'b1', 'a1', 1)]);
    await database.db.transaction(async (tx) => {
      await claimDirtyOf(tx, ws, [profileIdOf(ws, 'a1')]);
      // Had ingest to wait for this transaction, this would never return (the test would time out).
      await writer.write([page(ws, 'b2', 'a1', 2)]);
    });
    expect(await groupsOf(ws)).toBe(2);
    await createRefresher(database).settle();
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([2]);
  });

  it('never folds twice an event a read met first: the cycle that meets it again counts it as folded', async () => {
    const ws = 'ws_seen';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([page(ws, 's1', 'a1', 1)]);
    await createRefresher(database).settle();
    await writer.write([page(ws, 's2', 'a1', 2)]);
    const read = await inTransaction(database, async (tx) => {
      const claimed = await claimDirtyOf(tx, ws, [profileIdOf(ws, 'a1')]);
      // Committed during the read, before it looks: it reads s3 with s2.
      await writer.write([page(ws, 's3', 'a1', 3)]);
      return catchUpProfiles(tx, ws, [profileIdOf(ws, 'a1')], claimed, { kind: 'after-fold' }, { deferRebuilds: false });
    });
    expect(read).toEqual({ folded: 2, unchanged: 0, rebuilt: 0, deferred: 0 });
    const outcomes: CatchUpOutcome[] = [];
    await createRefresher(database, { onCatchUp: (o) => outcomes.push(o) }).settle();
    expect(outcomes.reduce((n, o) => n + o.unchanged, 0)).toBe(1);
    expect(outcomes.reduce((n, o) => n + o.folded + o.rebuilt, 0)).toBe(0);
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([3]);
  });

  it('keeps two catch-ups off one profile: a cycle waits for the holder and builds on its result', async () => {
    const ws = 'ws_held';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    const id = profileIdOf(ws, 'a1');
    await writer.write([page(ws, 'h1', 'a1', 1), page(ws, 'h2', 'a2', 1)]);
    await createRefresher(database).settle();
    await writer.write([page(ws, 'h3', 'a1', 2)]);
    const { done: holder, release } = await holdReadOf(ws, id);
    await writer.write([page(ws, 'h4', 'a1', 3)]);
    const cycle = createRefresher(database).settle();
    await untilSomeoneWaitsOnAnAdvisoryLock();
    release();
    // The holder folded h3 and h4 (both committed before it read); the cycle then met them as folded.
    expect(await holder).toMatchObject({ folded: 2, rebuilt: 0 });
    await cycle;
    expect(await groupsOf(ws)).toBe(0);
    expect((await expectEqualToRebuild(ws)).filter((p) => p.id === id).map((p) => p.events)).toEqual([3]);
  });

  it('reaches the state of one refresher when two catch up the same queue at once, late events and all', async () => {
    const ws = 'ws_two';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    const browsers = ['a1', 'a2', 'a3', 'a4', 'a5'];
    for (let g = 0; g < 12; g++) {
      // Every third group carries an event older than what came before (late).
      await writer.write(browsers.map((b, i) => page(ws, `t${g}-${b}`, b, g % 3 === 2 ? g - 5 + i : 10 + g * 2 + i)));
    }
    const [one, two] = [createRefresher(database, { batch: 2 }), createRefresher(database, { batch: 3 })];
    await Promise.all([one.settle(), two.settle()]);
    expect(await groupsOf(ws)).toBe(0);
    expect(await markersOf(ws)).toBe(0);
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([12, 12, 12, 12, 12]);
  });

  it('passes over markers of profiles another catch-up holds instead of counting them against its limit', async () => {
    // Sorts before the other tests' workspaces: the claim below looks at the queue's first profiles.
    const ws = 'ws_0pass';
    await createEventWriter(database, { rebuild: 'queued' }).write([page(ws, 'p1', 'b1', 1), page(ws, 'p2', 'b2', 1)]);
    const [first, second] = [profileIdOf(ws, 'b1'), profileIdOf(ws, 'b2')].sort();
    await markRebuild(database.db, ws, [first!, second!]);
    const { done: holder, release } = await holdReadOf(ws, first!);
    // A claim of one profile takes the second: the first is held. Rolled back, so nothing is lost.
    let taken: string[] = [];
    await database.db.transaction(async (tx) => {
      taken = (await claimDirty(tx, 1, true)).map((c) => c.profileId);
      tx.rollback();
    }).catch(() => {});
    release();
    await holder;
    expect(taken).toEqual([second]);
    await createRefresher(database).settle();
    expect(await markersOf(ws)).toBe(0);
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([1, 1]);
  });

  /** A read's catch-up of one profile that has locked it and holds it until released; resolves once it holds. */
  async function holdReadOf(ws: string, id: string) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const lockedIt = new Promise<void>((resolve) => (holding = resolve));
    const done = inTransaction(database, async (tx) => {
      const claimed = await claimDirtyOf(tx, ws, [id]);
      holding();
      await held;
      return catchUpProfiles(tx, ws, [id], claimed, { kind: 'after-fold' }, { deferRebuilds: false });
    });
    await lockedIt;
    return { done, release };
  }

  async function untilSomeoneWaitsOnAnAdvisoryLock(): Promise<void> {
    for (;;) {
      const waiting = rowsOf(await database.db.execute(sql`select 1 from pg_locks where locktype = 'advisory' and not granted`));
      if (waiting.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
});
