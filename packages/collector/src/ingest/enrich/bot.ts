import { isbot } from 'isbot';

/**
 * Server-side Segment libraries send no user agent at all, so a missing or blank UA
 * means "not a browser", not "a crawler"; only an explicit bot signature flags it.
 */
export function isBotAgent(userAgent: string | undefined): boolean {
  if (userAgent === undefined || userAgent.trim() === '') return false;
  return isbot(userAgent);
}
