// Segment `context`: the page in view and the campaign it came through, the session, and the
// device (screen, viewport, locale, client hints).
import { campaignOf, cleanUrl } from './campaign';
import type { Props } from './types';

let hints: Props | undefined;
let page: Props;

/** Client hints: high-entropy values, with the low-entropy ones (brands, mobile, platform). */
export const initContext = (): unknown =>
  navigator.userAgentData?.getHighEntropyValues(['model', 'platformVersion']).then((v) => (hints = v));

/**
 * Makes the current location the page events belong to (context.page). Kept until the next page
 * view, so an event sent on leaving (engagement) still describes the page that was left.
 */
export function setPage(referrer?: string): Props {
  const u = cleanUrl(location)!;
  return (page = { path: location.pathname, referrer, search: u.search, title: document.title, url: u.href });
}

/** The context of an event in session `sessionId`. */
export const context = (sessionId: number): Props => ({
  page,
  campaign: campaignOf(location.search),
  sessionId,
  screen: { width: screen.width, height: screen.height, innerWidth, innerHeight, density: devicePixelRatio },
  locale: navigator.language,
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  userAgent: navigator.userAgent,
  userAgentData: hints,
});
