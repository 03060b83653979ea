// Invariant: consent works as a state machine: pending stores and sends nothing (events wait in memory), granted stores (unless cookieless), denied forgets everything; privacy signals and automation block tracking by default.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { configure } from './config';
import { blocked, Consent, consent, consentAfter, setConsent } from './consent';
import { enqueue, pending } from './queue';
import { get, set } from './storage';
import type { Message } from './types';

/** A browser's storage, enough for the tracker: localStorage and document.cookie. */
function fakeStorage(): { ls: Record<string, string>; cookies: Map<string, string> } {
  const ls: Record<string, string> = {};
  const cookies = new Map<string, string>();
  vi.stubGlobal('localStorage', new Proxy(ls, {
    get: (t, k: string) => (k == 'setItem' ? (a: string, b: string) => (t[a] = b) : k == 'removeItem' ? (a: string) => delete t[a] : t[k]),
  }));
  vi.stubGlobal('document', {
    get cookie() {
      return [...cookies].map(([k, v]) => k + '=' + v).join('; ');
    },
    set cookie(c: string) {
      const [kv, ...attrs] = c.split(';');
      const [k, v] = kv!.split('=') as [string, string];
      if (attrs.includes('max-age=0')) cookies.delete(k);
      else cookies.set(k, v);
    },
  });
  return { ls, cookies };
}

const m: Message = { type: 'track', messageId: 'x', anonymousId: 'a', timestamp: '', context: {} };

beforeEach(() => configure({}));
afterEach(() => {
  setConsent(Consent.DENIED); // forget between tests
  vi.unstubAllGlobals();
});

describe('state machine', () => {
  test('at load: pending when consent is required, else granted', () => {
    expect(consentAfter(0, true)).toBe(Consent.PENDING);
    expect(consentAfter(0, false)).toBe(Consent.GRANTED);
    expect(consentAfter(0)).toBe(Consent.GRANTED);
  });
  test('a signal: granted grants, anything else denies, from any state', () => {
    expect(consentAfter('granted', true)).toBe(Consent.GRANTED);
    expect(consentAfter('denied')).toBe(Consent.DENIED);
    expect(consentAfter('maybe')).toBe(Consent.DENIED);
  });
});

describe('effects', () => {
  test('pending: events wait in memory, nothing reaches storage; granted writes them', () => {
    const { ls, cookies } = fakeStorage();
    setConsent(Consent.PENDING);
    set('vista_i', 'anon-1');
    enqueue(m);
    expect(consent).toBe(Consent.PENDING);
    expect(get('vista_i')).toBe('anon-1');
    expect(ls).toEqual({});
    expect(cookies.size).toBe(0);
    setConsent(Consent.GRANTED);
    expect(ls.vista_i).toBe('anon-1');
    expect(cookies.get('vista_i')).toBe('anon-1');
    expect(JSON.parse(ls.vista_q!)).toEqual([m]);
  });

  test('granted in cookieless mode: still nothing stored', () => {
    const { ls, cookies } = fakeStorage();
    configure({ cookieless: true });
    setConsent(Consent.GRANTED);
    set('vista_i', 'anon-2');
    expect(ls).toEqual({});
    expect(cookies.size).toBe(0);
    expect(get('vista_i')).toBe('anon-2');
  });

  test('denied: the waiting events and everything stored are forgotten', () => {
    const { ls, cookies } = fakeStorage();
    setConsent(Consent.GRANTED);
    set('vista_i', 'anon-3');
    enqueue(m);
    ls.vista_o = '1'; // an opt-out outlives a denial
    setConsent(Consent.DENIED);
    expect(pending).toEqual([]);
    expect(get('vista_i')).toBeUndefined();
    expect(ls).toEqual({ vista_o: '1' });
    expect(cookies.size).toBe(0);
  });
});

describe('blocked', () => {
  const nav = (n: Partial<Navigator>): Navigator => n as Navigator;
  test('automated browsers unless allowed', () => {
    expect(blocked(nav({ webdriver: true }))).toBeTruthy();
    configure({ allowAutomation: true });
    expect(blocked(nav({ webdriver: true }))).toBeFalsy();
  });
  test('Global Privacy Control and Do Not Track unless the site opts out of honouring them', () => {
    expect(blocked(nav({ globalPrivacyControl: true }))).toBeTruthy();
    expect(blocked(nav({ doNotTrack: '1' }))).toBeTruthy();
    expect(blocked(nav({ doNotTrack: '0' }))).toBeFalsy();
    configure({ privacySignals: false });
    expect(blocked(nav({ globalPrivacyControl: true, doNotTrack: '1' }))).toBeFalsy();
  });
});
