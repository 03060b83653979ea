// Segment messages: every event gets its ids, time and context here, and joins the outgoing queue.
// Nothing is kept once consent is denied or the visitor opted out.
import { Consent, consent } from './consent';
import { context } from './context';
import { anonymousId, uuid } from './identity';
import { enqueue } from './queue';
import { touch } from './session';
import { get, set } from './storage';
import { schedule } from './transport';
import type { Message, Props } from './types';

export function msg(type: string, fields: Partial<Message>): void {
  if (consent != Consent.DENIED) {
    const now = new Date();
    enqueue({
      type,
      messageId: uuid(),
      anonymousId: anonymousId(),
      userId: get('vista_u'), // null after reset(): the collector treats it as absent
      timestamp: now,
      context: context(touch(+now)),
      ...fields,
    });
    schedule();
  }
}

export const track = (event: string, properties?: Props): void => msg('track', { event, properties });

/** identify: remembers the user id, if given, for the events that follow. */
export function identify(userId?: string | null, traits?: Props): void {
  if (userId) set('vista_u', userId);
  msg('identify', { traits });
}
