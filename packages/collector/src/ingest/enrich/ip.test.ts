// Protects: DESIGN §3 "IP never stored raw": only a truncated prefix or nothing is kept; country/IP come from edge headers.
import { describe, expect, it } from 'vitest';
import { clientIpFromHeaders, countryFromHeaders, storedIp } from './ip.ts';

const headers = (values: Record<string, string>) => new Headers(values);

describe('storedIp', () => {
  it('drops every address in drop mode', () => {
    expect(storedIp('203.0.113.77', 'drop')).toBeNull();
    expect(storedIp('2001:db8::1', 'drop')).toBeNull();
  });

  it('truncates IPv4 to /24', () => {
    expect(storedIp('203.0.113.77', 'truncate')).toBe('203.0.113.0');
    expect(storedIp(' 10.1.2.255 ', 'truncate')).toBe('10.1.2.0');
    expect(storedIp('203.0.113.77:8080', 'truncate')).toBe('203.0.113.0');
  });

  it('truncates IPv6 to /48', () => {
    expect(storedIp('2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'truncate')).toBe('2001:db8:85a3::');
    expect(storedIp('2A00:1450:4002:0402::200E', 'truncate')).toBe('2a00:1450:4002::');
    expect(storedIp('[2001:db8:1:2::3]:443', 'truncate')).toBe('2001:db8:1::');
    expect(storedIp('fe80::1%eth0', 'truncate')).toBe('fe80:0:0::');
  });

  it('expands compressed IPv6 before truncating', () => {
    expect(storedIp('2001:db8::1', 'truncate')).toBe('2001:db8:0::');
    expect(storedIp('::1', 'truncate')).toBe('0:0:0::');
    expect(storedIp('::', 'truncate')).toBe('0:0:0::');
    expect(storedIp('2001::', 'truncate')).toBe('2001:0:0::');
  });

  it('treats IPv4-mapped IPv6 as IPv4', () => {
    expect(storedIp('::ffff:203.0.113.77', 'truncate')).toBe('203.0.113.0');
    expect(storedIp('::ffff:cb00:714d', 'truncate')).toBe('203.0.113.0');
    expect(storedIp('0:0:0:0:0:ffff:203.0.113.77', 'truncate')).toBe('203.0.113.0');
  });

  it('returns null for invalid or missing input', () => {
    for (const bad of [
      null, undefined, '', 'localhost', '256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.-1',
      '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7::8', '1.2.3.4::', ':1:2:3:4:5:6:7', 'unknown',
    ]) {
      expect(storedIp(bad, 'truncate'), String(bad)).toBeNull();
    }
  });
});

describe('countryFromHeaders', () => {
  it('reads CF-IPCountry first and upper-cases it', () => {
    expect(countryFromHeaders(headers({ 'cf-ipcountry': 'it', 'x-vercel-ip-country': 'FR' }))).toBe('IT');
  });

  it('falls back to Vercel, then CloudFront', () => {
    expect(countryFromHeaders(headers({ 'x-vercel-ip-country': 'FR', 'cloudfront-viewer-country': 'DE' }))).toBe('FR');
    expect(countryFromHeaders(headers({ 'cloudfront-viewer-country': 'de' }))).toBe('DE');
  });

  it('maps unknown (XX), Tor (T1) and malformed values to null without falling through', () => {
    expect(countryFromHeaders(headers({ 'cf-ipcountry': 'XX', 'x-vercel-ip-country': 'FR' }))).toBeNull();
    expect(countryFromHeaders(headers({ 'cf-ipcountry': 'T1' }))).toBeNull();
    expect(countryFromHeaders(headers({ 'cf-ipcountry': 'ITA' }))).toBeNull();
  });

  it('returns null without any country header', () => {
    expect(countryFromHeaders(headers({}))).toBeNull();
  });
});

describe('clientIpFromHeaders', () => {
  it('prefers CF-Connecting-IP', () => {
    expect(
      clientIpFromHeaders(headers({ 'cf-connecting-ip': '203.0.113.7', 'x-forwarded-for': '198.51.100.1', 'x-real-ip': '192.0.2.1' })),
    ).toBe('203.0.113.7');
  });

  it('uses the first X-Forwarded-For entry', () => {
    expect(clientIpFromHeaders(headers({ 'x-forwarded-for': ' 198.51.100.1 , 10.0.0.1, 10.0.0.2', 'x-real-ip': '192.0.2.1' }))).toBe(
      '198.51.100.1',
    );
    expect(clientIpFromHeaders(headers({ 'x-forwarded-for': '[2001:db8::7]:1234' }))).toBe('2001:db8::7');
  });

  it('falls back to X-Real-IP', () => {
    expect(clientIpFromHeaders(headers({ 'x-real-ip': '2001:DB8::9' }))).toBe('2001:db8::9');
  });

  it('skips values that are not addresses', () => {
    expect(clientIpFromHeaders(headers({ 'x-forwarded-for': 'unknown', 'x-real-ip': '192.0.2.1' }))).toBe('192.0.2.1');
  });

  it('returns null without any usable header', () => {
    expect(clientIpFromHeaders(headers({}))).toBeNull();
    expect(clientIpFromHeaders({ get: () => null })).toBeNull();
  });
});
