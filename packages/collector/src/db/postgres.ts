import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { settling, type Database, type Db, type TransactionBody } from './database.ts';
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
  const planning = longLived ? { plan_cache_mode: 'force_custom_plan' } : {};
  // No JIT: once a workspace is big and analyzed, the walk's estimated cost passes jit_above_cost
  // and compiling it took 17 ms of a 21 ms statement (the walk itself 4 ms), under the workspace
  // lock. The collector's statements are all short lookups; none is worth compiling.
  const connection = { jit: 'off', ...planning, ...options.connection };
  const pool = postgres(url, { onnotice: () => {}, ...options, connection });
  const client = longLived ? preparing(pool) : pool;
  const max = typeof options.max === 'number' ? options.max : 10;
  return {
    db: drizzle({ client, schema }),
    kind: 'postgres',
    writeConcurrency: Math.max(1, Math.min(4, max - 1)),
    ...(longLived ? { pipelinedTransaction: <T>(fn: TransactionBody<T>) => pipelinedTransaction(pool, fn) } : {}),
    close: () => pool.end({ timeout: 5 }),
  };
}

/**
 * postgres.js writes a message of less than 1 KiB on the next `setImmediate`, which under load
 * waits for every I/O callback of the event loop's turn: inside a transaction holding a lock, that
 * wait is held too. A COMMIT padded to 1 KiB goes out at once, with what is queued before it.
 */
const COMMIT = 'commit'.padEnd(1024);

/**
 * A transaction on one reserved connection whose BEGIN goes out with its first statements, and
 * whose COMMIT goes out as soon as `fn` resolves, right behind the statements it left unanswered
 * (drizzle's, postgres.js's `begin`, waits for BEGIN's answer before sending the next, a round
 * trip each, and for every answer before COMMIT). Rolled back if `fn` or any of its statements
 * fails. The connection goes back to the pool only once everything sent on it has settled, so no
 * statement of it can land on a connection someone else holds.
 */
async function pipelinedTransaction<T>(client: postgres.Sql, fn: TransactionBody<T>): Promise<T> {
  const reserved = await client.reserve();
  const tail = settling();
  let sealed = false;
  try {
    const began = reserved.unsafe('begin').execute();
    // drizzle reads the type parsers off its client; a reserved connection shares its pool's.
    const connection = sealable(Object.assign(reserved, { options: client.options }), () => sealed);
    // Without the schema: its relational config costs ~0.1 ms to build, every transaction, and
    // the statements sent in one (SQL and query builders) do not use it.
    const tx = drizzle({ client: preparing(connection) }) as unknown as Db;
    const [begin, done] = await Promise.allSettled([began, fn(tx, tail.add)]);
    sealed = true;
    if (begin.status === 'rejected' || done.status === 'rejected') {
      await tail.all().catch(() => {});
      await reserved.unsafe('rollback').catch(() => {});
      throw done.status === 'rejected' ? done.reason : (begin as PromiseRejectedResult).reason;
    }
    const [committed, answered] = await Promise.allSettled([reserved.unsafe(COMMIT).execute(), tail.all()]);
    // A statement that failed (unanswered or not) aborted the transaction: PostgreSQL answers COMMIT with ROLLBACK.
    if (answered.status === 'rejected') throw answered.reason;
    if (committed.status === 'rejected') throw committed.reason;
    if (committed.value.command !== 'COMMIT') throw new Error(`the transaction ended in ${committed.value.command}, not COMMIT`);
    return done.value;
  } finally {
    reserved.release();
  }
}

/** The connection, refusing statements once its transaction is sealed: they would land after COMMIT. */
function sealable(connection: postgres.ReservedSql, isSealed: () => boolean): postgres.ReservedSql {
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property !== 'unsafe') return Reflect.get(target, property, receiver);
      return (...args: Parameters<postgres.Sql['unsafe']>) => {
        if (isSealed()) throw new Error('a statement was issued after its transaction ended (one left unanswered must be issued before the body resolves)');
        return target.unsafe(...args);
      };
    },
  });
}
