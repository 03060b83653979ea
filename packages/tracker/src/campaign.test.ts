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
  test("falls back to the session's landing page when the page has no campaign", () => {
    const landing = 'https://shop.example/spring?utm_source=newsletter&utm_medium=email&gclid=G';
    expect(campaignOf('?page=2', landing)).toEqual({ source: 'newsletter', medium: 'email', gclid: 'G' });
    expect(campaignOf('', landing)).toEqual({ source: 'newsletter', medium: 'email', gclid: 'G' });
  });
  test("the page's own campaign wins over the landing page's, whole (never merged)", () => {
    expect(campaignOf('?utm_source=ads', 'https://shop.example/?utm_source=newsletter&utm_medium=email')).toEqual({ source: 'ads' });
  });
  test('is undefined when neither the page nor the landing page carries a campaign', () => {
    expect(campaignOf('?q=1', 'https://shop.example/')).toBeUndefined();
    expect(campaignOf('?q=1', '')).toBeUndefined();
    expect(campaignOf('?q=1', 'not a url')).toBeUndefined();
    expect(campaignOf('?q=1')).toBeUndefined();
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
