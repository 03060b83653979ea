// Protects: the channel touchpoint (DESIGN §3, §5, §7) follows the documented, ordered GA4-style rules in channel.ts.
import { describe, expect, it } from 'vitest';
import { classifyChannel, type ChannelInput } from './channel.ts';

const base: ChannelInput = {
  source: null, medium: null, clickIdType: null, referrerHost: null, pageHost: 'shop.example.com', hasPage: true,
};
const ch = (over: Partial<ChannelInput>) => classifyChannel({ ...base, ...over });

describe('classifyChannel: one test per rule', () => {
  it('rule 1: a referrer on the same site (or a parent/subdomain) is not a referral', () => {
    expect(ch({ referrerHost: 'shop.example.com' })).toBe('direct');
    expect(ch({ referrerHost: 'checkout.shop.example.com' })).toBe('direct');
    expect(ch({ referrerHost: 'example.com' })).toBe('direct');
    expect(ch({ referrerHost: 'blog.example.com' })).toBe('referral');
    expect(ch({ referrerHost: 'notshop.example.com.evil.io' })).toBe('referral');
  });

  it('rule 2: paid search from a search click id or search source with paid medium', () => {
    expect(ch({ clickIdType: 'gclid' })).toBe('paid_search');
    expect(ch({ clickIdType: 'gbraid' })).toBe('paid_search');
    expect(ch({ clickIdType: 'wbraid' })).toBe('paid_search');
    expect(ch({ clickIdType: 'msclkid' })).toBe('paid_search');
    expect(ch({ source: 'google', medium: 'cpc' })).toBe('paid_search');
    expect(ch({ source: 'Bing', medium: 'PPC' })).toBe('paid_search');
    expect(ch({ source: 'google', medium: 'paid_search' })).toBe('paid_search');
    expect(ch({ medium: 'cpc', referrerHost: 'google.com' })).toBe('paid_search');
  });

  it('rule 3: paid social from a social click id or social source with paid medium', () => {
    expect(ch({ clickIdType: 'ttclid' })).toBe('paid_social');
    expect(ch({ clickIdType: 'li_fat_id' })).toBe('paid_social');
    expect(ch({ source: 'facebook', medium: 'cpc' })).toBe('paid_social');
    expect(ch({ source: 'ig', medium: 'paid' })).toBe('paid_social');
    expect(ch({ source: 'tiktok', medium: 'retargeting' })).toBe('paid_social');
  });

  it('rule 4: display mediums', () => {
    for (const medium of ['display', 'banner', 'expandable', 'interstitial', 'cpm', 'Display']) {
      expect(ch({ source: 'criteo', medium }), medium).toBe('display');
    }
  });

  it('rule 5: a paid medium from an unrecognised source is unknown', () => {
    expect(ch({ source: 'taboola', medium: 'cpc' })).toBe('unknown');
    expect(ch({ source: 'newsletter', medium: 'paid' })).toBe('unknown');
  });

  it('rule 6: email from source or medium', () => {
    expect(ch({ source: 'newsletter' })).toBe('email');
    expect(ch({ medium: 'email' })).toBe('email');
    expect(ch({ medium: 'E-Mail' })).toBe('email');
    expect(ch({ source: 'crm_e_mail' })).toBe('email');
    expect(ch({ medium: 'e mail' })).toBe('email');
    expect(ch({ source: 'voicemail', hasPage: false })).toBe('unknown');
  });

  it('rule 7: affiliate medium', () => {
    expect(ch({ source: 'awin', medium: 'affiliate' })).toBe('affiliate');
    expect(ch({ source: 'awin', medium: 'Affiliates' })).toBe('affiliate');
  });

  it('rule 8: sms from source or medium', () => {
    expect(ch({ source: 'sms' })).toBe('sms');
    expect(ch({ medium: 'SMS' })).toBe('sms');
    expect(ch({ source: 'twilio', medium: 'sms-blast' })).toBe('sms');
    expect(ch({ source: 'smsfoo', hasPage: false })).toBe('unknown');
  });

  it('rule 9: mobile push', () => {
    expect(ch({ medium: 'web-push' })).toBe('push');
    expect(ch({ medium: 'mobile_app' })).toBe('push');
    expect(ch({ medium: 'notification' })).toBe('push');
    expect(ch({ source: 'firebase' })).toBe('push');
  });

  it('rule 10: organic social from medium, source, referrer or fbclid', () => {
    for (const medium of ['social', 'social-network', 'social-media', 'sm', 'social network', 'social_media']) {
      expect(ch({ source: 'someone', medium }), medium).toBe('organic_social');
    }
    expect(ch({ source: 'Facebook' })).toBe('organic_social');
    expect(ch({ referrerHost: 'l.facebook.com' })).toBe('organic_social');
    expect(ch({ referrerHost: 't.co' })).toBe('organic_social');
    expect(ch({ referrerHost: 'm.youtube.com' })).toBe('organic_social');
    expect(ch({ referrerHost: 'lnkd.in' })).toBe('organic_social');
    expect(ch({ clickIdType: 'fbclid' })).toBe('organic_social');
    expect(ch({ source: 'facebook', medium: 'organic' })).toBe('organic_social');
  });

  it('rule 11: organic search from medium organic, source or referrer', () => {
    expect(ch({ source: 'someengine', medium: 'organic' })).toBe('organic_search');
    expect(ch({ source: 'duckduckgo' })).toBe('organic_search');
    expect(ch({ referrerHost: 'google.it' })).toBe('organic_search');
    expect(ch({ referrerHost: 'search.yahoo.com' })).toBe('organic_search');
    expect(ch({ referrerHost: 'search.brave.com' })).toBe('organic_search');
  });

  it('rule 12: referral from medium or a foreign referrer', () => {
    expect(ch({ source: 'partner', medium: 'referral' })).toBe('referral');
    expect(ch({ referrerHost: 'news.ycombinator.com' })).toBe('referral');
  });

  it('rule 13: direct when nothing is known and a page context exists', () => {
    expect(ch({})).toBe('direct');
  });

  it('rule 14: unknown for an unrecognised campaign or no context at all', () => {
    expect(ch({ source: 'partner', medium: 'foo' })).toBe('unknown');
    expect(ch({ hasPage: false, pageHost: null })).toBe('unknown');
  });
});

