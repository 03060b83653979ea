// Protects R17 for acquisition: initial is the first event with acquisition data (set-once), last the latest (set).
import { describe, expect, it } from 'vitest';
import { buildAcquisition } from './acquisition.ts';
import { canonicalise } from './canonical.ts';
import { page, T, track } from './fixtures.ts';
import type { ProfileEvent } from './types.ts';

const acq = (events: ProfileEvent[]) => buildAcquisition(canonicalise(events).events);

describe('buildAcquisition', () => {
  it('takes initial from the first and last from the latest acquisition event, skipping server events', () => {
    const events = [
      track('Order Completed', null, { timestamp: T(9), channel: 'unknown' }),
      page({ timestamp: T(5), channel: 'email', utmSource: 'newsletter', utmMedium: 'email', utmCampaign: 'march', url: 'https://shop.example/sale?utm_source=newsletter', path: '/sale' }),
      page({ timestamp: T(1), channel: 'organic_search', referrer: 'https://www.google.com/', referrerHost: 'www.google.com', path: '/' }),
      track('Server Thing', null, { timestamp: T(0), channel: 'unknown' }),
    ];
    expect(acq(events)).toEqual({
      initial: { channel: 'organic_search', source: null, medium: null, campaign: null, referrer: 'https://www.google.com/', referrerHost: 'www.google.com', landingPage: '/' },
      last: { channel: 'email', source: 'newsletter', medium: 'email', campaign: 'march', referrer: null, referrerHost: null, landingPage: 'https://shop.example/sale?utm_source=newsletter' },
    });
  });

  it('counts a track event with utm or referrer data as a touch', () => {
    const out = acq([track('Promotion Clicked', null, { timestamp: T(1), channel: 'paid_social', utmSource: 'ig', utmMedium: 'paid_social' })]);
    expect(out.initial).toEqual(out.last);
    expect(out.initial?.channel).toBe('paid_social');
  });

  it('is null when nothing says how the person arrived', () => {
    expect(acq([track('Order Completed')])).toEqual({ initial: null, last: null });
  });

  it('breaks a timestamp tie by messageId', () => {
    const a = page({ messageId: 'a', timestamp: T(1), channel: 'direct' });
    const b = page({ messageId: 'b', timestamp: T(1), channel: 'referral' });
    expect(acq([b, a])).toMatchObject({ initial: { channel: 'direct' }, last: { channel: 'referral' } });
  });
});
