// Protects profile values: whatever the arrival order and batching, every stored profile equals a fresh recomputation from its events (bot messages are stored but belong to no profile), and no profile is left stale after merges or late events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profiles } from '../../packages/collector/src/db/schema.ts';
import { eventsOfProfiles, membersOf } from '../../packages/collector/src/db/profile-store.ts';
import { buildProfile, foldProfile } from '../../packages/collector/src/profiles/build.ts';
import { decodeProfile, encodeProfile } from '../../packages/collector/src/profiles/stored.ts';
import { toProfileEvent } from '../../packages/collector/src/profiles/profile-event.ts';
import { testDrivers } from '../../packages/collector/src/testing/databases.ts';
import { withHarness, type Harness } from '../../packages/collector/src/testing/harness.ts';
import { eq } from 'drizzle-orm';
import { events as eventsTable } from '../../packages/collector/src/db/schema.ts';
import { scenarioArb, toBatches } from './generators.ts';

describe.each(testDrivers())('stored profiles equal recomputation on $name', (driver) => {
  let h: Harness;
  withHarness(driver, (harness) => (h = harness));

  it('for generated worlds in random arrival orders', async () => {
    for (const { world, arrival } of fc.sample(scenarioArb, { numRuns: 15, seed: Number(process.env.FC_SEED ?? 7) })) {
      const ws = await h.workspace({ emailIdentity: world.options.emailIdentity, blockedIdentifiers: world.options.blocked });
      for (const batch of toBatches(world.messages, arrival)) {
        expect((await h.post('/v1/batch', { batch }, { key: ws.writeKey })).status).toBe(200);
      }
      await h.settle();
      const stored = await h.database.db.select().from(profiles).where(eq(profiles.workspaceId, ws.workspaceId));
      const ids = stored.map((p) => p.id);
      const events = await eventsOfProfiles(h.database.db, ws.workspaceId, ids);
      const members = await membersOf(h.database.db, ws.workspaceId, ids);
      // Every identifier's profile has a row, and every row has members.
      expect(new Set(members.map((m) => m.profileId))).toEqual(new Set(ids));
      for (const row of stored) {
        const own = events
          .filter((e) => e.profileId === row.id)
          .map(toProfileEvent);
        const recomputed = foldProfile(null, own);
        // The stored state is exactly a recomputation's, fold included (so appending continues it correctly).
        expect(row.state).toEqual(JSON.parse(JSON.stringify(encodeProfile(recomputed))));
        expect(decodeProfile(row.state!, row.traits).facts).toEqual(JSON.parse(JSON.stringify(buildProfile(own))));
        expect(row.events).toBe(recomputed.facts.stats.events);
        const { channels, sources } = recomputed.facts.touchpoints;
        expect([row.channels, row.sources]).toEqual([channels.map((t) => t.value), sources.map((t) => t.value)]);
        const ownMembers = members.filter((m) => m.profileId === row.id);
        expect({ known: row.known, identifierCount: row.identifierCount })
          .toEqual({ known: ownMembers.some((m) => m.known || m.asEmail), identifierCount: ownMembers.length });
      }
    }
  }, 120_000);

  it('stores bot messages but leaves them out of every profile, folded on or rebuilt', async () => {
    const ws = await h.workspace();
    const bot = { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' };
    const human = { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' };
    const page = (messageId: string, anonymousId: string, minute: number, context: object) =>
      ({ type: 'page', messageId, anonymousId, timestamp: new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString(), context });
    // One batch each: a person then a bot on a1; a bot then a person on b1; then a late event on a1 (a rebuild).
    for (const message of [page('h1', 'a1', 10, human), page('b1', 'a1', 11, bot), page('b2', 'b1', 12, bot), page('h2', 'b1', 13, human), page('h0', 'a1', 5, human)]) {
      expect((await h.post('/v1/batch', { batch: [message] }, { key: ws.writeKey })).status).toBe(200);
    }
    await h.settle();
    const stored = await h.database.db.select({ messageId: eventsTable.messageId, isBot: eventsTable.isBot, ownerId: eventsTable.ownerId })
      .from(eventsTable).where(eq(eventsTable.workspaceId, ws.workspaceId));
    expect(stored.filter((e) => e.isBot).map((e) => [e.messageId, e.ownerId]).sort()).toEqual([['b1', null], ['b2', null]]);
    const rows = await h.database.db.select().from(profiles).where(eq(profiles.workspaceId, ws.workspaceId));
    expect(rows.map((p) => p.events).sort()).toEqual([1, 2]);
    for (const row of rows) {
      const own = (await eventsOfProfiles(h.database.db, ws.workspaceId, [row.id])).map(toProfileEvent);
      expect(row.state).toEqual(JSON.parse(JSON.stringify(encodeProfile(foldProfile(null, own)))));
    }
  });
});
