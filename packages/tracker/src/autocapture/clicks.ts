// Clicks on links, buttons and elements marked data-vista-event (with data-vista-prop-* properties):
// tag, short text, id, and for links href, outbound and download. A passive capture-phase listener
// that only reads (and adds the cross-domain id): navigation is never delayed or prevented.
import { cleanUrl } from '../campaign';
import { decorate } from '../crossdomain';
import { track } from '../events';
import { on } from '../listen';
import type { Props } from '../types';

const FILE = /\.(pdf|zip|docx?|xlsx?|pptx?|csv|exe|dmg|apk)$/i;

export function installClicks(): void {
  on('click', (e: MouseEvent) => {
    const el = (e.target as Element).closest?.<HTMLAnchorElement>('a,button,[type=submit],[data-vista-event]'); // a target may be the document
    if (el) {
      const p: Props = {
        tag: el.localName,
        text: el.textContent!.trim().slice(0, 100),
        id: el.id,
        // Links only, decorated first with the cross-domain id (which cleanUrl drops again).
        ...(el.href &&
          (decorate(el),
          {
            href: cleanUrl(el.href)?.href,
            outbound: el.hostname != location.hostname,
            download: el.hasAttribute('download') || FILE.test(el.pathname),
          })),
      };
      for (const { name, value } of el.attributes) if (name.startsWith('data-vista-prop-')) p[name.slice(16)] = value;
      track(el.dataset.vistaEvent || (el.href ? 'Link' : 'Button') + ' Clicked', p);
    }
  });
}
