// createVista: the tracker behind one command function, vista('track', ...). One per page: the
// modules keep their state at module level (what a script tag needs, and the smallest code).
import { configure, type Init } from './config';
import { blocked, Consent, consentAfter, setConsent } from './consent';
import { initContext } from './context';
import { adopt } from './crossdomain';
import { identify, msg, track } from './events';
import { ANON, anonymousId, USER, uuid } from './identity';
import { loadQueue } from './queue';
import { get, read, set, write } from './storage';
import { flush } from './transport';
import { installClicks } from './autocapture/clicks';
import { installEngagement, reportEngagement } from './autocapture/engagement';
import { installForms } from './autocapture/forms';
import { initPage, installPageviews, page } from './autocapture/pageviews';
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

const OPTOUT = 'vista_o';

let handlers: Partial<Handlers> = {
  page,
  track,
  identify,
  alias: (to, from) => msg('alias', { userId: to, previousId: from || get(USER) || anonymousId() }),
  group: (groupId, traits) => msg('group', { groupId, traits }),
  reset: () => {
    set(ANON, uuid());
    set(USER, null);
  },
  consent: (state) => {
    setConsent(consentAfter(state));
    flush();
  },
  optout: () => {
    write(OPTOUT, '1');
    setConsent(Consent.DENIED);
  },
  flush,
};

/** Starts tracking with `options`; true once started. */
function start(options: Init): true {
  configure(options);
  // An automated browser or a privacy signal: the tracker does nothing at all.
  if (blocked(navigator)) handlers = {};
  else {
    setConsent(read(OPTOUT) ? Consent.DENIED : consentAfter(0, options.requireConsent));
    set(ANON, adopt() || anonymousId()); // written again: cookie and localStorage restore each other
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
    addEventListener('pagehide', hide);
    addEventListener('visibilitychange', () => document.hidden && hide());
    flush(); // events earlier pages left unacknowledged
  }
  return true;
}

/**
 * Creates the tracker. It starts at once when `options.writeKey` is given, else at the first
 * vista('init', options); calls before it starts are ignored (the script tag merges queued init
 * calls into its options before it replays the queue). No call throws.
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
