// The product side of the identity property tests: a fresh workspace of the real HTTP API and database per run.
import { testDrivers, type TestDatabase } from '../../packages/collector/src/testing/databases.ts';
import { createHarness, type Harness } from '../../packages/collector/src/testing/harness.ts';
import { readProfiles } from './read-profiles.ts';
import type { CreateSystem } from './system-contract.ts';

// The real server when there is one (several connections, so concurrent batches really race), else PGlite.
const driver = testDrivers().at(-1)!;
let shared: Promise<{ database: TestDatabase; h: Harness }> | undefined;

function harness() {
  shared ??= driver.open().then((database) => ({ database, h: createHarness(database) }));
  return shared;
}

export const createSystem: CreateSystem = async (options = {}) => {
  const { h } = await harness();
  const ws = await h.workspace({ emailIdentity: options.emailIdentity ?? true, blockedIdentifiers: options.blocked ?? [] });
  const get = async <T>(path: string): Promise<T> => {
    const res = await h.app.request(path, { headers: { authorization: `Bearer ${ws.secretKey}` } });
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    async send(batches, { concurrent = false } = {}) {
      const post = async (batch: unknown[]) => {
        const res = await h.post('/v1/batch', { batch }, { key: ws.writeKey });
        if (res.status !== 200) throw new Error(`POST /v1/batch answered ${res.status}: ${await res.text()}`);
      };
      if (concurrent) await Promise.all(batches.map(post));
      else for (const batch of batches) await post(batch);
    },
    profiles: () => readProfiles(get),
    async dispose() {},
  };
};

export async function teardown(): Promise<void> {
  if (shared) await (await shared).database.dispose();
}
