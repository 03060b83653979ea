import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Schema } from './schema.ts';

/** The drizzle handle every query module takes; PGlite and postgres.js both satisfy it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** How many write statements may run at once: PGlite serves one connection. */
  writeConcurrency: number;
  /**
   * A transaction that spares the round trip of BEGIN (postgres.js); ingest's groups use it where
   * the driver has one, else `db.transaction`.
   */
  pipelinedTransaction?<T>(fn: TransactionBody<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Statements already sent whose answers the transaction's body does not need: COMMIT may go out
 * right behind them instead of after their answers, so locks the transaction holds are released
 * one round trip (and one wait for a busy event loop) sooner. Only for statements issued in full
 * before the body resolves; their failure still fails the transaction.
 */
export type Unanswered = (statements: Promise<unknown>) => void;

export type TransactionBody<T> = (tx: Db, unanswered: Unanswered) => Promise<T>;

/** A transaction on the cheapest path the driver offers (pipelined BEGIN and COMMIT on Node's PostgreSQL pool). */
export function inTransaction<T>(database: Database, fn: TransactionBody<T>): Promise<T> {
  if (database.pipelinedTransaction) return database.pipelinedTransaction(fn);
  return database.db.transaction(async (tx) => {
    const tail = settling();
    const result = await fn(tx, tail.add);
    await tail.all();
    return result;
  });
}

/**
 * Collects unanswered statements: each is watched from the moment it is handed over (a failure
 * never counts as unhandled), and `all` waits for every one, then rejects with the first failure.
 */
export function settling(): { add: Unanswered; all(): Promise<void> } {
  const sent: Promise<unknown>[] = [];
  return {
    add: (statements) => {
      // `then` once: a drizzle query is lazy and runs again on every `then`.
      const answered = statements.then(() => undefined);
      answered.catch(() => {});
      sent.push(answered);
    },
    async all() {
      const failed = (await Promise.allSettled(sent)).find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** `db.execute()` answers an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