describe('classifyChannel: edge cases', () => {
  it('lets a click id override a tagged medium', () => {
    expect(ch({ clickIdType: 'gclid', source: 'newsletter', medium: 'email' })).toBe('paid_search');
  });

  it('uses an explicit source over the referrer', () => {
    expect(ch({ source: 'partner', referrerHost: 'google.com' })).toBe('referral');
    expect(ch({ source: 'google', referrerHost: 't.co' })).toBe('organic_search');
  });

  it('matches sources as words or hosts, not substrings', () => {
    expect(ch({ source: 'Google Ads', medium: 'cpc' })).toBe('paid_search');
    expect(ch({ source: 'facebook_ads', medium: 'cpc' })).toBe('paid_social');
    expect(ch({ source: 'www.google.co.uk', medium: 'cpc' })).toBe('paid_search');
    expect(ch({ source: 'googlefake', hasPage: false })).toBe('unknown');
    expect(ch({ referrerHost: 'box.com' })).toBe('referral');
    expect(ch({ referrerHost: 'figma.com' })).toBe('referral');
  });

  it('does not treat webmail and documents as search', () => {
    expect(ch({ referrerHost: 'mail.google.com' })).toBe('referral');
    expect(ch({ referrerHost: 'docs.google.com' })).toBe('referral');
  });

  it('classifies a campaign on a server-side event without page context', () => {
    expect(ch({ hasPage: false, pageHost: null, source: 'newsletter', medium: 'email' })).toBe('email');
  });

  it('treats blank strings as absent', () => {
    expect(ch({ source: '  ', medium: '' })).toBe('direct');
  });

  it('counts a referrer as foreign when the page host is unknown', () => {
    expect(ch({ pageHost: null, referrerHost: 'example.com' })).toBe('referral');
  });
});
