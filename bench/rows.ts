import { fill, generatePool, type Pool } from './events.ts';
import type { EventRow } from '../packages/collector/src/db/schema.ts';
import { identityPolicy } from '../packages/collector/src/identity/policy.ts';
import { ingestItems } from '../packages/collector/src/ingest/ingest.ts';

/**
 * The pool's bodies as the collector would store them, for one workspace and source. `pool` and
 * `from` replay a pool already used (the same people, new messageIds), starting at body `from`.
 */
export async function rowsFor(workspaceId: string, sourceId: string, count: number, replay?: { pool: Pool; from: number }): Promise<EventRow[]> {
  const pool = replay?.pool ?? generatePool(Math.ceil(count / 20), 20, `cost${Date.now().toString(36)}`);
  const rows: EventRow[] = [];
  const policy = identityPolicy({});
  let counter = replay?.from ?? 0;
  const started = Date.now();
  for (let b = 0; rows.length < count; b++) {
    const template = pool.batches[b % pool.batches.length]!;
    const body = JSON.parse(fill(template, counter++)) as { batch: unknown[]; sentAt: string };
    // Bodies arrive 2 ms apart (the main bench's pace), not as fast as they can be generated.
    const arrival = { workspaceId, sourceId, receivedAt: new Date(started + counter * 2), batchSentAt: body.sentAt, country: null, ip: null, ipMode: 'drop' as const };
    await ingestItems(body.batch, arrival, policy, async (batch) => (rows.push(...batch), batch.map(() => ({ stored: true }))));
  }
  return rows.slice(0, count);
}
