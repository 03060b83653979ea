// Consent and privacy signals. In consent-required mode the tracker starts PENDING: nothing is
// stored or sent, events wait in memory; GRANTED sends them, DENIED drops them and all that follow
// (opting out is a lasting denial).
import { o } from './config';
import { save } from './queue';
import { setPersist, wipe } from './storage';

export const enum Consent {
  PENDING,
  GRANTED,
  DENIED,
}

/** The consent state in force. */
export let consent: Consent;

/**
 * The state after vista('consent', signal) (anything but 'granted' denies), or, with no signal,
 * at page load: pending when consent is required, else granted. (Consent is not remembered:
 * consent managers signal it on every page.)
 */
export const consentAfter = (signal: unknown, required?: unknown): Consent =>
  signal ? (signal == 'granted' ? Consent.GRANTED : Consent.DENIED) : required ? Consent.PENDING : Consent.GRANTED;

/** Enters state `c`: storage is used only once granted (and never when cookieless); a denial forgets everything. */
export function setConsent(c: Consent): void {
  if ((consent = c) == Consent.DENIED) {
    save([]);
    wipe();
  }
  setPersist(c == Consent.GRANTED && !o.cookieless);
}

/**
 * Whether this browser must not be tracked at all: an automated browser (unless allowed), or one
 * sending Global Privacy Control or Do Not Track (unless the site chose not to honour them).
 */
export const blocked = (n: Navigator): unknown =>
  (n.webdriver && !o.allowAutomation) || (o.privacySignals != false && (n.globalPrivacyControl || n.doNotTrack == '1'));
