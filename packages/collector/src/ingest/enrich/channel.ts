/**
 * Channel grouping, modelled on GA4's default channel grouping. Rules run in order; the
 * first match wins. "ref" is the referrer host after rule 1; "src" is the explicit source,
 * else ref (GA likewise derives the source from the referrer only when none is tagged).
 * Source/host lists below match case-insensitively: a bare name matches a word of the
 * source ("Google Ads", "facebook_ads") or a label of a host ("www.google.it",
 * "l.facebook.com"); a dotted name ("t.co") matches that host or its subdomains.
 *
 *  1. self-referral: a referrer equal to the page host, or a parent or subdomain of it,
 *     counts as no referrer (we cannot know sibling subdomains without a suffix list).
 *  2. paid_search: click id gclid|gbraid|wbraid|msclkid, or search src + paid medium.
 *  3. paid_social: click id ttclid|li_fat_id, or social src + paid medium.
 *  4. display: medium is display|banner|expandable|interstitial|cpm.
 *  5. unknown: any other paid medium. There is no paid_other bucket, and filing paid
 *     traffic under email/referral/organic would inflate those channels.
 *  6. email: source or medium contains email|e-mail|e_mail|e mail (as a word start) or newsletter.
 *  7. affiliate: medium is affiliate|affiliates.
 *  8. sms: source or medium is the word sms.
 *  9. push: medium ends with push or contains mobile|notification, or source is firebase.
 * 10. organic_social: social medium (social, social-network, social-media, sm, social
 *     network, social media; "_" too), social src, or an fbclid (Meta adds it to organic links too).
 * 11. organic_search: medium organic, or search src.
 *     (Social before search as in GA4, so source=facebook&medium=organic is social.)
 * 12. referral: medium referral, or any remaining non-self referrer.
 * 13. direct: nothing at all (no source, medium, click id or ref) and a page/screen context.
 * 14. unknown: a campaign no rule recognises, or an event with no page or campaign
 *     context at all (e.g. a server-side track), which says nothing about acquisition.
 *
 * Paid medium: ^(.*cp.*|ppc|retargeting|paid.*)$ (GA4's).
 * Search: google, bing, yahoo, duckduckgo, baidu, yandex, ecosia, ask, naver, seznam, qwant,
 *   startpage, search.brave.com, aol; hosts whose first label is mail, docs, drive,
 *   accounts, calendar, groups or sites (webmail, documents) are not search.
 * Social: facebook, fb, instagram, ig, twitter, t.co, x.com, linkedin, lnkd.in, pinterest,
 *   reddit, tiktok, youtube, snapchat, whatsapp, telegram, threads, tumblr, quora, discord,
 *   vk, mastodon.
 */
import type { ClickIdType } from './campaign.ts';

export type Channel =
  | 'direct' | 'organic_search' | 'paid_search' | 'organic_social' | 'paid_social' | 'email'
  | 'affiliate' | 'display' | 'referral' | 'sms' | 'push' | 'unknown';

export interface ChannelInput {
  source: string | null;
  medium: string | null;
  clickIdType: ClickIdType | null;
  referrerHost: string | null;
  pageHost: string | null;
  hasPage: boolean;
}

const SEARCH = [
  'google', 'bing', 'yahoo', 'duckduckgo', 'baidu', 'yandex', 'ecosia', 'ask', 'naver', 'seznam',
  'qwant', 'startpage', 'search.brave.com', 'aol',
];
const SOCIAL = [
  'facebook', 'fb', 'instagram', 'ig', 'twitter', 't.co', 'x.com', 'linkedin', 'lnkd.in', 'pinterest',
  'reddit', 'tiktok', 'youtube', 'snapchat', 'whatsapp', 'telegram', 'threads', 'tumblr', 'quora',
  'discord', 'vk', 'mastodon',
];
const NOT_SEARCH_SUBDOMAINS = new Set(['mail', 'docs', 'drive', 'accounts', 'calendar', 'groups', 'sites']);
const PAID_SEARCH_IDS = new Set<ClickIdType>(['gclid', 'gbraid', 'wbraid', 'msclkid']);
const PAID_SOCIAL_IDS = new Set<ClickIdType>(['ttclid', 'li_fat_id']);
const SOCIAL_MEDIUMS = new Set(['social', 'social network', 'social media', 'sm']);
const DISPLAY_MEDIUMS = new Set(['display', 'banner', 'expandable', 'interstitial', 'cpm']);

const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const EMAIL = /(?:^|[^a-z])e[-_ ]?mail|newsletter/;
const SMS = /(?:^|[^a-z])sms(?:[^a-z]|$)/;

export function classifyChannel(input: ChannelInput): Channel {
  const source = norm(input.source);
  const medium = norm(input.medium);
  const clickId = input.clickIdType;
  const ref = isSelfReferral(norm(input.referrerHost), norm(input.pageHost)) ? null : norm(input.referrerHost);
  const src = source ?? ref;
  const paid = medium !== null && PAID_MEDIUM.test(medium);
  const isSearch = src !== null && matches(src, SEARCH, true);
  const isSocial = src !== null && matches(src, SOCIAL, false);

  if ((clickId && PAID_SEARCH_IDS.has(clickId)) || (isSearch && paid)) return 'paid_search';
  if ((clickId && PAID_SOCIAL_IDS.has(clickId)) || (isSocial && paid)) return 'paid_social';
  if (medium !== null && DISPLAY_MEDIUMS.has(medium)) return 'display';
  if (paid) return 'unknown';
  if ((source !== null && EMAIL.test(source)) || (medium !== null && EMAIL.test(medium))) return 'email';
  if (medium === 'affiliate' || medium === 'affiliates') return 'affiliate';
  if ((source !== null && SMS.test(source)) || (medium !== null && SMS.test(medium))) return 'sms';
  if (medium !== null && (medium.endsWith('push') || /mobile|notification/.test(medium))) return 'push';
  if (source === 'firebase') return 'push';
  if ((medium !== null && SOCIAL_MEDIUMS.has(medium.replace(/[-_]/g, ' '))) || isSocial || clickId === 'fbclid') {
    return 'organic_social';
  }
  if (medium === 'organic' || isSearch) return 'organic_search';
  if (medium === 'referral' || ref !== null) return 'referral';
  if (source === null && medium === null && clickId === null && input.hasPage) return 'direct';
  return 'unknown';
}

function norm(value: string | null): string | null {
  const text = value?.trim().toLowerCase();
  return text ? text : null;
}

function isSelfReferral(ref: string | null, page: string | null): boolean {
  if (ref === null || page === null) return false;
  return ref === page || ref.endsWith(`.${page}`) || page.endsWith(`.${ref}`);
}

function matches(value: string, list: readonly string[], isSearchList: boolean): boolean {
  const hostLike = value.includes('.') && !/\s/.test(value);
  if (hostLike) {
    const host = value.replace(/^www\./, '');
    const labels = host.split('.');
    if (isSearchList && labels.length > 2 && NOT_SEARCH_SUBDOMAINS.has(labels[0] ?? '')) return false;
    return list.some((name) => (name.includes('.') ? host === name || host.endsWith(`.${name}`) : labels.includes(name)));
  }
  const words = value.split(/[^a-z0-9]+/);
  return list.some((name) => words.includes(name));
}
