// Protects the pipelined transaction ingest uses on PostgreSQL: BEGIN goes out with its first statement, COMMIT right behind the statements left unanswered, its statements run in one transaction, it commits on success, and it rolls back everything on any failure, unanswered or not.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgres, type TestDatabase } from '../testing/databases.ts';
import { rowsOf, type Db } from './database.ts';
import { openPostgres, type PostgresOptions } from './postgres.ts';
import { recordingSocket } from '../testing/wire.ts';

const serverUrl = process.env.DATABASE_URL;

describe.runIf(serverUrl)('pipelined transaction on postgres', () => {
  let database: TestDatabase & { url: string };
  beforeAll(async () => {
    database = await scratchPostgres(serverUrl!);
    await database.db.execute(sql`create table scratch (n int primary key)`);
  });
  afterAll(() => database?.dispose());
  const stored = async () => rowsOf<{ n: number }>(await database.db.execute(sql`select n from scratch order by n`)).map((r) => r.n);
  const insert = (tx: Db, n: number) => tx.execute(sql`insert into scratch values (${n})`);
  /** A one-connection pool recording its socket writes, with the insert already prepared on it (storing `n`). */
  async function recordedPool(n: number) {
    const writes: string[][] = [];
    const pool = openPostgres(database.url, { max: 1, socket: recordingSocket(writes) } as PostgresOptions, { longLived: true });
    await pool.pipelinedTransaction!((tx) => insert(tx, n));
    return { pool, writes };
  }

  it('runs every statement, sent together, in one transaction and commits', async () => {
    const ids = await database.pipelinedTransaction!(async (tx) => {
      const [a, b] = await Promise.all([
        tx.execute(sql`insert into scratch values (1) returning txid_current() as id`),
        tx.execute(sql`insert into scratch values (2) returning txid_current() as id`),
      ]);
      const c = await tx.execute(sql`select txid_current() as id`);
      return [a, b, c].map((r) => String(rowsOf<{ id: string }>(r)[0]!.id));
    });
    expect(new Set(ids).size).toBe(1);
    expect(await stored()).toEqual([1, 2]);
  });

  it('rolls back what ran before a failing statement, and passes the error on', async () => {
    const failing = database.pipelinedTransaction!(async (tx) => {
      await tx.execute(sql`insert into scratch values (3)`);
      await tx.execute(sql`insert into scratch values (1)`);
    });
    await expect(failing).rejects.toThrow();
    expect(await stored()).toEqual([1, 2]);
  });

  it('rolls back when the caller throws, and leaves the connection usable', async () => {
    await expect(database.pipelinedTransaction!(async (tx) => {
      await tx.execute(sql`insert into scratch values (4)`);
      throw new Error('caller gave up');
    })).rejects.toThrow('caller gave up');
    expect(await stored()).toEqual([1, 2]);
    // Every connection of the pool still works outside any transaction.
    await Promise.all(Array.from({ length: 8 }, (_, i) => database.pipelinedTransaction!((tx) => tx.execute(sql`insert into scratch values (${10 + i})`))));
    expect(await stored()).toEqual([1, 2, 10, 11, 12, 13, 14, 15, 16, 17]);
  });

  it('sends BEGIN in the same write as the first statement, where drizzle\'s transaction waits for its answer first', async () => {
    const writes: string[][] = [];
    const socket = recordingSocket(writes);
    const pool = openPostgres(database.url, { max: 1, socket } as PostgresOptions, { longLived: true });
    try {
      /** The messages written together with BEGIN (a simple query, Q). */
      const withBegin = async (run: (fn: (tx: Db) => Promise<unknown>) => Promise<unknown>) => {
        writes.length = 0;
        await run((tx) => tx.execute(sql`select ${1}::int as one`));
        return writes.find((types) => types.includes('Q'));
      };
      // The statement is new on this connection, so it goes out as Parse/Describe, right behind BEGIN.
      expect(await withBegin((fn) => pool.pipelinedTransaction!(fn))).toEqual(expect.arrayContaining(['Q', 'P']));
      expect(await withBegin((fn) => pool.db.transaction(fn))).toEqual(['Q']);
    } finally {
      await pool.close();
    }
  });

  it('commits nothing when a statement fails, and passes its error on', async () => {
    const before = await stored();
    await expect(database.pipelinedTransaction!(async (tx) => {
      await tx.execute(sql`insert into scratch values (30)`);
      await tx.execute(sql`insert into scratch values (1)`);
    })).rejects.toThrow();
    expect(await stored()).toEqual(before);
  });

  it('sends COMMIT in the same write as the statements left unanswered, and commits them', async () => {
    const { pool, writes } = await recordedPool(40);
    try {
      writes.length = 0;
      const answer = await pool.pipelinedTransaction!(async (tx, unanswered) => {
        await tx.execute(sql`select ${1}::int as one`);
        unanswered(insert(tx, 41));
        unanswered(insert(tx, 42));
        return 'done';
      });
      expect(answer).toBe('done');
      // Last write: both inserts (Bind/Execute/Sync each) and COMMIT (a simple query, Q).
      expect(writes.at(-1)).toEqual(['B', 'E', 'S', 'B', 'E', 'S', 'Q']);
    } finally {
      await pool.close();
    }
    expect(await stored()).toEqual(expect.arrayContaining([40, 41, 42]));
  });

  it('rolls back everything when a statement left unanswered fails, and passes its error on', async () => {
    const before = await stored();
    await expect(database.pipelinedTransaction!(async (tx, unanswered) => {
      unanswered(tx.execute(sql`insert into scratch values (50)`));
      unanswered(tx.execute(sql`insert into scratch values (1)`));
    })).rejects.toThrow(/duplicate key|Failed query/);
    expect(await stored()).toEqual(before);
  });

  it('refuses a statement issued after the body resolved: it would land behind COMMIT', async () => {
    const late = database.pipelinedTransaction!(async (tx, unanswered) => {
      unanswered(new Promise((resolve) => setTimeout(resolve, 20)).then(() => tx.execute(sql`insert into scratch values (60)`)));
    });
    // drizzle wraps the driver's error; the refusal is its cause.
    const error: unknown = await late.catch((e: unknown) => e);
    expect(String((error as { cause?: Error }).cause?.message)).toContain('after its transaction ended');
    expect(await stored()).not.toContain(60);
  });

  it('writes COMMIT at once, not on the next setImmediate: the lock is not held across the rest of the event loop\'s turn', async () => {
    const { pool, writes } = await recordedPool(70);
    try {
      let seen: string[] = [];
      await pool.pipelinedTransaction!(async (tx, unanswered) => {
        await tx.execute(sql`select ${1}::int as one`);
        writes.length = 0;
        unanswered(insert(tx, 71));
        // Runs before any setImmediate postgres.js schedules for a short write from here on.
        setImmediate(() => (seen = writes.flat()));
      });
      expect(seen).toEqual(['B', 'E', 'S', 'Q']);
    } finally {
      await pool.close();
    }
  });
});

