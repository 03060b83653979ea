// Invariant: only campaign parameters (utm_* and ad click ids) survive in URLs sent, and they map to Segment's context.campaign.
import { afterEach, describe, expect, test } from 'vitest';
import { campaignOf, cleanUrl } from './campaign';
import { configure } from './config';

afterEach(() => configure({}));

describe('campaignOf', () => {
  test('maps utm_* to Segment names and keeps click ids', () => {
    expect(
      campaignOf('?utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_term=shoes&utm_content=ad1&gclid=A&gbraid=B&wbraid=C&fbclid=D&msclkid=E&ttclid=F&li_fat_id=G&q=x'),
    ).toEqual({ source: 'google', medium: 'cpc', name: 'spring', term: 'shoes', content: 'ad1', gclid: 'A', gbraid: 'B', wbraid: 'C', fbclid: 'D', msclkid: 'E', ttclid: 'F', li_fat_id: 'G' });
  });
  test('is undefined without campaign parameters', () => {
    expect(campaignOf('?q=shoes&page=2')).toBeUndefined();
    expect(campaignOf('')).toBeUndefined();
  });
  test('decodes values', () => {
    expect(campaignOf('?utm_campaign=Spring%20Sale+2026')).toEqual({ name: 'Spring Sale 2026' });
  });
});

describe('cleanUrl', () => {
  test('drops every query parameter but campaign ones, and the fragment', () => {
    expect(cleanUrl('https://shop.example/p/1?email=a%40b.c&utm_source=news&token=t&gclid=G#reset=secret')?.href).toBe(
      'https://shop.example/p/1?utm_source=news&gclid=G',
    );
    expect(cleanUrl('https://shop.example/p/1?q=1')?.href).toBe('https://shop.example/p/1');
  });
  test('keeps the fragment for hash routers', () => {
    configure({ hash: true });
    expect(cleanUrl('https://app.example/?x=1#/cart')?.href).toBe('https://app.example/#/cart');
  });
  test('gives undefined for an empty or unparsable URL', () => {
    expect(cleanUrl('')).toBeUndefined();
    expect(cleanUrl('http://[bad')).toBeUndefined();
  });
});
