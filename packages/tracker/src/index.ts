// createVista: the whole tracker behind one command function, vista('track', ...). One per page:
// modules keep their state at module level (what a script tag needs, and the smallest code).
import { campaignOf, cleanUrl } from './campaign';
import { defaults, type Init, type Options } from './config';
import { blocked, GRANTED, initialConsent, keeps, mayStore, nextConsent, type Consent } from './consent';
import { context, currentPage, initContext, setPage } from './context';
import { adopt } from './crossdomain';
import { anonymousId, initIdentity, resetIdentity, setUserId, userId, uuid } from './identity';
import { drop, enqueue, loadQueue } from './queue';
import { endSession, touch } from './session';
import { read, set, setPersist, wipe, write } from './storage';
import { flush, flushHidden, initTransport, schedule } from './transport';
import { installClicks } from './autocapture/clicks';
import { engagement, installEngagement, restartEngagement } from './autocapture/engagement';
import { installForms } from './autocapture/forms';
import { installPageviews, markViewed } from './autocapture/pageviews';
import type { Message, Props } from './types';

export type { Init, Options } from './config';
export type { Message, Props } from './types';
export { snippet } from './snippet';

declare const __DEBUG__: boolean;

/** The commands and their arguments. */
export interface Commands {
  init: [options: Init];
  page: [name?: string | Props, properties?: Props];
  track: [event: string, properties?: Props];
  identify: [userId?: string | Props | null, traits?: Props];
  alias: [newId: string, previousId?: string];
  group: [groupId: string, traits?: Props];
  reset: [];
  consent: [state: 'granted' | 'denied'];
  optout: [on?: boolean];
  flush: [];
}

export type Vista = <C extends keyof Commands>(command: C, ...args: Commands[C]) => void;

type Handlers = { [C in Exclude<keyof Commands, 'init'>]: (...args: Commands[C]) => void };

const OPTOUT = 'vista_o';
const CONSENT = 'vista_c';

/**
 * Creates the tracker. It starts at once when `options.writeKey` is given, else at the first
 * vista('init', options); calls made before are kept and run then, in order. No call throws.
 */
export function createVista(options: Init = {}): Vista {
  let o: Options | undefined;
  let live = false; // started, and this browser may be tracked at all
  let off = false; // opted out
  let consent: Consent = GRANTED;
  let referrer = '';
  const early: [string, unknown[]][] = [];

  const persist = (): void => setPersist(mayStore(consent, o!.cookieless) && !off, o!.cookieDomain);

  function msg(type: string, fields: Partial<Message>): void {
    if (off || !keeps(consent)) return;
    const now = Date.now();
    const p = currentPage();
    const s = touch(now, campaignOf(location.search), p.url as string, p.referrer as string);
    enqueue({
      type,
      messageId: uuid(),
      anonymousId: anonymousId(),
      userId: userId(),
      timestamp: new Date(now).toISOString(),
      context: context({ campaign: s.c, sessionId: s.i, landing: { url: s.l, referrer: s.r } }),
      ...fields,
    });
    schedule();
  }

  const track = (event: string, properties?: Props): void => msg('track', { event, properties });

  const identify = (id?: string | Props | null, traits?: Props): void => {
    if (id && typeof id == 'object') {
      traits = id;
      id = undefined;
    }
    if (id) setUserId(String(id));
    msg('identify', { traits });
  };

  /** Reports engagement with the page being left. */
  const leave = (): void => {
    const e = o!.engagement && engagement();
    if (e) track('Page Engagement', e);
  };

  const page = (name?: string | Props, properties?: Props): void => {
    if (name && typeof name == 'object') {
      properties = name;
      name = undefined;
    }
    leave();
    const p = setPage(referrer, o!.queryParams, o!.hash);
    referrer = p.url as string;
    markViewed();
    restartEngagement();
    msg('page', { name, properties: { ...p, ...properties } });
  };

  const handlers: Handlers = {
    page,
    track,
    identify,
    alias: (to, from) => msg('alias', { userId: to, previousId: from || userId() || anonymousId() }),
    group: (groupId, traits) => msg('group', { groupId, traits }),
    reset: () => {
      resetIdentity();
      endSession();
    },
    consent: (state) => {
      consent = nextConsent(state);
      if (consent == GRANTED) {
        persist();
        set(CONSENT, '1');
        flush();
      } else {
        wipe();
        drop();
      }
    },
    optout: (on = true) => {
      write(OPTOUT, on ? '1' : null);
      off = on;
      if (on) {
        wipe();
        drop();
      } else persist();
    },
    flush,
  };

  function start(init: Init): void {
    const c: Options = (o = { ...defaults, ...init });
    if (blocked(c, navigator)) return;
    live = true;
    off = !!read(OPTOUT);
    consent = initialConsent(c.requireConsent, !!read(CONSENT));
    persist();
    initIdentity(adopt());
    loadQueue(c.maxQueue);
    initTransport(c.apiHost + c.ingestPath + '?key=' + encodeURIComponent(c.writeKey), c.flushAt, c.flushInterval, () => consent == GRANTED && !off);
    initContext();
    setPage((referrer = cleanUrl(document.referrer, c.queryParams)), c.queryParams, c.hash);
    if (c.pageviews) installPageviews(c.hash, page);
    if (c.clicks) installClicks(track, c.queryParams, c.domains, anonymousId);
    if (c.forms) installForms(track, identify, c.formValues);
    if (c.engagement) installEngagement();
    const hide = (): void => {
      leave();
      flushHidden();
    };
    addEventListener('pagehide', hide);
    document.addEventListener('visibilitychange', () => document.hidden && hide());
    schedule(); // events earlier pages left unsent
  }

  const vista = (command: string, ...args: unknown[]): void => {
    try {
      if (command == 'init') {
        if (!o) {
          start({ ...options, ...(args[0] as Init) });
          for (const [c, a] of early.splice(0)) vista(c, ...a);
        }
      } else if (!o) early.push([command, args]);
      else if (live) (handlers[command as keyof Handlers] as (...a: unknown[]) => void)?.(...args);
    } catch (e) {
      if (__DEBUG__) console.error('[vista]', command, e);
    }
  };
  if (options.writeKey) start(options);
  return vista as Vista;
}
