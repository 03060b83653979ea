import { USER_AGENTS } from './user-agents.ts';

/**
 * Realistic Segment messages for the load test: visitor sessions from ad campaigns, search,
 * social and newsletters, landing with utm tags (and click ids), browsing, tracking and
 * sometimes identifying. Seeded, so every run sends the same shapes and runs compare.
 *
 * Each message id holds TOKEN; the load generator swaps it for a per-request counter so no
 * request repeats an id (a duplicate would be dropped and make the stored count lie).
 */
export const TOKEN = '@@';

type Json = Record<string, unknown>;

/** mulberry32: tiny, fast, and good enough to vary test data reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SITE = 'https://shop.example.com';
const PAGES: ReadonlyArray<[string, string]> = [
  ['/', 'Home'], ['/pricing', 'Pricing'], ['/products/trail-runner-3', 'Trail Runner 3'],
  ['/products/city-sneaker', 'City Sneaker'], ['/products/wool-socks-3-pack', 'Wool socks (3 pack)'],
  ['/collections/summer', 'Summer collection'], ['/blog/how-to-choose-running-shoes', 'How to choose running shoes'],
  ['/blog/marathon-training-plan', 'Marathon training plan'], ['/cart', 'Cart'], ['/checkout', 'Checkout'],
  ['/signup', 'Create your account'], ['/help/returns', 'Returns and refunds'],
];
const REFERRERS = [
  'https://www.google.com/', 'https://www.bing.com/', 'https://duckduckgo.com/', 'https://l.facebook.com/',
  'https://t.co/', 'https://www.linkedin.com/', 'https://news.ycombinator.com/', 'https://www.reddit.com/',
];
interface Campaign { source: string; medium: string; name: string; term?: string; content?: string; click?: string }
const CAMPAIGNS: Campaign[] = [
  { source: 'google', medium: 'cpc', name: 'spring_sale', term: 'trail running shoes', click: 'gclid' },
  { source: 'google', medium: 'cpc', name: 'brand_exact', term: 'vista shoes', click: 'gclid' },
  { source: 'facebook', medium: 'paid_social', name: 'retargeting_q4', content: 'carousel_a', click: 'fbclid' },
  { source: 'instagram', medium: 'social', name: 'influencer_mia', content: 'story' },
  { source: 'newsletter', medium: 'email', name: 'weekly_2026_11_20', content: 'hero_button' },
  { source: 'bing', medium: 'cpc', name: 'generic_running', term: 'running shoes sale', click: 'msclkid' },
  { source: 'tiktok', medium: 'paid_social', name: 'ugc_test_7', click: 'ttclid' },
  { source: 'partner_blog', medium: 'referral', name: 'review_roundup' },
];
const TRACKS: ReadonlyArray<[string, (r: () => number) => Json]> = [
  ['Product Viewed', (r) => ({ product_id: `sku_${Math.floor(r() * 900) + 100}`, price: Math.round(r() * 15000) / 100, currency: 'EUR' })],
  ['Product Added', (r) => ({ product_id: `sku_${Math.floor(r() * 900) + 100}`, quantity: 1 + Math.floor(r() * 3), price: 89.9 })],
  ['Checkout Started', (r) => ({ order_id: `o_${Math.floor(r() * 1e9)}`, value: Math.round(r() * 30000) / 100, currency: 'EUR' })],
  ['Order Completed', (r) => ({ order_id: `o_${Math.floor(r() * 1e9)}`, revenue: Math.round(r() * 30000) / 100, currency: 'EUR', coupon: r() < 0.3 ? 'WELCOME10' : null })],
  ['Newsletter Subscribed', () => ({ list: 'weekly', placement: 'footer' })],
  ['Video Played', (r) => ({ video_id: `v${Math.floor(r() * 40)}`, position: Math.floor(r() * 120) })],
];
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'nl-NL', 'it-IT', 'pt-BR'];
const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Europe/Paris', 'America/Los_Angeles', 'Europe/Madrid'];
const SCREENS: ReadonlyArray<[number, number]> = [[390, 844], [414, 896], [360, 800], [1920, 1080], [1440, 900], [2560, 1440]];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function hex(r: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** One visitor: the same browser, campaign and ids across the events of the visit. */
function visitor(r: () => number) {
  const roll = r();
  const campaign = roll < 0.45 ? pick(r, CAMPAIGNS) : undefined;
  const referrer = campaign ? (campaign.source === 'newsletter' ? '' : `https://www.${campaign.source}.com/`) : roll < 0.8 ? pick(r, REFERRERS) : '';
  const query = new URLSearchParams();
  if (campaign) {
    query.set('utm_source', campaign.source);
    query.set('utm_medium', campaign.medium);
    query.set('utm_campaign', campaign.name);
    if (campaign.term) query.set('utm_term', campaign.term);
    if (campaign.content) query.set('utm_content', campaign.content);
    if (campaign.click && r() < 0.8) query.set(campaign.click, hex(r, 40));
  }
  const [width, height] = pick(r, SCREENS);
  const id = hex(r, 32);
  return {
    anonymousId: `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-a${id.slice(17, 20)}-${id.slice(20)}`,
    userId: r() < 0.3 ? `user_${Math.floor(r() * 5e6)}` : undefined,
    userAgent: pick(r, USER_AGENTS),
    locale: pick(r, LOCALES),
    timezone: pick(r, ZONES),
    screen: { width, height, density: width < 500 ? 3 : 1 },
    campaign,
    search: query.size > 0 ? `?${query.toString()}` : '',
    referrer,
  };
}

