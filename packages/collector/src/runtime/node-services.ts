import type { Database } from '../db/database.ts';
import { createEventWriter } from '../db/event-writer.ts';
import type { Services } from '../http/env.ts';
import { createRefresher } from '../profiles/refresher.ts';
import { createPendingTail } from '../profiles/tail.ts';

/**
 * On Node one pool and one group-commit writer serve every request; ingest queues the profiles
 * it changed and one refresher catches them up just after each commit, many groups at once.
 */
export function nodeServices(database: Database, options: { profiles?: boolean | 'identities' } = {}): Services {
  const tail = createPendingTail();
  const refresher = createRefresher(database, { tail, lingerMs: 1000, batch: 250 });
  const writer = createEventWriter(database, { profiles: options.profiles ?? true, rebuild: 'queued', onCommit: refresher.kick, tail });
  // Profiles left dirty by a previous run (a crash between commit and rebuild) are rebuilt now.
  refresher.kick();
  return { db: database.db, writeEvents: (rows) => writer.write(rows), settleProfiles: refresher.settle, settleProfilesOf: refresher.settleProfiles, close: refresher.stop };
}
