// Protects: campaign fields (DESIGN §3, §7) come from context.campaign over URL utm_*, click ids from the URL, and bad input never throws.
import { describe, expect, it } from 'vitest';
import { extractCampaign } from './campaign.ts';

describe('extractCampaign', () => {
  it('reads utm_* parameters from the page URL', () => {
    const info = extractCampaign({
      url: 'https://shop.example.com/p?utm_source=newsletter&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=hero',
    });
    expect(info).toEqual({
      source: 'newsletter', medium: 'email', name: 'spring', term: 'shoes', content: 'hero',
      clickIdType: null, clickId: null, referrerHost: null, pageHost: 'shop.example.com',
    });
  });

  it('lets context.campaign win over the URL, field by field', () => {
    const info = extractCampaign({
      campaign: { name: 'Summer Sale', source: 'Google', medium: 'cpc' },
      url: 'https://example.com/?utm_source=bing&utm_campaign=other&utm_term=boots',
    });
    expect(info).toMatchObject({ source: 'Google', medium: 'cpc', name: 'Summer Sale', term: 'boots', content: null });
  });

  it('accepts utm_* keys inside context.campaign, with Segment keys preferred', () => {
    const info = extractCampaign({ campaign: { utm_source: 'fb', utm_campaign: 'x', name: 'y', utm_content: 'ad1' } });
    expect(info).toMatchObject({ source: 'fb', name: 'y', content: 'ad1' });
  });

  it('reads upper-cased parameter names', () => {
    expect(extractCampaign({ url: 'https://example.com/?UTM_Source=Bing&GCLID=abc' })).toMatchObject({
      source: 'Bing', clickIdType: 'gclid', clickId: 'abc',
    });
  });

  it('takes the first click id in list order', () => {
    const info = extractCampaign({ url: 'https://example.com/?fbclid=F1&msclkid=M1&gbraid=G1' });
    expect(info).toMatchObject({ clickIdType: 'gbraid', clickId: 'G1' });
    expect(extractCampaign({ url: 'https://example.com/?li_fat_id=L1' })).toMatchObject({ clickIdType: 'li_fat_id', clickId: 'L1' });
    expect(extractCampaign({ url: 'https://example.com/?ttclid=T1&li_fat_id=L1' }).clickIdType).toBe('ttclid');
  });

  it('ignores empty click ids and keeps looking', () => {
    expect(extractCampaign({ url: 'https://example.com/?gclid=&fbclid=F1' })).toMatchObject({ clickIdType: 'fbclid', clickId: 'F1' });
  });

  it('trims values, turns blanks into null and truncates to 255 characters', () => {
    const long = 'a'.repeat(300);
    const info = extractCampaign({ campaign: { source: '  google  ', medium: '   ', name: long, term: 42 } });
    expect(info.source).toBe('google');
    expect(info.medium).toBeNull();
    expect(info.name).toHaveLength(255);
    expect(info.term).toBe('42');
  });

  it('does not split a surrogate pair when truncating', () => {
    const info = extractCampaign({ campaign: { name: `${'a'.repeat(254)}😀` } });
    expect(info.name).toBe('a'.repeat(254));
  });

  it('ignores non-string campaign values and a non-object campaign', () => {
    expect(extractCampaign({ campaign: { source: { x: 1 }, medium: ['cpc'], name: null } })).toMatchObject({
      source: null, medium: null, name: null,
    });
    expect(extractCampaign({ campaign: ['a'] as unknown as Record<string, unknown> }).source).toBeNull();
  });

  it('lower-cases hosts and strips a leading www.', () => {
    const info = extractCampaign({ url: 'https://WWW.Example.COM/x', referrer: 'https://www.Google.it/search?q=a' });
    expect(info.pageHost).toBe('example.com');
    expect(info.referrerHost).toBe('google.it');
  });

  it('keeps subdomains other than www', () => {
    expect(extractCampaign({ referrer: 'https://l.facebook.com/l.php' }).referrerHost).toBe('l.facebook.com');
  });

  it('reads a scheme-less referrer host', () => {
    expect(extractCampaign({ referrer: 'www.bing.com/search' }).referrerHost).toBe('bing.com');
  });

  it('returns null hosts for invalid, empty or host-less URLs without throwing', () => {
    for (const bad of ['', '   ', 'not a url', '/relative/path', 'http://', 'mailto:a@b.com', 'javascript:void(0)', '::::']) {
      const info = extractCampaign({ url: bad, referrer: bad });
      expect(info.pageHost, bad).toBeNull();
      expect(info.referrerHost, bad).toBeNull();
      expect(info.source).toBeNull();
    }
  });

  it('returns all nulls for an empty input', () => {
    expect(Object.values(extractCampaign({})).every((v) => v === null)).toBe(true);
  });
});
