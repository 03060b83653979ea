// Options, and how data-* attributes of the script tag map onto them. Defaults are applied where
// each option is read (no table of defaults: it would cost bytes in the script).

export interface Options {
  /** Write key of the source, sent as `?key=`. */
  writeKey: string;
  /** Collector origin. Default: the origin the script was loaded from (script tag), else this page's. */
  apiHost: string;
  /** Ingest path (default /v1/batch); change it when ad-blockers block the default. */
  ingestPath: string;
  /** Send as soon as this many events wait (default 20). */
  flushAt: number;
  /** ...or this many ms after the first one waits (default 1000). */
  flushInterval: number;
  /** Most events kept for retry in localStorage, oldest dropped first (default 200). */
  maxQueue: number;
  /** Automatic page views: load, SPA navigation, back/forward cache (default true). */
  pageviews: boolean;
  /** Count hash changes as page views, for hash routers (default false). */
  hash: boolean;
  /** Automatic click capture (default true). */
  clicks: boolean;
  /** Capture of forms marked data-vista-form (default true). */
  forms: boolean;
  /** Engaged time and scroll depth sent when a page is left (default true). */
  engagement: boolean;
  /** Identifiers in memory only: no cookie, no localStorage (default false). */
  cookieless: boolean;
  /** Store and send nothing until vista('consent', 'granted') (default false). */
  requireConsent: boolean;
  /** Honour Global Privacy Control and Do Not Track (default true). */
  privacySignals: boolean;
  /** Track automated browsers (navigator.webdriver), e.g. in tests (default false). */
  allowAutomation: boolean;
  /** The brand's other domains: links to them carry the anonymous id (default none). */
  domains: string | string[];
  /** Cookie domain, e.g. example.com to share the id with subdomains (default: this host). */
  cookieDomain: string;
  /** Query parameters kept in URLs besides campaign ones (default none). */
  queryParams: string | string[];
  /** Send the values of fields of captured forms, never passwords or files (default false). */
  formValues: boolean;
}

export type Init = Partial<Options>;

/**
 * Options from a script tag's dataset. `data-key` and `data-api` are short for writeKey and
 * apiHost; other options use their kebab-case names (`data-flush-at`). A bare attribute or "true"
 * means true, "false" false, a number a number; lists are comma-separated.
 */
export function fromAttributes(data: Record<string, string | undefined>): Init {
  const o: Record<string, unknown> = {};
  for (const a in data) {
    const v = data[a]!;
    o[a == 'key' ? 'writeKey' : a == 'api' ? 'apiHost' : a] =
      v == '' || v == 'true' ? true : v == 'false' ? false : v.trim() && +v == +v ? +v : v;
  }
  return o;
}

/** A list option given as an array or a comma-separated string. */
export const list = (v: string | string[] = ''): string[] => (v + '').split(/\s*,\s*/);
