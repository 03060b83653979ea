import type { Database } from '../db/database.ts';
import { createEventWriter } from '../db/event-writer.ts';
import type { Services } from '../http/env.ts';
import { createRefresher } from '../profiles/refresher.ts';

/**
 * On Node one pool and one group-commit writer serve every request; profiles are rebuilt just
 * after each commit by one refresher, which coalesces bursts.
 */
export function nodeServices(database: Database, options: { profiles?: boolean | 'identities' } = {}): Services {
  const refresher = createRefresher(database);
  const writer = createEventWriter(database, { profiles: options.profiles ?? true, rebuild: 'deferred', onCommit: refresher.kick });
  // Profiles left dirty by a previous run (a crash between commit and rebuild) are rebuilt now.
  refresher.kick();
  return { db: database.db, writeEvents: (rows) => writer.write(rows), settleProfiles: refresher.settle, close: refresher.stop };
}
