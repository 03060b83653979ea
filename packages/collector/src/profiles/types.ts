/** One stored message of a profile, as the profile store hands it over (already enriched). */
export interface ProfileEvent {
  messageId: string;
  type: 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';
  event: string | null;      // track event name
  name: string | null;       // page/screen name
  timestamp: string;         // ISO, already clock-corrected
  sourceId: string;
  channel: string;           // direct|organic_search|paid_search|organic_social|paid_social|email|affiliate|display|referral|sms|push|unknown
  utmSource: string | null; utmMedium: string | null; utmCampaign: string | null;
  referrer: string | null; referrerHost: string | null;
  url: string | null; path: string | null;
  deviceType: string | null; browser: string | null; os: string | null; country: string | null;
  isBot: boolean;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;   // identify traits (group traits are NOT person traits: the caller passes null for group messages)
  context: Record<string, unknown> | null;
}

export interface ProfileStats {
  events: number;
  pageViews: number;
  sessions: number;
  engagedMs: number;
  activeDays: number;
}

export interface Touchpoint {
  value: string;
  count: number;
  first: string;
  last: string;
}

export interface Touchpoints {
  sources: Touchpoint[];
  channels: Touchpoint[];
  campaigns: Touchpoint[];
  devices: Touchpoint[];
  browsers: Touchpoint[];
  os: Touchpoint[];
  countries: Touchpoint[];
}

export interface Acquisition {
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  referrer: string | null;
  referrerHost: string | null;
  landingPage: string | null;
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface ProductBought {
  id: string;
  name: string | null;
  count: number;
  revenue: number;
}

export interface Purchases {
  orders: number;
  revenue: number;
  currency: string | null;
  averageOrderValue: number | null;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  averageDaysBetweenOrders: number | null;
  products: ProductBought[];
  categories: ValueCount[];
}

export interface Reactivity {
  emailsReceived: number;
  emailsOpened: number;
  emailsClicked: number;
  openRate: number | null;
  clickRate: number | null;
  promotionsViewed: number;
  promotionsClicked: number;
  promotionsRedeemed: number;
  redemptionRate: number | null;
}

export interface Interest {
  category: string;
  count: number;
  last: string;
  decayedAtLast: number;
}

export interface ProfileFacts {
  firstSeen: string | null;
  lastSeen: string | null;
  traits: Record<string, unknown>;
  stats: ProfileStats;
  touchpoints: Touchpoints;
  initial: Acquisition | null;
  last: Acquisition | null;
  purchases: Purchases;
  reactivity: Reactivity;
  interests: Interest[];
  historicalValue: number;
}

export type LifecycleStage = 'visitor' | 'lead' | 'new_customer' | 'repeat_customer' | 'at_risk' | 'lapsed';

/**
 * What continuing a profile's fold needs beyond its facts. Stored beside the facts, so events
 * that sort after everything folded so far are added without reading the profile's history.
 */
export interface FoldState {
  /** Canonical key (R1) of the last non-bot event folded in; null before the first. */
  lastMs: number | null;
  lastMessageId: string | null;
  previousActive: number | null;
  lastActiveDay: string | null;
  /** Order ids already counted (later reports of one order are echoes). */
  orderIds: string[];
  currencies: ValueCount[];
}

export interface ProfileState {
  facts: ProfileFacts;
  fold: FoldState;
}
