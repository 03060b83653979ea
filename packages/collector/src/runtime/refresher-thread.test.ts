// Protects the refresher's own thread: what ingest queues is caught up there (on a kick after commit, on a settle, for one profile on a read), a failure comes back as an error naming only its SQLSTATE, and once stopped it answers nothing.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventWriter } from '../db/event-writer.ts';
import { profileGroups, profiles, type EventRow } from '../db/schema.ts';
import { profileIdOf } from '../identity/profile-id.ts';
import { scratchPostgres, type TestDatabase } from '../testing/databases.ts';
import { waitFor } from '../testing/wait.ts';
import { startRefresherThread } from './refresher-thread.ts';

const serverUrl = process.env.DATABASE_URL;
const row = (workspaceId: string, messageId: string, anonymousId: string): EventRow => {
  const now = new Date();
  return { workspaceId, sourceId: 'src', messageId, type: 'page', anonymousId, ownerId: anonymousId, timestamp: now, receivedAt: now, channel: 'direct' };
};

describe.runIf(serverUrl)('profile refresher thread on postgres', () => {
  let database: TestDatabase & { url: string };
  beforeAll(async () => {
    database = await scratchPostgres(serverUrl!);
  });
  afterAll(() => database?.dispose());
  const eventsOf = async (ws: string) => (await database.db.select().from(profiles).where(eq(profiles.workspaceId, ws)).orderBy(profiles.id)).map((p) => p.events);
  const queued = async (ws: string) => (await database.db.select().from(profileGroups).where(eq(profileGroups.workspaceId, ws))).length;
  /** A thread that nothing kicks: it catches up only what it is asked to. */
  async function quietThread(pool: number) {
    const thread = startRefresherThread({ databaseUrl: database.url, pool, refresher: { lingerMs: 0 } });
    // What earlier tests left queued is caught up first.
    await thread.settle();
    return thread;
  }

  it('catches up what ingest queued after a kick', async () => {
    const thread = startRefresherThread({ databaseUrl: database.url, pool: 2, refresher: { lingerMs: 0 } });
    try {
      const writer = createEventWriter(database, { rebuild: 'queued', onCommit: thread.kick });
      await writer.write([row('ws_kick', 'k1', 'a1'), row('ws_kick', 'k2', 'a1')]);
      await waitFor(async () => (await eventsOf('ws_kick')).length === 1);
      expect(await eventsOf('ws_kick')).toEqual([2]);
    } finally {
      await thread.stop();
    }
    await expect(thread.settle()).rejects.toThrow('stopped');
  });

  it('catches up one profile for a read of it, and everything on a settle', async () => {
    const thread = await quietThread(1);
    try {
      // Nothing kicks the thread: only what is asked for is caught up.
      await createEventWriter(database, { rebuild: 'queued' }).write([row('ws_read', 'r1', 'a1'), row('ws_read', 'r2', 'a2')]);
      await thread.settleProfiles('ws_read', [profileIdOf('ws_read', 'a1')]);
      expect(await eventsOf('ws_read')).toEqual([1]);
      expect(await queued('ws_read')).toBe(1);
      await thread.settle();
      expect(await eventsOf('ws_read')).toEqual([1, 1]);
      expect(await queued('ws_read')).toBe(0);
    } finally {
      await thread.stop();
    }
  });

  it('passes a failed catch-up back as an error that names its SQLSTATE and no data', async () => {
    const thread = await quietThread(1);
    try {
      await createEventWriter(database, { rebuild: 'queued' }).write([row('ws_fail', 'secret-message-id', 'a1')]);
      await database.db.execute(sql`alter table profiles rename to profiles_away`);
      const failed = await thread.settle().then(() => null, (error: Error) => error);
      await database.db.execute(sql`alter table profiles_away rename to profiles`);
      expect(failed?.message).toBe('profile catch-up failed (SQLSTATE 42P01)');
      await thread.settle();
      expect(await eventsOf('ws_fail')).toEqual([1]);
    } finally {
      await thread.stop();
    }
  });
});
