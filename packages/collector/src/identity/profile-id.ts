import { createHash } from 'node:crypto';

/**
 * A profile's id is derived from its oldest identifier (R18), so every process computes the
 * same id for the same set of events, and the id a value had alone keeps resolving after merges.
 * node:crypto (also on Workers, with nodejs_compat) hashes synchronously: a group can bring
 * hundreds of new identifiers, and an awaited WebCrypto digest each was a visible share of it.
 */
export function profileIdOf(workspaceId: string, value: string): string {
  return `prof_${createHash('sha256').update(`${workspaceId}\u0000${value}`).digest('hex').slice(0, 24)}`;
}
