// Protects the session settings every collector connection starts with: no JIT (compiling a short lookup cost more than running it, under the workspace lock), custom plans on long-lived pools, and a caller's own connection parameters kept beside them.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgres, type TestDatabase } from '../testing/databases.ts';
import { rowsOf, type Database } from './database.ts';
import { openPostgres } from './postgres.ts';

const serverUrl = process.env.DATABASE_URL;

describe.runIf(serverUrl)('collector connections on postgres', () => {
  let database: TestDatabase & { url: string };
  beforeAll(async () => {
    database = await scratchPostgres(serverUrl!);
    // JIT on for this database, whatever the server's default: a connection must still start with it off.
    await database.db.execute(sql.raw(`alter database "${new URL(database.url).pathname.slice(1)}" set jit = on`));
  });
  afterAll(() => database?.dispose());

  const setting = async (db: Database, name: string) =>
    rowsOf<{ value: string }>(await db.db.execute(sql`select current_setting(${name}) as value`))[0]!.value;

  it.each([false, true])('turns JIT off (long-lived pool: %s), whatever the server default', async (longLived) => {
    const pool = openPostgres(database.url, { max: 1 }, { longLived });
    try {
      expect(await setting(pool, 'jit')).toBe('off');
      expect(await setting(pool, 'plan_cache_mode')).toBe(longLived ? 'force_custom_plan' : 'auto');
    } finally {
      await pool.close();
    }
  });

  it('keeps the connection parameters a caller passes', async () => {
    const pool = openPostgres(database.url, { max: 1, connection: { application_name: 'vista-test' } }, { longLived: true });
    try {
      expect(await setting(pool, 'application_name')).toBe('vista-test');
      expect(await setting(pool, 'jit')).toBe('off');
      expect(await setting(pool, 'plan_cache_mode')).toBe('force_custom_plan');
    } finally {
      await pool.close();
    }
  });
});
