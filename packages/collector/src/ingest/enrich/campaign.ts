export type ClickIdType = 'gclid' | 'gbraid' | 'wbraid' | 'fbclid' | 'msclkid' | 'ttclid' | 'li_fat_id';

export interface CampaignInput {
  /** Segment's `context.campaign`: {name, source, medium, term, content}, or utm_* keys. */
  campaign?: Record<string, unknown>;
  url?: string;
  referrer?: string;
}

export interface CampaignInfo {
  source: string | null;
  medium: string | null;
  name: string | null;
  term: string | null;
  content: string | null;
  clickIdType: ClickIdType | null;
  clickId: string | null;
  referrerHost: string | null;
  pageHost: string | null;
}

// Order matters: when a URL carries several click ids, the first one listed here is reported.
const CLICK_IDS: readonly ClickIdType[] = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id'];
const MAX_LENGTH = 255;

type Field = 'source' | 'medium' | 'name' | 'term' | 'content';
// Segment's own key first, then the raw utm_* spelling some clients forward unchanged.
const FIELDS: readonly [Field, string, string][] = [
  ['source', 'source', 'utm_source'],
  ['medium', 'medium', 'utm_medium'],
  ['name', 'name', 'utm_campaign'],
  ['term', 'term', 'utm_term'],
  ['content', 'content', 'utm_content'],
];

export function extractCampaign(input: CampaignInput): CampaignInfo {
  const page = parseUrl(input.url);
  const query = page ? lowerCaseParams(page.searchParams) : new Map<string, string>();
  const campaign = isRecord(input.campaign) ? input.campaign : {};

  const info: CampaignInfo = {
    source: null, medium: null, name: null, term: null, content: null,
    clickIdType: null, clickId: null,
    referrerHost: host(parseUrl(input.referrer)),
    pageHost: host(page),
  };
  for (const [field, key, utmKey] of FIELDS) {
    // context.campaign is what the client library decided to report, so it outranks the raw URL.
    info[field] = clean(campaign[key]) ?? clean(campaign[utmKey]) ?? clean(query.get(utmKey));
  }
  for (const type of CLICK_IDS) {
    const id = clean(query.get(type));
    if (id !== null) {
      info.clickIdType = type;
      info.clickId = id;
      break;
    }
  }
  return info;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Tagging by hand produces UTM_Source and GCLID; the first spelling seen wins.
function lowerCaseParams(params: URLSearchParams): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, value] of params) {
    const lower = key.toLowerCase();
    if (!map.has(lower) && value.trim() !== '') map.set(lower, value);
  }
  return map;
}

function clean(value: unknown): string | null {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return null;
  text = text.trim();
  if (text === '') return null;
  if (text.length <= MAX_LENGTH) return text;
  text = text.slice(0, MAX_LENGTH);
  // Never leave half of a surrogate pair at the cut; it would be invalid UTF-16 in storage.
  return /[\uD800-\uDBFF]$/.test(text) ? text.slice(0, -1) : text;
}

function parseUrl(raw: string | undefined): URL | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '') return null;
  try {
    return new URL(text);
  } catch {
    // Some clients send a bare host ("www.google.com/"); read it as https rather than lose it.
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]|$)/i.test(text)) return null;
    try {
      return new URL(`https://${text}`);
    } catch {
      return null;
    }
  }
}

function host(url: URL | null): string | null {
  if (!url) return null;
  const name = url.hostname.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
  return name === '' ? null : name;
}
