import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Database, Db } from './database.ts';
import { preparing } from './prepared.ts';
import { schema } from './schema.ts';

export type PostgresOptions = postgres.Options<Record<string, postgres.PostgresType>>;

/**
 * PostgreSQL through postgres.js. On Workers call this per request (a client kept at module
 * scope fails on the next request); on Node create one pool at start, `longLived`: its
 * connections prepare statements (db/prepared.ts) and ingest's transactions send BEGIN along
 * with their first statements. Workers keep neither: a connection lives for one request there,
 * and postgres.js's `reserve()` never resolves on a pool with `fetch_types: false`, as Workers'.
 */
export function openPostgres(url: string, options: PostgresOptions = {}, { longLived = false }: { longLived?: boolean } = {}): Database {
  // Prepared statements are planned for their parameters each time: after five runs PostgreSQL may
  // switch to one generic plan, and one of those made seeding 1M events fall from 10k to 4k events/s.
  const planning = longLived ? { connection: { plan_cache_mode: 'force_custom_plan' } } : {};
  const pool = postgres(url, { onnotice: () => {}, ...planning, ...options });
  const client = longLived ? preparing(pool) : pool;
  const max = typeof options.max === 'number' ? options.max : 10;
  return {
    db: drizzle({ client, schema }),
    kind: 'postgres',
    writeConcurrency: Math.max(1, Math.min(4, max - 1)),
    ...(longLived ? { pipelinedTransaction: <T>(fn: (tx: Db) => Promise<T>) => pipelinedTransaction(pool, fn) } : {}),
    close: () => pool.end({ timeout: 5 }),
  };
}

/**
 * A transaction on one reserved connection whose BEGIN goes out with its first statements:
 * drizzle's (postgres.js's `begin`) waits for BEGIN's answer before sending the next, a round
 * trip each. Committed when `fn` resolves; rolled back otherwise. The connection goes back to the
 * pool only once everything sent on it has settled, so no statement of it can land on a
 * connection someone else holds.
 */
async function pipelinedTransaction<T>(client: postgres.Sql, fn: (tx: Db) => Promise<T>): Promise<T> {
  const reserved = await client.reserve();
  try {
    const began = reserved.unsafe('begin').execute();
    // drizzle reads the type parsers off its client; a reserved connection shares its pool's.
    const tx = drizzle({ client: preparing(Object.assign(reserved, { options: client.options })), schema });
    const [begin, done] = await Promise.allSettled([began, fn(tx)]);
    if (begin.status === 'rejected' || done.status === 'rejected') {
      await reserved.unsafe('rollback').catch(() => {});
      throw done.status === 'rejected' ? done.reason : (begin as PromiseRejectedResult).reason;
    }
    // A statement that failed unawaited aborted the transaction: PostgreSQL answers COMMIT with ROLLBACK.
    const committed = await reserved.unsafe('commit').execute();
    if (committed.command !== 'COMMIT') throw new Error(`the transaction ended in ${committed.command}, not COMMIT`);
    return done.value;
  } finally {
    reserved.release();
  }
}
