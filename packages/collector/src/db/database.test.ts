// Protects inTransaction on every driver: statements left unanswered are committed with the transaction, and one of them failing rolls all of it back and passes its error on.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { inTransaction, rowsOf } from './database.ts';

describe.each(testDrivers())('transactions on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));
  const stored = async () => rowsOf<{ n: number }>(await database.db.execute(sql`select n from unanswered order by n`)).map((r) => Number(r.n));

  it('commits the statements left unanswered, and rolls everything back when one fails', async () => {
    await database.db.execute(sql`create table unanswered (n int primary key)`);
    const answer = await inTransaction(database, async (tx, unanswered) => {
      await tx.execute(sql`insert into unanswered values (1)`);
      unanswered(tx.execute(sql`insert into unanswered values (2)`));
      return 'done';
    });
    expect(answer).toBe('done');
    expect(await stored()).toEqual([1, 2]);

    const failing = inTransaction(database, async (tx, unanswered) => {
      await tx.execute(sql`insert into unanswered values (3)`);
      unanswered(tx.execute(sql`insert into unanswered values (1)`));
    });
    await expect(failing).rejects.toThrow();
    expect(await stored()).toEqual([1, 2]);
  });
});
