import type { EventRow } from '../db/schema.ts';
import type { ProfileEvent } from './types.ts';

/** The columns a profile is built from: a row just written, or one read back with profileEventColumns. */
export type ProfileSource = Pick<EventRow, 'messageId' | 'type' | 'timestamp' | 'sourceId' | 'channel'>
  & Partial<Pick<EventRow, 'event' | 'name' | 'utmSource' | 'utmMedium' | 'utmCampaign' | 'referrer' | 'referrerHost' | 'url' | 'path'
    | 'deviceType' | 'browser' | 'os' | 'country' | 'isBot' | 'properties' | 'traits' | 'context'>>;

/**
 * One event as the profile builder takes it. A row just stored and the same row read back give
 * the same value, so folding at ingest equals folding after a round trip.
 */
export function toProfileEvent(row: ProfileSource): ProfileEvent {
  const context = row.context;
  return {
    messageId: row.messageId,
    type: row.type as ProfileEvent['type'],
    event: row.event ?? null,
    name: row.name ?? null,
    timestamp: row.timestamp.toISOString(),
    sourceId: row.sourceId,
    channel: row.channel,
    utmSource: row.utmSource ?? null,
    utmMedium: row.utmMedium ?? null,
    utmCampaign: row.utmCampaign ?? null,
    referrer: row.referrer ?? null,
    referrerHost: row.referrerHost ?? null,
    url: row.url ?? null,
    path: row.path ?? null,
    deviceType: row.deviceType ?? null,
    browser: row.browser ?? null,
    os: row.os ?? null,
    country: row.country ?? null,
    isBot: row.isBot ?? false,
    properties: row.properties ?? null,
    // Group traits describe the group (a company), not the person.
    traits: row.type === 'group' ? null : (row.traits ?? null),
    // Only whether the person caused the message (R17) reaches the profile.
    context: context?.active === false ? { active: false } : null,
  };
}
