// Test support: the few browser globals storage, identity and cross-domain code touch, faked in
// Node so their rules can be unit-tested; the real browser behaviour is in test/browser.

export interface FakeBrowser {
  cookies: Map<string, string>;
  local: Record<string, string>;
  href: string;
}

export function installFakeBrowser(href = 'https://shop.example/page'): FakeBrowser {
  const state: FakeBrowser = { cookies: new Map(), local: {}, href };
  const local = new Proxy(state.local, {
    get: (t, k: string) => (k === 'setItem' ? (key: string, v: string) => (t[key] = String(v)) : k === 'removeItem' ? (key: string) => delete t[key] : t[k]),
  });
  const g = globalThis as Record<string, unknown>;
  g.localStorage = local;
  g.document = {
    get cookie() {
      return [...state.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    },
    set cookie(text: string) {
      const [pair, ...attrs] = text.split(';');
      const [k, v] = pair!.split('=') as [string, string];
      if (attrs.some((a) => a.trim() === 'max-age=0')) state.cookies.delete(k);
      else state.cookies.set(k, v);
    },
  };
  g.location = { get href() { return state.href; }, toString: () => state.href };
  g.history = { state: null, replaceState: (_s: unknown, _t: string, url: URL | string) => (state.href = String(url)) };
  return state;
}
