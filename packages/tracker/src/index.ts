// createVista: the tracker behind one command function, vista('track', ...). One per page: the
// modules keep their state at module level (what a script tag needs, and the smallest code).
import { configure, type Init } from './config';
import { blocked, Consent, consentAfter, setConsent } from './consent';
import { adopt } from './crossdomain';
import { identify, msg, track } from './events';
import { anonymousId, uuid } from './identity';
import { on } from './listen';
import { loadQueue } from './queue';
import { get, read, set, write } from './storage';
import { flush } from './transport';
import { installClicks } from './autocapture/clicks';
import { installEngagement, reportEngagement } from './autocapture/engagement';
import { installForms } from './autocapture/forms';
import { initPage, installPageviews, page } from './autocapture/pageviews';
// Imported last: the order of imports sets the order of modules in dist/v.js, and this one saves
// 8 bytes gzip (src/size.test.ts).
import { initContext } from './context';
import type { Props } from './types';

export type { Init, Options } from './config';
export type { Message, Props } from './types';
export { snippet } from './snippet';

declare const __DEBUG__: boolean;

/** The commands and their arguments. */
export interface Commands {
  init: [options: Init];
  page: [name?: string, properties?: Props];
  track: [event: string, properties?: Props];
  identify: [userId?: string | null, traits?: Props];
  alias: [newId: string, previousId?: string];
  group: [groupId: string, traits?: Props];
  reset: [];
  consent: [state: 'granted' | 'denied'];
  optout: [];
  flush: [];
}

export type Vista = <C extends keyof Commands>(command: C, ...args: Commands[C]) => void;

type Handlers = { [C in Exclude<keyof Commands, 'init'>]: (...args: Commands[C]) => void };

const handlers: Handlers = {
  page,
  track,
  identify,
  alias: (to, from) => msg('alias', { userId: to, previousId: from || get('vista_u') || anonymousId() }),
  group: (groupId, traits) => msg('group', { groupId, traits }),
  reset: () => {
    set('vista_i', uuid());
    set('vista_u', null);
  },
  consent: (state) => {
    setConsent(consentAfter(state));
    flush();
  },
  optout: () => {
    write('vista_o', '1');
    setConsent(Consent.DENIED);
  },
  flush,
};

/**
 * Starts tracking with `options`; truthy once started. An automated browser or a privacy signal:
 * the tracker does nothing at all (it never starts, so every call is ignored).
 */
function start(options: Init): unknown {
  configure(options);
  if (!blocked(navigator)) {
    setConsent(read('vista_o') ? Consent.DENIED : consentAfter(0, options.requireConsent));
    set('vista_i', adopt() || anonymousId()); // written again: cookie and localStorage restore each other
    loadQueue();
    initContext();
    initPage();
    installPageviews();
    installClicks();
    installForms();
    installEngagement();
    const hide = (): void => {
      reportEngagement();
      flush(1);
    };
    on('pagehide', hide);
    on('visibilitychange', () => document.hidden && hide());
    flush(); // events earlier pages left unacknowledged
    return 1;
  }
}

/**
 * Creates the tracker. It starts at once when `options.writeKey` is given, else at the first
 * vista('init', options) (in a blocked browser, never); calls before it starts are ignored (the
 * script tag merges queued init calls into its options before it replays the queue). No call
 * throws.
 */
export function createVista(options: Init = {}): Vista {
  let started: unknown;
  const vista = (command: string, ...args: unknown[]): void => {
    try {
      if (command == 'init') started ||= start({ ...options, ...(args[0] as Init) });
      else if (started) (handlers[command as keyof Handlers] as ((...a: unknown[]) => void) | undefined)?.(...args);
    } catch (e) {
      if (__DEBUG__) console.error('[vista]', command, e);
    }
  };
  if (options.writeKey) vista('init');
  return vista as Vista;
}
