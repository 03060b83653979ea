import type postgres from 'postgres';

type Client = postgres.Sql | postgres.TransactionSql;
type Unsafe = postgres.Sql['unsafe'];

/**
 * drizzle sends every query through postgres.js's `unsafe`, which does not prepare. A query with
 * parameters then asks for their types first (Parse, Describe, Flush) and is only run after the
 * answer: two round trips, and the connection sends nothing else in between, so statements
 * issued together do not go out together. Prepared, a statement is described once per connection
 * and afterwards sent ready to run: one round trip, pipelined with its neighbours.
 * For a pool that lives as long as the process; the SQL Vista sends has a fixed text (lists of
 * values go as one array parameter), so each connection prepares a bounded set of statements.
 */
export function preparing<T extends Client>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        const unsafe: Unsafe = (query, parameters, options) => target.unsafe(query, parameters, { ...options, prepare: true });
        return unsafe;
      }
      if (property === 'begin' && 'begin' in target) {
        // drizzle's transactions run on the connection postgres.js hands the callback: prepare there too.
        return (...args: unknown[]) => {
          const callback = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target.begin as (...rest: unknown[]) => unknown)(...args, (tx: postgres.TransactionSql) => callback(preparing(tx)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
