// Consent and privacy signals. In consent-required mode the tracker starts PENDING: nothing is
// stored or sent, events wait in memory; GRANTED sends them, DENIED drops them and all that follow.
import type { Init } from './config';

export const PENDING = 0;
export const GRANTED = 1;
export const DENIED = 2;
export type Consent = typeof PENDING | typeof GRANTED | typeof DENIED;

/** Consent at load: granted unless required and not granted on an earlier page. */
export const initialConsent = (required: unknown, grantedBefore: unknown): Consent =>
  !required || grantedBefore ? GRANTED : PENDING;

/** The state after vista('consent', signal): anything but 'granted' denies. */
export const nextConsent = (signal: unknown): Consent => (signal == 'granted' ? GRANTED : DENIED);

/**
 * Whether this browser must not be tracked at all: an automated browser (unless allowed), or one
 * sending Global Privacy Control or Do Not Track (unless the site chose not to honour them).
 */
export const blocked = (o: Init, n: Navigator): boolean =>
  (!!n.webdriver && !o.allowAutomation) || (o.privacySignals !== false && (!!n.globalPrivacyControl || n.doNotTrack == '1'));
