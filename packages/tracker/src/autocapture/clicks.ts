// Clicks on links, buttons and elements marked data-vista-event (with data-vista-prop-* properties).
// A passive capture-phase listener that only reads: navigation is never delayed or prevented.
import { cleanUrl } from '../campaign';
import { decorate } from '../crossdomain';
import type { Props } from '../types';

const FILE = /\.(pdf|zip|docx?|xlsx?|pptx?|csv|txt|rtf|dmg|exe|msi|pkg|apk|mp3|mp4|mov|avi|7z|rar|gz|tar)$/i;
const TARGET = '[data-vista-event],a,button,[role=button],[type=submit],[type=button]';
const PROP = 'data-vista-prop-';

/** Properties of a click on `el`: tag, short text, id, and for links href, outbound and download. */
export function clickProps(el: HTMLElement, keep: string[]): Props {
  const p: Props = {
    tag: el.tagName.toLowerCase(),
    // A button's text, or the label of <input type=submit>; never what a visitor typed.
    text: (el.innerText || (el.matches('[type=submit],[type=button]') && (el as HTMLInputElement).value) || '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 100),
    id: el.id || undefined,
  };
  if (el instanceof HTMLAnchorElement && el.href) {
    p.href = cleanUrl(el.href, keep);
    p.outbound = el.hostname != location.hostname;
    p.download = el.hasAttribute('download') || FILE.test(el.pathname);
  }
  for (const a of el.attributes) if (a.name.startsWith(PROP)) p[a.name.slice(PROP.length)] = a.value;
  return p;
}

export function installClicks(
  track: (event: string, p: Props) => void,
  keep: string[],
  domains: string[],
  anonymousId: () => string,
): void {
  const onClick = (e: MouseEvent): void => {
    const el = e.button < 2 && e.target instanceof Element ? e.target.closest<HTMLElement>(TARGET) : null;
    if (!el) return;
    if (el instanceof HTMLAnchorElement && el.href) decorate(el, domains, anonymousId());
    track(el.dataset.vistaEvent || (el.tagName == 'A' ? 'Link Clicked' : 'Button Clicked'), clickProps(el, keep));
  };
  // auxclick: middle-click opens links too.
  for (const t of ['click', 'auxclick'] as const) document.addEventListener(t, onClick, { capture: true, passive: true });
}
