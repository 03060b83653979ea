import type { Database } from '../db/database.ts';
import { createEventWriter } from '../db/event-writer.ts';
import type { Services } from '../http/env.ts';

/** On Node one pool and one group-commit writer serve every request. */
export function nodeServices(database: Database, options: { profiles?: boolean } = {}): Services {
  const writer = createEventWriter(database, { profiles: options.profiles ?? true });
  return { db: database.db, writeEvents: (rows) => writer.write(rows) };
}
