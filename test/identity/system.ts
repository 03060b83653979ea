// The product side of the identity property tests: a fresh workspace of the real HTTP API and database per run.
import { testDrivers, type TestDatabase } from '../../packages/collector/src/testing/databases.ts';
import { createHarness, type Harness } from '../../packages/collector/src/testing/harness.ts';
import type { ReferenceProfile } from './reference.ts';
import type { CreateSystem } from './system-contract.ts';

// The real server when there is one (several connections, so concurrent batches really race), else PGlite.
const driver = testDrivers().at(-1)!;
let shared: Promise<{ database: TestDatabase; h: Harness }> | undefined;

function harness() {
  shared ??= driver.open().then((database) => ({ database, h: createHarness(database) }));
  return shared;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const createSystem: CreateSystem = async (options = {}) => {
  const { h } = await harness();
  const ws = await h.workspace({ emailIdentity: options.emailIdentity ?? true, blockedIdentifiers: options.blocked ?? [] });
  const get = async <T>(path: string): Promise<T> => {
    const res = await h.app.request(path, { headers: { authorization: `Bearer ${ws.secretKey}` } });
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  async function all<T>(path: string): Promise<T[]> {
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
  return {
    async send(batches, { concurrent = false } = {}) {
      const post = async (batch: unknown[]) => {
        const res = await h.post('/v1/batch', { batch }, { key: ws.writeKey });
        if (res.status !== 200) throw new Error(`POST /v1/batch answered ${res.status}: ${await res.text()}`);
      };
      if (concurrent) await Promise.all(batches.map(post));
      else for (const batch of batches) await post(batch);
    },
    async profiles(): Promise<ReferenceProfile[]> {
      const listed = await all<{ id: string }>('/v1/profiles');
      return Promise.all(
        listed.map(async ({ id }) => {
          const p = await get<{ identifiers: Record<string, string[]>; traits: Record<string, unknown>; firstSeen: string | null; lastSeen: string | null }>(`/v1/profiles/${id}`);
          const events = await all<{ messageId: string }>(`/v1/profiles/${id}/events`);
          const identifiers = [...new Set(Object.values(p.identifiers).flat())].sort();
          return { identifiers, messageIds: events.map((e) => e.messageId).sort(), traits: p.traits as ReferenceProfile['traits'], firstSeen: p.firstSeen, lastSeen: p.lastSeen };
        }),
      );
    },
    async dispose() {},
  };
};

export async function teardown(): Promise<void> {
  if (shared) await (await shared).database.dispose();
}
