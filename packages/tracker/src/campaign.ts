// Campaign parameters (utm_* and ad click ids) and URL cleaning: the only query parameters the
// tracker keeps unless the site lists more (queryParams), so no PII leaks through URLs.
import type { Props } from './types';

const CAMPAIGN = /^(utm_\w+|gclid|gbraid|wbraid|fbclid|msclkid|ttclid|li_fat_id)$/;

export const isCampaignParam = (name: string): boolean => CAMPAIGN.test(name);

/**
 * Segment `context.campaign` from a query string: utm_campaign becomes `name`, other utm_x become
 * `x`, click ids keep their names. Undefined when the URL carries no campaign.
 */
export function campaignOf(search: string): Props | undefined {
  let c: Record<string, string> | undefined;
  new URLSearchParams(search).forEach((v, k) => {
    if (CAMPAIGN.test(k)) (c ||= {})[k == 'utm_campaign' ? 'name' : k.replace('utm_', '')] = v;
  });
  return c;
}

/**
 * The URL with only campaign parameters (and those in `keep`) left in its query, and without its
 * fragment unless `hash` (hash routers). '' for an empty or unparsable URL.
 */
export function cleanUrl(href: string, keep: string[] = [], hash?: boolean): string {
  try {
    const u = new URL(href);
    const p = new URLSearchParams();
    u.searchParams.forEach((v, k) => (CAMPAIGN.test(k) || keep.includes(k)) && p.append(k, v));
    u.search = p + '';
    if (!hash) u.hash = '';
    return u.href;
  } catch {
    return '';
  }
}
