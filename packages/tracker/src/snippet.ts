// The snippet to paste into a page: a queue stub (calls made before the script loads are kept and
// replayed in order, and none can throw) followed by the script, loaded asynchronously.
import type { Init } from './config';

export const STUB = 'window.vista=window.vista||function(){(vista.q=vista.q||[]).push(arguments)}';

const esc = (s: unknown): string => String(s).replace(/[&"<>]/g, (c) => '&#' + c.charCodeAt(0) + ';');

/** data-* attribute name of an option: data-key, data-api, else kebab-case (data-flush-at). */
export const attributeName = (option: string): string =>
  'data-' + (option == 'writeKey' ? 'key' : option == 'apiHost' ? 'api' : option.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));

/** The HTML snippet loading the script from `src` with `options` as data-* attributes. */
export function snippet(src = '/v.js', options: Init = {}): string {
  let attrs = '';
  for (const [k, v] of Object.entries(options))
    attrs += ' ' + attributeName(k) + '="' + esc(Array.isArray(v) ? v.join(',') : v) + '"';
  return '<script>' + STUB + '</script>\n<script async src="' + esc(src) + '"' + attrs + '></script>\n';
}
