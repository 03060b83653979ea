// Segment `context`: the page in view and the campaign it came through (else that of the session's
// landing page), the session (id, landing page, referrer), and the device (screen, viewport,
// locale, client hints).
import { campaignOf, cleanUrl } from './campaign';
import type { Session } from './session';
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
  return (page = { path: u.pathname, referrer, search: u.search, title: document.title, url: u.href });
}

/** The context of an event in session `s`. */
export const context = (s: Session): Props => ({
  page,
  campaign: campaignOf(location.search, s.l),
  sessionId: s.i,
  session: { id: s.i, landingPage: s.l, referrer: s.r },
  screen: { width: screen.width, height: screen.height, innerWidth, innerHeight, density: devicePixelRatio },
  locale: navigator.language,
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  userAgent: navigator.userAgent,
  userAgentData: hints,
});
