// Protects group commit: concurrent writes share statements, each caller learns exactly which of its rows were new, one failing request never fails its neighbours, and each mode maintains exactly what it says.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { createEventWriter, type WriteResult } from './event-writer.ts';
import { identities, profiles, type EventRow } from './schema.ts';

let n = 0;
function row(messageId: string, over: Partial<EventRow> = {}): EventRow {
  const now = new Date();
  return { workspaceId: 'ws_writer', sourceId: 'src_writer', messageId, type: 'track', event: 'E', userId: 'u', timestamp: now, receivedAt: now, channel: 'unknown', ...over };
}
const fresh = (label: string) => `${label}-${Date.now()}-${++n}`;

describe.each(testDrivers())('event writer on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  it('groups concurrent requests into fewer statements and resolves each after commit', async () => {
    const groups: Array<[number, number]> = [];
    const writer = createEventWriter(database, { onGroup: (requests, rows) => groups.push([requests, rows]) });
    const requests = Array.from({ length: 40 }, (_, r) => Array.from({ length: 5 }, (_, i) => row(fresh(`g${r}-${i}`))));
    const results = await Promise.all(requests.map((rows) => writer.write(rows)));
    expect(results.every((flags) => flags.length === 5 && flags.every((o) => o.stored))).toBe(true);
    expect(groups.reduce((sum, [, rows]) => sum + rows, 0)).toBe(200);
    expect(groups.length).toBeLessThan(40);
    expect(Math.max(...groups.map(([requests]) => requests))).toBeGreaterThan(1);
  });

  it('gives a messageId claimed twice in one group to the first claimant only', async () => {
    // One write at a time: the first occupies the database, the next two wait and share a group.
    const writer = createEventWriter({ ...database, writeConcurrency: 1 });
    const shared = fresh('shared');
    const [, a, b] = await Promise.all([writer.write([row(fresh('first'))]), writer.write([row(shared), row(fresh('a'))]), writer.write([row(shared)])]);
    expect(a).toEqual([{ stored: true }, { stored: true }]);
    expect(b).toEqual([{ stored: false }]);
    expect(await writer.write([row(shared)])).toEqual([{ stored: false }]);
  });

  it('takes concurrent groups with the same messageIds in any order without deadlock, storing each once', async () => {
    // Several writers, as several processes would have, with and without identity work.
    const writers = [createEventWriter(database), createEventWriter(database), createEventWriter(database, { profiles: false })];
    const ids = Array.from({ length: 50 }, (_, i) => fresh(`overlap${i}`));
    const shuffled = (seed: number) => [...ids].sort((a, b) => ((a.length * seed + a.charCodeAt(a.length - 1)) % 7) - ((b.length * seed + b.charCodeAt(b.length - 1)) % 7) || (seed % 2 ? a.localeCompare(b) : b.localeCompare(a)));
    const results = await Promise.all(Array.from({ length: 9 }, (_, s) => writers[s % 3]!.write(shuffled(s).map((id) => row(id, { anonymousId: `anon-${id}` })))));
    expect(results.flat().filter((o) => o.stored)).toHaveLength(50);
  });

  it('isolates a failing request from the rest of its group', async () => {
    const writer = createEventWriter(database);
    const good = Array.from({ length: 5 }, (_, i) => [row(fresh(`ok${i}`))]);
    // A NOT NULL violation that validation would normally prevent.
    const bad = [row(fresh('bad'), { channel: null as unknown as string })];
    const outcomes = await Promise.allSettled([...good.slice(0, 2), bad, ...good.slice(2)].map((rows) => writer.write(rows)));
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect(outcomes[2]!.status).toBe('rejected');
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<WriteResult>).value)).toEqual(
      Array.from({ length: 5 }, () => [{ stored: true }]),
    );
  });

  it("maintains identities and their warnings but no profiles in 'identities' mode", async () => {
    const ws = fresh('ws_identities');
    const identify = (userId: string) => row(fresh('id'), { workspaceId: ws, type: 'identify', event: null, anonymousId: 'shared-browser', userId, ownerId: userId });
    const writer = createEventWriter(database, { profiles: 'identities' });
    expect(await writer.write([identify('u1')])).toEqual([{ stored: true }]);
    // The same browser for a second known user: refused, and said so, as with profiles on.
    expect(await writer.write([identify('u2')])).toEqual([{ stored: true, warning: 'merge_conflict' }]);
    const stored = await database.db.select({ value: identities.value }).from(identities).where(eq(identities.workspaceId, ws));
    expect(stored.map((i) => i.value).sort()).toEqual(['shared-browser', 'u1', 'u2']);
    expect(await database.db.$count(profiles, eq(profiles.workspaceId, ws))).toBe(0);
  });
});
