import type { StoredEvent } from '../../db/list-events.ts';

/** The stored event as Segment's debugger would show it, plus what Vista derived. */
export function presentEvent(row: StoredEvent) {
  return {
    messageId: row.messageId,
    type: row.type,
    event: row.event ?? undefined,
    name: row.name ?? undefined,
    anonymousId: row.anonymousId,
    userId: row.userId,
    previousId: row.previousId ?? undefined,
    groupId: row.groupId ?? undefined,
    sourceId: row.sourceId,
    timestamp: row.timestamp,
    originalTimestamp: row.originalTimestamp,
    sentAt: row.sentAt,
    receivedAt: row.receivedAt,
    properties: row.properties ?? undefined,
    traits: row.traits ?? undefined,
    context: row.context,
    enrichment: {
      url: row.url,
      path: row.path,
      referrer: row.referrer,
      referrerHost: row.referrerHost,
      channel: row.channel,
      campaign: {
        source: row.utmSource,
        medium: row.utmMedium,
        name: row.utmCampaign,
        term: row.utmTerm,
        content: row.utmContent,
      },
      clickId: row.clickIdType ? { type: row.clickIdType, value: row.clickId } : null,
      device: {
        type: row.deviceType,
        vendor: row.deviceVendor,
        model: row.deviceModel,
        browser: row.browser,
        browserVersion: row.browserVersion,
        engine: row.engine,
        os: row.os,
        osVersion: row.osVersion,
      },
      country: row.country,
      ip: row.ip,
      isBot: row.isBot,
    },
  };
}
