// Reads a workspace's whole identity state through the public profile API, in the reference's shape.
import type { ReferenceProfile } from './reference.ts';

export type Get = <T>(path: string) => Promise<T>;

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

async function all<T>(get: Get, path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<T> = await get(`${path}${sep}limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export async function readProfiles(get: Get): Promise<ReferenceProfile[]> {
  const listed = await all<{ id: string }>(get, '/v1/profiles');
  return Promise.all(
    listed.map(async ({ id }) => {
      const p = await get<{ identifiers: Record<string, string[]>; traits: ReferenceProfile['traits']; firstSeen: string | null; lastSeen: string | null }>(`/v1/profiles/${id}`);
      const events = await all<{ messageId: string }>(get, `/v1/profiles/${id}/events`);
      const identifiers = [...new Set(Object.values(p.identifiers).flat())].sort();
      return { identifiers, messageIds: events.map((e) => e.messageId).sort(), traits: p.traits, firstSeen: p.firstSeen, lastSeen: p.lastSeen };
    }),
  );
}
