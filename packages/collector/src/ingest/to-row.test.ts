// Protects the row a message becomes: path-typed fields, corrected time, enrichment wiring, and no raw IP anywhere in it.
import { describe, expect, it } from 'vitest';
import type { Message } from './messages/index.ts';
import { cleanIdentifiers } from '../identity/clean.ts';
import { blockedMatcher } from '../identity/identifiers.ts';
import { toEventRow as build, type Arrival } from './to-row.ts';

const policy = { emailIdentity: true, isBlocked: blockedMatcher() };
const toEventRow = (message: Message, a: Arrival) => build(message, a, cleanIdentifiers(message, policy));

const arrival: Arrival = { workspaceId: 'ws', sourceId: 'src', receivedAt: new Date('2026-03-01T10:00:00Z'), country: 'IT', ip: '198.51.100.23', ipMode: 'drop' };

describe('toEventRow', () => {
  it('takes page fields from properties before context.page', () => {
    const row = toEventRow({ type: 'page', anonymousId: 'a', name: 'Promo', properties: { url: 'https://promo.example/win?utm_source=ig&utm_medium=paid_social', referrer: 'https://l.instagram.com/' }, context: { page: { url: 'https://ignored.example/' } } } as Message, arrival);
    expect(row).toMatchObject({ type: 'page', name: 'Promo', url: 'https://promo.example/win?utm_source=ig&utm_medium=paid_social', path: '/win', referrerHost: 'l.instagram.com', utmSource: 'ig', channel: 'paid_social' });
  });

  it('uses context.page for other types and leaves non-page events without a page as unknown channel', () => {
    const withPage = toEventRow({ type: 'track', userId: 'u', event: 'Clicked', context: { page: { url: 'https://shop.example/a', path: '/a' } } } as Message, arrival);
    expect(withPage).toMatchObject({ event: 'Clicked', url: 'https://shop.example/a', path: '/a', channel: 'direct' });
    const server = toEventRow({ type: 'track', userId: 'u', event: 'Order Completed' } as Message, arrival);
    expect(server).toMatchObject({ channel: 'unknown', url: null, isBot: false, browser: null });
  });

  it('generates a messageId when the client sent none', () => {
    const row = toEventRow({ type: 'track', userId: 'u', event: 'E' } as Message, arrival);
    expect(row.messageId).toMatch(/^vista-[0-9a-f-]{36}$/);
  });

  it('removes context.ip and stores the IP only as the workspace allows', () => {
    const message = { type: 'track', userId: 'u', event: 'E', context: { ip: '203.0.113.9', locale: 'it-IT' } } as Message;
    const dropped = toEventRow(message, arrival);
    expect(dropped.ip).toBeNull();
    expect(dropped.context).toEqual({ locale: 'it-IT' });
    expect(toEventRow(message, { ...arrival, ipMode: 'truncate' }).ip).toBe('203.0.113.0');
    expect(toEventRow({ type: 'track', userId: 'u', event: 'E' } as Message, { ...arrival, ipMode: 'truncate' }).ip).toBe('198.51.100.0');
    expect(JSON.stringify(dropped)).not.toContain('203.0.113.9');
  });

  it('applies the batch sentAt for clock skew when the item has none', () => {
    const row = toEventRow({ type: 'track', userId: 'u', event: 'E', timestamp: '2026-03-01T11:59:00Z' } as Message, { ...arrival, batchSentAt: '2026-03-01T12:00:00Z' });
    expect(row.timestamp.toISOString()).toBe('2026-03-01T09:59:00.000Z');
    expect(row.sentAt?.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(row.originalTimestamp).toBe('2026-03-01T11:59:00Z');
  });

  it('takes cleaned identifiers: blocked ones dropped, email lower-cased, owner = userId else anonymousId', () => {
    const identify = { type: 'identify', anonymousId: 'a1', userId: 'undefined', traits: { email: ' Lia@Mail.IT ' } } as Message;
    expect(toEventRow(identify, arrival)).toMatchObject({ anonymousId: 'a1', userId: null, email: 'lia@mail.it', ownerId: 'a1' });
    expect(toEventRow({ type: 'track', anonymousId: 'a1', userId: 'c7', event: 'E' } as Message, arrival).ownerId).toBe('c7');
    expect(toEventRow({ type: 'alias', userId: 'c7', previousId: 'a1' } as Message, arrival).ownerId).toBeNull();
    const bot = { type: 'page', anonymousId: 'b1', context: { userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' } } as Message;
    expect(toEventRow(bot, arrival)).toMatchObject({ isBot: true, ownerId: null, anonymousId: 'b1' });
  });

  it('keeps the arrival country, and group, alias and identify fields', () => {
    expect(toEventRow({ type: 'group', userId: 'u', groupId: 'g', traits: { plan: 'pro' } } as Message, arrival)).toMatchObject({ groupId: 'g', traits: { plan: 'pro' }, country: 'IT' });
    expect(toEventRow({ type: 'alias', userId: 'u', previousId: 'p' } as Message, arrival)).toMatchObject({ previousId: 'p', userId: 'u' });
  });
});
