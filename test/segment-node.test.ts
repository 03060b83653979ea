// Protects Segment compatibility: the real @segment/analytics-node library, pointed at Vista by its host option, delivers every call type and Vista stores each once.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers, type TestDatabase } from '../packages/collector/src/testing/databases.ts';
import { createHarness, type Harness } from '../packages/collector/src/testing/harness.ts';

describe.each(testDrivers())('@segment/analytics-node against Vista on $name', (driver) => {
  let database: TestDatabase;
  let h: Harness;
  let server: ServerType;
  let host: string;
  beforeAll(async () => {
    database = await driver.open();
    h = createHarness(database);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await database.dispose();
  });

  it('stores track, identify, page, screen, group and alias calls', async () => {
    const ws = await h.workspace();
    const analytics = new Analytics({ writeKey: ws.writeKey, host, flushAt: 4, maxRetries: 2 });
    const failures: unknown[] = [];
    analytics.on('error', (error) => failures.push(error));
    analytics.identify({ userId: 'c7', traits: { email: 'lia@mail.it', name: 'Lia' } });
    analytics.track({ userId: 'c7', event: 'Order Completed', properties: { order_id: 'o1', revenue: 42.5, currency: 'EUR' } });
    analytics.page({ anonymousId: 'anon-1', name: 'Promo', properties: { url: 'https://promo.example/?utm_source=newsletter&utm_medium=email' } });
    analytics.screen({ userId: 'c7', name: 'Basket' });
    analytics.group({ userId: 'c7', groupId: 'acme', traits: { plan: 'pro' } });
    analytics.alias({ userId: 'c7', previousId: 'anon-1' });
    for (let i = 0; i < 10; i++) analytics.track({ anonymousId: 'anon-1', event: 'Clicked', properties: { i } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(failures).toEqual([]);

    const { data } = await h.events(ws, 'limit=100');
    expect(data).toHaveLength(16);
    expect(new Set(data.map((e) => e.messageId)).size).toBe(16);
    const byType = (type: string) => data.filter((e) => e.type === type);
    expect(byType('identify')[0]).toMatchObject({ userId: 'c7', traits: { email: 'lia@mail.it', name: 'Lia' } });
    expect(byType('track').find((e) => e.event === 'Order Completed')).toMatchObject({ properties: { order_id: 'o1', revenue: 42.5 } });
    expect(byType('page')[0]).toMatchObject({ name: 'Promo', enrichment: { channel: 'email' } });
    expect(byType('screen')[0]).toMatchObject({ name: 'Basket' });
    expect(byType('group')[0]).toMatchObject({ groupId: 'acme' });
    expect(byType('alias')[0]).toMatchObject({ previousId: 'anon-1', userId: 'c7' });
    expect(byType('track').filter((e) => e.event === 'Clicked')).toHaveLength(10);
    // The library's own library context arrives with each event.
    expect((byType('track')[0]!.context as { library?: { name?: string } }).library?.name).toBe('@segment/analytics-node');
  });
});
