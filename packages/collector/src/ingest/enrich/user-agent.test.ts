// Protects: device/browser/OS touchpoints (DESIGN §5) come from ua-parser-js refined by client hints, cached in a bounded LRU.
import { describe, expect, it, vi } from 'vitest';
import { parseUserAgent, userAgentCacheSize } from './user-agent.ts';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const SAMSUNG_TABLET =
  'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
// Chrome's reduced UA: Android version frozen at 10 and model replaced by "K".
const REDUCED_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';

describe('parseUserAgent', () => {
  it('parses Chrome on Windows as a desktop', () => {
    expect(parseUserAgent(CHROME_WINDOWS)).toEqual({
      browser: 'Chrome', browserVersion: '124.0.0.0', engine: 'Blink', os: 'Windows', osVersion: '10',
      deviceType: 'desktop', deviceVendor: null, deviceModel: null,
    });
  });

  it('parses Safari on iPhone as an Apple mobile', () => {
    const info = parseUserAgent(SAFARI_IPHONE);
    expect(info).toMatchObject({
      browser: 'Mobile Safari', browserVersion: '17.4', engine: 'WebKit', os: 'iOS', osVersion: '17.4',
      deviceType: 'mobile', deviceVendor: 'Apple', deviceModel: 'iPhone',
    });
  });

  it('parses a Samsung tablet on Android', () => {
    expect(parseUserAgent(SAMSUNG_TABLET)).toMatchObject({
      browser: 'Chrome', os: 'Android', osVersion: '13', deviceType: 'tablet', deviceVendor: 'Samsung', deviceModel: 'SM-X710',
    });
  });

  it('parses Firefox on Linux as a desktop', () => {
    expect(parseUserAgent(FIREFOX_LINUX)).toMatchObject({
      browser: 'Firefox', browserVersion: '125.0', engine: 'Gecko', os: 'Linux', osVersion: null, deviceType: 'desktop',
    });
  });

  it('uses client hints to tell Windows 11 from 10 and to pick the real brand', () => {
    const info = parseUserAgent(CHROME_WINDOWS, {
      brands: [{ brand: 'Not A(Brand', version: '99' }, { brand: 'Microsoft Edge', version: '124' }],
      fullVersionList: [
        { brand: 'Not A(Brand', version: '99.0.0.0' },
        { brand: 'Chromium', version: '124.0.2478.80' },
        { brand: 'Microsoft Edge', version: '124.0.2478.80' },
      ],
      mobile: false, platform: 'Windows', platformVersion: '15.0.0', architecture: 'x86', bitness: '64',
    });
    expect(info).toMatchObject({ browser: 'Edge', browserVersion: '124.0.2478.80', os: 'Windows', osVersion: '11', deviceType: 'desktop' });
  });

  it('keeps Windows 10 when platformVersion is below 13', () => {
    expect(parseUserAgent(CHROME_WINDOWS, { platform: 'Windows', platformVersion: '10.0.0' }).osVersion).toBe('10');
  });

  it('uses client hints to recover the real Android model and version', () => {
    expect(parseUserAgent(REDUCED_ANDROID).deviceModel).toBe('K');
    const info = parseUserAgent(REDUCED_ANDROID, {
      fullVersionList: [
        { brand: 'Not_A Brand', version: '8.0.0.0' },
        { brand: 'Chromium', version: '120.0.6099.210' },
        { brand: 'Google Chrome', version: '120.0.6099.210' },
      ],
      mobile: true, platform: 'Android', platformVersion: '14.0.0', model: 'SM-S918B',
    });
    expect(info).toMatchObject({
      browser: 'Chrome', browserVersion: '120.0.6099.210', os: 'Android', osVersion: '14.0.0',
      deviceType: 'mobile', deviceVendor: 'Samsung', deviceModel: 'SM-S918B',
    });
  });

  it('keeps a brand containing header syntax as one entry', () => {
    const info = parseUserAgent(CHROME_WINDOWS, { fullVersionList: [{ brand: 'Opera", "Fake";v="9', version: '1.0' }] });
    expect(info.browserVersion).toBe('1.0');
    expect(info.browser).not.toBe('Fake');
  });

  it('returns all nulls for an empty, missing or unrecognised UA', () => {
    const nulls = {
      browser: null, browserVersion: null, engine: null, os: null, osVersion: null,
      deviceType: null, deviceVendor: null, deviceModel: null,
    };
    expect(parseUserAgent(undefined)).toEqual(nulls);
    expect(parseUserAgent('')).toEqual(nulls);
    expect(parseUserAgent('   ')).toEqual(nulls);
    expect(parseUserAgent('analytics-node-next/latest')).toEqual(nulls);
  });

  it('returns an equal result on a cache hit, and callers cannot corrupt the cache', () => {
    const first = parseUserAgent(SAFARI_IPHONE);
    const size = userAgentCacheSize();
    first.browser = 'tampered';
    const second = parseUserAgent(SAFARI_IPHONE);
    expect(userAgentCacheSize()).toBe(size);
    expect(second.browser).toBe('Mobile Safari');
  });

  it('keys the cache by hints as well as UA', () => {
    const plain = parseUserAgent(CHROME_WINDOWS);
    const hinted = parseUserAgent(CHROME_WINDOWS, { platform: 'Windows', platformVersion: '13.0.0' });
    expect(plain.osVersion).toBe('10');
    expect(hinted.osVersion).toBe('11');
  });

  it('keeps the cache bounded and evicts the least recently used entry', async () => {
    // A fresh module instance with a counting parser shows which lookups were cache hits.
    vi.resetModules();
    let parses = 0;
    vi.doMock('ua-parser-js', async (importOriginal) => {
      const mod = await importOriginal<typeof import('ua-parser-js')>();
      class CountingParser extends mod.UAParser {
        constructor(ua?: string, headers?: Record<string, string>) {
          super(ua, headers);
          parses++;
        }
      }
      return { ...mod, UAParser: CountingParser };
    });
    const fresh = await import('./user-agent.ts');
    const ua = (i: number) => `Mozilla/5.0 (X11; Linux x86_64; rv:${i}.0) Gecko/20100101 Firefox/${i}.0`;
    for (let i = 0; i < 2_000; i++) fresh.parseUserAgent(ua(i));
    expect(fresh.userAgentCacheSize()).toBe(2_000);
    expect(parses).toBe(2_000);

    fresh.parseUserAgent(ua(0)); // hit: refreshes entry 0, so entry 1 is now the oldest
    expect(parses).toBe(2_000);
    fresh.parseUserAgent(ua(2_000)); // miss: evicts entry 1
    expect(fresh.userAgentCacheSize()).toBe(2_000);
    fresh.parseUserAgent(ua(0));
    expect(parses).toBe(2_001);
    fresh.parseUserAgent(ua(1));
    expect(parses).toBe(2_002);
    vi.doUnmock('ua-parser-js');
  });
});
