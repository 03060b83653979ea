import type { Database } from './database.ts';
import { eventKey, insertEvents } from './insert-events.ts';
import type { EventRow } from './schema.ts';

/** For each row handed in, whether it was stored now (false: its messageId was already stored). */
export type WriteResult = boolean[];

export interface EventWriter {
  write(rows: EventRow[]): Promise<WriteResult>;
}

interface Pending {
  rows: EventRow[];
  resolve(result: WriteResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: requests that arrive while a write is in flight wait and then go to the
 * database together, in one statement (one transaction). Each request resolves only after
 * its group has committed, so a 2xx still means "durably stored".
 */
export interface WriterOptions {
  maxGroupRows?: number;
  /** Called after each group commits: how many requests and rows went in one statement. */
  onGroup?: (requests: number, rows: number) => void;
}

export function createEventWriter(database: Database, { maxGroupRows = 5000, onGroup }: WriterOptions = {}): EventWriter {
  const waiting: Pending[] = [];
  let inFlight = 0;

  function takeGroup(): Pending[] {
    const group: Pending[] = [];
    let rows = 0;
    while (waiting.length > 0 && (group.length === 0 || rows + waiting[0]!.rows.length <= maxGroupRows)) {
      const next = waiting.shift()!;
      rows += next.rows.length;
      group.push(next);
    }
    return group;
  }

  function pump(): void {
    while (inFlight < database.writeConcurrency && waiting.length > 0) {
      const group = takeGroup();
      inFlight++;
      commit(group).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  async function commit(group: Pending[]): Promise<void> {
    try {
      const results = await commitTogether(database, group.map((p) => p.rows));
      onGroup?.(group.length, group.reduce((n, p) => n + p.rows.length, 0));
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      // One bad request must not fail its neighbours: retry each on its own.
      for (const pending of group) {
        try {
          pending.resolve((await commitTogether(database, [pending.rows]))[0]!);
        } catch (own) {
          pending.reject(own);
        }
      }
    }
  }

  return {
    write(rows) {
      if (rows.length === 0) return Promise.resolve([]);
      return new Promise<WriteResult>((resolve, reject) => {
        waiting.push({ rows, resolve, reject });
        pump();
      });
    },
  };
}

/** One statement for several requests; the first claim of a messageId in the group wins. */
async function commitTogether(database: Database, requests: EventRow[][]): Promise<WriteResult[]> {
  const firstClaim = new Map<string, EventRow>();
  const unique: EventRow[] = [];
  for (const rows of requests) {
    for (const row of rows) {
      const key = eventKey(row.workspaceId, row.messageId);
      if (!firstClaim.has(key)) {
        firstClaim.set(key, row);
        unique.push(row);
      }
    }
  }
  const inserted = await insertEvents(database.db, unique);
  return requests.map((rows) =>
    rows.map((row) => {
      const key = eventKey(row.workspaceId, row.messageId);
      return firstClaim.get(key) === row && inserted.has(key);
    }),
  );
}
