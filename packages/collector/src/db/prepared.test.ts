// Protects the one-round-trip query path on PostgreSQL: through drizzle, a statement is parsed once per connection and then only bound and run, in transactions too, and planned for its parameters each time.
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgres, type TestDatabase } from '../testing/databases.ts';
import { countTypes, recordingSocket } from '../testing/wire.ts';
import { rowsOf } from './database.ts';
import { preparing } from './prepared.ts';

const serverUrl = process.env.DATABASE_URL;

describe.runIf(serverUrl)('prepared statements on postgres', () => {
  let database: TestDatabase & { url: string };
  beforeAll(async () => {
    database = await scratchPostgres(serverUrl!);
  });
  afterAll(() => database?.dispose());

  async function countWith(wrap: (client: postgres.Sql) => postgres.Sql, run: (db: ReturnType<typeof drizzle>) => Promise<void>) {
    const writes: string[][] = [];
    const client = postgres(database.url, { max: 1, fetch_types: false, onnotice: () => {}, socket: recordingSocket(writes) } as postgres.Options<Record<string, postgres.PostgresType>>);
    try {
      await run(drizzle({ client: wrap(client) }));
    } finally {
      await client.end();
    }
    const sent = countTypes(writes);
    return { parses: sent.get('P') ?? 0, binds: sent.get('B') ?? 0 };
  }

  const query = (db: ReturnType<typeof drizzle>, n: number) => db.execute(sql`select ${n}::int + 1 as next, ${JSON.stringify({ n })}::json as doc`);

  it('parses a statement once per connection and then only binds it, with the same answers', async () => {
    const answers: unknown[] = [];
    const counts = await countWith(preparing, async (db) => {
      for (let n = 0; n < 5; n++) answers.push(...rowsOf(await query(db, n)));
    });
    expect(answers).toEqual([0, 1, 2, 3, 4].map((n) => ({ next: n + 1, doc: { n } })));
    expect(counts).toEqual({ parses: 1, binds: 5 });
    // Without it, every execution is parsed again (the cost this wrapper removes).
    const unprepared = await countWith((client) => client, async (db) => {
      for (let n = 0; n < 5; n++) await query(db, n);
    });
    expect(unprepared.parses).toBeGreaterThanOrEqual(5);
  });

  it('prepares inside drizzle transactions too', async () => {
    const counts = await countWith(preparing, async (db) => {
      for (let round = 0; round < 3; round++) await db.transaction(async (tx) => void (await query(tx as unknown as ReturnType<typeof drizzle>, round)));
    });
    // The statement and postgres.js's own COMMIT: each parsed once, bound once per transaction.
    expect(counts).toEqual({ parses: 2, binds: 6 });
  });

  it("plans a prepared statement for its parameters on every run, on the collector's pool", async () => {
    // A generic plan, chosen after five runs, made seeding fall from 10k to 4k events/s (docs/benchmarks.md).
    const settings = await Promise.all(Array.from({ length: 3 }, () => database.db.execute(sql`select current_setting('plan_cache_mode') as mode`)));
    expect(settings.map((r) => rowsOf<{ mode: string }>(r)[0]!.mode)).toEqual(['force_custom_plan', 'force_custom_plan', 'force_custom_plan']);
  });
});
