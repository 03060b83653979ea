// Protects queued profile maintenance: ingest only marks, and a catch-up folds the marked events on (from this process's tail, or read back when another process stored them) or rebuilds after a late event or a merge, always ending equal to a rebuild from all events.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createEventWriter } from '../db/event-writer.ts';
import type { Db } from '../db/database.ts';
import { claimDirty, claimDirtyOf, lastBatch, markPending } from '../db/profile-dirty.ts';
import { eventsOfProfiles } from '../db/profile-store.ts';
import { profileIdOf } from '../identity/profile-id.ts';
import { profileDirty, profiles, type EventRow } from '../db/schema.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { catchUpProfiles } from './catch-up.ts';
import { refreshProfiles } from './refresh.ts';
import { createPendingTail, type PendingTail } from './tail.ts';

const base = Date.parse('2026-11-20T10:00:00.000Z');
const page = (workspaceId: string, messageId: string, anonymousId: string, minute: number, over: Partial<EventRow> = {}): EventRow => ({
  workspaceId, sourceId: 'src', messageId, type: 'page', anonymousId, ownerId: anonymousId, path: `/p${minute}`,
  timestamp: new Date(base + minute * 60_000), receivedAt: new Date(base + minute * 60_000), channel: 'direct', ...over,
});

/** Claims the workspace's markers and catches them up, as one refresher pass would. */
async function catchUp(db: Db, workspaceId: string, tail?: PendingTail) {
  return db.transaction(async (tx) => {
    const ids = (await tx.select({ id: profileDirty.profileId }).from(profileDirty).where(eq(profileDirty.workspaceId, workspaceId))).map((r) => r.id);
    return catchUpProfiles(tx, workspaceId, await claimDirtyOf(tx, workspaceId, ids), tail);
  });
}

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

  it('folds in-order events on from the tail, without reading them back', async () => {
    const ws = 'ws_tail';
    const tail = createPendingTail();
    const writer = createEventWriter(database, { rebuild: 'queued', tail });
    await writer.write([page(ws, 't1', 'a1', 1), page(ws, 't2', 'a2', 1)]);
    await writer.write([page(ws, 't3', 'a1', 2)]);
    // Two groups, a marker row each for a1: added up at the claim.
    expect(await catchUp(database.db, ws, tail)).toEqual({ fromTail: 2, readBack: 0, rebuilt: 0 });
    await writer.write([page(ws, 't4', 'a1', 3), page(ws, 't5', 'a1', 4)]);
    expect(await catchUp(database.db, ws, tail)).toEqual({ fromTail: 1, readBack: 0, rebuilt: 0 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual(expect.arrayContaining([4, 1]));
    expect(tail.size()).toBe(0);
  });

  it('reads back what another process stored, and never folds an event twice', async () => {
    const ws = 'ws_readback';
    const tail = createPendingTail();
    const here = createEventWriter(database, { rebuild: 'queued', tail });
    const elsewhere = createEventWriter(database, { rebuild: 'queued' });
    await here.write([page(ws, 'r1', 'a1', 1)]);
    expect(await catchUp(database.db, ws, tail)).toEqual({ fromTail: 1, readBack: 0, rebuilt: 0 });
    await elsewhere.write([page(ws, 'r2', 'a1', 2)]);
    await here.write([page(ws, 'r3', 'a1', 3)]);
    // The tail holds r3's batch only, not the other process's: read back.
    expect(await catchUp(database.db, ws, tail)).toEqual({ fromTail: 0, readBack: 1, rebuilt: 0 });
    // r3, folded by the read-back, left the tail with its batch: it is not folded again.
    await here.write([page(ws, 'r4', 'a1', 4)]);
    expect(await catchUp(database.db, ws, tail)).toEqual({ fromTail: 1, readBack: 0, rebuilt: 0 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([4]);
    // A late event the tail does not hold: a read-back from the fold on would miss it, so the marker's instant sends it to a rebuild.
    await elsewhere.write([page(ws, 'r0', 'a1', 0)]);
    expect(await catchUp(database.db, ws, tail)).toEqual({ fromTail: 0, readBack: 0, rebuilt: 1 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([5]);
  });

  it('rebuilds after a late event, after a merge of two pasts, and when nothing was folded yet and the tail cannot say what is pending', async () => {
    const ws = 'ws_rebuild';
    const tail = createPendingTail();
    const writer = createEventWriter(database, { rebuild: 'queued', tail });
    await writer.write([page(ws, 'l1', 'a1', 10), page(ws, 'l2', 'a2', 10)]);
    await catchUp(database.db, ws, tail);
    await writer.write([page(ws, 'l0', 'a1', 5)]);
    expect(await catchUp(database.db, ws, tail)).toMatchObject({ rebuilt: 1 });
    const login = (messageId: string, anonymousId: string, minute: number) =>
      page(ws, messageId, anonymousId, minute, { type: 'identify', userId: 'u1', ownerId: 'u1' });
    // A userId never seen before joins a1's profile: its events follow the fold, no rebuild needed.
    await writer.write([login('l3', 'a1', 11)]);
    expect(await catchUp(database.db, ws, tail)).toEqual({ fromTail: 1, readBack: 0, rebuilt: 0 });
    // Its members were counted again: known now, two identifiers, as a rebuild says.
    expect((await expectEqualToRebuild(ws)).map((p) => [p.known, p.identifierCount])).toEqual(expect.arrayContaining([[true, 2], [false, 1]]));
    // a2, with a past of its own, logs in as u1: two stored profiles merge, and that is rebuilt.
    await writer.write([login('l4', 'a2', 12)]);
    expect(await catchUp(database.db, ws, tail)).toMatchObject({ rebuilt: 2 });
    expect((await expectEqualToRebuild(ws)).map((p) => [p.events, p.known, p.identifierCount])).toEqual([[5, true, 3]]);
    // Rebuilt profiles take nothing from the tail, and leave nothing in it.
    expect(tail.size()).toBe(0);
    // A profile never written, queued by a process that stopped: no tail, no fold to continue.
    await createEventWriter(database, { rebuild: 'queued' }).write([page(ws, 'l5', 'a3', 13)]);
    expect(await catchUp(database.db, ws)).toEqual({ fromTail: 0, readBack: 0, rebuilt: 1 });
    expect((await expectEqualToRebuild(ws)).map((p) => p.events).sort()).toEqual([1, 5]);
  });

  it('reads back each profile from its own instant, not from the earliest of those asked for', async () => {
    const ws = 'ws_since';
    const writer = createEventWriter(database, { rebuild: 'queued' });
    await writer.write([1, 2, 3].flatMap((m) => [page(ws, `sa${m}`, 'a1', m), page(ws, `sb${m}`, 'b1', m)]));
    const [a, b] = [profileIdOf(ws, 'a1'), profileIdOf(ws, 'b1')];
    const since = new Map([[a, new Date(base)], [b, new Date(base + 2 * 60_000)]]);
    const loaded = await eventsOfProfiles(database.db, ws, [a, b], since);
    const idsOf = (id: string) => loaded.filter((e) => e.profileId === id).map((e) => e.messageId).sort();
    expect(idsOf(a)).toEqual(['sa1', 'sa2', 'sa3']);
    expect(idsOf(b)).toEqual(['sb2', 'sb3']);
    await catchUp(database.db, ws);
  });

  it('adds up the rows of one profile at the claim: a rebuild or a recount stays, the earliest instant wins, the counts add', async () => {
    const ws = 'ws_marks';
    const mark = (profileId: string, rebuild: boolean, sinceMs: number | null, pending: number, recount = false) => ({ profileId, rebuild, sinceMs, pending, recount });
    const batches = [
      (await markPending(database.db, ws, [mark('p', false, 2000, 2)]))!.batch,
      (await markPending(database.db, ws, [mark('p', true, 1000, 1), mark('q', false, null, 0, true)]))!.batch,
      (await markPending(database.db, ws, [mark('p', false, 3000, 4), mark('q', false, 500, 1)]))!.batch,
    ];
    expect(new Set(batches).size).toBe(3);
    expect(await markPending(database.db, ws, [])).toBeNull();
    const claimed = await database.db.transaction((tx) => claimDirtyOf(tx, ws, ['q', 'p', 'absent']));
    const byId = new Map(claimed.map((c) => [c.profileId, c]));
    expect(byId.get('p')).toMatchObject({ rebuild: true, sinceMs: 1000, pending: 7, recount: false });
    expect([...byId.get('p')!.batches].sort()).toEqual([...batches].sort());
    expect(byId.get('q')).toMatchObject({ rebuild: false, sinceMs: 500, pending: 1, recount: true });
    expect(claimed).toHaveLength(2);
    expect(await database.db.select().from(profileDirty).where(eq(profileDirty.workspaceId, ws))).toEqual([]);
  });

  it('marks a profile for a rebuild at ingest when its row was last seen at or after the group\'s earliest event, and keeps that group\'s events out of the tail', async () => {
    const ws = 'ws_late_mark';
    const tail = createPendingTail();
    const writer = createEventWriter(database, { rebuild: 'queued', tail });
    await writer.write([page(ws, 'm10', 'a1', 10), page(ws, 'n10', 'b1', 10)]);
    await catchUp(database.db, ws, tail);
    const [a, b] = [profileIdOf(ws, 'a1'), profileIdOf(ws, 'b1')];
    // a1 gets an event before its last seen (late), b1 one after it, in the same group.
    await writer.write([page(ws, 'm5', 'a1', 5), page(ws, 'n11', 'b1', 11)]);
    const marks = new Map((await database.db.select().from(profileDirty).where(eq(profileDirty.workspaceId, ws))).map((d) => [d.profileId, d.rebuild]));
    expect(marks).toEqual(new Map([[a, true], [b, false]]));
    expect(tail.size()).toBe(1);
    // The same instant as the last seen is late too: only a rebuild orders it (R1).
    expect((await markPending(database.db, ws, [{ profileId: b, rebuild: false, sinceMs: base + 10 * 60_000, pending: 1, recount: false }]))!.rebuilding).toEqual(new Set([b]));
    expect(await catchUp(database.db, ws, tail)).toEqual({ fromTail: 0, readBack: 0, rebuilt: 2 });
    expect(tail.size()).toBe(0);
    expect((await expectEqualToRebuild(ws)).map((p) => p.events)).toEqual([2, 2]);
  });

  it('lets a background cycle claim only the profiles queued when it began, each with all its rows', async () => {
    const ws = 'ws_up_to';
    const mark = (profileId: string, sinceMs: number) => ({ profileId, rebuild: false, sinceMs, pending: 1, recount: false });
    const first = (await markPending(database.db, ws, [mark('p', 1000)]))!.batch;
    const upTo = await lastBatch(database.db);
    expect(upTo).toBe(first);
    const later = (await markPending(database.db, ws, [mark('q', 2000), mark('p', 3000)]))!.batch;
    const claimed = (await database.db.transaction((tx) => claimDirty(tx, 100, true, { upTo }))).filter((c) => c.workspaceId === ws);
    expect(claimed.map((c) => [c.profileId, [...c.batches].sort()])).toEqual([['p', [first, later].sort()]]);
    // q was queued after the cycle began: it waits for the next one.
    expect((await database.db.select().from(profileDirty).where(eq(profileDirty.workspaceId, ws))).map((d) => d.profileId)).toEqual(['q']);
    await database.db.transaction((tx) => claimDirtyOf(tx, ws, ['q']));
  });
});
