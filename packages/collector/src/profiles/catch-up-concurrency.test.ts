// Protects catch-ups running beside ingest on real connections: ingest never waits for a catch-up that holds its profile, two catch-ups never hold one profile at once, and a group that commits during a catch-up is neither lost nor folded twice.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../db/database.ts';
import { createEventWriter } from '../db/event-writer.ts';
import { claimDirty, claimDirtyOf } from '../db/profile-dirty.ts';
import { profileDirty, profiles, type EventRow } from '../db/schema.ts';
import { profileIdOf } from '../identity/profile-id.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { catchUpProfiles } from './catch-up.ts';
import { refreshProfiles } from './refresh.ts';
import { createPendingTail, type PendingTail } from './tail.ts';

const base = Date.parse('2026-11-20T10:00:00.000Z');
const page = (workspaceId: string, messageId: string, anonymousId: string, minute: number): EventRow => ({
  workspaceId, sourceId: 'src', messageId, type: 'page', anonymousId, ownerId: anonymousId, path: `/p${minute}`,
  timestamp: new Date(base + minute * 60_000), receivedAt: new Date(base + minute * 60_000), channel: 'direct',
});

// PGlite serves one connection, so nothing runs beside a transaction there: PostgreSQL only.
describe.each(testDrivers().filter((d) => d.name === 'postgres'))('catch-ups beside ingest on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  const rowsFor = async (ws: string) => (await database.db.select().from(profileDirty).where(eq(profileDirty.workspaceId, ws))).length;
  async function expectEqualToRebuild(ws: string) {
    const read = async () => (await database.db.select().from(profiles).where(eq(profiles.workspaceId, ws)).orderBy(profiles.id)).map(({ updatedAt: _, ...p }) => p);
    const caughtUp = await read();
    await refreshProfiles(database.db, ws, caughtUp.map((p) => p.id));
    expect(caughtUp).toEqual(await read());
    return caughtUp;
  }

  it('lets ingest commit while a catch-up holds the profile, and folds that group later from the tail', async () => {
    const ws = 'ws_beside';
    const tail = createPendingTail();
    const writer = createEventWriter(database, { rebuild: 'queued', tail });
    await writer.write([page(ws, 'b1', 'a1', 1)]);
    const during = await database.db.transaction(async (tx) => {
      const claimed = await claimDirtyOf(tx, ws, [profileIdOf(ws, 'a1')]);
      // Had ingest to wait for this transaction, this would never return (the test would time out).
      await writer.write([page(ws, 'b2', 'a1', 2)]);
      return catchUpProfiles(tx, ws, claimed, tail);
    });
    // Only the claimed batch came from the tail; b2's row and batch stayed for the next catch-up.
    expect(during).toEqual({ fromTail: 1, readBack: 0, rebuilt: 0 });
    expect(await rowsFor(ws)).toBe(1);
    const after = await database.db.transaction(async (tx) => catchUpProfiles(tx, ws, await claimDirtyOf(tx, ws, [profileIdOf(ws, 'a1')]), tail));
    expect(after).toEqual({ fromTail: 1, readBack: 0, rebuilt: 0 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([2]);
  });

  it('never folds twice a group a read-back already saw: its row sends the profile to a rebuild', async () => {
    const ws = 'ws_seen';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([page(ws, 's1', 'a1', 1)]);
    await database.db.transaction(async (tx) => catchUpProfiles(tx, ws, await claimDirtyOf(tx, ws, [profileIdOf(ws, 'a1')])));
    await writer.write([page(ws, 's2', 'a1', 2)]);
    const during = await database.db.transaction(async (tx) => {
      const claimed = await claimDirtyOf(tx, ws, [profileIdOf(ws, 'a1')]);
      await writer.write([page(ws, 's3', 'a1', 3)]);
      // No tail: s2 is read back, and s3, committed meanwhile, with it.
      return catchUpProfiles(tx, ws, claimed);
    });
    expect(during).toEqual({ fromTail: 0, readBack: 1, rebuilt: 0 });
    const after = await database.db.transaction(async (tx) => catchUpProfiles(tx, ws, await claimDirtyOf(tx, ws, [profileIdOf(ws, 'a1')])));
    expect(after).toEqual({ fromTail: 0, readBack: 0, rebuilt: 1 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([3]);
  });

  it('keeps two catch-ups off one profile: a background claim skips it, a read waits for the holder and sees its result', async () => {
    const ws = 'ws_held';
    const tail = createPendingTail();
    const writer = createEventWriter(database, { rebuild: 'queued', tail });
    const id = profileIdOf(ws, 'a1');
    await writer.write([page(ws, 'h1', 'a1', 1), page(ws, 'h2', 'a2', 1)]);
    const { done: holder, release } = await holdCatchUp(ws, id, tail);
    await writer.write([page(ws, 'h3', 'a1', 2)]);
    // The background claim takes a2, and neither a1's claimed row nor the one committed since.
    const background = await database.db.transaction(async (tx) => {
      const claimed = await claimDirty(tx, 100, true);
      return claimed.filter((c) => c.workspaceId === ws).map((c) => c.profileId);
    });
    expect(background).toEqual([profileIdOf(ws, 'a2')]);

    // A read of a1 waits for the holder: seen waiting on its lock, then released.
    const read = database.db.transaction(async (tx) => {
      const claimed = await claimDirtyOf(tx, ws, [id]);
      return catchUpProfiles(tx, ws, claimed, tail);
    });
    await untilSomeoneWaitsOnAnAdvisoryLock();
    release();
    expect(await holder).toEqual({ fromTail: 1, readBack: 0, rebuilt: 0 });
    // The read folded h3 on top of what the holder saved: from the tail, nothing read back.
    expect(await read).toEqual({ fromTail: 1, readBack: 0, rebuilt: 0 });
    expect(await rowsFor(ws)).toBe(0);
    expect((await expectEqualToRebuild(ws)).filter((p) => p.id === id).map((p) => p.events)).toEqual([2]);
  });

  it('passes over profiles another catch-up holds instead of counting them against its limit', async () => {
    // Sorts before the other tests' workspaces: the claim below looks at the queue's first profiles.
    const ws = 'ws_0pass';
    await createEventWriter(database, { rebuild: 'queued' }).write([page(ws, 'p1', 'b1', 1), page(ws, 'p2', 'b2', 1)]);
    const [first, second] = [profileIdOf(ws, 'b1'), profileIdOf(ws, 'b2')].sort();
    const { done: holder, release } = await holdCatchUp(ws, first!);
    // A claim of one profile takes the second: the first is held. Rolled back, so nothing is lost.
    let taken: string[] = [];
    await database.db.transaction(async (tx) => {
      taken = (await claimDirty(tx, 1, true)).map((c) => c.profileId);
      tx.rollback();
    }).catch(() => {});
    release();
    await holder;
    expect(taken).toEqual([second]);
    await database.db.transaction(async (tx) => catchUpProfiles(tx, ws, await claimDirtyOf(tx, ws, [second!])));
    expect(await rowsFor(ws)).toBe(0);
  });

  /** A catch-up of one profile that has claimed it and holds it until released; resolves once it holds. */
  async function holdCatchUp(ws: string, id: string, tail?: PendingTail) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const claimedIt = new Promise<void>((resolve) => (holding = resolve));
    const done = database.db.transaction(async (tx) => {
      const claimed = await claimDirtyOf(tx, ws, [id]);
      holding();
      await held;
      return catchUpProfiles(tx, ws, claimed, tail);
    });
    await claimedIt;
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
