import type { Timed } from './canonical.ts';
import { carriesAcquisition } from './tally.ts';
import type { Acquisition } from './types.ts';
import { text } from './values.ts';

function acquisitionOf({ event: e }: Timed): Acquisition {
  return {
    channel: e.channel,
    source: text(e.utmSource),
    medium: text(e.utmMedium),
    campaign: text(e.utmCampaign),
    referrer: text(e.referrer),
    referrerHost: text(e.referrerHost),
    landingPage: text(e.url) ?? text(e.path),
  };
}

/**
 * R17: `initial` is set-once (the first event in canonical order that says how the person
 * arrived), `last` is set (the last such event). Events without acquisition data are skipped
 * rather than recorded as "unknown", so a server-side purchase does not erase the last touch.
 */
export interface Acquisitions {
  initial: Acquisition | null;
  last: Acquisition | null;
}

/** `prior` continues an earlier fold whose events all sort before these. */
export function buildAcquisition(events: readonly Timed[], prior: Acquisitions = { initial: null, last: null }): Acquisitions {
  const first = events.find(carriesAcquisition);
  const last = events.findLast(carriesAcquisition);
  return {
    initial: prior.initial ?? (first === undefined ? null : acquisitionOf(first)),
    last: last === undefined ? prior.last : acquisitionOf(last),
  };
}
