// Protects the round trips of a queued ingest group on PostgreSQL: a group that regroups nothing goes out in two writes (BEGIN with the insert, the lock and identity's reads; identity's writes with the profile queue and COMMIT, unanswered), and one that regroups in three (the walk, with its identities, goes with identity's writes; the moves with the queue and COMMIT).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgres, type TestDatabase } from '../testing/databases.ts';
import { recordingSocket } from '../testing/wire.ts';
import { createEventWriter } from './event-writer.ts';
import { openPostgres, type PostgresOptions } from './postgres.ts';
import type { EventRow } from './schema.ts';

const serverUrl = process.env.DATABASE_URL;

const page = (messageId: string, anonymousId: string, userId?: string): EventRow => {
  const now = new Date();
  return { workspaceId: 'ws_wire', sourceId: 'src', messageId, type: userId ? 'identify' : 'page', anonymousId, userId, ownerId: userId ?? anonymousId, timestamp: now, receivedAt: now, channel: 'direct' };
};

describe.runIf(serverUrl)('a queued ingest group on the wire', () => {
  let database: TestDatabase & { url: string };
  beforeAll(async () => {
    database = await scratchPostgres(serverUrl!);
  });
  afterAll(() => database?.dispose());

  /** The socket writes of one group, once every statement is prepared on the connection (a first group warms it up). */
  async function writesOf(warmUp: EventRow[], group: EventRow[]): Promise<string[][]> {
    const writes: string[][] = [];
    const pool = openPostgres(database.url, { max: 1, socket: recordingSocket(writes) } as PostgresOptions, { longLived: true });
    try {
      const writer = createEventWriter(pool, { rebuild: 'queued' });
      await writer.write(warmUp);
      writes.length = 0;
      await writer.write(group);
      return writes;
    } finally {
      await pool.close();
    }
  }

  it('sends the profile queue and COMMIT with identity\'s writes when nothing regroups: two writes in all', async () => {
    const writes = await writesOf([page('w1', 'browser-1')], [page('w2', 'browser-2'), page('w3', 'browser-1')]);
    // Only Bind/Execute (B/E) and simple queries (Q): nothing parsed any more.
    expect(writes.flat().filter((t) => t === 'P')).toEqual([]);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toContain('Q');
    expect(writes[1]).toContain('B');
    expect(writes[1]!.at(-1)).toBe('Q');
  });

  it("takes one more write under the lock when a link regroups identifiers: the walk (with the component's identities) goes with identity's writes, then the moves with the queue and COMMIT", async () => {
    const writes = await writesOf(
      [page('r1', 'browser-3'), page('r2', 'browser-4', 'user-4')],
      [page('r3', 'browser-5'), page('r4', 'browser-5', 'user-5')],
    );
    expect(writes.flat().filter((t) => t === 'P')).toEqual([]);
    expect(writes).toHaveLength(3);
    expect(writes[2]!.at(-1)).toBe('Q');
  });
});
