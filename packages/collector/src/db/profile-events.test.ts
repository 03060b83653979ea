// Protects the fast reading of a profile's events (one JSON array an event, built in SQL): it gives exactly what toProfileEvent makes of the same rows read column by column, so folds from either reading are equal.
import { describe, expect, it } from 'vitest';
import { profileIdOf } from '../identity/profile-id.ts';
import { toProfileEvent } from '../profiles/profile-event.ts';
import { testDrivers, withDatabase, type TestDatabase } from '../testing/databases.ts';
import { createEventWriter } from './event-writer.ts';
import { parseEvent, profileEventsOf, profileEventsSince } from './profile-events.ts';
import { eventsOfProfiles } from './profile-store.ts';
import type { EventRow } from './schema.ts';

const at = Date.parse('2026-11-20T10:00:00.123Z');
const row = (messageId: string, minute: number, over: Partial<EventRow>): EventRow => ({
  workspaceId: 'ws_read', sourceId: 'src', messageId, type: 'track', anonymousId: 'a1', ownerId: 'a1',
  timestamp: new Date(at + minute * 60_000), receivedAt: new Date(at), channel: 'direct', ...over,
});

describe.each(testDrivers())('profile events read as JSON on $name', (driver) => {
  let database: TestDatabase;
  withDatabase(driver, (db) => (database = db));

  it('gives what toProfileEvent makes of the columns, for every kind of field', async () => {
    await createEventWriter(database, { rebuild: 'queued' }).write([
      row('p1', 0, { type: 'page', name: 'Home', url: 'https://x.test/?utm_source=n', path: '/', referrer: 'https://r.test/a', referrerHost: 'r.test',
        utmSource: 'news', utmMedium: 'email', utmCampaign: 'black friday ✓', deviceType: 'mobile', browser: 'Safari', os: 'iOS', country: 'IT',
        properties: { category: 'shoes', title: 'Home', currency: null, $set: { nested: { list: [1, 2.5, null, 'ü'] } } }, context: { active: true, page: { title: 't' } } }),
      row('t1', 1, { event: 'Order Completed', properties: { order_id: 'o1', revenue: 12.3456789, products: [{ category: 'c', price: '2.50', quantity: 2 }] } }),
      row('t2', 2, { event: 'Email Delivered', context: { active: false, library: { name: 'server' } } }),
      row('i1', 3, { type: 'identify', userId: null, traits: { email: 'A@x.test', plan: 'pro', $set_once: { first: 1 } } }),
      row('g1', 4, { type: 'group', traits: { company: 'Acme' }, properties: null }),
      row('s1', 5, { type: 'screen', name: null, channel: 'unknown', sourceId: 'src2' }),
    ]);
    const id = profileIdOf('ws_read', 'a1');
    const byColumns = (await eventsOfProfiles(database.db, 'ws_read', [id])).map(toProfileEvent);
    const read = await profileEventsOf(database.db, 'ws_read', [id]);
    const byJson = read.map(parseEvent);
    // The instant read beside the JSON is the one its timestamp says: ordering never needs a parse.
    expect(read.map((r) => r.ms)).toEqual(byJson.map((e) => Date.parse(e.timestamp)));
    const order = (list: { messageId: string }[]) => [...list].sort((x, y) => (x.messageId < y.messageId ? -1 : 1));
    expect(byJson).toHaveLength(6);
    expect(order(byJson)).toEqual(order(byColumns));
    // Only what profiles read of the properties, null and absent alike dropped.
    expect(byJson.find((e) => e.messageId === 'p1')!.properties).toEqual({ category: 'shoes', $set: { nested: { list: [1, 2.5, null, 'ü'] } } });
    expect(byJson.find((e) => e.messageId === 't2')!.properties).toBeNull();
    // The instant is written as toISOString writes it, milliseconds and all.
    expect(byJson.find((e) => e.messageId === 'p1')!.timestamp).toBe('2026-11-20T10:00:00.123Z');
    // From an instant on: the events at or after it only.
    const since = await profileEventsSince(database.db, 'ws_read', new Map([[id, at + 3 * 60_000]]));
    expect(since.map((e) => parseEvent(e).messageId).sort()).toEqual(['g1', 'i1', 's1']);
  });
});
