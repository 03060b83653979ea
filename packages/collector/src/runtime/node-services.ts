import type { Database } from '../db/database.ts';
import { createEventWriter } from '../db/event-writer.ts';
import type { Services } from '../http/env.ts';
import { createRefresher } from '../profiles/refresher.ts';
import { startRefresherThread } from './refresher-thread.ts';

/**
 * On Node one pool and one group-commit writer serve every request; ingest queues each group
 * (one profile_groups row) and one refresher catches up in cycles, at most every 10 s under
 * steady ingest, or once ingest has been quiet for 1 s; each cycle takes what was queued when it
 * began, 500 profiles a transaction. A profile touched by many groups in that time is read,
 * folded and written once. Reads never wait for a cycle: a profile read catches up that profile,
 * a list catches up the queue first. A profile marked for a rebuild (mostly a late event) waits
 * 30 s, so one rebuild covers the late events of that time: a rebuild reads all of a profile's
 * events. On PostgreSQL the server runs the refresher in a thread of its own
 * (runtime/refresher-thread.ts). Measured in docs/benchmarks.md.
 */
export function nodeServices(database: Database, options: { profiles?: boolean | 'identities'; refresherThread?: { databaseUrl: string } } = {}): Services {
  const profiles = options.profiles ?? true;
  const tuning = { lingerMs: 10_000, quietMs: 1_000, rebuildAfterMs: 30_000, batch: 500 };
  // Its own thread only where it has work: with profiles off it only catches up what a previous run left.
  const refresher = options.refresherThread && profiles === true
    ? startRefresherThread({ databaseUrl: options.refresherThread.databaseUrl, pool: 3, refresher: tuning })
    : createRefresher(database, tuning);
  const writer = createEventWriter(database, { profiles, rebuild: 'queued', onCommit: refresher.kick });
  // Profiles left queued by a previous run (it stopped before catching them up) are caught up now.
  refresher.kick();
  return { db: database.db, writeEvents: (rows) => writer.write(rows), settleProfiles: refresher.settle, settleProfilesOf: refresher.settleProfiles, close: refresher.stop };
}
