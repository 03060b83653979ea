// The contract between the identity property tests and the product: test/identity/system.ts implements it.

import type { ReferenceMessage, ReferenceOptions, ReferenceProfile } from './reference.ts';

/**
 * One isolated, initially EMPTY workspace of the real product (HTTP API + database), configured
 * with the given identity options (email identity on/off, extra blocked values).
 */
export interface SystemUnderTest {
  /**
   * Sends the batches in order (each batch one POST /v1/batch, awaiting its response before the
   * next), or all at once when `concurrent` is true. Resolves when every batch is answered AND the
   * identity state has converged (any asynchronous recomputation finished). Messages are sent as
   * they are (no `sentAt`, so `timestamp` is final, R2). Batches may contain items R7 rejects and
   * identical copies of earlier items (retries, R4).
   */
  send(batches: ReferenceMessage[][], options?: { concurrent?: boolean }): Promise<void>;
  /**
   * The stored state in the same shape as ReferenceState.profiles (warnings/rejected not
   * included): every profile of the workspace, including profiles that hold identifiers but no
   * messages (e.g. an alias-only previousId). Identifiers are normalised values (R5), messageIds
   * are the non-alias messages of the profile (R14), traits are the folded profile traits (R16),
   * firstSeen/lastSeen are ISO-8601 strings or null (R17). Order does not matter: compare.ts sorts.
   */
  profiles(): Promise<ReferenceProfile[]>;
  /** Releases the workspace. */
  dispose(): Promise<void>;
}

/**
 * Called once per property run (about 60 times per suite), so it should be cheap: for example a
 * new workspace in a database shared by the whole test file.
 */
export type CreateSystem = (options?: ReferenceOptions) => Promise<SystemUnderTest>;

/** What test/identity/system.ts exports. `teardown`, if present, runs once after all tests. */
export interface SystemModule {
  createSystem: CreateSystem;
  teardown?: () => Promise<void>;
}

export function isSystemModule(value: unknown): value is SystemModule {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as { createSystem?: unknown; teardown?: unknown };
  return typeof candidate.createSystem === 'function' && (candidate.teardown === undefined || typeof candidate.teardown === 'function');
}
