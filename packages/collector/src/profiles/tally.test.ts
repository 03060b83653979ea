// Protects the touchpoint lists: per-value counts with first/last time, null-free, ordered by count then value.
import { describe, expect, it } from 'vitest';
import { canonicalise } from './canonical.ts';
import { ev, page, T, track } from './fixtures.ts';
import { buildTouchpoints, campaignKey, Counter } from './tally.ts';
import type { ProfileEvent } from './types.ts';

const touch = (events: ProfileEvent[]) => buildTouchpoints(canonicalise(events).events);

describe('buildTouchpoints', () => {
  it('counts sources, devices, browsers, os and countries with first and last time', () => {
    const events = [
      page({ timestamp: T(5), sourceId: 'web', deviceType: 'mobile', browser: 'Safari', os: 'iOS', country: 'IT' }),
      page({ timestamp: T(1), sourceId: 'web', deviceType: 'desktop', browser: 'Chrome', os: 'macOS', country: 'IT' }),
      track('Email Opened', null, { timestamp: T(3), sourceId: 'esp' }),
      page({ timestamp: T(9), sourceId: 'promo', deviceType: 'mobile', browser: 'Safari', os: 'iOS', country: 'FR' }),
    ];
    const t = touch(events);
    expect(t.sources).toEqual([
      { value: 'web', count: 2, first: T(1), last: T(5) },
      { value: 'esp', count: 1, first: T(3), last: T(3) },
      { value: 'promo', count: 1, first: T(9), last: T(9) },
    ]);
    expect(t.devices).toEqual([
      { value: 'mobile', count: 2, first: T(5), last: T(9) },
      { value: 'desktop', count: 1, first: T(1), last: T(1) },
    ]);
    expect(t.browsers.map((r) => r.value)).toEqual(['Safari', 'Chrome']);
    expect(t.os.map((r) => [r.value, r.count])).toEqual([['iOS', 2], ['macOS', 1]]);
    expect(t.countries.map((r) => [r.value, r.count])).toEqual([['IT', 2], ['FR', 1]]);
  });

  it('counts channels only on events that say how the person arrived', () => {
    const t = touch([
      page({ channel: 'direct', timestamp: T(1) }),
      track('Order Completed', null, { channel: 'unknown', timestamp: T(2) }),
      track('Clicked', null, { channel: 'unknown', utmSource: 'x', utmMedium: 'cpc', timestamp: T(3) }),
      track('Clicked', null, { channel: 'organic_search', referrerHost: 'www.google.com', timestamp: T(4) }),
    ]);
    expect(t.channels.map((r) => [r.value, r.count])).toEqual([['direct', 1], ['organic_search', 1], ['unknown', 1]]);
  });

  it('keys campaigns by utm_campaign, else source/medium, and skips untagged events', () => {
    const t = touch([
      page({ utmCampaign: 'spring', utmSource: 'ig', timestamp: T(1) }),
      page({ utmCampaign: 'spring', timestamp: T(2) }),
      page({ utmSource: 'newsletter', utmMedium: 'email', timestamp: T(3) }),
      page({ utmSource: 'partner', timestamp: T(4) }),
      page({ utmMedium: 'cpc', timestamp: T(5) }),
      page({ utmCampaign: '  ', timestamp: T(6) }),
    ]);
    expect(t.campaigns.map((r) => [r.value, r.count])).toEqual([['spring', 2], ['newsletter/email', 1], ['partner/(none)', 1]]);
  });

  it('skips null and blank values everywhere', () => {
    const t = touch([ev({ sourceId: '', deviceType: null, country: ' ' })]);
    expect(t).toEqual({ sources: [], channels: [], campaigns: [], devices: [], browsers: [], os: [], countries: [] });
  });
});

describe('helpers', () => {
  it('campaignKey prefers the campaign name', () => {
    expect(campaignKey(ev({ utmCampaign: 'c', utmSource: 's', utmMedium: 'm' }))).toBe('c');
    expect(campaignKey(ev({ utmSource: 's', utmMedium: 'm' }))).toBe('s/m');
    expect(campaignKey(ev())).toBeNull();
  });

  it('Counter breaks equal counts by value', () => {
    const c = new Counter();
    c.add('b'); c.add('a'); c.add('c', 2); c.add(null);
    expect(c.list()).toEqual([{ value: 'c', count: 2 }, { value: 'a', count: 1 }, { value: 'b', count: 1 }]);
    expect(c.top()).toBe('c');
    expect(new Counter().top()).toBeNull();
  });
});
