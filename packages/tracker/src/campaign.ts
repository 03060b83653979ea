// Campaign parameters (utm_* and ad click ids) and URL cleaning: they are the only query
// parameters the tracker keeps in the URLs it sends, so no PII (emails, tokens) leaks through URLs.
import { o } from './config';
import type { Props } from './types';

const CAMPAIGN = /^(utm_\w+|gclid|gbraid|wbraid|fbclid|msclkid|ttclid|li_fat_id)$/;

/**
 * Segment `context.campaign` from a query string: utm_campaign becomes `name`, other utm_x become
 * `x`, click ids keep their names. When the query carries no campaign, that of the URL `landing`
 * (the session's landing page), so later pages of a campaign's session still name it. Undefined
 * when neither carries one.
 */
export function campaignOf(search?: string, landing?: string): Props | undefined {
  let c: Props | undefined;
  new URLSearchParams(search).forEach((v, k) => CAMPAIGN.test(k) && ((c ||= {})[k == 'utm_campaign' ? 'name' : k.replace('utm_', '')] = v));
  return c || (landing ? campaignOf(cleanUrl(landing)?.search) : c);
}

/**
 * The URL with only campaign parameters left in its query, and without its fragment unless the
 * site routes by hash. Undefined for an empty or unparsable URL.
 */
export function cleanUrl(href: string | Location): URL | undefined {
  try {
    const u = new URL(href as string);
    const p = new URLSearchParams();
    u.searchParams.forEach((v, k) => CAMPAIGN.test(k) && p.append(k, v));
    u.search = p as unknown as string; // the setter stringifies
    if (!o.hash) u.hash = '';
    return u;
  } catch {}
}
