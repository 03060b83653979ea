import { USER_AGENTS } from './user-agents.ts';

/**
 * The shapes of realistic Segment messages from a shop's website, shared by the load test's
 * request pool (events.ts) and the workspace seeder (seed-traffic.ts): a browser (device),
 * how a visit arrived (campaign, referrer), pages, ecommerce tracks, identify with an email.
 */
export type Json = Record<string, unknown>;
export type Random = () => number;

/** mulberry32: tiny, fast, and good enough to vary test data reproducibly. */
export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: Random, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

export function hex(r: Random, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
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
const PRODUCTS: ReadonlyArray<{ product_id: string; name: string; price: number; category: string }> = [
  { product_id: 'sku_101', name: 'Trail Runner 3', price: 139.9, category: 'Running' },
  { product_id: 'sku_102', name: 'City Sneaker', price: 89.9, category: 'Lifestyle' },
  { product_id: 'sku_103', name: 'Wool socks (3 pack)', price: 19.9, category: 'Accessories' },
  { product_id: 'sku_104', name: 'Marathon Pro', price: 179, category: 'Running' },
  { product_id: 'sku_105', name: 'Rain jacket', price: 119, category: 'Apparel' },
  { product_id: 'sku_106', name: 'Insoles', price: 24.5, category: 'Accessories' },
];
const BROWSE: ReadonlyArray<[string, (r: Random) => Json]> = [
  ['Product Viewed', (r) => ({ ...product(r), currency: 'EUR' })],
  ['Product Viewed', (r) => ({ ...product(r), currency: 'EUR' })],
  ['Product Added', (r) => ({ ...product(r), quantity: 1 + Math.floor(r() * 3), currency: 'EUR' })],
  ['Products Searched', (r) => ({ query: pick(r, ['trail shoes', 'socks', 'rain jacket', 'size 44']) })],
  ['Newsletter Subscribed', () => ({ list: 'weekly', placement: 'footer' })],
  ['Video Played', (r) => ({ video_id: `v${Math.floor(r() * 40)}`, position: Math.floor(r() * 120) })],
];
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'nl-NL', 'it-IT', 'pt-BR'];
const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Europe/Paris', 'America/Los_Angeles', 'Europe/Madrid'];
const SCREENS: ReadonlyArray<[number, number]> = [[390, 844], [414, 896], [360, 800], [1920, 1080], [1440, 900], [2560, 1440]];
const FIRST_NAMES = ['Ana', 'Ben', 'Chloé', 'Deniz', 'Emeka', 'Fatima', 'Greta', 'Hiro'];

function product(r: Random): Json {
  const p = pick(r, PRODUCTS);
  return { product_id: p.product_id, sku: p.product_id, name: p.name, price: p.price, category: p.category };
}

/** One browser: its anonymousId and what it says about itself, the same on every visit. */
export interface Device { anonymousId: string; userAgent: string; locale: string; timezone: string; screen: Json }

export function newDevice(r: Random): Device {
  const id = hex(r, 32);
  const [width, height] = pick(r, SCREENS);
  return {
    anonymousId: `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-a${id.slice(17, 20)}-${id.slice(20)}`,
    userAgent: pick(r, USER_AGENTS), locale: pick(r, LOCALES), timezone: pick(r, ZONES),
    screen: { width, height, density: width < 500 ? 3 : 1 },
  };
}

/** How one visit arrived: a campaign (utm tags, click id), a referrer, or directly. */
export interface Arrival { campaign?: Campaign; search: string; referrer: string }

export function newArrival(r: Random): Arrival {
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
  return { campaign, search: query.size > 0 ? `?${query.toString()}` : '', referrer };
}

/** Who sends a message: the browser, the visit, and the userId once the person has logged in. */
export interface Sender { device: Device; arrival: Arrival; userId?: string }

export type Kind = 'page' | 'browse' | 'identify' | 'cart' | 'checkout' | 'order';

/** An order's lines; the cart, checkout and order messages of one purchase share them. */
export function newOrder(r: Random): Json {
  const products: Json[] = Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({ ...product(r), quantity: 1 + Math.floor(r() * 2) }));
  const revenue = Math.round(products.reduce((sum, p) => sum + Number(p.price) * Number(p.quantity), 0) * 100) / 100;
  return { order_id: `o_${hex(r, 12)}`, revenue, currency: 'EUR', products, coupon: r() < 0.3 ? 'WELCOME10' : null };
}

/** One message. `step` 0 is the landing page, which carries the visit's attribution. */
export function message(r: Random, s: Sender, kind: Kind, step: number, messageId: string, timestamp: string, order?: Json): Json {
  const [path, title] = kind === 'page' && step === 0 ? pick(r, PAGES.slice(0, 8)) : pick(r, PAGES);
  const search = step === 0 ? s.arrival.search : '';
  const page = { path, url: `${SITE}${path}${search}`, referrer: step === 0 ? s.arrival.referrer : `${SITE}/`, title, search };
  const { device, arrival } = s;
  const context: Json = {
    page, userAgent: device.userAgent, locale: device.locale, timezone: device.timezone, screen: device.screen,
    library: { name: 'analytics.js', version: 'npm:next-1.72.0' },
  };
  const c = arrival.campaign;
  if (c) context.campaign = { name: c.name, source: c.source, medium: c.medium, term: c.term, content: c.content };
  const base = { messageId, anonymousId: device.anonymousId, userId: s.userId, timestamp, context };
  if (kind === 'page') return { ...base, type: 'page', name: title, properties: page };
  if (kind === 'identify' && s.userId) {
    const traits = { email: `${s.userId}@example.org`, plan: pick(r, ['free', 'pro', 'team']), first_name: pick(r, FIRST_NAMES) };
    return { ...base, type: 'identify', traits };
  }
  if (kind === 'cart' || kind === 'checkout' || kind === 'order') {
    const o = order ?? newOrder(r);
    if (kind === 'cart') return { ...base, type: 'track', event: 'Cart Viewed', properties: { products: o.products } };
    return { ...base, type: 'track', event: kind === 'order' ? 'Order Completed' : 'Checkout Started', properties: o };
  }
  const [event, props] = pick(r, BROWSE);
  return { ...base, type: 'track', event, properties: props(r) };
}
