import type { Db } from '../db/database.ts';
import type { WriteResult } from '../db/event-writer.ts';
import type { EventRow } from '../db/schema.ts';
import type { KeyOwner } from '../db/tenancy.ts';
import type { KeyCache } from './key-cache.ts';
import type { RfmCache } from './rfm-cache.ts';

/** What a request needs from the runtime: built once on Node, per request on Workers. */
export interface Services {
  db: Db;
  writeEvents(rows: EventRow[]): Promise<WriteResult>;
  /** Where profiles are caught up after commit: catch up what is queued before reading profiles. */
  settleProfiles?(): Promise<void>;
  /** The same for the given profiles only (a read of one profile). */
  settleProfilesOf?(workspaceId: string, profileIds: readonly string[]): Promise<void>;
  /** Stops background work before the database closes. */
  close?(): Promise<void>;
}

export type AppEnv = {
  Variables: {
    services: Services;
    keys: KeyCache;
    rfm: RfmCache;
    owner: KeyOwner;
  };
};
