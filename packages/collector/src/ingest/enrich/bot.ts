import { isbot } from 'isbot';

/** The same few hundred user agents repeat; isbot's large regex costs more than a lookup. */
const cache = new Map<string, boolean>();
const MAX_CACHED = 2_000;

/**
 * Server-side Segment libraries send no user agent at all, so a missing or blank UA
 * means "not a browser", not "a crawler"; only an explicit bot signature flags it.
 */
export function isBotAgent(userAgent: string | undefined): boolean {
  if (userAgent === undefined || userAgent.trim() === '') return false;
  let bot = cache.get(userAgent);
  if (bot === undefined) {
    bot = isbot(userAgent);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(userAgent, bot);
  }
  return bot;
}
