// Options, their defaults, and how data-* attributes of the script tag map onto them.

export interface Options {
  /** Write key of the source, sent as `?key=`. Required: nothing is sent without it. */
  writeKey: string;
  /** Collector origin. Script tag: the origin the script was loaded from. Module: same origin. */
  apiHost: string;
  /** Ingest path; change it when ad-blockers block the default. */
  ingestPath: string;
  /** Send as soon as this many events wait. */
  flushAt: number;
  /** ...or this many milliseconds after the first waiting event. */
  flushInterval: number;
  /** Most events kept for retry in localStorage (oldest dropped). */
  maxQueue: number;
  /** Automatic page views (load, SPA navigation, back/forward cache). */
  pageviews: boolean;
  /** Count hash changes as page views (hash routers). */
  hash: boolean;
  /** Automatic click capture. */
  clicks: boolean;
  /** Automatic capture of forms marked data-vista-form. */
  forms: boolean;
  /** Engaged time and scroll depth, sent when the page is left. */
  engagement: boolean;
  /** Keep identifiers in memory only: no cookie, no localStorage. */
  cookieless: boolean;
  /** Store and send nothing until vista('consent', 'granted'). */
  requireConsent: boolean;
  /** Honour Global Privacy Control and Do Not Track. */
  privacySignals: boolean;
  /** Track automated browsers (navigator.webdriver), e.g. in tests. */
  allowAutomation: boolean;
  /** Other domains of the brand: links to them carry the anonymous id. */
  domains: string[];
  /** Cookie domain, e.g. example.com to share the id with subdomains. */
  cookieDomain: string;
  /** Query parameters kept in URLs besides campaign ones. */
  queryParams: string[];
  /** Send the values of fields of captured forms (never passwords or files). */
  formValues: boolean;
}

export type Init = Partial<Options>;

export const defaults: Options = {
  writeKey: '',
  apiHost: '',
  ingestPath: '/v1/batch',
  flushAt: 20,
  flushInterval: 1000,
  maxQueue: 200,
  pageviews: true,
  hash: false,
  clicks: true,
  forms: true,
  engagement: true,
  cookieless: false,
  requireConsent: false,
  privacySignals: true,
  allowAutomation: false,
  domains: [],
  cookieDomain: '',
  queryParams: [],
  formValues: false,
};

/**
 * Reads options from a script tag's dataset. `data-key` and `data-api` are short for writeKey and
 * apiHost; every other option is its kebab-case name (`data-flush-at`). Each value is read as the
 * type of its default, so a bare boolean attribute (`data-hash`) means true and lists are comma-separated.
 */
export function fromAttributes(data: Record<string, string | undefined>): Init {
  const o: Record<string, unknown> = {};
  for (const a in data) {
    const k = a == 'key' ? 'writeKey' : a == 'api' ? 'apiHost' : a;
    const d: unknown = defaults[k as keyof Options];
    const v = data[a]!;
    o[k] =
      typeof d == 'boolean' ? v != 'false'
      : typeof d == 'number' ? +v
      : Array.isArray(d) ? v.split(',').map((s) => s.trim()).filter(Boolean)
      : v;
  }
  return o;
}