type Visitor = ReturnType<typeof visitor>;

/** The next message of a visit: the landing page first, then a page/track/identify mix. */
function message(r: () => number, v: Visitor, step: number, id: string, at: string): Json {
  const [path, title] = step === 0 ? pick(r, PAGES.slice(0, 8)) : pick(r, PAGES);
  const search = step === 0 ? v.search : '';
  const page = { path, url: `${SITE}${path}${search}`, referrer: step === 0 ? v.referrer : `${SITE}/`, title, search };
  const context: Json = {
    page, userAgent: v.userAgent, locale: v.locale, timezone: v.timezone, screen: v.screen,
    library: { name: 'analytics.js', version: 'npm:next-1.72.0' },
  };
  if (v.campaign) context.campaign = { name: v.campaign.name, source: v.campaign.source, medium: v.campaign.medium, term: v.campaign.term, content: v.campaign.content };
  const base = { messageId: id, anonymousId: v.anonymousId, userId: v.userId, timestamp: at, context, integrations: {} };
  const roll = step === 0 ? 0 : r();
  if (roll < 0.6) return { ...base, type: 'page', name: title, properties: page };
  if (roll < 0.92 || !v.userId) {
    const [event, props] = pick(r, TRACKS);
    return { ...base, type: 'track', event, properties: props(r) };
  }
  const traits = { email: `${v.userId}@example.org`, plan: pick(r, ['free', 'pro', 'team']), first_name: pick(r, ['Ana', 'Ben', 'Chloé', 'Deniz', 'Emeka']) };
  return { ...base, type: 'identify', traits };
}

/** A request body with TOKEN in it, kept split so filling in the counter is one join. */
export type Template = readonly string[];

export function fill(template: Template, counter: number): string {
  return template.join(String(counter));
}

export interface Pool {
  /** `{batch, sentAt}` bodies of `perBatch` messages each. */
  batches: Template[];
  /** The same messages one per body, with the single-message path each belongs on. */
  singles: Array<{ path: string; template: Template }>;
}

/** `count` batch bodies; messages mix about five visitors a body, like a server library. */
export function generatePool(count: number, perBatch: number, runTag: string, seed = 20261126): Pool {
  const r = prng(seed);
  const now = Date.now();
  const batches: Template[] = [];
  const singles: Pool['singles'] = [];
  const live: Array<{ v: Visitor; step: number }> = [];
  for (let b = 0; b < count; b++) {
    const items: Json[] = [];
    for (let i = 0; i < perBatch; i++) {
      // Visits end and new ones begin, so ids and campaigns keep changing across bodies.
      if (live.length < 5 || r() < 0.08) live.push({ v: visitor(r), step: 0 });
      const slot = Math.floor(r() * live.length);
      const visit = live[slot]!;
      const at = new Date(now - Math.floor(r() * 5000)).toISOString();
      const msg = message(r, visit.v, visit.step++, `${runTag}-${TOKEN}-${i}`, at);
      if (visit.step > 12) live.splice(slot, 1);
      items.push(msg);
      singles.push({ path: `/v1/${String(msg.type)}`, template: JSON.stringify({ ...msg, sentAt: new Date(now).toISOString() }).split(TOKEN) });
    }
    batches.push(JSON.stringify({ batch: items, sentAt: new Date(now).toISOString() }).split(TOKEN));
  }
  return { batches, singles };
}
