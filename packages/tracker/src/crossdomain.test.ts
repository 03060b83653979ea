// Invariant: links to the brand's other domains carry the anonymous id, the page there adopts only a well-formed id, and the id never stays in the address bar.
import { beforeEach, expect, test } from 'vitest';
import { o } from './config';
import { adopt, decorate } from './crossdomain';
import { installFakeBrowser, type FakeBrowser } from './fake-browser';
import { anonymousId } from './identity';
import { setPersist, wipe } from './storage';

let b: FakeBrowser;
beforeEach(() => {
  b = installFakeBrowser('https://contest.example/win?utm_source=ig&_vid=0b9f1c2e-aaaa-4bbb-8ccc-123456789abc');
  setPersist(true);
  wipe();
});

test('adopts a well-formed id and removes it from the address bar', () => {
  expect(adopt()).toBe('0b9f1c2e-aaaa-4bbb-8ccc-123456789abc');
  expect(b.href).toBe('https://contest.example/win?utm_source=ig');
});

test('refuses a malformed id but still removes it', () => {
  b.href = 'https://contest.example/win?_vid=%3Cscript%3E';
  expect(adopt()).toBeUndefined();
  expect(b.href).toBe('https://contest.example/win');
});

test('decorates links to listed domains only', () => {
  Object.assign(o, { domains: 'shop.example,contest.example' });
  const link = (href: string) => {
    const u = new URL(href);
    return { get hostname() { return u.hostname; }, get search() { return u.search; }, set search(v: string) { u.search = v; }, get href() { return u.href; } } as unknown as HTMLAnchorElement;
  };
  const shop = link('https://shop.example/cart?x=1');
  decorate(shop);
  expect(shop.href).toBe(`https://shop.example/cart?x=1&_vid=${anonymousId()}`);
  const other = link('https://elsewhere.example/');
  decorate(other);
  expect(other.href).toBe('https://elsewhere.example/');
});
