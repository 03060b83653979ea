import type { Database } from '../db/database.ts';
import { createEventWriter } from '../db/event-writer.ts';
import type { Services } from '../http/env.ts';
import { createRefresher } from '../profiles/refresher.ts';
import { createPendingTail } from '../profiles/tail.ts';

/**
 * On Node one pool and one group-commit writer serve every request; ingest queues the profiles
 * it changed and one refresher catches them up at most once a second, many groups at once.
 * Passes of 250: ingest never waits for a pass (profile_dirty rows are only inserted); passes of
 * 1,000 amortise better (+10% events/s with profiles) but hold more in memory (peak RSS 330 MB
 * against 290), and 100 keep a longer backlog (over 300 MB). The tail holds at most 20,000
 * events: under sustained load the refresher falls behind ingest, and the tail is what grows
 * (50,000: peak RSS 350-390 MB; 10,000: 300 MB but -10% events/s, the overflow being read back;
 * docs/benchmarks.md, fifth session). A profile marked for a rebuild (mostly a late event) waits
 * 30 s for it, so one rebuild covers the late events of that time: a rebuild reads all of a
 * profile's events, and one per late event read 3-4x more events than ingest stored (sixth session).
 */
export function nodeServices(database: Database, options: { profiles?: boolean | 'identities' } = {}): Services {
  const tail = createPendingTail(20_000);
  const refresher = createRefresher(database, { tail, lingerMs: 1000, rebuildAfterMs: 30_000, batch: 250 });
  const writer = createEventWriter(database, { profiles: options.profiles ?? true, rebuild: 'queued', onCommit: refresher.kick, tail });
  // Profiles left queued by a previous run (it stopped before catching them up) are caught up now.
  refresher.kick();
  return { db: database.db, writeEvents: (rows) => writer.write(rows), settleProfiles: refresher.settle, settleProfilesOf: refresher.settleProfiles, close: refresher.stop };
}
