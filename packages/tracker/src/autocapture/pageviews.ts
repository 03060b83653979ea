// Page views: on load, on SPA navigation (pushState, replaceState, popstate, and hash changes when
// enabled) and on restores from the back/forward cache. One view per address: the same path twice
// in a row, or a replaceState that keeps the path, is not a new view.

let last: string | undefined;
let hashMode = false;

const key = (): string => location.pathname + (hashMode ? location.hash : '');

/** Records the current address as viewed (manual page calls too, so autocapture does not repeat them). */
export const markViewed = (): void => {
  last = key();
};

/** Whether the address changed since the last page view. */
export const isNewPage = (): boolean => key() != last;

/** Watches navigation and calls `view` for each new page; `view` must call markViewed. */
export function installPageviews(hash: boolean, view: () => void): void {
  hashMode = hash;
  const check = (): void => {
    if (isNewPage()) view();
  };
  for (const f of ['pushState', 'replaceState'] as const) {
    const original = history[f];
    history[f] = function (this: History, ...a: Parameters<History['pushState']>) {
      original.apply(this, a);
      check();
    };
  }
  addEventListener('popstate', check);
  if (hash) addEventListener('hashchange', check);
  // A page restored from the back/forward cache is viewed again although its address is the same.
  addEventListener('pageshow', (e) => e.persisted && view());
  // After the current task, so page calls replayed from the stub come first and are not repeated.
  setTimeout(check);
}
