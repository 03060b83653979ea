import type { EventRow } from '../db/schema.ts';
import { isBotAgent } from './enrich/bot.ts';
import { extractCampaign } from './enrich/campaign.ts';
import { classifyChannel } from './enrich/channel.ts';
import { correctTimestamp } from './enrich/clock.ts';
import { storedIp, type IpMode } from './enrich/ip.ts';
import { parseUserAgent, type ClientHints } from './enrich/user-agent.ts';
import type { CleanIdentifiers } from '../identity/clean.ts';
import type { Message } from './messages/index.ts';

/** What the collector knows about the request a message came in. */
export interface Arrival {
  workspaceId: string;
  sourceId: string;
  receivedAt: Date;
  /** The batch's `sentAt`, used when an item has none of its own (R2). */
  batchSentAt?: string;
  /** Country and IP of the sender, known only when a browser sent the request itself. */
  country: string | null;
  ip: string | null;
  ipMode: IpMode;
}

type Json = Record<string, unknown>;

function objectAt(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function stringAt(...candidates: unknown[]): string | undefined {
  for (const value of candidates) if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/** Turns a validated message into the stored row: ids, corrected time, and enrichment. */
export function toEventRow(message: Message, arrival: Arrival, ids: CleanIdentifiers): EventRow {
  const { ip: contextIp, ...context } = objectAt(message.context);
  const properties = 'properties' in message ? (message.properties as Json | undefined) : undefined;
  const traits = 'traits' in message ? (message.traits as Json | undefined) : undefined;
  const pageProps = message.type === 'page' ? objectAt(properties) : {};
  const page = objectAt(context.page);
  const url = stringAt(pageProps.url, page.url);
  const referrer = stringAt(pageProps.referrer, page.referrer);
  const userAgent = stringAt(context.userAgent);
  const campaign = extractCampaign({ campaign: objectAt(context.campaign), url, referrer });
  const hasPage = url !== undefined || message.type === 'page' || message.type === 'screen';
  const device = parseUserAgent(userAgent, context.userAgentData as ClientHints | undefined);
  const sentAt = message.sentAt ?? arrival.batchSentAt;
  const isBot = isBotAgent(userAgent);

  return {
    workspaceId: arrival.workspaceId,
    sourceId: arrival.sourceId,
    messageId: message.messageId || `vista-${crypto.randomUUID()}`,
    type: message.type,
    event: message.type === 'track' ? message.event : null,
    name: message.type === 'page' || message.type === 'screen' ? (message.name ?? null) : null,
    anonymousId: ids.anonymousId,
    userId: ids.userId,
    email: ids.email,
    // Bots are stored but belong to no profile.
    ownerId: message.type === 'alias' || isBot ? null : (ids.userId ?? ids.anonymousId),
    previousId: ids.previousId,
    groupId: message.type === 'group' ? message.groupId : null,
    timestamp: correctTimestamp({
      timestamp: message.timestamp,
      originalTimestamp: message.originalTimestamp,
      sentAt,
      receivedAt: arrival.receivedAt,
    }),
    originalTimestamp: message.originalTimestamp ?? message.timestamp ?? null,
    sentAt: sentAt ? new Date(sentAt) : null,
    receivedAt: arrival.receivedAt,
    url: url ?? null,
    path: stringAt(pageProps.path, page.path) ?? pathOf(url) ?? null,
    referrer: referrer ?? null,
    referrerHost: campaign.referrerHost,
    utmSource: campaign.source,
    utmMedium: campaign.medium,
    utmCampaign: campaign.name,
    utmTerm: campaign.term,
    utmContent: campaign.content,
    clickIdType: campaign.clickIdType,
    clickId: campaign.clickId,
    channel: classifyChannel({ ...campaign, hasPage }),
    ...device,
    country: arrival.country,
    ip: storedIp(stringAt(contextIp) ?? arrival.ip, arrival.ipMode),
    isBot,
    properties: properties ?? null,
    traits: traits ?? null,
    context,
  };
}
