import type { ProfileEvent } from './types.ts';

/** Test fixtures only. `T(n)` = 2026-03-01T09:00:00Z + n minutes, as in identity.md. */
export const BASE_MS = Date.parse('2026-03-01T09:00:00.000Z');
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export function T(minutes: number): string {
  return new Date(BASE_MS + minutes * MINUTE).toISOString();
}

export function D(days: number): string {
  return new Date(BASE_MS + days * DAY).toISOString();
}

let counter = 0;

/** A plain, non-bot track event at T0; override whatever the test is about. */
export function ev(over: Partial<ProfileEvent> = {}): ProfileEvent {
  counter++;
  return {
    messageId: `m${String(counter).padStart(6, '0')}`,
    type: 'track', event: 'Clicked', name: null, timestamp: T(0), sourceId: 'web', channel: 'unknown',
    utmSource: null, utmMedium: null, utmCampaign: null, referrer: null, referrerHost: null,
    url: null, path: null, deviceType: null, browser: null, os: null, country: null,
    isBot: false, properties: null, traits: null, context: null,
    ...over,
  };
}

export function identify(traits: Record<string, unknown>, over: Partial<ProfileEvent> = {}): ProfileEvent {
  return ev({ type: 'identify', event: null, traits, ...over });
}

export function page(over: Partial<ProfileEvent> = {}): ProfileEvent {
  return ev({ type: 'page', event: null, channel: 'direct', ...over });
}

export function track(event: string, properties: Record<string, unknown> | null = null, over: Partial<ProfileEvent> = {}): ProfileEvent {
  return ev({ type: 'track', event, properties, ...over });
}
