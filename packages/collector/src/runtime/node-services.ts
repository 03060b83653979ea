import type { Database } from '../db/database.ts';
import { createEventWriter } from '../db/event-writer.ts';
import type { Services } from '../http/env.ts';
import { createRefresher } from '../profiles/refresher.ts';
import { startRefresherThread } from './refresher-thread.ts';

/**
 * On Node one pool and one group-commit writer serve every request; ingest queues the profiles
 * it changed, and one refresher catches them up in cycles at most every 10 s, each taking what was
 * queued when it began, 250 profiles a pass. A profile touched by many groups in that time is
 * read, folded and written once: under steady load (30 s phases) that cut the machine's work per
 * event with profiles from 200-230 µs to 167 (docs/benchmarks.md, sixth session). Reads never
 * wait for a cycle: a profile read catches up that profile, a list catches up the queue first.
 * A profile marked for a rebuild (mostly a late event) waits 30 s, so one rebuild covers the late
 * events of that time: a rebuild reads all of a profile's events, and one per late event read
 * 3-4x more events than ingest stored. No pending tail: it would have to hold 10 s of events
 * (+150 MB at 9,000 events/s), and reading them back measured as fast. On PostgreSQL the server
 * runs the refresher in a thread of its own (runtime/refresher-thread.ts).
 */
export function nodeServices(database: Database, options: { profiles?: boolean | 'identities'; refresherThread?: { databaseUrl: string } } = {}): Services {
  const profiles = options.profiles ?? true;
  const tuning = { lingerMs: Number(process.env.VISTA_LINGER_MS ?? 10_000), rebuildAfterMs: 30_000, batch: 250 };
  // Its own thread only where it has work: with profiles off it only catches up what a previous run left.
  const refresher = options.refresherThread && profiles === true
    ? startRefresherThread({ databaseUrl: options.refresherThread.databaseUrl, pool: 3, refresher: tuning })
    : createRefresher(database, tuning);
  const writer = createEventWriter(database, { profiles, rebuild: 'queued', onCommit: refresher.kick });
  // Profiles left queued by a previous run (it stopped before catching them up) are caught up now.
  refresher.kick();
  return { db: database.db, writeEvents: (rows) => writer.write(rows), settleProfiles: refresher.settle, settleProfilesOf: refresher.settleProfiles, close: refresher.stop };
}
