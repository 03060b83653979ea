// Protects the pipelined transaction ingest uses on PostgreSQL: its statements run in one transaction, it commits on success, and it rolls back everything on any failure.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgres, type TestDatabase } from '../testing/databases.ts';
import { rowsOf } from './database.ts';

const serverUrl = process.env.DATABASE_URL;

describe.runIf(serverUrl)('pipelined transaction on postgres', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await scratchPostgres(serverUrl!);
    await database.db.execute(sql`create table scratch (n int primary key)`);
  });
  afterAll(() => database?.dispose());
  const stored = async () => rowsOf<{ n: number }>(await database.db.execute(sql`select n from scratch order by n`)).map((r) => r.n);

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
});
