import { applyIdentity, preloadIdentity, type IdentityOutcome, type IdentityWarning } from '../identity/engine.ts';
import type { IdentityRow } from '../identity/links.ts';
import { maintainProfiles } from '../profiles/maintain.ts';
import { queueProfiles } from '../profiles/queue.ts';
import { inTransaction, type Database, type Db, type Unanswered } from './database.ts';
import { lockWorkspace } from './identity-store.ts';
import { eventKey, insertEvents } from './insert-events.ts';
import type { EventRow } from './schema.ts';

export interface RowOutcome {
  /** False when the messageId was already stored in the workspace (R4). */
  stored: boolean;
  warning?: IdentityWarning;
}

/** For each row handed in, in order. */
export type WriteResult = RowOutcome[];

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
  /**
   * Maintain identities and profiles in the same transaction (default); `false` stores events only,
   * `'identities'` maintains identities (and their warnings) but no profiles. Both measure what
   * the rest costs (the benchmark's baselines).
   */
  profiles?: boolean | 'identities';
  /**
   * Where profiles are brought up to date. 'inline' (default; Workers, which have no background
   * work): all in the ingest transaction, late events and merges rebuilt there too. 'queued'
   * (Node): the transaction only queues the group (profile_groups) and a refresher catches up many
   * groups at once; `onCommit` is called after each commit to wake it.
   */
  rebuild?: 'inline' | 'queued';
  onCommit?: () => void;
  /** Called after each group commits: how many requests and rows went in one statement. */
  onGroup?: (requests: number, rows: number) => void;
}

export function createEventWriter(database: Database, options: WriterOptions = {}): EventWriter {
  const { maxGroupRows = 5000, onGroup, onCommit } = options;
  const mode: Mode = options.profiles === false ? 'events' : options.profiles === 'identities' ? 'identities' : (options.rebuild ?? 'inline');
  // With identity on, groups of a workspace queue for its lock anyway; one group at a time lets
  // the waiting requests form bigger groups instead (measured: +15% events/s with profiles, docs/benchmarks.md).
  // Queued, a group holds the lock for identity work only; a second group can meanwhile insert its
  // events (measured: identities alone +12% with two slots, and worse with four: docs/benchmarks.md).
  const slots = mode === 'events' ? database.writeConcurrency : mode === 'queued' ? Math.min(2, database.writeConcurrency) : 1;
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
    while (inFlight < slots && waiting.length > 0) {
      const group = takeGroup();
      inFlight++;
      commit(group).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  /** After a commit: a wake-up for the refresher. */
  const wake = () => {
    if (mode === 'queued') onCommit?.();
  };

  async function commit(group: Pending[]): Promise<void> {
    try {
      const results = await commitTogether(database, group.map((p) => p.rows), mode);
      onGroup?.(group.length, group.reduce((n, p) => n + p.rows.length, 0));
      wake();
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      // One bad request must not fail its neighbours: retry each on its own.
      for (const pending of group) {
        try {
          const [results] = await commitTogether(database, [pending.rows], mode);
          wake();
          pending.resolve(results!);
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

/** The rows of one workspace that identity needs: people, not bots, and only new ones. */
export function identityRows(rows: readonly EventRow[]): IdentityRow[] {
  return rows
    .filter((r) => !r.isBot)
    .map((r) => ({
      messageId: r.messageId,
      type: r.type,
      timestamp: r.timestamp,
      anonymousId: r.anonymousId ?? null,
      userId: r.userId ?? null,
      previousId: r.previousId ?? null,
      email: r.email ?? null,
    }));
}

/**
 * One transaction for several requests: events in one statement, then, per workspace and under
 * its lock, identities and the profiles they touch (inline: folded; queued: marked, in profile id
 * order as the refresher claims them). Events go in before the lock, so groups overlap their
 * inserts and queue only for identity work; a holder of the lock never waits on events rows,
 * so this cannot deadlock. The first claim of a messageId in the group wins.
 */
type Mode = 'events' | 'identities' | 'inline' | 'queued';

async function commitTogether(database: Database, requests: EventRow[][], mode: Mode): Promise<WriteResult[]> {
  const profiles = mode !== 'events';
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
  type Written = { inserted: Map<string, number>; warnings: Map<string, IdentityWarning> };
  const write = async (db: Db, unanswered?: Unanswered): Promise<Written> => {
    const workspaces = [...new Set(unique.map((r) => r.workspaceId))].sort();
    // One round trip: the insert, then each lock with identity's first reads behind it (the
    // connection runs them in turn, in the order sent, so the reads see what the lock's previous
    // holder committed). The insert goes first: groups overlap their inserts and queue only for identity work.
    const insert = insertEvents(db, unique);
    // Per workspace, its rows and what identity needs of them, mapped once for the reads and the apply.
    const byWorkspace = (profiles ? workspaces : []).map((ws) => {
      const rows = unique.filter((r) => r.workspaceId === ws);
      return { ws, rows, identity: identityRows(rows) };
    });
    const reads = byWorkspace.map(({ ws, identity }) => {
      const lock = lockWorkspace(db, ws);
      const preload = preloadIdentity(db, ws, identity);
      return Promise.all([lock, preload]).then(([, loaded]) => loaded);
    });
    const [inserted, ...preloads] = await Promise.all([insert, ...reads]);
    const warnings = new Map<string, IdentityWarning>();
    for (const [i, preload] of preloads.entries()) {
      const { ws, rows, identity } = byWorkspace[i]!;
      const isNew = (r: { messageId: string }) => inserted.has(eventKey(ws, r.messageId));
      const fresh = rows.filter(isNew);
      // The profile stage's statements go out with identity's last writes.
      const alongside = async (outcome: IdentityOutcome) => {
        const change = { rows: fresh, ...outcome };
        // One statement, issued at once: it can go unanswered until COMMIT.
        if (mode === 'queued') await queueProfiles(db, ws, change, (row) => inserted.get(eventKey(ws, row.messageId))!);
        else if (mode === 'inline') await maintainProfiles(db, ws, change);
      };
      // Inline maintenance reads before it writes, so its statements cannot go unanswered.
      const last = mode === 'inline' ? {} : { unanswered };
      const outcome = await applyIdentity(db, ws, identity.filter(isNew), { preload, alongside, ...last });
      for (const [messageId, warning] of outcome.warnings) warnings.set(eventKey(ws, messageId), warning);
    }
    return { inserted, warnings };
  };
  // The workspace lock is released when PostgreSQL runs COMMIT: identity's last writes and the
  // queue go unanswered, COMMIT right behind them, without waiting for this thread to read answers.
  const { inserted, warnings } = await (profiles ? inTransaction(database, write) : write(database.db));
  const results = requests.map((rows) =>
    rows.map((row) => {
      const key = eventKey(row.workspaceId, row.messageId);
      const stored = firstClaim.get(key) === row && inserted.has(key);
      const warning = stored ? warnings.get(key) : undefined;
      return warning ? { stored, warning } : { stored };
    }),
  );
  return results;
}
