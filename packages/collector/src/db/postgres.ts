import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Database, Db, Defer } from './database.ts';
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
    ...(longLived ? { pipelinedTransaction: <T>(fn: (tx: Db, defer: Defer) => Promise<T>) => pipelinedTransaction(pool, fn) } : {}),
    close: () => pool.end({ timeout: 5 }),
  };
}

/**
 * A transaction on one reserved connection whose BEGIN goes out with its first statements, and
 * whose COMMIT goes out right behind its deferred ones (database.ts): drizzle's (postgres.js's
 * `begin`) waits for each answer before sending the next, a round trip each. Committed when `fn`
 * resolves and every deferred statement succeeds; rolled back otherwise (a failed statement aborts
 * the transaction, and PostgreSQL answers its COMMIT with ROLLBACK). The connection goes back to
 * the pool only once everything sent on it has settled, so no statement of it can land on a
 * connection someone else holds.
 */
async function pipelinedTransaction<T>(client: postgres.Sql, fn: (tx: Db, defer: Defer) => Promise<T>): Promise<T> {
  const reserved = await client.reserve();
  const deferred: Promise<unknown>[] = [];
  // Handled at once: one may fail before `fn` is done, and is reported below, not as unhandled.
  const defer: Defer = (statement) => {
    statement.catch(() => {});
    deferred.push(statement);
  };
  try {
    const began = reserved.unsafe('begin').execute();
    // drizzle reads the type parsers off its client; a reserved connection shares its pool's.
    const tx = drizzle({ client: preparing(Object.assign(reserved, { options: client.options })), schema });
    const [begin, done] = await Promise.allSettled([began, fn(tx, defer)]);
    if (begin.status === 'rejected' || done.status === 'rejected') {
      await Promise.allSettled(deferred);
      await reserved.unsafe('rollback').catch(() => {});
      throw done.status === 'rejected' ? done.reason : (begin as PromiseRejectedResult).reason;
    }
    // drizzle hands a statement to postgres.js some promise steps after it is started, never after
    // a macrotask: past one, every deferred statement is in the connection's queue, ahead of COMMIT.
    if (deferred.length > 0) await new Promise((resolve) => setImmediate(resolve));
    const commit = reserved.unsafe('commit').execute();
    const [committed, ...answers] = await Promise.allSettled([commit, ...deferred]);
    const failed = answers.find((a) => a.status === 'rejected');
    if (failed) throw failed.reason;
    if (committed.status === 'rejected') throw committed.reason;
    if (committed.value.command !== 'COMMIT') throw new Error(`the transaction ended in ${committed.value.command}, not COMMIT`);
    return done.value;
  } finally {
    reserved.release();
  }
}
