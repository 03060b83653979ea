/**
 * `npx tsx bench/profile-cost.ts`: where the time of a profiles-on group commit goes. The main
 * bench's requests (same pool) are turned into rows by the collector's own ingest code, then
 * written COST_GROUPS groups of COST_GROUP_ROWS rows (1000 = 50 connections × 20), one
 * transaction each as the writer does, timing every step; and the same rows events only, in a
 * workspace of their own. Needs DATABASE_URL; the scratch database is dropped at the end.
 */
import { createStore, createTenants, type BenchStore } from './database.ts';
import { rowsFor } from './rows.ts';
import type { Db } from '../packages/collector/src/db/database.ts';
import { lockWorkspace } from '../packages/collector/src/db/identity-store.ts';
import { identityRows } from '../packages/collector/src/db/event-writer.ts';
import { eventKey, insertEvents } from '../packages/collector/src/db/insert-events.ts';
import type { EventRow } from '../packages/collector/src/db/schema.ts';
import { applyIdentity } from '../packages/collector/src/identity/engine.ts';
import { maintainProfiles } from '../packages/collector/src/profiles/maintain.ts';

const groups = Number(process.env.COST_GROUPS ?? 40);
const groupRows = Number(process.env.COST_GROUP_ROWS ?? 1000);
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL (a PostgreSQL server)');

type Step = 'lock' | 'insert' | 'identity' | 'profiles' | 'eventsOnly.insert';
const totals = new Map<Step, number>();
const counters = { appended: 0, rebuilt: 0 };

async function timed<T>(step: Step, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  totals.set(step, (totals.get(step) ?? 0) + performance.now() - started);
  return result;
}

/** commitTogether for one workspace, step by step (profiles inline: rebuilds counted in the group). */
async function profilesGroup(db: Db, workspaceId: string, rows: EventRow[]): Promise<void> {
  await db.transaction(async (tx) => {
    const inserted = await timed('insert', () => insertEvents(tx, rows));
    await timed('lock', () => lockWorkspace(tx, workspaceId));
    const fresh = rows.filter((r) => inserted.has(eventKey(workspaceId, r.messageId)));
    const outcome = await timed('identity', () => applyIdentity(tx, workspaceId, identityRows(fresh)));
    const done = await timed('profiles', () => maintainProfiles(tx, workspaceId, { rows: fresh, ...outcome }));
    counters.appended += done.appended;
    counters.rebuilt += done.rebuilt;
  });
}

let store: BenchStore | undefined;
try {
  store = await createStore(url);
  const [withProfiles, eventsOnly] = await createTenants(store, ['profiles', 'events-only']);
  const database = await store.open();
  try {
    const rows = await rowsFor(withProfiles!.workspaceId, withProfiles!.sourceId, groups * groupRows);
    const copies = rows.map((r) => ({ ...r, workspaceId: eventsOnly!.workspaceId, sourceId: eventsOnly!.sourceId }));
    console.error(`[cost] ${groups} groups of ${groupRows} rows, one at a time`);
    for (let g = 0; g < groups; g++) {
      await profilesGroup(database.db, withProfiles!.workspaceId, rows.slice(g * groupRows, (g + 1) * groupRows));
      await timed('eventsOnly.insert', () => insertEvents(database.db, copies.slice(g * groupRows, (g + 1) * groupRows)));
    }
  } finally {
    await database.close();
  }
  const per = (step: Step) => (totals.get(step) ?? 0) / groups;
  const withProfilesMs = per('lock') + per('insert') + per('identity') + per('profiles');
  console.log(`\nms per group of ${groupRows} rows (mean of ${groups}):`);
  for (const step of totals.keys()) console.log(`  ${step.padEnd(18)} ${per(step).toFixed(1).padStart(8)}`);
  console.log(`  profiles on: ${withProfilesMs.toFixed(1)} ms a group (${Math.round((groupRows / withProfilesMs) * 1000)} rows/s serial); events only: ${per('eventsOnly.insert').toFixed(1)} ms`);
  console.log(`  per group: ${(counters.appended / groups).toFixed(0)} profiles continued from their stored fold, ${(counters.rebuilt / groups).toFixed(0)} rebuilt from all their events`);
} finally {
  await store?.dispose();
}
