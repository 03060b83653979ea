// Options, and how data-* attributes of the script tag map onto them. The options in force live
// here (`o`) for every module to read; defaults are applied where an option is read, since a
// table of defaults would cost bytes in the script.

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
  /** Count hash changes as page views, for hash routers (default false). */
  hash: boolean;
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
}

export type Init = Partial<Options>;

// Fixed limits. They live here, in a module without imports, so that esbuild writes their values
// where they are used.

/** A session ends after this long without events (30 minutes). */
export const TIMEOUT = 18e5;
/** Most events kept: the queue drops its oldest beyond this. */
export const MAX = 200;
/** Bytes allowed for a batch: browsers cap in-flight keepalive bodies at 64 KiB, and the envelope takes 60. */
export const LIMIT = 65e3;

/** The options in force. */
export let o: Init = {};

export const configure = (options: Init): Init => (o = options);

/**
 * Options from a script tag's dataset. `data-key` and `data-api` are short for writeKey and
 * apiHost; other options use their kebab-case names (`data-flush-at`). A bare attribute means
 * true and "false" false; other values stay strings (true enough, and JavaScript converts numbers
 * where they are used).
 */
export function fromAttributes(data: Record<string, string | undefined>): Init {
  const r: Record<string, unknown> = {};
  for (const a in data) {
    const v = data[a];
    r[a == 'key' ? 'writeKey' : a == 'api' ? 'apiHost' : a] = v != 'false' && (v || true);
  }
  return r;
}
