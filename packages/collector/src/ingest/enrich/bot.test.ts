// Protects: the bot flag marks crawlers and scripted clients, but never server-library traffic that sends no UA.
import { describe, expect, it } from 'vitest';
import { isBotAgent } from './bot.ts';

describe('isBotAgent', () => {
  it('flags Googlebot', () => {
    expect(isBotAgent('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toBe(true);
  });

  it('flags curl', () => {
    expect(isBotAgent('curl/8.4.0')).toBe(true);
  });

  it('flags headless Chrome', () => {
    expect(
      isBotAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36'),
    ).toBe(true);
  });

  it('does not flag a normal Chrome', () => {
    expect(
      isBotAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'),
    ).toBe(false);
  });

  it('does not flag a missing or empty UA (server libraries send none)', () => {
    expect(isBotAgent(undefined)).toBe(false);
    expect(isBotAgent('')).toBe(false);
    expect(isBotAgent('  ')).toBe(false);
  });
});
