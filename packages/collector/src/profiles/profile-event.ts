import type { EventRow } from '../db/schema.ts';
import type { ProfileEvent } from './types.ts';
import { isRecord } from './values.ts';

/** The columns a profile is built from: a row just written, or one read back with profileEventColumns. */
export type ProfileSource = Pick<EventRow, 'messageId' | 'type' | 'timestamp' | 'sourceId' | 'channel'>
  & Partial<Pick<EventRow, 'event' | 'name' | 'utmSource' | 'utmMedium' | 'utmCampaign' | 'referrer' | 'referrerHost' | 'url' | 'path'
    | 'deviceType' | 'browser' | 'os' | 'country' | 'isBot' | 'properties' | 'traits' | 'context'>>;

/**
 * The properties a profile reads (interests, purchases, sessions, R15's trait operators). The
 * rest is page or event data no builder looks at: a page event's properties repeat its URL, path,
 * title and referrer, and carried along they were most of what a catch-up parsed and collected.
 */
export const PROFILE_PROPERTIES = ['category', 'engaged_ms', 'order_id', 'revenue', 'total', 'currency', 'products', '$set', '$set_once', '$unset'] as const;

/** Those properties, by position (PROFILE_PROPERTIES' order); null and absent alike dropped (every builder treats them alike), null when none is left. */
export function profileProperties(values: readonly unknown[]): Record<string, unknown> | null {
  let out: Record<string, unknown> | null = null;
  for (const [i, value] of values.entries()) {
    if (value !== null && value !== undefined) (out ??= {})[PROFILE_PROPERTIES[i]!] = value;
  }
  return out;
}

/** The same from an event's whole properties, as stored. */
export const propertiesProfilesRead = (properties: unknown): Record<string, unknown> | null =>
  isRecord(properties) ? profileProperties(PROFILE_PROPERTIES.map((k) => (Object.hasOwn(properties, k) ? properties[k] : undefined))) : null;

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
    properties: propertiesProfilesRead(row.properties),
    // Group traits describe the group (a company), not the person.
    traits: row.type === 'group' ? null : (row.traits ?? null),
    // Only whether the person caused the message (R17) reaches the profile.
    context: context?.active === false ? { active: false } : null,
  };
}
