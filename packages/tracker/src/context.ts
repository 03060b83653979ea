// Segment `context`: the page in view, and the device (screen, viewport, locale, client hints).
import { cleanUrl } from './campaign';
import type { Props } from './types';

let hints: Props | undefined;
let page: Props = {};

/** Low-entropy client hints now; the high-entropy values replace them when the browser answers. */
export function initContext(): void {
  const d = navigator.userAgentData;
  if (d) {
    hints = d.toJSON();
    d.getHighEntropyValues(['model', 'platformVersion', 'fullVersionList']).then((v) => (hints = v), () => {});
  }
}

/**
 * Makes the current location the page events belong to (context.page). Kept until the next page
 * view, so an event sent on leaving (engagement) still describes the page that was left.
 */
export function setPage(referrer: string, keep: string[], hash: boolean): Props {
  const url = cleanUrl(location.href, keep, hash);
  return (page = { path: location.pathname, referrer, search: new URL(url).search, title: document.title, url });
}

export const currentPage = (): Props => page;

/** The context of an event; `extra` holds the session fields. */
export const context = (extra: Props): Props => ({
  library: { name: 'vista', version: '0.1.0' },
  page,
  ...extra,
  screen: { width: screen.width, height: screen.height, innerWidth, innerHeight, density: devicePixelRatio },
  locale: navigator.language,
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  userAgent: navigator.userAgent,
  userAgentData: hints,
});
