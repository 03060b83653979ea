// Page views: on load, on SPA navigation (pushState, replaceState, popstate, and hash changes when
// enabled) and on restores from the back/forward cache. One view per address: the same path twice
// in a row, or a replaceState that keeps the path, is not a new view.
import { cleanUrl } from '../campaign';
import { o } from '../config';
import { setPage } from '../context';
import { msg } from '../events';
import { on } from '../listen';
import type { Props } from '../types';
import { reportEngagement } from './engagement';

let referrer: string | undefined; // of the next page view: the previous page; document.referrer at first
let viewed: string; // address of the last page view

/** The address that makes a page: its path, and its hash for hash routers. */
const pageKey = (): string => location.pathname + (o.hash ? location.hash : '');

/** Describes the page events belong to until the first page view. */
export const initPage = (): unknown => setPage((referrer = cleanUrl(document.referrer)?.href));

/** A page view (automatic, or vista('page', name, properties)); engagement with the page left goes first. */
export function page(name?: string, properties?: Props): void {
  reportEngagement(1);
  const p = setPage(referrer);
  referrer = p.url as string;
  viewed = pageKey();
  msg('page', { name, properties: { ...p, ...properties } });
}

export function installPageviews(): void {
  const check = (): unknown => pageKey() != viewed && page();
  for (const f of ['pushState', 'replaceState'] as const) {
    const original = history[f];
    history[f] = (...a: Parameters<History['pushState']>) => {
      original.apply(history, a);
      check();
    };
  }
  // popstate comes with hash changes too, so hash routers need no hashchange listener.
  on('popstate', check);
  // A page restored from the back/forward cache is viewed again although its address is the same.
  on('pageshow', (e: PageTransitionEvent) => e.persisted && page());
  // After the current task, so page calls replayed from the stub come first and are not repeated.
  setTimeout(check);
}
