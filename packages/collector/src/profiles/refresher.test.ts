// Protects deferred profile rebuilds: ingest folds in-order events at once (a login bringing new identifiers too) and marks late ones and real merges dirty in its own transaction, a refresher rebuilds those after commit, and markers left by a crash are rebuilt by the next start.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createEventWriter } from '../db/event-writer.ts';
import { profileDirty, profiles, type EventRow } from '../db/schema.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { createRefresher } from './refresher.ts';

const row = (workspaceId: string, messageId: string, anonymousId: string, minutesAgo = 0): EventRow => {
  const now = new Date();
  const timestamp = new Date(now.getTime() - minutesAgo * 60_000);
  return { workspaceId, sourceId: 'src', messageId, type: 'page', anonymousId, ownerId: anonymousId, timestamp, receivedAt: now, channel: 'direct' };
};

describe.each(testDrivers())('profile refresher on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  const profilesOf = (ws: string) => database.db.select().from(profiles).where(eq(profiles.workspaceId, ws));
  const dirtyOf = (ws: string) => database.db.select().from(profileDirty).where(and(eq(profileDirty.workspaceId, ws)));

  it('rebuilds what ingest marked, after commit, once per burst', async () => {
    const refresher = createRefresher(database);
    const writer = createEventWriter(database, { rebuild: 'deferred', onCommit: refresher.kick });
    await Promise.all(Array.from({ length: 10 }, (_, i) => writer.write([row('ws_burst', `b${i}`, 'same-browser')])));
    await refresher.settle();
    expect(await dirtyOf('ws_burst')).toEqual([]);
    const [profile] = await profilesOf('ws_burst');
    expect(profile).toMatchObject({ events: 10 });
    await refresher.stop();
  });

  it('rebuilds profiles left dirty by a process that stopped before rebuilding', async () => {
    // A writer whose refresher never runs: the commit happened, the rebuild did not.
    const crashed = createEventWriter(database, { rebuild: 'deferred' });
    await crashed.write([row('ws_crash', 'c1', 'a1'), row('ws_crash', 'c2', 'a2')]);
    // In order: folded in the ingest transaction, nothing left for a refresher.
    expect((await profilesOf('ws_crash')).map((p) => p.events)).toEqual([1, 1]);
    expect(await dirtyOf('ws_crash')).toEqual([]);
    // Late (before what each profile has folded): left to a rebuild that never comes.
    await crashed.write([row('ws_crash', 'c0', 'a1', 60), row('ws_crash', 'c00', 'a2', 60)]);
    expect((await profilesOf('ws_crash')).map((p) => p.events)).toEqual([1, 1]);
    expect(await dirtyOf('ws_crash')).toHaveLength(2);
    const next = createRefresher(database);
    next.kick();
    await next.settle();
    expect((await profilesOf('ws_crash')).map((p) => p.events)).toEqual([2, 2]);
    expect(await dirtyOf('ws_crash')).toEqual([]);
    await next.stop();
  });

  it('never folds onto a profile whose rebuild is pending: the rebuild takes the new events too', async () => {
    const crashed = createEventWriter(database, { rebuild: 'deferred' });
    await crashed.write([row('ws_pending', 'p1', 'a1')]);
    await crashed.write([row('ws_pending', 'p0', 'a1', 60)]); // late: marked for a rebuild
    await crashed.write([row('ws_pending', 'p2', 'a1')]); // in order, but a rebuild is pending
    expect((await profilesOf('ws_pending')).map((p) => p.events)).toEqual([1]);
    expect(await dirtyOf('ws_pending')).toHaveLength(1);
    const next = createRefresher(database);
    next.kick();
    await next.settle();
    expect((await profilesOf('ws_pending')).map((p) => p.events)).toEqual([3]);
    // Rebuilt with its fold, so the next in-order event is folded on at once.
    await crashed.write([row('ws_pending', 'p3', 'a1')]);
    expect((await profilesOf('ws_pending')).map((p) => p.events)).toEqual([4]);
    expect(await dirtyOf('ws_pending')).toEqual([]);
    await next.stop();
  });

  it('folds a login that brings new identifiers on at once, and leaves a merge of two pasts to a rebuild', async () => {
    const crashed = createEventWriter(database, { rebuild: 'deferred' });
    const login = (messageId: string, anonymousId: string): EventRow => ({ ...row('ws_login', messageId, anonymousId), type: 'identify', userId: 'u1', email: 'u1@example.com', ownerId: 'u1' });
    await crashed.write([row('ws_login', 'l1', 'a1')]);
    // A userId and an email never seen before join the browser's profile: no rebuild needed.
    await crashed.write([login('l2', 'a1')]);
    expect(await dirtyOf('ws_login')).toEqual([]);
    expect((await profilesOf('ws_login')).map((p) => [p.events, p.known, p.identifierCount])).toEqual([[2, true, 3]]);
    // A second browser with a past of its own logs in: two stored profiles merge, and that is rebuilt.
    await crashed.write([row('ws_login', 'l3', 'a2')]);
    await crashed.write([login('l4', 'a2')]);
    expect(await dirtyOf('ws_login')).toHaveLength(2);
    const next = createRefresher(database);
    next.kick();
    await next.settle();
    expect((await profilesOf('ws_login')).map((p) => [p.events, p.known, p.identifierCount])).toEqual([[4, true, 4]]);
    await next.stop();
  });
});
